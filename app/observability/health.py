"""/healthz and /readyz for load balancers and orchestrators.

/healthz: the process answers (nothing else is touched: no database, no session, no
storage). /readyz: the database answers, its schema is at the migrations' head, and
storage takes a small file and gives it back. Both answer plain text "ok", or 503 "not
ready" with nothing about why (the reason goes to the log). They answer before the app's
other request hooks (sign-in, CSRF, rate limits, menus): no session cookie, no database
read for the user, no rate limit."""

import logging

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from sqlalchemy import text

from app.extensions import db
from app.observability.early import answer_early
from app.storage.files import remove_files, store_bytes

log = logging.getLogger(__name__)

health = Blueprint("health", __name__)
PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@health.get("/healthz")
def healthz():
    return "ok\n", 200, PLAIN


@health.get("/readyz")
def readyz():
    for name, check in READINESS_CHECKS:
        try:
            ready = check()
        except Exception as error:  # any failure means: not ready
            log.warning("not ready: %s failed (%s)", name, type(error).__name__)
            db.session.rollback()
            return "not ready\n", 503, PLAIN
        if not ready:
            log.warning("not ready: %s", name)
            return "not ready\n", 503, PLAIN
    return "ok\n", 200, PLAIN


def database_answers():
    return db.session.execute(text("SELECT 1")).scalar() == 1


def migration_heads():
    """The heads of the migrations on disk, read once per process (a deployment that
    brings new migrations restarts the app)."""
    heads = current_app.extensions.get("siap_migration_heads")
    if heads is None:
        directory = current_app.extensions["migrate"].directory
        heads = frozenset(ScriptDirectory(directory).get_heads())
        current_app.extensions["siap_migration_heads"] = heads
    return heads


def schema_at_head():
    # Read directly: alembic's MigrationContext logs two lines at each probe.
    current = db.session.scalars(text("SELECT version_num FROM alembic_version"))
    return frozenset(current) == migration_heads()


def storage_writable():
    """Write a small file through the storage layer and remove it. (One place to adapt
    when storage gets backends: write, then delete, through the configured one.)"""
    written = []
    try:
        store_bytes(b"%PDF-1.4\n% readiness probe\n", "pdf", "readiness.pdf", written)
    finally:
        remove_files(written)
    return bool(written)


READINESS_CHECKS = (("database", database_answers), ("migrations", schema_at_head),
                    ("storage", storage_writable))


def init_app(app):
    app.register_blueprint(health)
    answer_early(app, ("health.healthz", "health.readyz"))
