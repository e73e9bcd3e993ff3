"""A forgotten password ("Lupa kata sandi"): a one-time code through the account's
channels, then a new password. The code expires, is used once, allows a few wrong
entries, and is limited per account and per client address; nothing tells whether an
account exists; the new password ends every other session and token."""

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.notifications.backends import backends_from_config
from app.notifications.worker import send_pending
from models import InAppNotification, OutboxMessage, PasswordResetCode, SiapUser
from models.application import utcnow
from tests.conftest import csrf_token_from, login
from tests.factories import make_user
from tests.security.test_csrf_and_secrets import all_loggers_at_debug, text_of_every_table
from tests.security.test_sessions import api_tokens, api_works, signed_in

PASSWORD, NEW_PASSWORD = "Rahasia123", "SandiBaru2026"
ASK, ENTER = "/lupa-kata-sandi/", "/lupa-kata-sandi/kode"
SENT = "kode telah dikirim"
WRONG = "Kode salah, sudah kedaluwarsa, atau sudah dipakai"
DONE = "Kata sandi Anda telah diubah"


@pytest.fixture
def ani(app):
    return make_user(username="ani", password=PASSWORD, whatsapp="+6281233344455",
                     email="ani@example.id")


def ask(client, account):
    return client.post(ASK, data={"account": account})


def codes_sent(user_id):
    """The codes in the messages sent to this user, oldest first."""
    bodies = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.recipient_user_id == user_id,
        OutboxMessage.template_key == "reset_kata_sandi").order_by(OutboxMessage.id)).all()
    return [re.search(r": (\d{6})\n", body).group(1) for body in bodies]


def code_for(client, user, account=None):
    response = ask(client, account or user.username)
    assert response.status_code == 302
    return codes_sent(user.id)[-1]


def enter(client, code, account="ani", password=NEW_PASSWORD, confirmation=None):
    return client.post(ENTER, data={"account": account, "code": code, "password": password,
                                    "conf_password": confirmation or password})


def password_is(app, password, username="ani"):
    db.session.expire_all()
    return app.appbuilder.sm.auth_user_db(username, password) is not None


def flashed(client):
    with client.session_transaction() as session:
        return [text for _, text in session.pop("_flashes", [])]


def reset_codes(user_id):
    db.session.expire_all()
    return db.session.scalars(select(PasswordResetCode).where(
        PasswordResetCode.user_id == user_id).order_by(PasswordResetCode.id)).all()


# --- the pages ------------------------------------------------------------------------


def test_the_sign_in_page_links_to_the_forgotten_password_page(client):
    page = client.get("/login/").get_data(as_text=True)
    assert 'href="/lupa-kata-sandi/"' in page and "Lupa kata sandi?" in page
    asked = client.get(ASK).get_data(as_text=True)
    assert "Nama pengguna, e-mail, atau nomor WhatsApp" in asked and "Kirim kode" in asked
    assert f'href="{ENTER}"' in asked and 'href="/login/"' in asked
    entered = client.get(ENTER).get_data(as_text=True)
    assert "Kata sandi baru" in entered and "Atur kata sandi baru" in entered
    assert f'href="{ASK}"' in entered and 'href="/login/"' in entered


def test_a_code_goes_through_the_accounts_channels_and_not_into_the_app(app, client, ani):
    response = ask(client, "ani")
    assert response.status_code == 302 and response.headers["Location"] == ENTER
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template_key == "reset_kata_sandi"))
    assert message.channel == "whatsapp" and message.recipient_number == "+6281233344455"
    assert message.next_channels == ["sms", "email"]
    assert message.recipient_email == "ani@example.id"
    code = codes_sent(ani.id)[0]
    assert "berlaku 30 menit dan hanya dapat dipakai sekali" in message.body
    assert "abaikan pesan ini" in message.body and "/lupa-kata-sandi/kode" in message.body
    # Whoever holds a signed-in session of the account cannot read the code.
    assert db.session.scalars(select(InAppNotification).where(
        InAppNotification.user_id == ani.id)).all() == []
    stored = reset_codes(ani.id)[0]
    assert stored.code_hash != code and code not in stored.code_hash
    assert stored.expires_at - stored.created_at == timedelta(minutes=30)
    # The second page is filled in with what was typed on the first.
    assert 'value="ani"' in client.get(ENTER).get_data(as_text=True)


@pytest.mark.parametrize("account", ["ani@example.id", "ANI@Example.id", "0812-3334-4455",
                                     "+6281233344455", "ANI"])
def test_the_account_is_found_by_user_name_e_mail_or_whatsapp_number(app, client, ani,
                                                                      account):
    code = code_for(client, ani, account)
    response = enter(client, code, account=account)
    assert response.status_code == 302
    assert password_is(app, NEW_PASSWORD)


