"""The outbox worker: claims due messages (FOR UPDATE SKIP LOCKED on PostgreSQL, so
several workers never take the same one), sends each once per attempt, and records
the outcome: sent, a retry later with exponential backoff, or failed with the reason."""

import logging
import time
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.notifications.backends import PermanentError, RetryableError, backend_from_config
from models import OutboxMessage
from models.application import utcnow

log = logging.getLogger(__name__)


def get_backend():
    backend = current_app.extensions.get("siap_notifier")
    if backend is None:
        backend = backend_from_config(current_app.config)
        current_app.extensions["siap_notifier"] = backend
    return backend


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


def deliver(message_id, backend):
    message = db.session.get(OutboxMessage, message_id)
    try:
        provider_id = backend.send(message)
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
    db.session.commit()
    return message.status


def send_pending(batch_size=50, backend=None):
    """One pass over the due messages; returns {status: count}."""
    backend = backend or get_backend()
    counts = {}
    while ids := claim(batch_size):
        for message_id in ids:
            status = deliver(message_id, backend)
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
