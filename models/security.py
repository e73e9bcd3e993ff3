"""Server-side records of sign-ins: each browser session and each API token pair is a
row that logout, a password change or an admin can end; failed secret entries (the
signing passphrase) counted per person across hosts."""

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
