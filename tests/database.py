"""The test database: a fresh schema built by the real migrations, then reset to
the seeded baseline after every test by deleting the rows the test added."""

from flask_appbuilder import Model
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, make_url, select, text

from app.extensions import db


def worker_database(url, worker):
    """`url` with the database renamed for one pytest-xdist worker, created if missing."""
    url = make_url(url)
    name = f"{url.database}_{worker}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": name})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def recreate_schema():
    """Drop everything and rebuild the schema with `flask db upgrade`."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        Model.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


def tables_with_integer_ids():
    return [
        table
        for table in Model.metadata.sorted_tables
        if "id" in table.c and table.c.id.primary_key
    ]


# Small tables whose seeded rows tests may change or delete (role grants, the
# letterheads, the agencies' SKRD settings, the message templates' content SIDs): restored
# whole after a test that changed them.
RESTORED_TABLES = ("ab_permission_view_role", "ab_user_role", "letterhead",
                   "agency_retribution", "message_template")
# Seeded rows tests edit through the screens (a permit type saved from its form, whose
# unsent checkboxes turn false): put back in place, since other rows refer to them.
UPDATED_TABLES = ("permit_category", "permit_type", "permit_requirement", "agency", "asset")


def _rows(connection, name):
    table = Model.metadata.tables[name]
    return sorted(tuple(row) for row in connection.execute(select(table)))


def _rows_by_id(connection, name):
    table = Model.metadata.tables[name]
    return {row["id"]: dict(row) for row in connection.execute(select(table)).mappings()}


def snapshot_baseline():
    """The highest id of every table once the seed data is in; tables without an id
    column must be empty then, and are emptied after each test."""
    baseline = {}
    with db.engine.connect() as connection:
        baseline["restored"] = {name: _rows(connection, name) for name in RESTORED_TABLES}
        baseline["updated"] = {name: _rows_by_id(connection, name) for name in UPDATED_TABLES}
    for table in Model.metadata.sorted_tables:
        if table in tables_with_integer_ids():
            baseline[table.name] = db.session.scalar(
                select(func.coalesce(func.max(table.c.id), 0))
            )
        else:
            assert not db.session.execute(select(table).limit(1)).first(), table.name
            baseline[table.name] = None
    return baseline


# The audit log refuses deletes on PostgreSQL (a trigger, migration 0029_audit_log): the
# reset, as the table's owner, switches the trigger off for its own transaction only.
AUDIT_TABLE = "audit_entry"
AUDIT_TRIGGER = "audit_entry_append_only"


def _audit_rows_added(connection, baseline):
    table = Model.metadata.tables[AUDIT_TABLE]
    return connection.execute(select(table.c.id).where(table.c.id > baseline[AUDIT_TABLE])
                              .limit(1)).first() is not None


def reset_to_baseline(baseline):
    db.session.rollback()
    db.session.expunge_all()
    with db.engine.begin() as connection:
        purge_audit = connection.dialect.name == "postgresql" and \
            _audit_rows_added(connection, baseline)
        if purge_audit:
            # A transaction left open elsewhere fails the reset loudly instead of hanging it.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER {AUDIT_TRIGGER}"))
        for table in reversed(Model.metadata.sorted_tables):
            if baseline[table.name] is None:
                connection.execute(table.delete())
            else:
                connection.execute(table.delete().where(table.c.id > baseline[table.name]))
        if purge_audit:
            connection.execute(text(f"ALTER TABLE {AUDIT_TABLE} ENABLE TRIGGER {AUDIT_TRIGGER}"))
        # Wrong passwords of one test must not lock a demo user for the next.
        connection.execute(text("UPDATE ab_user SET fail_login_count = 0, locked_until = NULL"))
        for name, seeded in baseline["updated"].items():
            table = Model.metadata.tables[name]
            now = _rows_by_id(connection, name)
            for row_id, row in seeded.items():
                if row_id in now and now[row_id] != row:
                    connection.execute(table.update().where(table.c.id == row_id).values(row))
        for name, rows in baseline["restored"].items():
            if _rows(connection, name) != rows:
                table = Model.metadata.tables[name]
                connection.execute(table.delete())
                connection.execute(table.insert(), [dict(zip(table.c.keys(), row,
                                                             strict=True)) for row in rows])
    db.session.remove()
