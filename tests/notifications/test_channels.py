"""A message goes through its chain of channels, WhatsApp → SMS → e-mail: a permanent
failure or no delivery report in time moves it on, each attempt is its own outbox row
linked to the first, and the admin outbox screen shows the chain. E-mails go to a local
SMTP server (aiosmtpd on 127.0.0.1); Twilio is the fake HTTP client."""

import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.notifications.backends import backends_from_config
from app.notifications.chain import UnknownChannel, move_on
from app.notifications.outbox import queue_for_account
from app.notifications.worker import send_pending
from app.workflow.engine import apply_action
from models import OutboxMessage
from models.application import utcnow
from tests.factories import make_user
from tests.notifications.fake_twilio import (
    AUTH_TOKEN,
    error,
    twilio_backend,
    twilio_sms_backend,
)
from tests.support import make_pkkpr, user

LOCKED = {"nama": "Ani", "jumlah": 5, "menit": 15}


class Mailbox:
    """An SMTP server's handler: keeps each accepted mail; refuses addresses at
    `refused.example.id` as a real server refuses an unknown mailbox (550)."""

    def __init__(self):
        self.mails = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example.id"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                 policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


@pytest.fixture
def channels(app, smtp_server):
    """Backends for every channel: fake Twilio for WhatsApp and SMS (failing as each test
    scripts), the local SMTP server for e-mail, through the configuration's SMTP path."""
    controller, mailbox = smtp_server
    config = {**app.config, "EMAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
              "MAIL_PORT": controller.port, "MAIL_USE_TLS": False,
              "MAIL_DEFAULT_SENDER": "SIAP n LOSS <noreply@siapnloss.test>"}

    def make(whatsapp=None, sms=None):
        whatsapp_backend, whatsapp_http = twilio_backend(whatsapp)
        sms_backend, sms_http = twilio_sms_backend(sms)
        backends = {"whatsapp": whatsapp_backend, "sms": sms_backend,
                    "email": backends_from_config(config)["email"]}
        return backends, whatsapp_http, sms_http, mailbox

    return make


@pytest.fixture(autouse=True)
def immediate_retries(app):
    app.config["NOTIFICATION_RETRY_SECONDS"] = 0
    yield
    app.config["NOTIFICATION_RETRY_SECONDS"] = 30


def queue_lock_notice(account):
    queue_for_account(account, "akun_dikunci", LOCKED)
    db.session.commit()
    return db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient_user_id == account.id).order_by(OutboxMessage.id.desc()))


def chain_of(first_id):
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(
        (OutboxMessage.id == first_id) | (OutboxMessage.first_id == first_id))
        .order_by(OutboxMessage.id)).all()


def test_whatsapp_fails_then_sms_fails_then_the_email_is_delivered_once(channels):
    account = make_user(username="ani", email="ani@example.id", whatsapp="+6281234500001")
    first = queue_lock_notice(account)
    assert (first.channel, first.next_channels) == ("whatsapp", ["sms", "email"])
    backends, whatsapp, sms, mailbox = channels(
        whatsapp=[error(400, 63016, "Failed to send freeform message outside the window")],
        sms=[error(400, 21614, "'To' number is not a valid mobile number")])

    send_pending(backends=backends)
    attempts = chain_of(first.id)
    assert [(a.channel, a.status) for a in attempts] == [
        ("whatsapp", "failed"), ("sms", "failed"), ("email", "sent")]
    assert "63016" in attempts[0].last_error and "21614" in attempts[1].last_error
    assert [a.first_id for a in attempts] == [None, first.id, first.id]
    assert [a.previous_id for a in attempts] == [None, attempts[0].id, attempts[1].id]
    assert attempts[-1].chain_end is None
    assert sms.requests[0]["To"] == "+6281234500001"
    assert sms.requests[0]["From"] == "+14155550100"
    assert "dikunci selama 15 menit" in sms.requests[0]["Body"]
    [(recipients, mail)] = mailbox.mails
    assert recipients == ["ani@example.id"]
    assert mail["To"] == "ani@example.id" and "noreply@siapnloss.test" in mail["From"]
    assert mail["Subject"].startswith("SIAP n LOSS")
    assert "dikunci selama 15 menit" in mail.get_content()

    send_pending(backends=backends)  # the worker again: nothing is sent twice
    assert len(chain_of(first.id)) == 3
    assert (len(whatsapp.requests), len(sms.requests), len(mailbox.mails)) == (1, 1, 1)


