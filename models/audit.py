"""The audit log: one row per security-relevant event (sign-ins, password and account
changes, role grants, configuration changes, staff downloads of applicants' files,
revocations, exports), written by app/audit. Rows are only ever added: the session
refuses to change or delete one (below) and, on PostgreSQL, so does a trigger
(migration 0027_audit_log)."""

from flask_appbuilder import Model
from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, event
from sqlalchemy.orm import Session

from models.application import utcnow


class AuditLogIsAppendOnly(RuntimeError):
    """Something tried to change or delete an audit entry."""

    def __init__(self):
        super().__init__("The audit log is append-only: entries are never changed or deleted.")


class AuditEntry(Model):
    """Who (a user, or nobody: a failed sign-in, the system) did what (`event`) to which
    object, when (UTC) and from which client address, with the details (JSON, never a
    secret). The actor and the object are snapshots, not foreign keys: deleting a user
    or a permit type leaves its entries as they were written."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_created", "created_at"),
        Index("ix_audit_entry_event", "event", "created_at"),
        Index("ix_audit_entry_actor", "actor_id", "created_at"),
        Index("ix_audit_entry_object", "object_type", "object_id"),
    )

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    event = Column(String(40), nullable=False)  # app/audit/events.py
    actor_id = Column(Integer, nullable=True)
    actor_name = Column(String(128), nullable=True)  # the username when it happened
    address = Column(String(45), nullable=True)  # the client's (IPv6 at most 45 chars)
    object_type = Column(String(40), nullable=True)
    object_id = Column(Integer, nullable=True)
    object_label = Column(String(200), nullable=True)
    details = Column(JSON, nullable=True)

    def __repr__(self):
        return f"#{self.id} {self.event}"


def _is_audit_statement(statement):
    table = getattr(statement, "table", None)
    return getattr(table, "name", None) == AuditEntry.__tablename__


@event.listens_for(Session, "before_flush")
def _audit_entries_are_never_changed(session, flush_context, instances):
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditLogIsAppendOnly()
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise AuditLogIsAppendOnly()


@event.listens_for(Session, "do_orm_execute")
def _audit_entries_are_never_bulk_changed(orm_execute_state):
    """`session.execute(update(AuditEntry)…)` and `delete(…)` bypass the flush."""
    if (orm_execute_state.is_update or orm_execute_state.is_delete) and \
            _is_audit_statement(orm_execute_state.statement):
        raise AuditLogIsAppendOnly()
