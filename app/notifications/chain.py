"""The chain of channels a message goes through: WhatsApp → SMS → e-mail by default,
configurable per message kind; a recipient may have one of its channels tried first, and
a recipient without an address for a channel skips it.
Each attempt is its own outbox row; `move_on` adds the next one when an attempt fails."""

from flask import current_app
from sqlalchemy import exists, select

from app.extensions import db
from models import OutboxMessage
from models.notification import OUTBOX_CHANNELS, ChainEnd, OutboxChannel


class UnknownChannel(ValueError):
    pass


def configured_chain(kind):
    """The channels of a message kind (a template key), in the order they are tried."""
    config = current_app.config
    chain = config["NOTIFICATION_CHANNELS_BY_KIND"].get(kind, config["NOTIFICATION_CHANNELS"])
    unknown = [channel for channel in chain if channel not in OUTBOX_CHANNELS.values]
    if unknown:
        raise UnknownChannel(f"unknown notification channel(s) for {kind}: {unknown}")
    return list(chain)


def can_reach(channel, number, email):
    return bool(email) if channel == OutboxChannel.EMAIL else bool(number)


def plan(kind, number, email, first=None):
    """The channels this recipient can be reached on: the kind's order, with the
    recipient's `first` channel moved to the front when the kind uses it."""
    chain = configured_chain(kind)
    if first in chain:
        chain = [first, *(channel for channel in chain if channel != first)]
    return [channel for channel in chain if can_reach(channel, number, email)]


def first_attempt(kind, number, email, first=None, **fields):
    """The outbox row of a message's first channel, or None when the recipient has no
    address for any channel of the kind."""
    channels = plan(kind, number, email, first)
    if not channels:
        return None
    return OutboxMessage(channel=channels[0], next_channels=channels[1:], template_key=kind,
                         recipient_number=number, recipient_email=email, **fields)


def has_follower(message):
    return db.session.scalar(select(exists().where(OutboxMessage.previous_id == message.id)))


def move_on(message):
    """After `message` failed for good: queue the next channel of its chain (once, however
    often this is called), or record why the chain ended. The caller commits."""
    if has_follower(message):
        return None
    if not message.next_channels:
        skipped_email = (OutboxChannel.EMAIL in configured_chain(message.template_key)
                         and not message.recipient_email)
        message.chain_end = ChainEnd.NO_EMAIL if skipped_email else ChainEnd.EXHAUSTED
        return None
    channel, *rest = message.next_channels
    follower = OutboxMessage(
        channel=channel, next_channels=rest, first_id=message.chain_id,
        previous_id=message.id, recipient_user_id=message.recipient_user_id,
        recipient_number=message.recipient_number, recipient_email=message.recipient_email,
        template_key=message.template_key, body=message.body, variables=message.variables,
        application_id=message.application_id)
    db.session.add(follower)
    return follower