def test_no_delivery_report_in_time_moves_the_message_to_the_next_channel(app, channels):
    account = make_user(username="ani", email="ani@example.id")
    first = queue_lock_notice(account)
    backends, whatsapp, sms, mailbox = channels()
    send_pending(backends=backends)
    assert [a.status for a in chain_of(first.id)] == ["sent"]

    send_pending(backends=backends)  # within the time: it waits for the report
    assert len(chain_of(first.id)) == 1
    minutes = app.config["NOTIFICATION_DELIVERY_TIMEOUT_MINUTES"]
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == first.id).values(
        sent_at=utcnow() - timedelta(minutes=minutes + 1)))
    db.session.commit()
    counts = send_pending(backends=backends)
    attempts = chain_of(first.id)
    assert counts == {"unreported": 1, "sent": 1}
    assert [(a.channel, a.status) for a in attempts] == [("whatsapp", "failed"),
                                                        ("sms", "sent")]
    assert "no delivery report" in attempts[0].last_error
    send_pending(backends=backends)
    assert len(chain_of(first.id)) == 2 and len(sms.requests) == 1
    assert mailbox.mails == []


def test_a_password_reset_code_moves_on_long_before_it_expires(app, channels):
    """A reset code is valid PASSWORD_RESET_MINUTES (30): waiting the general hour for a
    delivery report would hand the next channel an expired code."""
    account = make_user(username="ani", email="ani@example.id")
    queue_for_account(account, "reset_kata_sandi",
                      {"pengguna": "ani", "kode": "123456", "menit": 30, "tautan": "-"},
                      in_app=False)
    queue_lock_notice(account)
    reset, notice = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient_user_id == account.id).order_by(OutboxMessage.id)).all()
    backends, whatsapp, sms, mailbox = channels()
    send_pending(backends=backends)
    reset_timeout = app.config["NOTIFICATION_DELIVERY_TIMEOUT_MINUTES_BY_KIND"][
        "reset_kata_sandi"]
    assert reset_timeout < app.config["PASSWORD_RESET_MINUTES"]
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id.in_([reset.id, notice.id])).values(
        sent_at=utcnow() - timedelta(minutes=reset_timeout + 1)))
    db.session.commit()
    send_pending(backends=backends)
    assert [(a.channel, a.status) for a in chain_of(reset.id)] == [("whatsapp", "failed"),
                                                                  ("sms", "sent")]
    assert len(chain_of(notice.id)) == 1  # the lock notice waits its hour


def test_a_recipient_without_email_ends_the_chain_as_failed_with_a_clear_status(
        channels, login_as):
    account = make_user(username="budi", email=None, whatsapp="+6281234500002")
    first = queue_lock_notice(account)
    assert first.next_channels == ["sms"]
    backends, _, _, mailbox = channels(whatsapp=[error(400, 21610, "opted out")],
                                       sms=[error(400, 21610, "opted out")])
    send_pending(backends=backends)
    attempts = chain_of(first.id)
    assert [(a.channel, a.status) for a in attempts] == [("whatsapp", "failed"),
                                                        ("sms", "failed")]
    assert [a.chain_end for a in attempts] == [None, "no_email"]
    assert mailbox.mails == []

    admin = login_as("admin")
    page = admin.get("/outboxview/list/").get_data(as_text=True)
    assert "tidak memiliki alamat e-mail" in page
    assert f'href="/outboxview/show/{first.id}"' in page
    assert f'href="/outboxview/show/{attempts[1].id}"' in page
    shown = admin.get(f"/outboxview/show/{attempts[1].id}").get_data(as_text=True)
    assert "WhatsApp: Gagal" in shown and "SMS: Gagal" in shown


