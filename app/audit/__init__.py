"""The audit log (models/audit.py): an append-only record of who did what, when and from
where. Admins read, filter and export it under Keamanan → Log Audit (views/audit.py).

Changes to users, roles and configuration rows are recorded by themselves as they are
flushed (app/audit/changes.py). Everything else is recorded where it happens:

    from app import audit

    # with the change it records: committed with it, gone with it on a rollback
    audit.record(audit.PERMIT_REVOKED, object=application, details={"reason": reason})

    # on its own, committed at once (nothing else to commit, or it must stay anyway)
    audit.record_now(audit.EXPORTED, details={"what": "personal_data", "format": "zip"},
                     object=user)

`object` is a model row (its table, id and name are kept) or
`audit.AuditObject(type, id, label)`; `actor` defaults to the request's signed-in user
(pass None for nobody); `details` is a JSON-ready dict, and any key that looks like a
secret (password, passphrase, token, secret, …_hash) has its value replaced by "***".
Time (UTC) and the client's address are filled in."""

from app.audit import changes  # noqa: F401  (records users, roles and configuration)
from app.audit.entries import CURRENT, AuditObject, current_actor, record, record_now
from app.audit.events import (
    CONFIG_CREATED,
    CONFIG_DELETED,
    CONFIG_UPDATED,
    EVENTS,
    EXPORTED,
    FILE_DOWNLOADED,
    LOGIN,
    LOGIN_FAILED,
    LOGOUT,
    OBJECT_TYPES,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    PERMIT_REVOKED,
    ROLE_CREATED,
    ROLE_DELETED,
    ROLE_UPDATED,
    SESSIONS_ENDED,
    USER_CREATED,
    USER_DELETED,
    USER_UPDATED,
)

__all__ = [
    "CONFIG_CREATED", "CONFIG_DELETED", "CONFIG_UPDATED", "CURRENT", "EVENTS", "EXPORTED",
    "FILE_DOWNLOADED", "LOGIN", "LOGIN_FAILED", "LOGOUT", "OBJECT_TYPES", "PASSWORD_CHANGED",
    "PASSWORD_RESET", "PERMIT_REVOKED", "ROLE_CREATED", "ROLE_DELETED", "ROLE_UPDATED",
    "SESSIONS_ENDED", "USER_CREATED", "USER_DELETED", "USER_UPDATED", "AuditObject",
    "current_actor", "record", "record_now",
]
