"""Fixtures of the operations tests."""

import pytest
from sqlalchemy import event

from app.extensions import db


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
