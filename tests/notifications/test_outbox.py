"""The outbox: written with the transition, sent by the worker with retries, never
twice, with delivery status from Twilio's signed callbacks."""

import threading
from collections import Counter

import pytest
import requests
from sqlalchemy import func, select, update

from app.extensions import db
from app.notifications.worker import send_pending
from app.workflow.engine import apply_action
from models import InAppNotification, OutboxMessage
from models.application import utcnow
from tests.notifications.fake_twilio import AUTH_TOKEN, created, error, twilio_backend
from tests.support import make_pkkpr, user


@pytest.fixture(autouse=True)
def immediate_retries(app):
    app.config["NOTIFICATION_RETRY_SECONDS"] = 0
    yield
    app.config["NOTIFICATION_RETRY_SECONDS"] = 30


def queued_message(number="+6281234567890", body="Halo"):
    message = OutboxMessage(recipient_number=number, template_key="status_pemohon", body=body,
                            variables={})
    db.session.add(message)
    db.session.commit()
    return message.id


def reload(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_a_provider_that_answers_503_three_times_then_succeeds_sends_once():
    message_id = queued_message()
    backend, http = twilio_backend([error(503, 20500)] * 3 + [created("SM" + "9" * 32)])
    send_pending(backends={"whatsapp": backend})
    message = reload(message_id)
    assert message.status == "sent" and message.provider_message_id == "SM" + "9" * 32
    assert message.attempts == 4 and len(http.requests) == 4
    assert http.requests[-1]["To"] == "whatsapp:+6281234567890"
    assert http.requests[-1]["Body"] == "Halo"


def test_a_permanent_error_fails_at_once_and_the_admin_sees_why(login_as):
    message_id = queued_message(number="+6281200000099")
    backend, http = twilio_backend([error(400, 21211, "Invalid 'To' Phone Number")])
    send_pending(backends={"whatsapp": backend})
    message = reload(message_id)
    assert message.status == "failed" and len(http.requests) == 1
    assert "21211" in message.last_error
    page = login_as("admin").get("/outboxview/list/").get_data(as_text=True)
    assert "21211" in page and "+6281200000099" in page


def test_after_the_attempt_limit_a_message_fails(app):
    message_id = queued_message()
    backend, http = twilio_backend([error(503, 20500)] * 10)
    send_pending(backends={"whatsapp": backend})
    assert reload(message_id).status == "failed"
    assert len(http.requests) == app.config["NOTIFICATION_MAX_ATTEMPTS"]


def test_the_admin_retries_a_failed_message(login_as):
    message_id = queued_message()
    send_pending(backends={"whatsapp": twilio_backend([error(400, 21610, "opted out")])[0]})
    admin = login_as("admin")
    admin.post("/outboxview/action_post", data={"action": "retry", "rowid": [str(message_id)]})
    assert reload(message_id).status == "pending"
    send_pending(backends={"whatsapp": twilio_backend()[0]})
    assert reload(message_id).status == "sent"


def test_a_transition_commits_while_the_provider_is_down_and_the_message_goes_later(app):
    application = make_pkkpr("diajukan")
    app.config["NOTIFICATION_RETRY_SECONDS"] = 60
    apply_action(application.id, "terima", user("frontoffice"))
    pending = db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.application_id == application.id)).all()
    assert pending
    down, http_down = twilio_backend(
        [(0, requests.ConnectionError("provider unreachable"))] * len(pending))
    send_pending(backends={"whatsapp": down})
    assert {reload(i).status for i in pending} == {"pending"}
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    back, http_back = twilio_backend()
    send_pending(backends={"whatsapp": back})
    send_pending(backends={"whatsapp": back})
    assert {reload(i).status for i in pending} == {"sent"}
    assert len(http_back.requests) == len(pending)  # each exactly once


