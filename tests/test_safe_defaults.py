"""Configuration that is safe by default: production refuses weak secrets, debugging and a
missing public address; no secret file is written outside development and those written
there are private; links follow the address served; scripts run only with the page's
nonce; calls to other services time out; logs keep phone numbers and texts out."""

import logging
import os
import secrets
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

import app as app_package
from app import create_app
from app.extensions import db
from app.logs import mask_numbers
from app.notifications.backends import ConsoleBackend, backends_from_config
from app.notifications.worker import send_pending
from app.outgoing import outgoing_timeout
from app.seed.demo import demo_password
from app.signing.base import SigningError
from app.signing.bsre import BsreSigner
from app.signing.local import LocalSigner
from app.workflow.decrees import ensure_decree, verification_url
from app.workflow.engine import apply_action
from config import ConfigurationError
from models import OutboxMessage
from tests.signing.test_decree import ready_file
from tests.support import SIGNABLE_PDF, make_pkkpr, user

STRONG = {"SECRET_KEY": secrets.token_hex(32), "SQLALCHEMY_DATABASE_URI": "sqlite://",
          "PUBLIC_BASE_URL": "https://siapnloss.blitarkab.go.id"}
PROJECT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("key", [
    "a" * 64, "abc" * 22, "0123456789abcdef" * 4, "x9" * 32, "Passw0rd" * 4,
    "qwertyuiopasdfghjklzxcvbnm123456", "dev-key-change-me-please-0123456789abcdef",
])
def test_production_refuses_a_secret_key_of_low_entropy(key):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production", **{**STRONG, "SECRET_KEY": key})


@pytest.mark.parametrize("make_key", [secrets.token_hex, secrets.token_urlsafe],
                         ids=["hex", "urlsafe"])
def test_production_accepts_a_random_secret_key(make_key):
    key = make_key(48)
    assert create_app("production", **{**STRONG, "SECRET_KEY": key}).config["SECRET_KEY"] == key


def test_production_refuses_to_start_with_debugging_on():
    with pytest.raises(ConfigurationError, match="FLASK_DEBUG"):
        create_app("production", **STRONG, DEBUG=True)


@pytest.mark.parametrize("address", [None, "", "http://siapnloss.blitarkab.go.id"])
def test_production_refuses_to_start_without_its_https_public_address(address):
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL"):
        create_app("production", **{**STRONG, "PUBLIC_BASE_URL": address})


def test_loading_the_configuration_writes_no_secret_file(tmp_path):
    environment = {**os.environ, "SIAP_INSTANCE_DIR": str(tmp_path), "SIAP_ENV": "production"}
    environment.pop("SECRET_KEY", None)
    subprocess.run([sys.executable, "-c", "import config"], cwd=PROJECT, env=environment,
                   check=True)
    assert list(tmp_path.iterdir()) == []


