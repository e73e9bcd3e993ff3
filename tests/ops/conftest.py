"""Fixtures of the operations tests."""

import pytest
from sqlalchemy import event

from app import create_app
from app.extensions import db


@pytest.fixture(scope="package")
def app_without_database(tmp_path_factory):
    """The app configured for a database nobody answers on (a closed port)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@"
                     "127.0.0.1:1/siap?connect_timeout=2",
                     UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.fixture
def statements(app):
    """The SQL statements run while the test runs (a list, filled as they run)."""
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def fresh_gauges(app, monkeypatch):
    """The service's gauges read at every scrape (not reused for METRICS_GAUGES_SECONDS)."""
    monkeypatch.setitem(app.config, "METRICS_GAUGES_SECONDS", 0)