def test_the_code_and_a_new_password_replace_the_old_one(app, client, ani):
    code = code_for(client, ani)
    response = enter(client, code)
    assert response.status_code == 302 and response.headers["Location"] == "/login/"
    assert any(DONE in text for text in flashed(client))
    assert password_is(app, NEW_PASSWORD) and not password_is(app, PASSWORD)
    assert reset_codes(ani.id)[0].end_reason == "used"
    login(app.test_client(), "ani", NEW_PASSWORD)


def test_spaces_in_the_typed_code_do_not_matter(app, client, ani):
    code = code_for(client, ani)
    assert enter(client, f"{code[:3]} {code[3:]}").status_code == 302


def test_the_new_password_follows_the_password_rule(app, client, ani):
    code = code_for(client, ani)
    weak = enter(client, code, password="password1").get_data(as_text=True)
    assert "terlalu mudah ditebak" in weak
    short = enter(client, code, password="abc1").get_data(as_text=True)
    assert "Kata sandi minimal 8 karakter" in short
    mismatch = enter(client, code, password=NEW_PASSWORD, confirmation="SandiLain2026")
    assert mismatch.status_code == 200
    # None of these spent an attempt of the code.
    assert reset_codes(ani.id)[0].wrong_attempts == 0
    assert enter(client, code).status_code == 302


# --- refused codes ----------------------------------------------------------------------


def test_a_wrong_code_is_refused_and_counted(app, client, ani):
    code = code_for(client, ani)
    wrong = "000000" if code != "000000" else "111111"
    response = enter(client, wrong)
    assert response.status_code == 400 and WRONG in response.get_data(as_text=True)
    assert password_is(app, PASSWORD)
    assert reset_codes(ani.id)[0].wrong_attempts == 1


