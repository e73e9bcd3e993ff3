"""Alembic environment: one metadata, Flask-AppBuilder's, which holds the ab_* tables
and every model of this project (they all subclass flask_appbuilder.Model)."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app
from flask_appbuilder import Model

import models  # noqa: F401  (imports every model onto Model.metadata)

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Model.metadata


def run_migrations_offline():
    url = current_app.extensions["migrate"].db.engine.url
    context.configure(
        url=url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


@contextmanager
def foreign_keys_off_on_sqlite(connection):
    """SQLite alters a table by copying it and dropping the original (batch mode); with
    foreign keys on (app/extensions.py) dropping a table that other rows reference
    fails. They are off while migrating, checked afterwards, and on again. (A database
    written before they were on may hold rows whose parent is gone: they are reported.)"""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()  # leaves no transaction open for Alembic's own
    try:
        yield
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            logging.getLogger("alembic").warning(
                "%d rows refer to rows that no longer exist (table, rowid, parent): %s",
                len(problems), problems[:10])
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def run_migrations_online():
    engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection, foreign_keys_off_on_sqlite(connection):
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite needs batch mode to alter tables
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