def test_two_workers_on_postgresql_send_each_of_500_messages_exactly_once(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is proven on PostgreSQL (TEST_DATABASE_URL)")
    db.session.add_all([OutboxMessage(recipient_number="+6281234567890",
                                      template_key="status_pemohon", body=f"pesan {i}",
                                      variables={}) for i in range(500)])
    db.session.commit()
    sent = Counter()
    lock = threading.Lock()

    class CountingBackend:
        name = "counting"
        reports_delivery = False

        def send(self, message):
            with lock:
                sent[message.id] += 1
            return f"fake-{message.id}"

    def worker():
        with app.app_context():
            send_pending(batch_size=20, backends={"whatsapp": CountingBackend()})
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(sent) == 500 and set(sent.values()) == {1}
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.status == "sent")) == 500


def test_the_status_callback_rejects_a_wrong_signature_and_records_a_genuine_one(app, client):
    from twilio.request_validator import RequestValidator

    message_id = queued_message()
    message = reload(message_id)
    message.status, message.provider_message_id = "sent", "SM" + "7" * 32
    db.session.commit()
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                      PUBLIC_BASE_URL="https://siapnloss.blitarkab.go.id")
    try:
        url = "https://siapnloss.blitarkab.go.id/twilio/status"  # as Twilio signs it
        form = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered"}
        forged = client.post("/twilio/status", data=form,
                             headers={"X-Twilio-Signature": "bukan-tanda-tangan"})
        assert forged.status_code == 403 and reload(message_id).status == "sent"
        signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
        genuine = client.post("/twilio/status", data=form,
                              headers={"X-Twilio-Signature": signature})
        assert genuine.status_code == 204 and reload(message_id).status == "delivered"
        failed = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "undelivered",
                  "ErrorCode": "63016"}
        client.post("/twilio/status", data=failed, headers={
            "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(url, failed)})
        message = reload(message_id)
        assert message.status == "failed" and "63016" in message.last_error
    finally:
        app.config.update(TWILIO_AUTH_TOKEN="", PUBLIC_BASE_URL=None)


def test_each_user_sees_their_own_notifications(login_as):
    application = make_pkkpr("diajukan")
    apply_action(application.id, "terima", user("frontoffice"))
    pemohon_page = login_as("pemohon").get("/notifikasi/").get_data(as_text=True)
    assert "Diterima Front Office" in pemohon_page
    mine = db.session.scalar(select(func.count(InAppNotification.id)).where(
        InAppNotification.user_id == user("pemeriksa").id))
    other = login_as("pemeriksa").get("/notifikasi/").get_data(as_text=True)
    assert mine == 0 and "Belum ada notifikasi" in other


def test_a_template_with_an_unknown_placeholder_is_refused(login_as):
    from models import MessageTemplate

    template = db.session.scalar(select(MessageTemplate).where(
        MessageTemplate.key == "status_pemohon"))
    admin = login_as("admin")
    response = admin.post(f"/messagetemplateview/edit/{template.id}", data={
        "key": "status_pemohon", "description": "x", "body": "Halo {nama}, {nik} bocor",
        "content_sid": "", "active": "y"})
    assert "{nik}" in response.get_data(as_text=True)
    db.session.expire_all()
    assert "{nik}" not in db.session.get(MessageTemplate, template.id).body


def test_a_message_left_sending_by_a_dead_worker_is_released_and_sent(app):
    from datetime import timedelta

    from app.notifications.worker import release_stale

    message_id = queued_message()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
        status="sending", updated_at=utcnow() - timedelta(minutes=30)))
    db.session.commit()
    assert release_stale(minutes=15) == 1
    send_pending(backends={"whatsapp": twilio_backend()[0]})
    assert reload(message_id).status == "sent"


def test_the_send_pending_command_sends_with_the_console_backend(app, caplog):
    from app.notifications.cli import notifications_cli

    message_id = queued_message(body="Pesan uji konsol")
    app.extensions.pop("siap_notifiers", None)
    with caplog.at_level("INFO"):
        result = app.test_cli_runner().invoke(notifications_cli, ["send-pending"])
    assert result.exit_code == 0 and "sent 1" in result.output
    assert reload(message_id).status == "sent"
    assert "Pesan uji konsol" in caplog.text