def test_an_expired_code_is_refused(app, client, ani):
    code = code_for(client, ani)
    db.session.execute(update(PasswordResetCode).where(PasswordResetCode.user_id == ani.id)
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = enter(client, code)
    assert response.status_code == 400 and WRONG in response.get_data(as_text=True)
    assert password_is(app, PASSWORD)


def test_a_code_is_used_once(app, client, ani):
    code = code_for(client, ani)
    assert enter(client, code).status_code == 302
    again = enter(client, code, password="SandiKetiga2026")
    assert again.status_code == 400 and WRONG in again.get_data(as_text=True)
    assert password_is(app, NEW_PASSWORD)


def test_a_newer_code_replaces_the_older_one(app, client, ani):
    first = code_for(client, ani)
    second = code_for(client, ani)
    assert [code.end_reason for code in reset_codes(ani.id)] == ["replaced", None]
    if first != second:
        assert enter(client, first).status_code == 400
    assert enter(client, second).status_code == 302


def test_after_too_many_wrong_codes_the_code_is_void(app, client, ani):
    code = code_for(client, ani)
    wrong = [f"{number:06d}" for number in range(10) if f"{number:06d}" != code][:5]
    for guess in wrong:
        assert enter(client, guess).status_code == 400
    assert reset_codes(ani.id)[0].end_reason == "too_many_attempts"
    assert enter(client, code).status_code == 400
    assert password_is(app, PASSWORD)


def test_a_code_of_one_account_does_not_open_another(app, client, ani):
    budi = make_user(username="budi", password=PASSWORD, whatsapp="+6281255566677")
    code = code_for(client, ani)
    assert enter(client, code, account="budi").status_code == 400
    assert password_is(app, PASSWORD, "budi") and password_is(app, PASSWORD)
    assert budi.id != ani.id


def test_accounts_sharing_a_whatsapp_number_each_get_their_own_code(app, client, ani):
    """A family's phone: the number names both accounts; the code says which."""
    sibling = make_user(username="ani2", password=PASSWORD, whatsapp="+6281233344455")
    assert ask(client, "081233344455").status_code == 302
    (mine,), (theirs,) = codes_sent(ani.id), codes_sent(sibling.id)
    assert mine != theirs
    assert enter(client, theirs, account="081233344455").status_code == 302
    assert password_is(app, NEW_PASSWORD, "ani2") and password_is(app, PASSWORD, "ani")


# --- sessions end ---------------------------------------------------------------------


def test_the_new_password_ends_every_session_and_api_token_of_the_account(app, client, ani):
    laptop = login(app.test_client(), "ani", PASSWORD)
    tokens = api_tokens(app)
    assert signed_in(laptop) and api_works(app, tokens) == (200, 200)

    assert enter(client, code_for(client, ani)).status_code == 302
    assert not signed_in(laptop)
    assert laptop.get("/dasbor/").headers["Location"].startswith("/login/")
    assert api_works(app, tokens) == (401, 401)
    assert api_works(app, api_tokens(app, password=NEW_PASSWORD)) == (200, 200)


def test_a_locked_account_may_reset_its_password_which_lifts_the_lock(app, client, ani):
    ani.locked_until = utcnow() + timedelta(minutes=30)
    ani.fail_login_count = 7
    db.session.commit()
    assert enter(client, code_for(client, ani)).status_code == 302
    db.session.expire_all()
    assert db.session.get(SiapUser, ani.id).locked_until is None
    login(app.test_client(), "ani", NEW_PASSWORD)


# --- nothing tells whether an account exists ---------------------------------------------


def answer_to(app, account):
    client = app.test_client()
    response = ask(client, account)
    return response.status_code, response.headers.get("Location"), flashed(client)


def test_every_request_gets_the_same_answer_and_only_an_active_account_a_code(app, ani):
    make_user(username="nonaktif", whatsapp="+6281277788899").active = False
    db.session.commit()
    make_user(username="takterjangkau", whatsapp=None, email=None)
    known = answer_to(app, "ani")
    assert known[0] == 302 and SENT in known[2][0]
    for account in ("tidakada", "tidak@ada.id", "081299988877", "nonaktif",
                    "takterjangkau"):
        assert answer_to(app, account) == known, account
    assert db.session.scalars(select(OutboxMessage.recipient_user_id).where(
        OutboxMessage.template_key == "reset_kata_sandi")).all() == [ani.id]


def test_a_wrong_code_reads_the_same_for_an_unknown_account(app, client, ani):
    code_for(client, ani)
    known = enter(client, "999999" if codes_sent(ani.id)[0] != "999999" else "888888")
    unknown = enter(client, "123456", account="tidakada")
    assert known.status_code == unknown.status_code == 400
    assert WRONG in unknown.get_data(as_text=True)


def test_an_account_deactivated_after_its_code_was_sent_cannot_use_it(app, client, ani):
    code = code_for(client, ani)
    ani.active = False
    db.session.commit()
    assert enter(client, code).status_code == 400


# --- limits ---------------------------------------------------------------------------


def test_an_account_gets_a_few_codes_an_hour_and_the_answer_stays_the_same(app, ani):
    limit = app.config["PASSWORD_RESET_CODES_PER_HOUR"]
    answers = {answer_to(app, "ani")[1] for _ in range(limit + 2)}
    assert answers == {ENTER}
    assert len(codes_sent(ani.id)) == limit
    # An hour later it may ask again.
    db.session.execute(update(PasswordResetCode).values(
        created_at=utcnow() - timedelta(minutes=61)))
    db.session.commit()
    answer_to(app, "ani")
    assert len(codes_sent(ani.id)) == limit + 1


def test_requests_for_a_code_are_limited_per_client_address(app, client, rate_limits):
    limit = int(app.config["PASSWORD_RESET_RATE_LIMIT"].split()[0])
    answers = [ask(client, f"tamu{number}").status_code for number in range(limit)]
    assert 429 not in answers
    refused = ask(client, "tamu-lagi")
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in refused.get_data(as_text=True)


def test_wrong_codes_are_limited_per_client_address_but_form_mistakes_are_not(
        app, client, rate_limits):
    limit = int(app.config["PASSWORD_RESET_CODE_RATE_LIMIT"].split()[0])
    for _ in range(limit + 5):  # a weak password: the code is not even looked at
        assert enter(client, "123456", account="tamu", password="lemah").status_code == 200
    answers = [enter(client, f"{number:06d}", account=f"tamu{number}").status_code
               for number in range(limit)]
    assert set(answers) == {400}
    assert enter(client, "999999", account="tamu").status_code == 429


# --- CSRF and secrets -----------------------------------------------------------------


def test_both_forms_need_their_csrf_token(app, ani):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    refused = ask(client, "ani")
    assert refused.status_code == 400 and "Formulir sudah kedaluwarsa" in \
        refused.get_data(as_text=True)
    assert codes_sent(ani.id) == []

    token = csrf_token_from(client.get(ASK).get_data(as_text=True))
    assert client.post(ASK, data={"account": "ani", "csrf_token": token}).status_code == 302
    code = codes_sent(ani.id)[0]
    assert enter(client, code).status_code == 400
    assert password_is(app, PASSWORD)

    token = csrf_token_from(client.get(ENTER).get_data(as_text=True))
    response = client.post(ENTER, data={"account": "ani", "code": code,
                                        "password": NEW_PASSWORD,
                                        "conf_password": NEW_PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and password_is(app, NEW_PASSWORD)


def test_neither_the_code_nor_the_new_password_is_logged_or_stored_in_clear(
        app, client, ani, caplog, monkeypatch):
    all_loggers_at_debug(caplog)
    # SQL statements with their values are off in production; they would show the text
    # of every message queued, this one's included.
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("sqlalchemy.engine"):
            monkeypatch.setattr(logging.getLogger(name), "disabled", True)
    code = code_for(client, ani)
    enter(client, "000000" if code != "000000" else "111111")
    assert enter(client, code).status_code == 302
    send_pending(backends=backends_from_config({**app.config, "LOG_MESSAGE_BODIES": False}))
    assert "password reset" in caplog.text  # the app's own lines were captured
    assert code not in caplog.text and NEW_PASSWORD not in caplog.text
    # The message is in the outbox (the worker sends it); the code's own row is a hash.
    assert NEW_PASSWORD not in text_of_every_table()
    assert all(code not in value for row in reset_codes(ani.id)
               for value in (row.code_hash, row.end_reason or ""))
