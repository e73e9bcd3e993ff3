"""The outbox worker: claims due messages (FOR UPDATE SKIP LOCKED on PostgreSQL, so
several workers never take the same one), sends each once per attempt through the backend
of its channel, and records the outcome: sent, a retry later with exponential backoff, or
failed with the reason. A failed attempt, or one sent without a delivery report in time,
moves the message on to the next channel of its chain (app/notifications/chain.py)."""

import logging
import time
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.notifications.backends import PermanentError, RetryableError, backends_from_config
from app.notifications.chain import move_on
from models import OutboxMessage
from models.application import utcnow

log = logging.getLogger(__name__)


def get_backends():
    """The backend of each channel, made once per app from its configuration."""
    backends = current_app.extensions.get("siap_notifiers")
    if backends is None:
        backends = backends_from_config(current_app.config)
        current_app.extensions["siap_notifiers"] = backends
    return backends


def claim(batch_size):
    """Mark up to `batch_size` due messages as sending, in one short transaction, and
    return the ids this worker claimed (the conditional update and the claim token make
    this safe even where SKIP LOCKED does not exist)."""
    now = utcnow()
    token = uuid.uuid4().hex
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    if candidates:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == "pending")
            .values(status="sending", attempts=OutboxMessage.attempts + 1, updated_at=now,
                    claim_token=token)
        )
    db.session.commit()
    if not candidates:
        return []
    return db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.claim_token == token,
                                       OutboxMessage.status == "sending")
        .order_by(OutboxMessage.id)
    ).all()


def backoff(attempts):
    base = current_app.config["NOTIFICATION_RETRY_SECONDS"]
    return timedelta(seconds=base * 2 ** (attempts - 1))


def deliver(message_id, backends):
    message = db.session.get(OutboxMessage, message_id)
    try:
        provider_id = backends[message.channel].send(message)
    except PermanentError as error:
        message.status, message.last_error = "failed", str(error)
    except RetryableError as error:
        message.last_error = str(error)
        if message.attempts >= current_app.config["NOTIFICATION_MAX_ATTEMPTS"]:
            message.status = "failed"
        else:
            message.status = "pending"
            message.next_attempt_at = utcnow() + backoff(message.attempts)
    else:
        message.status, message.provider_message_id = "sent", provider_id
        message.sent_at, message.last_error = utcnow(), None
    if message.status == "failed":
        move_on(message)  # in the same transaction as the failure
    db.session.commit()
    return message.status


def delivery_timeout_minutes(kind):
    """How long a message of this kind waits for a delivery report before it moves on:
    a password-reset code must not reach the next channel after it expired."""
    config = current_app.config
    return config["NOTIFICATION_DELIVERY_TIMEOUT_MINUTES_BY_KIND"].get(
        kind, config["NOTIFICATION_DELIVERY_TIMEOUT_MINUTES"])


def move_on_unreported(backends, now=None):
    """Messages sent on a channel that reports delivery, without a report after their
    kind's delivery timeout, count as failed there and move on. Each is taken by one
    worker only (the conditional update, as in `claim`)."""
    config = current_app.config
    shortest = min([config["NOTIFICATION_DELIVERY_TIMEOUT_MINUTES"],
                    *config["NOTIFICATION_DELIVERY_TIMEOUT_MINUTES_BY_KIND"].values()])
    channels = [channel for channel, backend in backends.items() if backend.reports_delivery]
    now = now or utcnow()
    candidates = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.template_key, OutboxMessage.sent_at)
        .where(OutboxMessage.status == "sent", OutboxMessage.channel.in_(channels),
               OutboxMessage.sent_at < now - timedelta(minutes=shortest))
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    ).all()
    moved = 0
    for message_id, kind, sent_at in candidates:
        minutes = delivery_timeout_minutes(kind)
        if sent_at >= now - timedelta(minutes=minutes):
            continue
        taken = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "sent")
            .values(status="failed", updated_at=now,
                    last_error=f"no delivery report within {minutes} minutes")
        ).rowcount
        if taken:
            move_on(db.session.get(OutboxMessage, message_id, populate_existing=True))
            moved += 1
    db.session.commit()
    return moved


def send_pending(batch_size=50, backends=None):
    """One pass over the due messages; returns {status: count}. `backends` replaces the
    configured backend of the channels it names."""
    backends = {**get_backends(), **(backends or {})}
    counts = {}
    if moved := move_on_unreported(backends):
        counts["unreported"] = moved
    while ids := claim(batch_size):
        for message_id in ids:
            status = deliver(message_id, backends)
            counts[status] = counts.get(status, 0) + 1
    return counts


def release_stale(minutes=15):
    """Messages left 'sending' by a worker that died go back to the queue."""
    cutoff = utcnow() - timedelta(minutes=minutes)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.updated_at < cutoff)
        .values(status="pending", updated_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def run_forever(interval=5, stop=lambda: False):
    while not stop():
        release_stale()
        counts = send_pending()
        if counts:
            log.info("notifications: %s", counts)
        time.sleep(interval)
