"""Reading the audit log in tests: the entries written since the test began (the reset
between tests removes every entry a test adds; seeding writes none)."""

from sqlalchemy import select

from app.extensions import db
from models import AuditEntry

# Words that must never appear in an entry: the demo and test passwords, and the words
# that would name a secret if a value had slipped through.
PASSWORDS = ("Rahasia123", "SandiBaru2026")


def entries(event=None, **columns):
    """The entries (oldest first), of one event and with these column values if given."""
    db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if event is not None:
        query = query.where(AuditEntry.event == event)
    for name, value in columns.items():
        query = query.where(getattr(AuditEntry, name) == value)
    return db.session.scalars(query).all()


def only(event=None, **columns):
    """The one entry of this event (and these column values): fails if there is not
    exactly one."""
    found = entries(event, **columns)
    assert len(found) == 1, [(e.event, e.object_type, e.object_label, e.details)
                             for e in found]
    return found[0]


def holds_no_password(entry, *passwords):
    text = repr((entry.details, entry.object_label, entry.actor_name))
    return not any(password in text for password in (*PASSWORDS, *passwords))