def test_the_admin_outbox_shows_each_attempt_with_its_channel_and_its_chain(
        channels, login_as):
    account = make_user(username="ani", email="ani@example.id")
    first = queue_lock_notice(account)
    backends, *_ = channels(whatsapp=[error(400, 63016, "outside the window")],
                            sms=[error(400, 21614, "not a mobile")])
    send_pending(backends=backends)
    whatsapp_attempt, sms_attempt, email_attempt = chain_of(first.id)
    page = login_as("admin").get("/outboxview/list/").get_data(as_text=True)
    for attempt in (whatsapp_attempt, sms_attempt, email_attempt):
        assert f'href="/outboxview/show/{attempt.id}"' in page
    assert "WhatsApp: Gagal" in page and "SMS: Gagal" in page and "E-mail: Terkirim" in page
    assert "ani@example.id" in page and "63016" in page and "21614" in page
    only_chain = login_as("admin").get(
        f"/outboxview/list/?_flt_0_first_id={first.id}").get_data(as_text=True)
    assert f'href="/outboxview/show/{sms_attempt.id}"' in only_chain


def test_twilios_failure_report_moves_the_message_on_once(app, client, channels):
    from twilio.request_validator import RequestValidator

    account = make_user(username="ani", email="ani@example.id")
    first = queue_lock_notice(account)
    backends, *_ = channels()
    send_pending(backends=backends)
    sid = chain_of(first.id)[0].provider_message_id
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                      PUBLIC_BASE_URL="https://siapnloss.blitarkab.go.id")
    try:
        form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "63016"}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            "https://siapnloss.blitarkab.go.id/twilio/status", form)
        for _ in range(2):  # Twilio may repeat a callback
            response = client.post("/twilio/status", data=form,
                                   headers={"X-Twilio-Signature": signature})
            assert response.status_code == 204
    finally:
        app.config.update(TWILIO_AUTH_TOKEN="", PUBLIC_BASE_URL=None)
    attempts = chain_of(first.id)
    assert [(a.channel, a.status) for a in attempts] == [("whatsapp", "failed"),
                                                        ("sms", "pending")]


def test_an_attempt_has_one_follower_however_often_it_is_moved_on(app):
    first = queue_lock_notice(make_user(username="ani", email="ani@example.id"))
    first.status = "failed"
    move_on(first)
    move_on(first)
    db.session.commit()
    assert len(chain_of(first.id)) == 2
    # and the database refuses a second follower written by anyone else
    db.session.add(OutboxMessage(channel="email", recipient_email="ani@example.id",
                                 template_key="akun_dikunci", body="x", variables={},
                                 first_id=first.id, previous_id=first.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_refused_email_address_ends_the_chain_as_every_channel_failed(channels):
    account = make_user(username="ani", email="ani@refused.example.id")
    first = queue_lock_notice(account)
    backends, _, _, mailbox = channels(whatsapp=[error(400, 21610, "opted out")],
                                       sms=[error(400, 21610, "opted out")])
    send_pending(backends=backends)
    attempts = chain_of(first.id)
    assert [a.status for a in attempts] == ["failed"] * 3
    assert "550" in attempts[-1].last_error or "refused" in attempts[-1].last_error
    assert attempts[-1].chain_end == "exhausted" and mailbox.mails == []


def test_the_chain_is_configured_per_message_kind(app):
    account = make_user(username="ani", email="ani@example.id")
    app.config["NOTIFICATION_CHANNELS_BY_KIND"] = {"akun_dikunci": ["email", "whatsapp"]}
    try:
        first = queue_lock_notice(account)
        assert (first.channel, first.next_channels) == ("email", ["whatsapp"])
        app.config["NOTIFICATION_CHANNELS_BY_KIND"] = {"akun_dikunci": ["fax"]}
        with pytest.raises(UnknownChannel):
            queue_for_account(account, "akun_dikunci", LOCKED)
        db.session.rollback()
    finally:
        app.config["NOTIFICATION_CHANNELS_BY_KIND"] = {}


def test_a_transition_queues_the_chain_with_the_applicants_email_in_its_transaction():
    application = make_pkkpr("diajukan")
    apply_action(application.id, "terima", user("frontoffice"))
    [message] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id,
        OutboxMessage.template_key == "status_pemohon")).all()
    assert (message.channel, message.next_channels) == ("whatsapp", ["sms", "email"])
    assert message.recipient_email == user("pemohon").email
    walk_in = make_pkkpr("diajukan", owner=None, created_by="frontoffice")
    apply_action(walk_in.id, "terima", user("frontoffice"))
    [message] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.application_id == walk_in.id,
        OutboxMessage.template_key == "status_pemohon")).all()
    assert message.next_channels == ["sms"] and message.recipient_email is None


