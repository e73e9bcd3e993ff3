"""Notifications: the outbox of WhatsApp messages (written in the transition's
transaction, sent by a worker), in-app notifications, and editable templates."""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from models.application import utcnow
from models.choices import Choices, refuse_unknown_choices


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a worker
    SENT = "sent"  # accepted by the provider
    DELIVERED = "delivered"  # the provider reported delivery
    FAILED = "failed"  # given up; an admin may retry it


OUTBOX_STATUSES = Choices({
    OutboxStatus.PENDING: _l("Waiting"), OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"), OutboxStatus.DELIVERED: _l("Delivered"),
    OutboxStatus.FAILED: _l("Failed"),
})


class OutboxMessage(Model):
    __tablename__ = "notification_outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_provider_id", "provider_message_id"),
        OUTBOX_STATUSES.check("status", "ck_notification_outbox_status"),
    )

    id = Column(Integer, primary_key=True)
    channel = Column(String(20), nullable=False, default="whatsapp")
    recipient_user_id = Column(ForeignKey("ab_user.id"), nullable=True)
    recipient_user = relationship("SiapUser")
    recipient_number = Column(String(20), nullable=False)
    template_key = Column(String(50), nullable=False)
    body = Column(Text, nullable=False)
    variables = Column(JSON, nullable=False, default=dict)
    application_id = Column(ForeignKey("application.id", ondelete="SET NULL"), nullable=True,
                            index=True)
    application = relationship("Application")
    status = Column(String(12), nullable=False, default=OutboxStatus.PENDING.value)
    attempts = Column(Integer, nullable=False, default=0)
    # Set by the worker that claimed the message, so a claim is never shared.
    claim_token = Column(String(32), nullable=True)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    provider_message_id = Column(String(64), nullable=True)
    last_error = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime, nullable=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    _refuse_unknown_choices = refuse_unknown_choices(status=(OUTBOX_STATUSES, _l("Status")))

    def __repr__(self):
        return f"{self.template_key} → {self.recipient_number}"


class InAppNotification(Model):
    __tablename__ = "notification_inbox"
    __table_args__ = (Index("ix_inapp_user", "user_id", "id"),)

    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=True)
    application = relationship("Application")
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    read_at = Column(DateTime, nullable=True)


class MessageTemplate(Model):
    """A message an admin may reword; {placeholders} are checked when saved."""

    __tablename__ = "message_template"

    id = Column(Integer, primary_key=True)
    key = Column(String(50), nullable=False, unique=True)
    description = Column(Text, nullable=True)
    body = Column(Text, nullable=False)
    # An approved WhatsApp content template, for messages outside the 24-hour window.
    content_sid = Column(String(64), nullable=True)
    active = Column(Boolean, nullable=False, default=True)

    def __repr__(self):
        return self.key
