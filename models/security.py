"""Server-side records of sign-ins: each browser session and each API token pair is a
row that logout, a password change or an admin can end; failed secret entries (the
signing passphrase) counted per person across hosts; one-time password reset codes."""

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String

from models.application import utcnow

SESSION_KINDS = ("web", "api")


class UserSession(Model):
    """One sign-in: the browser's session cookie or the API's tokens carry its key; the
    row keeps only the key's SHA-256, so a copy of the table opens no session."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user_live", "user_id", "ended_at"),)

    id = Column(Integer, primary_key=True)
    key_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(3), nullable=False)  # SESSION_KINDS
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)
    ended_at = Column(DateTime, nullable=True)
    # logout, password_changed, ended_by_admin, idle
    end_reason = Column(String(20), nullable=True)


class FailedAttempt(Model):
    """A wrong secret (scope "passphrase": the signing passphrase) typed by a user."""

    __tablename__ = "failed_attempt"
    __table_args__ = (Index("ix_failed_attempt_subject", "scope", "user_id", "created_at"),)

    id = Column(Integer, primary_key=True)
    scope = Column(String(20), nullable=False)
    user_id = Column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class PasswordResetCode(Model):
    """A one-time code sent to a user who forgot their password (app/security/
    password_reset.py). Only a keyed hash of the code is kept; a code ends when used,
    replaced by a newer one or guessed wrong too often, and is void after `expires_at`."""

    __tablename__ = "password_reset_code"
    __table_args__ = (Index("ix_password_reset_code_user", "user_id", "created_at"),
                      Index("ix_password_reset_code_hash", "code_hash"))

    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    code_hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)
    wrong_attempts = Column(Integer, nullable=False, default=0)
    ended_at = Column(DateTime, nullable=True)
    # used, replaced, too_many_attempts
    end_reason = Column(String(20), nullable=True)