def test_a_console_message_does_not_wait_for_a_delivery_report(app):
    first = queue_lock_notice(make_user(username="ani", email="ani@example.id"))
    send_pending(backends=backends_from_config(app.config))
    db.session.execute(update(OutboxMessage).values(sent_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    send_pending(backends=backends_from_config(app.config))
    assert [a.status for a in chain_of(first.id)] == ["sent"]


# --- the channel a person wants tried first ------------------------------------------------


def test_a_person_who_prefers_email_is_tried_there_first_then_the_usual_order(channels):
    account = make_user(username="ani", email="ani@example.id")
    account.first_channel = "email"
    db.session.commit()
    first = queue_lock_notice(account)
    assert (first.channel, first.next_channels) == ("email", ["whatsapp", "sms"])
    backends, whatsapp, sms, mailbox = channels()
    send_pending(backends=backends)
    assert [a.status for a in chain_of(first.id)] == ["sent"]
    assert [to for to, _ in mailbox.mails] == [["ani@example.id"]]
    assert whatsapp.requests == [] and sms.requests == []


def test_a_first_channel_outside_the_kinds_chain_leaves_the_kinds_order(app):
    account = make_user(username="ani", email="ani@example.id")
    account.first_channel = "whatsapp"
    db.session.commit()
    app.config["NOTIFICATION_CHANNELS_BY_KIND"] = {"akun_dikunci": ["sms", "email"]}
    try:
        first = queue_lock_notice(account)
    finally:
        app.config["NOTIFICATION_CHANNELS_BY_KIND"] = {}
    assert (first.channel, first.next_channels) == ("sms", ["email"])


def profile_of(account, **changes):
    return {"first_name": account.first_name, "last_name": account.last_name or "",
            "email": account.email or "", "whatsapp": account.whatsapp, **changes}


def test_the_applicant_chooses_sms_first_in_the_profile(login_as):
    account = make_user(username="ani", email="")
    client = login_as("ani")
    form = client.get("/profil/form").get_data(as_text=True)
    assert "Hubungi saya lebih dulu melalui" in form
    response = client.post("/profil/form", data=profile_of(account, first_channel="sms"))
    assert response.status_code == 302
    db.session.expire_all()
    account = db.session.get(type(account), account.id)
    assert account.first_channel == "sms"
    first = queue_lock_notice(account)
    assert (first.channel, first.next_channels) == ("sms", ["whatsapp"])


def test_email_first_needs_an_email_address(login_as):
    account = make_user(username="ani", email="")
    page = login_as("ani").post("/profil/form", data=profile_of(account, first_channel="email"))
    assert page.status_code == 200
    assert "Isi alamat e-mail Anda" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(account), account.id).first_channel is None
