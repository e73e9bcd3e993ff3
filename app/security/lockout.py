"""Limits on guessing secrets, per person, on every host and channel at once (the
database holds the counts, so the web form and the API share them).

- Password: after LOGIN_LOCK_AFTER wrong passwords in a row the account locks for
  LOGIN_LOCK_MINUTES, doubling with each further failure (at most a day); while it is
  locked no password is checked, and the owner is told by notification.
- Signing passphrase: at most PASSPHRASE_MAX_ATTEMPTS wrong ones in
  PASSPHRASE_WINDOW_MINUTES per signer, then signing waits."""

import math
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.errors import TooManyAttempts
from app.extensions import db
from models import FailedAttempt
from models.application import utcnow

MAX_LOCK = timedelta(days=1)
PASSPHRASE = "passphrase"


def _minutes_until(moment, now):
    return max(1, math.ceil((moment - now).total_seconds() / 60))


# --- passwords --------------------------------------------------------------------------


def lock_remaining(user):
    """Minutes until the account opens again, or None when it is not locked."""
    now = utcnow()
    if user.locked_until is None or user.locked_until <= now:
        return None
    return _minutes_until(user.locked_until, now)


def account_locked_error(minutes):
    return TooManyAttempts(
        _l("Too many wrong passwords: this account is locked for %(minutes)d minute(s). "
           "Try again later, or ask the front office to reset the password.",
           minutes=minutes), retry_after=minutes * 60)


def after_wrong_password(user):
    """Called once a wrong password was counted (user.fail_login_count): lock the
    account from the threshold on and tell its owner."""
    config = current_app.config
    beyond = (user.fail_login_count or 0) - config["LOGIN_LOCK_AFTER"]
    if beyond < 0:
        return
    duration = min(timedelta(minutes=config["LOGIN_LOCK_MINUTES"] * 2**min(beyond, 20)),
                   MAX_LOCK)
    user.locked_until = utcnow() + duration
    from app.notifications.outbox import queue_for_account

    queue_for_account(user, "akun_dikunci", {
        "nama": user.full_name, "jumlah": str(user.fail_login_count),
        "menit": str(math.ceil(duration.total_seconds() / 60)),
    })
    db.session.commit()


def unlock(user):
    user.locked_until = None
    user.fail_login_count = 0


# --- the signing passphrase -------------------------------------------------------------


def _window():
    return timedelta(minutes=current_app.config["PASSPHRASE_WINDOW_MINUTES"])


def _recent_failures(user_id, now):
    return db.session.scalars(
        select(FailedAttempt.created_at)
        .where(FailedAttempt.scope == PASSPHRASE, FailedAttempt.user_id == user_id,
               FailedAttempt.created_at > now - _window())
        .order_by(FailedAttempt.created_at)
    ).all()


def passphrase_attempts(user):
    """(attempts left, minutes to wait when none is left, else None)."""
    now = utcnow()
    failures = _recent_failures(user.id, now)
    limit = current_app.config["PASSPHRASE_MAX_ATTEMPTS"]
    left = max(0, limit - len(failures))
    if left:
        return left, None
    # Signing opens again when the oldest failure that keeps the count at the limit ages out.
    return 0, _minutes_until(failures[len(failures) - limit] + _window(), now)


def check_passphrase_allowed(user):
    """The attempts left; TooManyAttempts when none is."""
    left, wait = passphrase_attempts(user)
    if not left:
        raise TooManyAttempts(
            _l("Too many wrong passphrases. Signing is locked for %(minutes)d minute(s); "
               "nothing was signed.", minutes=wait), retry_after=wait * 60)
    return left


def record_wrong_passphrase(user_id):
    """Count a wrong passphrase (and forget those older than the window). Runs after the
    failed action rolled back, in a transaction of its own."""
    now = utcnow()
    db.session.execute(delete(FailedAttempt).where(
        FailedAttempt.scope == PASSPHRASE, FailedAttempt.user_id == user_id,
        FailedAttempt.created_at <= now - _window()))
    db.session.add(FailedAttempt(scope=PASSPHRASE, user_id=user_id, created_at=now))
    db.session.commit()
