"""Sign-ins that end. A browser session or an API token pair is live only while its row
in `user_session` is: logout ends that row, a password change ends every other row of
the user, an admin can end them all, and an idle browser session ends by itself.

Why rows and not a per-user stamp: logout must end one session and leave the user's
other devices signed in, which a single stamp per user cannot express."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from app.extensions import db
from models import UserSession
from models.application import utcnow

# last_seen_at is written at most this often per session (not on every request).
TOUCH_EVERY = timedelta(minutes=5)


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def open_session(user, kind):
    """A new live session of `user`; returns the key the cookie or the tokens carry."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(key_hash=_hash(key), user_id=user.id, kind=kind))
    db.session.commit()
    return key


def _idle_limit():
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def valid_key(key):
    return bool(key) and isinstance(key, str)


def key_hash(key):
    """What the `user_session` row keeps of a key."""
    return _hash(key)


def live_session(key, user_id):
    """The live session row of this key and user, or None. Browser sessions idle for
    longer than SESSION_IDLE_MINUTES end here."""
    if not valid_key(key):
        return None
    return still_live(db.session.scalar(select(UserSession).where(
        UserSession.key_hash == _hash(key), UserSession.user_id == user_id,
        UserSession.ended_at.is_(None))))


def still_live(row):
    """`row` (a session not ended, read with its key) while it is live, or None: an idle
    browser session ends here; the time last seen is written at most every few minutes."""
    if row is None:
        return None
    now = utcnow()
    if row.kind == "web" and now - row.last_seen_at > _idle_limit():
        _end(UserSession.id == row.id, "idle")
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        db.session.execute(update(UserSession).where(UserSession.id == row.id)
                           .values(last_seen_at=now))
        db.session.commit()
    return row


def _end(condition, reason):
    result = db.session.execute(
        update(UserSession).where(condition, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason))
    db.session.commit()
    return result.rowcount


def end_session(key, reason="logout"):
    if key:
        _end(UserSession.key_hash == _hash(key), reason)


def end_all_sessions(user_id, reason, keep_key=None):
    """End every live session and token pair of the user (but `keep_key`'s); returns
    how many ended."""
    condition = UserSession.user_id == user_id
    if keep_key:
        condition = condition & (UserSession.key_hash != _hash(keep_key))
    return _end(condition, reason)


def live_session_count(user_id):
    return db.session.scalar(select(func.count(UserSession.id)).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)))