def test_production_writes_no_secret_file_and_development_keeps_its_key_private(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(app_package, "INSTANCE_DIR", tmp_path)
    create_app("production", **STRONG)
    assert list(tmp_path.iterdir()) == []
    first = create_app("development", SECRET_KEY=None).config["SECRET_KEY"]
    assert len(first) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert create_app("development", SECRET_KEY=None).config["SECRET_KEY"] == first


def test_the_demo_password_and_the_local_signing_keys_are_private(app, tmp_path):
    app.config["DEMO_PASSWORD"] = None
    try:
        demo_password(tmp_path)
    finally:
        app.config["DEMO_PASSWORD"] = "Rahasia123"
    signer = LocalSigner(tmp_path / "signing")
    signer.sign(SIGNABLE_PDF, user("kepaladinas"), "Frasa-Uji-123", reason="uji")
    private = [tmp_path / "demo_password.txt", *(tmp_path / "signing").rglob("*.p12"),
               tmp_path / "signing" / "ca-key.pem"]
    assert len(private) == 3
    for path in private:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


# --- links ------------------------------------------------------------------------------


def test_without_a_public_address_links_follow_the_address_the_app_is_served_on(app, login_as):
    """As `PORT=8000 make run` serves it: the QR code and the messages' links say 8000."""
    assert not app.config.get("PUBLIC_BASE_URL")
    application = make_pkkpr("diajukan")
    officer = login_as("frontoffice")
    response = officer.post(f"/permohonan/{application.id}/aksi/terima",
                            base_url="http://localhost:8000")  # where the cookie belongs
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    bodies = [m.body for m in db.session.query(OutboxMessage).all()]
    assert any(f"http://localhost:8000/permohonan/{application.id}" in b for b in bodies)
    assert not any(":5000" in b for b in bodies)
    with app.test_request_context(base_url="http://127.0.0.1:8000"):
        decree_url = verification_url(ensure_decree(ready_file()))
    assert decree_url.startswith("http://127.0.0.1:8000/verifikasi/")


def test_a_configured_public_address_wins(app):
    app.config["PUBLIC_BASE_URL"] = "https://siapnloss.blitarkab.go.id/"
    try:
        application = make_pkkpr("diajukan")
        apply_action(application.id, "terima", user("frontoffice"), MultiDict())
        bodies = [m.body for m in db.session.query(OutboxMessage).all()]
        assert any(f"https://siapnloss.blitarkab.go.id/permohonan/{application.id}" in b
                   for b in bodies)
    finally:
        app.config["PUBLIC_BASE_URL"] = None


# --- calls to other services ------------------------------------------------------------


@pytest.fixture
def silent_service():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.fixture
def short_timeouts(app):
    saved = {name: app.config[name] for name in ("HTTP_CONNECT_TIMEOUT", "HTTP_READ_TIMEOUT",
                                                 "BSRE_TIMEOUT")}
    app.config.update(HTTP_CONNECT_TIMEOUT=1, HTTP_READ_TIMEOUT=1, BSRE_TIMEOUT=1)
    yield
    app.config.update(saved)


def test_a_twilio_that_never_answers_holds_the_worker_for_the_read_timeout_only(
    app, silent_service, short_timeouts
):
    config = {**app.config, "NOTIFICATION_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
              "TWILIO_AUTH_TOKEN": "x", "TWILIO_WHATSAPP_FROM": "+14155238886"}
    backend = backends_from_config(config)["whatsapp"]
    backend.client.api.base_url = silent_service
    message = OutboxMessage(recipient_number="+6281234567890", template_key="status_pemohon",
                            body="Uji", variables={})
    db.session.add(message)
    db.session.commit()
    started = time.monotonic()
    counts = send_pending(backends={"whatsapp": backend})
    assert time.monotonic() - started < 5
    assert counts == {"pending": 1}
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == "pending" and "Timeout" in message.last_error


def test_a_bsre_that_never_answers_fails_the_signature_as_unknown_within_the_timeout(
    app, silent_service, short_timeouts
):
    signer = BsreSigner(silent_service, "u", "p",
                        timeout=outgoing_timeout(app.config, read=app.config["BSRE_TIMEOUT"]))
    started = time.monotonic()
    with pytest.raises(SigningError) as failure:
        signer.sign(SIGNABLE_PDF, user("kepaladinas"), "rahasia", reason="uji")
    assert failure.value.reason == "timeout"
    assert time.monotonic() - started < 5


def test_every_outgoing_call_gets_a_connect_and_a_read_timeout(app):
    assert outgoing_timeout(app.config) == (app.config["HTTP_CONNECT_TIMEOUT"],
                                            app.config["HTTP_READ_TIMEOUT"])
    config = {**app.config, "NOTIFICATION_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC1",
              "TWILIO_AUTH_TOKEN": "x", "TWILIO_WHATSAPP_FROM": "+14155238886"}
    whatsapp = backends_from_config(config)["whatsapp"]
    assert whatsapp.client.http_client.timeout == outgoing_timeout(config)


# --- logs -------------------------------------------------------------------------------


def test_logs_mask_phone_numbers_and_niks(caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("siap.test").info("to %s, whatsapp:%s, NIK %s, berkas PKKPR-NB/2026/000123",
                                        "+6281234567890", "+6281299990000", "3505011204850001")
    assert "+6281234567890" not in caplog.text and "3505011204850001" not in caplog.text
    assert "+*********7890" in caplog.text and "whatsapp:+*********0000" in caplog.text
    assert "PKKPR-NB/2026/000123" in caplog.text


@pytest.mark.parametrize(("text", "masked"), [
    ("0812-3456-7890", "****-****-7890"), ("+62 812 3456 7890", "+** *** **** 7890"),
    ("(berkas 2026-08-12 10:20:30, 15 MB)", "(berkas 2026-08-12 10:20:30, 15 MB)"),
    ("kode billing 820261234567890", "kode billing ***********7890"),
    ("sha 9f86d081884c7d659a2feaa0c55ad015", "sha 9f86d081884c7d659a2feaa0c55ad015"),
])
def test_numbers_that_identify_a_person_are_masked_and_others_kept(text, masked):
    assert mask_numbers(text) == masked


def test_message_texts_are_logged_in_development_only(caplog):
    caplog.set_level(logging.INFO)
    message = OutboxMessage(id=7, recipient_number="+6281234567890",
                            template_key="status_pemohon", body="Yth. Budi, status …")
    ConsoleBackend(log_bodies=False).send(message)
    assert "Yth. Budi" not in caplog.text and "status_pemohon" in caplog.text
    production = create_app("production", **STRONG)
    assert production.config["LOG_MESSAGE_BODIES"] is False


def test_the_site_has_an_icon(client):
    """Browsers ask /favicon.ico on every page: it is there, an icon, for everyone."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert response.mimetype == "image/vnd.microsoft.icon"
