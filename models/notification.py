"""Notifications: the outbox of messages (written in the transition's transaction, sent
by a worker through a chain of channels: WhatsApp, SMS, e-mail), in-app notifications, and
editable templates."""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from models.application import utcnow
from models.choices import Choices, refuse_unknown_choices


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a worker
    SENT = "sent"  # accepted by the provider
    DELIVERED = "delivered"  # the provider reported delivery
    FAILED = "failed"  # given up; an admin may retry it


class OutboxChannel(enum.StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"


OUTBOX_CHANNELS = Choices({
    OutboxChannel.WHATSAPP: _l("WhatsApp"), OutboxChannel.SMS: _l("SMS"),
    OutboxChannel.EMAIL: _l("E-mail"),
})


class ChainEnd(enum.StrEnum):
    """Why a message reached nobody: set on the last attempt of a chain that failed."""

    EXHAUSTED = "exhausted"  # every channel of the chain failed
    NO_EMAIL = "no_email"  # ... and e-mail, which was next, has no address to go to


CHAIN_ENDS = Choices({
    ChainEnd.EXHAUSTED: _l("Not delivered: every channel failed"),
    ChainEnd.NO_EMAIL: _l("Not delivered: every channel failed and the recipient has no "
                          "e-mail address"),
})


OUTBOX_STATUSES = Choices({
    OutboxStatus.PENDING: _l("Waiting"), OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"), OutboxStatus.DELIVERED: _l("Delivered"),
    OutboxStatus.FAILED: _l("Failed"),
})


class OutboxMessage(Model):
    """One attempt to reach a recipient on one channel. When it fails for good (or no
    delivery report comes in time) the next channel of its chain gets a new row, linked
    to the first attempt (`first_id`) and to the one it follows (`previous_id`)."""

    __tablename__ = "notification_outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_provider_id", "provider_message_id"),
        Index("ix_outbox_first_id", "first_id"),
        # One follower per attempt: two workers can never both move a message on.
        UniqueConstraint("previous_id", name="uq_notification_outbox_previous_id"),
        OUTBOX_STATUSES.check("status", "ck_notification_outbox_status"),
        OUTBOX_CHANNELS.check("channel", "ck_notification_outbox_channel"),
        CHAIN_ENDS.check("chain_end", "ck_notification_outbox_chain_end"),
    )

    id = Column(Integer, primary_key=True)
    channel = Column(String(20), nullable=False, default=OutboxChannel.WHATSAPP.value)
    # The channels still to try after this one, in order (the chain of the message kind,
    # less those the recipient has no address for).
    next_channels = Column(JSON, nullable=False, default=list)
    first_id = Column(ForeignKey("notification_outbox.id", ondelete="CASCADE"), nullable=True)
    first = relationship("OutboxMessage", remote_side=[id], foreign_keys=[first_id])
    previous_id = Column(ForeignKey("notification_outbox.id", ondelete="CASCADE"),
                         nullable=True)
    previous = relationship("OutboxMessage", remote_side=[id], foreign_keys=[previous_id])
    # On the first attempt: the attempts on the channels after it.
    later_attempts = relationship("OutboxMessage", foreign_keys=[first_id],
                                  order_by="OutboxMessage.id", viewonly=True)
    chain_end = Column(String(12), nullable=True)
    recipient_user_id = Column(ForeignKey("ab_user.id"), nullable=True)
    recipient_user = relationship("SiapUser")
    recipient_number = Column(String(20), nullable=True)
    recipient_email = Column(String(320), nullable=True)
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

    _refuse_unknown_choices = refuse_unknown_choices(
        status=(OUTBOX_STATUSES, _l("Status")), channel=(OUTBOX_CHANNELS, _l("Channel")),
        chain_end=(CHAIN_ENDS, _l("Outcome")))

    @property
    def address(self):
        """Where this attempt goes: the e-mail address or the phone number."""
        return self.recipient_email if self.channel == OutboxChannel.EMAIL else \
            self.recipient_number

    @property
    def chain_id(self):
        return self.first_id or self.id

    @property
    def chain(self):
        """Every attempt of this message, the first one first."""
        first = self.first or self
        return [first, *first.later_attempts]

    def __repr__(self):
        return f"#{self.id} {self.template_key} → {self.address}"


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
