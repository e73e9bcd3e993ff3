"""Sign-ins, failed sign-ins, sign-outs, password changes and resets, and sessions ended
by an admin each leave one audit entry: who, from which address, on which account, and
never a password."""

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from app import audit
from app.extensions import db
from tests.audit.support import entries, holds_no_password, only
from tests.conftest import login
from tests.factories import make_user
from tests.security.test_password_reset import ask, code_for, enter
from tests.security.test_sessions import api_tokens, change_password

PASSWORD, NEW_PASSWORD = "Rahasia123", "SandiBaru2026"


@pytest.fixture
def ani(app):
    return make_user(username="ani", password=PASSWORD, whatsapp="+6281233344455",
                     email="ani@example.id")


def sign_in(client, username, password, address="10.20.30.40", **kwargs):
    return client.post("/login/", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, **kwargs)


def test_a_sign_in_names_the_user_and_the_client_address(app, ani):
    sign_in(app.test_client(), "ani", PASSWORD)

    entry = only(audit.LOGIN)
    assert (entry.actor_id, entry.actor_name, entry.address) == (ani.id, "ani", "10.20.30.40")
    assert (entry.object_type, entry.object_id, entry.object_label) == ("user", ani.id, "ani")
    assert entry.details == {"via": "web"}
    assert entry.created_at is not None
    assert holds_no_password(entry)


def test_a_sign_in_through_the_api_says_so(app, ani):
    api_tokens(app)
    entry = only(audit.LOGIN)
    assert entry.actor_id == ani.id and entry.details == {"via": "api"}


def test_a_wrong_password_is_recorded_with_the_name_tried_and_no_actor(app, ani):
    response = sign_in(app.test_client(), "ani", "TebakanSalah1")
    assert "/login" in response.headers["Location"]

    entry = only(audit.LOGIN_FAILED)
    assert (entry.actor_id, entry.actor_name, entry.address) == (None, None, "10.20.30.40")
    assert (entry.object_type, entry.object_id) == ("user", ani.id)
    assert entry.details == {"username": "ani", "reason": "wrong_password", "via": "web"}
    assert holds_no_password(entry, "TebakanSalah1")
    assert entries(audit.LOGIN) == []


def test_a_sign_in_with_an_unknown_name_is_recorded_though_nothing_else_is_written(app):
    sign_in(app.test_client(), "orang-asing", "Apapun123")

    entry = only(audit.LOGIN_FAILED)
    assert entry.object_type is None and entry.object_id is None
    assert entry.details == {"username": "orang-asing", "reason": "unknown_user",
                             "via": "web"}


def test_a_failed_api_sign_in_is_recorded_too(app, ani):
    response = app.test_client().post("/api/v1/security/login", json={
        "username": "ani", "password": "TebakanSalah1", "provider": "db"})
    assert response.status_code == 401
    assert only(audit.LOGIN_FAILED).details["via"] == "api"


def test_a_deactivated_account_is_recorded_as_such(app, ani):
    ani.active = False
    db.session.commit()
    sign_in(app.test_client(), "ani", PASSWORD)
    assert only(audit.LOGIN_FAILED).details["reason"] == "inactive"


def test_the_failure_that_locks_the_account_and_the_attempts_while_locked_say_so(app, ani):
    client = app.test_client()
    for _ in range(app.config["LOGIN_LOCK_AFTER"]):
        sign_in(client, "ani", "TebakanSalah1")
    sign_in(client, "ani", PASSWORD)  # the right password, while locked

    failures = entries(audit.LOGIN_FAILED)
    assert len(failures) == app.config["LOGIN_LOCK_AFTER"] + 1
    assert "locked_minutes" not in failures[0].details
    assert failures[-2].details["reason"] == "wrong_password"
    assert failures[-2].details["locked_minutes"] == app.config["LOGIN_LOCK_MINUTES"]
    assert failures[-1].details["reason"] == "account_locked"
    assert entries(audit.LOGIN) == []


def test_behind_a_proxy_the_address_is_the_one_the_trusted_proxy_forwarded(app, ani,
                                                                              monkeypatch):
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))
    sign_in(app.test_client(), "ani", PASSWORD, address="10.0.0.2",
            headers={"X-Forwarded-For": "203.0.113.7"})
    assert only(audit.LOGIN).address == "203.0.113.7"


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(app, ani):
    sign_in(app.test_client(), "ani", PASSWORD, address="10.0.0.2",
            headers={"X-Forwarded-For": "203.0.113.7"})
    assert only(audit.LOGIN).address == "10.0.0.2"


def test_signing_out_is_recorded(app, ani):
    client = login(app.test_client(), "ani", PASSWORD)
    client.get("/logout/")
    entry = only(audit.LOGOUT)
    assert (entry.actor_id, entry.object_id, entry.details) == (ani.id, ani.id, {"via": "web"})


def test_signing_out_of_the_api_is_recorded(app, ani):
    tokens = api_tokens(app)
    response = app.test_client().post("/api/v1/security/logout", headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200
    entry = only(audit.LOGOUT)
    assert (entry.actor_id, entry.details) == (ani.id, {"via": "api"})


def test_changing_ones_own_password_is_recorded_without_the_password(app, ani):
    client = login(app.test_client(), "ani", PASSWORD)
    assert change_password(client, PASSWORD, NEW_PASSWORD).status_code == 302

    entry = only(audit.PASSWORD_CHANGED)
    assert (entry.actor_id, entry.object_id, entry.details) == (ani.id, ani.id, None)
    assert entries(audit.PASSWORD_RESET) == []
    assert holds_no_password(entry)


def test_a_refused_password_change_changes_nothing_and_records_no_change(app, ani):
    client = login(app.test_client(), "ani", PASSWORD)
    change_password(client, "BukanSandinya1", NEW_PASSWORD)
    assert entries(audit.PASSWORD_CHANGED) == []


def test_an_admins_password_reset_names_the_admin_and_the_account(app, ani, login_as):
    admin = login_as("admin")
    response = admin.post(f"/resetpassword/form?pk={ani.id}", data={
        "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302

    entry = only(audit.PASSWORD_RESET)
    assert entry.actor_name == "admin" and entry.object_id == ani.id
    assert entry.details == {"by": "admin"}
    assert holds_no_password(entry)


def test_a_reset_with_a_code_is_recorded_without_an_actor_nor_the_code(app, client, ani):
    code = code_for(client, ani)
    assert enter(client, code).status_code == 302

    entry = only(audit.PASSWORD_RESET)
    assert (entry.actor_id, entry.object_id, entry.details) == (None, ani.id,
                                                                {"by": "reset_code"})
    assert holds_no_password(entry, code)


def test_a_wrong_reset_code_resets_nothing_and_records_no_reset(app, client, ani):
    ask(client, "ani")
    enter(client, "000000")
    assert entries(audit.PASSWORD_RESET) == []


def test_an_admin_ending_a_users_sessions_is_recorded(app, ani, login_as):
    login(app.test_client(), "ani", PASSWORD)
    response = login_as("admin").post(f"/users/action/end_sessions/{ani.id}")
    assert response.status_code == 302

    entry = only(audit.SESSIONS_ENDED)
    assert (entry.actor_name, entry.object_type, entry.object_id) == ("admin", "user", ani.id)
