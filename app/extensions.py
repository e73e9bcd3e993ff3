"""Extension objects shared by every app the factory creates."""

import sqlite3

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

db = get_sqla_class()()
csrf = CSRFProtect()
migrate = Migrate()
# E-mail (the `email` outbox channel, app/notifications/backends.py).
mail = Mail()


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record):
    """SQLite ignores foreign keys unless each connection asks: without this, a row
    that files still use could be deleted on SQLite while PostgreSQL refuses it."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
