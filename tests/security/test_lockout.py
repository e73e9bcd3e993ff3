"""Guessing is slowed per person on every channel: an account locks after repeated wrong
passwords (its owner is told), and the signing passphrase allows five wrong attempts per
signer in fifteen minutes, on the page and through the API together."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.security import roles
from models import Application, FailedAttempt, InAppNotification, OutboxMessage, SiapUser
from models.application import utcnow
from tests.conftest import DEMO_PASSWORD, login
from tests.factories import make_user
from tests.security.routes import api_token
from tests.signing.test_decree import ready_file, sign_on_the_phone_page, status_of
from tests.support import SIGNING_PASSPHRASE

PASSWORD = "Rahasia123"
LOCKED = "akun ini dikunci selama"


@pytest.fixture
def ani(app):
    return make_user(username="ani", password=PASSWORD, whatsapp="+6281233344455")


def page_login(client, password, username="ani"):
    return client.post("/login/", data={"username": username, "password": password},
                       follow_redirects=True)


def api_login(app, password, username="ani"):
    return app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db"})


def wrong_passwords(app, count):
    """Half on the page, half through the API."""
    for number in range(count):
        if number % 2:
            page_login(app.test_client(), f"Salah{number}xx")
        else:
            assert api_login(app, f"Salah{number}xx").status_code in (401, 429)


def expire_lock(user_id):
    db.session.execute(update(SiapUser).where(SiapUser.id == user_id)
                       .values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def locked_until(user_id):
    db.session.expire_all()
    return db.session.get(SiapUser, user_id).locked_until


def test_five_wrong_passwords_on_the_page_and_the_api_lock_the_account(app, ani):
    wrong_passwords(app, 4)
    assert locked_until(ani.id) is None
    assert api_login(app, PASSWORD).status_code == 200  # a success resets the count
    wrong_passwords(app, 5)
    assert locked_until(ani.id) > utcnow() + timedelta(minutes=4)

    refused = api_login(app, PASSWORD)
    assert refused.status_code == 429
    assert LOCKED in refused.get_json()["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 300
    page = page_login(app.test_client(), PASSWORD).get_data(as_text=True)
    assert LOCKED in page and "5 menit" in page


def test_the_owner_is_told_when_the_account_locks(app, ani):
    wrong_passwords(app, 5)
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template_key == "akun_dikunci"))
    assert message.recipient_number == "+6281233344455"
    assert "dikunci selama 5 menit setelah 5 kali" in message.body
    assert db.session.scalar(select(InAppNotification).where(
        InAppNotification.user_id == ani.id, InAppNotification.application_id.is_(None)))


def test_each_further_failure_after_a_lock_doubles_it(app, ani):
    wrong_passwords(app, 5)
    expire_lock(ani.id)
    wrong_passwords(app, 1)
    assert locked_until(ani.id) > utcnow() + timedelta(minutes=9)
    assert len(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template_key == "akun_dikunci")).all()) == 2


def test_once_the_lock_ends_the_right_password_signs_in(app, ani):
    wrong_passwords(app, 5)
    expire_lock(ani.id)
    assert api_login(app, PASSWORD).status_code == 200
    db.session.expire_all()
    assert db.session.get(SiapUser, ani.id).fail_login_count == 0


def test_an_admins_password_reset_lifts_the_lock(app, ani):
    wrong_passwords(app, 5)
    admin = login(app.test_client(), "admin", DEMO_PASSWORD)
    admin.post(f"/resetpassword/form?pk={ani.id}", data={
        "password": "SandiBaru2026", "conf_password": "SandiBaru2026"})
    assert locked_until(ani.id) is None
    assert api_login(app, "SandiBaru2026").status_code == 200


def test_wrong_current_passwords_on_the_change_form_lock_the_account_too(app, ani):
    client = login(app.test_client(), "ani", PASSWORD)
    for number in range(5):
        client.post("/resetmypassword/form", data={
            "current_password": f"Salah{number}xx", "password": "SandiBaru2026",
            "conf_password": "SandiBaru2026"})
    page = client.post("/resetmypassword/form", data={
        "current_password": PASSWORD, "password": "SandiBaru2026",
        "conf_password": "SandiBaru2026"}).get_data(as_text=True)
    assert LOCKED in page
    assert api_login(app, "SandiBaru2026").status_code == 429


def test_tracking_guesses_on_the_page_and_the_api_share_one_counter(app, rate_limits):
    limit = int(app.config["TRACKING_RATE_LIMIT"].split()[0])
    client = app.test_client()
    for number in range(limit):
        if number % 2:
            client.post("/lacak/", data={"nomor": f"X/{number}", "akhiran": "0000"})
        else:
            client.get(f"/api/v1/track?number=X/{number}&phone_suffix=0000")
    assert client.post("/lacak/", data={"nomor": "X", "akhiran": "0000"}).status_code == 429
    assert client.get("/api/v1/track?number=X&phone_suffix=0000").status_code == 429


# --- the signing passphrase -------------------------------------------------------------


@pytest.fixture
def kepala(app, login_as):
    """The head of office after a first signature (which sets the local passphrase)."""
    client = login_as("kepaladinas")
    sign_on_the_phone_page(client, ready_file().id)
    return client


def api_sign(app, application_id, passphrase):
    token = api_token(app, "kepaladinas")
    return app.test_client().post("/api/v1/sign/batch", json={
        "application_ids": [application_id], "passphrase": passphrase},
        headers={"Authorization": f"Bearer {token}"}).get_json()


def test_the_signing_page_tells_how_many_passphrase_attempts_are_left(app, kepala):
    ready_file()
    assert "Sisa percobaan: 5 dari 5." in kepala.get("/tandatangan/").get_data(as_text=True)
    page = sign_on_the_phone_page(kepala, ready_file().id, passphrase="keliru-1")
    text = page.get_data(as_text=True)
    assert "Sisa percobaan sebelum penandatanganan dikunci: 4." in text
    assert "Sisa percobaan: 4 dari 5." in text


def test_five_wrong_passphrases_on_the_page_and_the_api_lock_signing(app, kepala):
    application = ready_file()
    for number in range(5):
        if number % 2:
            result = api_sign(app, application.id, f"keliru-{number}")
            assert result["results"][0]["outcome"] == "failed"
        else:
            sign_on_the_phone_page(kepala, application.id, passphrase=f"keliru-{number}")
    api_result = api_sign(app, application.id, SIGNING_PASSPHRASE)
    assert api_result["passphrase_attempts_left"] == 0
    assert "Penandatanganan dikunci selama 15 menit" in api_result["results"][0]["message"]
    page = sign_on_the_phone_page(kepala, application.id).get_data(as_text=True)
    assert "Penandatanganan dikunci selama 15 menit" in page
    assert status_of(application.id) == "siap_ds"
    assert not db.session.get(Application, application.id).decree


def test_the_generic_action_endpoint_obeys_the_same_passphrase_limit(app, kepala, login_as):
    application = ready_file()
    for number in range(5):
        kepala.post(f"/permohonan/{application.id}/aksi/tandatangani",
                    data={"passphrase": f"keliru-{number}"})
    refused = kepala.post(f"/permohonan/{application.id}/aksi/tandatangani",
                          data={"passphrase": SIGNING_PASSPHRASE}, follow_redirects=True)
    assert "Penandatanganan dikunci" in refused.get_data(as_text=True)
    assert status_of(application.id) == "siap_ds"


def test_signing_opens_again_when_the_window_has_passed(app, kepala):
    application = ready_file()
    for number in range(5):
        sign_on_the_phone_page(kepala, application.id, passphrase=f"keliru-{number}")
    window = timedelta(minutes=app.config["PASSPHRASE_WINDOW_MINUTES"])
    db.session.execute(update(FailedAttempt).values(created_at=utcnow() - window))
    db.session.commit()
    page = sign_on_the_phone_page(kepala, application.id).get_data(as_text=True)
    assert "1 berkas ditandatangani" in page
    assert status_of(application.id) == "selesai"


def test_another_signer_is_not_locked_by_the_first(app, kepala):
    application = ready_file()
    for number in range(5):
        sign_on_the_phone_page(kepala, application.id, passphrase=f"keliru-{number}")
    deputy = make_user(roles.KEPALA_DINAS, username="plt", password=PASSWORD,
                       nik="3505010101700098")
    client = login(app.test_client(), "plt", PASSWORD)
    page = client.get("/tandatangan/").get_data(as_text=True)
    assert "Sisa percobaan: 5 dari 5." in page and deputy.id
