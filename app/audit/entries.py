"""Writing audit entries: who acted (the signed-in user of the request unless told),
from which address, on what, with which details, never with a secret in them."""

import enum
import re
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from app.extensions import db
from models import AuditEntry

# The user signed in to the current request (or nobody outside a request).
CURRENT = object()

# Detail keys whose values are never written: the value becomes HIDDEN.
SECRET_KEY = re.compile(r"pass(word|phrase)|secret|token|api_?key|_hash$|^hash$",
                        re.IGNORECASE)
HIDDEN = "***"
# Object tables named for people rather than by Flask-AppBuilder's table name.
OBJECT_TYPE_OF_TABLE = {"ab_user": "user", "ab_role": "role"}
LABEL_LENGTH = AuditEntry.object_label.type.length
NAME_LENGTH = AuditEntry.actor_name.type.length


class AuditObject(NamedTuple):
    """What an entry is about, when it is not a model row at hand."""

    type: str
    id: int | None
    label: str | None


def label_of(obj):
    """A row as people know it (its name, number, username), at most LABEL_LENGTH
    characters; "#id" when the row has no name of its own."""
    try:
        text = getattr(obj, "username", None) or str(obj)
    except Exception:  # a half-built row whose __repr__ needs what it lacks  # noqa: BLE001
        text = ""
    if not text or (text.startswith("<") and " object at " in text):
        text = f"#{getattr(obj, 'id', '')}"
    return text[:LABEL_LENGTH]


def object_of(obj):
    """(type, id, label) of a model row, an AuditObject, or None."""
    if obj is None:
        return AuditObject(None, None, None)
    if isinstance(obj, AuditObject):
        return AuditObject(obj.type, obj.id, (obj.label or "")[:LABEL_LENGTH] or None)
    table = obj.__tablename__
    return AuditObject(OBJECT_TYPE_OF_TABLE.get(table, table), getattr(obj, "id", None),
                       label_of(obj))


def json_value(value):
    """A value as JSON can hold it: dates as ISO text, decimals and other objects as
    text, bytes by their length."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(item) for item in value]
    return str(value)


def without_secrets(value):
    """`value` (JSON-ready) with the value of every secret-looking key hidden, at any
    depth: a caller's mistake must not put a password in the log."""
    if isinstance(value, dict):
        return {key: HIDDEN if SECRET_KEY.search(key) else without_secrets(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def current_actor():
    """The signed-in user of this request (browser session or API token), or None."""
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def client_address():
    """The client's address as the rate limits see it: the peer, or with PROXY_COUNT
    set the address the trusted proxies forwarded (ProxyFix, app/__init__.py)."""
    return request.remote_addr if has_request_context() else None


def new_entry(event, *, object=None, details=None, actor=CURRENT):  # noqa: A002
    actor = current_actor() if actor is CURRENT else actor
    about = object_of(object)
    return AuditEntry(
        event=event,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username[:NAME_LENGTH] if actor is not None else None,
        address=client_address(),
        object_type=about.type, object_id=about.id, object_label=about.label,
        details=without_secrets(json_value(details)) if details else None,
    )


def record(event, *, object=None, details=None, actor=CURRENT):  # noqa: A002
    """Add an entry to the current transaction: it is written when the change it records
    commits, and vanishes with it on a rollback. `object` is a model row or an
    AuditObject; `actor` the user who acted (default: the request's signed-in user;
    None for nobody)."""
    entry = new_entry(event, object=object, details=details, actor=actor)
    db.session.add(entry)
    return entry


def record_now(event, *, object=None, details=None, actor=CURRENT):  # noqa: A002
    """Write an entry in a transaction of its own, committed at once: for what changes
    nothing else (a failed sign-in, a download, an export) and must stay whatever the
    request's own transaction does afterwards."""
    entry = new_entry(event, object=object, details=details, actor=actor)
    with Session(db.engine) as session:
        session.add(entry)
        session.commit()
        return entry.id
