"""Audit entries are only ever added: the app's session refuses to change or delete one,
and on PostgreSQL the database refuses it too, whatever the client."""

import pytest
from sqlalchemy import delete, exc, text, update

from app import audit
from app.extensions import db
from models import AuditEntry
from models.audit import AuditLogIsAppendOnly
from tests.audit.support import entries


@pytest.fixture
def entry(app):
    entry_id = audit.record_now(audit.EXPORTED, details={"what": "test"}, actor=None)
    return db.session.get(AuditEntry, entry_id)


def test_an_entry_changed_through_the_session_is_refused(entry):
    entry.details = {"what": "something else"}
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert entries()[0].details == {"what": "test"}


def test_an_entry_deleted_through_the_session_is_refused(entry):
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert len(entries()) == 1


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(actor_name="someone"),
    delete(AuditEntry),
    update(AuditEntry.__table__).values(actor_name="someone"),
    delete(AuditEntry.__table__),
], ids=["orm update", "orm delete", "table update", "table delete"])
def test_an_update_or_delete_statement_through_the_session_is_refused(entry, statement):
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(statement)
    db.session.rollback()
    assert [e.actor_name for e in entries()] == [None]


def test_adding_entries_is_what_the_session_allows(app):
    audit.record(audit.EXPORTED, details={"what": "one"}, actor=None)
    db.session.commit()
    audit.record_now(audit.EXPORTED, details={"what": "two"}, actor=None)
    assert [e.details["what"] for e in entries()] == ["one", "two"]


def test_secrets_in_details_are_hidden_whoever_passes_them(app):
    audit.record_now(audit.EXPORTED, actor=None, details={
        "what": "test", "password": "Rahasia123", "nested": {"passphrase": "x", "api_key": "k",
                                                             "token": "t", "code_hash": "h"}})
    assert entries()[0].details == {"what": "test", "password": "***", "nested": {
        "passphrase": "***", "api_key": "***", "token": "***", "code_hash": "***"}}


@pytest.mark.parametrize("sql", [
    "UPDATE audit_entry SET actor_name = 'someone'",
    "DELETE FROM audit_entry",
    "TRUNCATE audit_entry",
], ids=["update", "delete", "truncate"])
def test_on_postgresql_the_database_itself_refuses_changes(entry, sql):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (migration 0029_audit_log)")
    db.session.rollback()  # the test's own read would hold TRUNCATE back
    with db.engine.connect() as connection, pytest.raises(exc.DBAPIError,
                                                          match="append-only"):
        connection.execute(text(sql))
    assert len(entries()) == 1
