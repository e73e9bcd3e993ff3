"""A forgotten password ("Lupa kata sandi"): a one-time code through the account's
notification channels, then a new password under the password rule.

- The answers never tell whether an account exists: an unknown or inactive account, one
  without any address to reach, or one that had its codes for the hour
  (PASSWORD_RESET_CODES_PER_HOUR) simply gets nothing, and a wrong code reads the same
  whoever it was typed for.
- A code is good for PASSWORD_RESET_MINUTES, once, and for PASSWORD_RESET_MAX_ATTEMPTS
  wrong entries; a newer code replaces it. Only a keyed hash is stored (HMAC with the
  SECRET_KEY): six digits are quickly guessed from a plain hash in a copy of the table.
- The new password ends every session and API token of the account and lifts a lock, as
  any password reset does (SecurityManager.reset_password). A locked account may reset:
  the lock stops guessing the password, and the code proves the owner's own channel."""

import contextlib
import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, or_, select, update

from app.errors import InvalidInput
from app.extensions import db
from app.links import public_url
from app.notifications.outbox import queue_for_account
from app.security.identity import InvalidPhoneNumber, normalise_whatsapp
from models import PasswordResetCode, SiapUser
from models.application import utcnow

log = logging.getLogger(__name__)

CODE_DIGITS = 6
# Codes older than this are deleted (the hourly limit needs the last hour only).
KEEP_FOR = timedelta(days=1)
MESSAGE_KEY = "reset_kata_sandi"
WRONG_CODE = _l("The code is wrong, has expired or was already used. Check it, or ask "
                "for a new code.")


def _hash(code):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"password-reset:{code}".encode(), hashlib.sha256).hexdigest()


def _normalise_code(raw):
    """The digits as typed, without the spaces or dashes people add ("123 456")."""
    return "".join(ch for ch in raw or "" if not ch.isspace() and ch != "-")


def accounts_named(identifier):
    """The active accounts whose user name, e-mail address or WhatsApp number this is
    (several accounts may share a WhatsApp number)."""
    text = (identifier or "").strip()
    if not text:
        return []
    named = [func.lower(SiapUser.username) == text.lower(),
             func.lower(SiapUser.email) == text.lower()]
    with contextlib.suppress(InvalidPhoneNumber):  # not a number: a name or an address
        named.append(SiapUser.whatsapp == normalise_whatsapp(text))
    return db.session.scalars(select(SiapUser).where(or_(*named), SiapUser.active.is_(True))
                              .order_by(SiapUser.id)).all()


def _live(user_ids, now):
    return (PasswordResetCode.user_id.in_(user_ids), PasswordResetCode.ended_at.is_(None),
            PasswordResetCode.expires_at > now)


def _end(conditions, reason, now):
    db.session.execute(update(PasswordResetCode).where(*conditions)
                       .values(ended_at=now, end_reason=reason))


def _codes_in_the_last_hour(user_id, now):
    return db.session.scalar(select(func.count(PasswordResetCode.id)).where(
        PasswordResetCode.user_id == user_id,
        PasswordResetCode.created_at > now - timedelta(hours=1)))


def _new_code(now):
    """Six random digits that no live code has: a code typed with a WhatsApp number that
    several accounts share then names exactly one of them."""
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        taken = db.session.scalar(select(exists().where(
            PasswordResetCode.code_hash == _hash(code), PasswordResetCode.ended_at.is_(None),
            PasswordResetCode.expires_at > now)))
        if not taken:
            return code


def request_code(identifier, page_path):
    """Send a new code to each active account so named, through its channels (not in the
    app: whoever holds a signed-in session must not read it). Returns nothing on purpose:
    the page answers the same whether anything was sent. `page_path` is where the code
    is entered."""
    config = current_app.config
    now = utcnow()
    db.session.execute(delete(PasswordResetCode).where(
        PasswordResetCode.created_at < now - KEEP_FOR))
    minutes = config["PASSWORD_RESET_MINUTES"]
    for user in accounts_named(identifier):
        if _codes_in_the_last_hour(user.id, now) >= config["PASSWORD_RESET_CODES_PER_HOUR"]:
            log.info("password reset: no code for user %s, the hourly limit is reached",
                     user.id)
            continue
        _end(_live([user.id], now), "replaced", now)
        code = _new_code(now)
        db.session.add(PasswordResetCode(user_id=user.id, code_hash=_hash(code),
                                         created_at=now,
                                         expires_at=now + timedelta(minutes=minutes),
                                         wrong_attempts=0))
        queue_for_account(user, MESSAGE_KEY, {
            "nama": user.full_name, "pengguna": user.username, "kode": code,
            "menit": str(minutes), "tautan": public_url(page_path)}, in_app=False)
        db.session.flush()  # the next account's code must differ from this one
        log.info("password reset: code sent to user %s", user.id)
    db.session.commit()


def _count_wrong_code(user_ids, now):
    """A wrong code counts against every live code of the accounts so named; a code
    wrong too often is void."""
    if user_ids:
        db.session.execute(update(PasswordResetCode).where(*_live(user_ids, now))
                           .values(wrong_attempts=PasswordResetCode.wrong_attempts + 1))
        _end((*_live(user_ids, now), PasswordResetCode.wrong_attempts
              >= current_app.config["PASSWORD_RESET_MAX_ATTEMPTS"]),
             "too_many_attempts", now)
    db.session.commit()


def reset_password(identifier, code, password):
    """Give the account whose live code this is the new `password` (already checked
    against the password rule), ending its code, sessions and tokens; returns the user.
    InvalidInput on the `code` field otherwise."""
    now = utcnow()
    user_ids = [user.id for user in accounts_named(identifier)]
    found = db.session.scalar(select(PasswordResetCode).where(
        *_live(user_ids, now), PasswordResetCode.code_hash == _hash(_normalise_code(code))
    )) if user_ids else None
    if found is None:
        _count_wrong_code(user_ids, now)
        raise InvalidInput({"code": WRONG_CODE})
    # Two submissions of one code at once: only the one that ends it goes on.
    used = db.session.execute(update(PasswordResetCode).where(
        PasswordResetCode.id == found.id, PasswordResetCode.ended_at.is_(None))
        .values(ended_at=now, end_reason="used"))
    if used.rowcount != 1:
        db.session.rollback()
        raise InvalidInput({"code": WRONG_CODE})
    sm = current_app.appbuilder.sm
    sm.reset_password(found.user_id, password, by="reset_code")
    log.info("password reset: user %s set a new password with a code", found.user_id)
    return sm.get_user_by_id(found.user_id)
