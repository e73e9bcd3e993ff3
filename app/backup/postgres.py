"""PostgreSQL's own tools, pg_dump and pg_restore, reached with the app's database URL.

The SQLAlchemy URL (`postgresql+psycopg://siap:secret@db-host:5432/siap?sslmode=require`)
becomes libpq connection parameters (psycopg's `make_conninfo` quotes them). The password
travels in PGPASSWORD only: never in the arguments, which every user of the host can read
in the process list, nor in any message."""

import os
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass

from psycopg.conninfo import make_conninfo
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.backup.layout import BackupError


@dataclass(frozen=True)
class Database:
    conninfo: str  # libpq parameters without the password
    password: str | None
    shown: str  # the URL with the password masked, for messages

    def hide(self, message):
        return message.replace(self.password, "***") if self.password else message


def database_of(url):
    """The libpq parameters of a SQLAlchemy URL; refuses anything but PostgreSQL."""
    url = make_url(url)
    if url.get_backend_name() != "postgresql":
        raise BackupError(
            f"The database is {url.get_backend_name()}, not PostgreSQL. Backup and restore "
            "are for the production database on PostgreSQL; copy an SQLite development "
            "database with `sqlite3 instance/siap.db \".backup COPY.db\"`.")
    parameters = {key: value[-1] if isinstance(value, tuple) else value
                  for key, value in url.query.items()}
    parameters.update(host=url.host, port=url.port, user=url.username, dbname=url.database)
    conninfo = make_conninfo(**{k: v for k, v in parameters.items() if v is not None})
    return Database(conninfo, url.password, url.render_as_string(hide_password=True))


def _run(tool, arguments, database):
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed: install PostgreSQL's client programs "
                          "(Debian: postgresql-client), of the server's major version or "
                          "newer.")
    environment = dict(os.environ)
    if database.password is not None:
        environment["PGPASSWORD"] = database.password
    # --no-password: a timer's run fails at once rather than waiting for a prompt.
    result = subprocess.run([executable, *arguments, "--no-password",
                             f"--dbname={database.conninfo}"],
                            env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(database.hide(
            f"{tool} failed on {database.shown}:\n{result.stderr.strip()}"))


def dump(database, path, snapshot):
    """The database as it was in the exported `snapshot`, in pg_dump's custom format."""
    _run("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
         database)


def restore(database, path):
    """Into an empty database, in one transaction: a failure leaves it empty. Objects
    belong to the user restoring (the production role may have another name)."""
    _run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error",
                        "--single-transaction", str(path)], database)


@contextmanager
def exported_snapshot(engine):
    """A read-only transaction whose snapshot pg_dump shares (`--snapshot`): what is read
    here is exactly what the dump holds. The transaction stays open until the dump ends."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            yield connection, connection.scalar(text("SELECT pg_export_snapshot()"))


def user_relations(connection):
    """The number of tables, sequences, views and indexes outside PostgreSQL's own
    schemas: 0 in a database made by `createdb`."""
    return connection.scalar(text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"))


def table_counts(connection):
    """{table: rows} of every table in the current schema."""
    names = connection.scalars(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = "
        "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")).all()
    quote = connection.dialect.identifier_preparer.quote
    return {name: connection.scalar(text(f"SELECT count(*) FROM {quote(name)}"))
            for name in names}


def schema_revision(connection):
    """The Alembic revision the schema is at (None before any migration)."""
    return connection.scalar(text("SELECT version_num FROM alembic_version"))
