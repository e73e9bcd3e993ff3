"""Sign-ins end on the server: logout, a password change, an admin, deactivation and
idleness end browser sessions and API tokens, whoever kept a copy of them."""

from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import select, update

from app.extensions import db
from models import UserSession
from models.application import utcnow
from tests.conftest import DEMO_PASSWORD, login
from tests.factories import make_user

PASSWORD, NEW_PASSWORD = "Rahasia123", "SandiBaru2026"


@pytest.fixture
def ani(app):
    return make_user(username="ani", password=PASSWORD)


def browser(app, username="ani", password=PASSWORD):
    return login(app.test_client(), username, password)


def signed_in(client):
    """The browser's session still opens a page that needs a signed-in user."""
    response = client.get("/users/userinfo/")  # everyone's profile; staff have no dashboard
    return response.status_code == 200


def copy_of(client, app):
    """Another client holding a copy of this browser's session cookie (a thief)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def api_tokens(app, username="ani", password=PASSWORD):
    response = app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db", "refresh": True})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def api_works(app, tokens):
    access = app.test_client().get("/api/v1/applications", headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    refresh = app.test_client().post("/api/v1/security/refresh", headers={
        "Authorization": f"Bearer {tokens['refresh_token']}"})
    return access.status_code, refresh.status_code


def change_password(client, current, new):
    return client.post("/resetmypassword/form", data={
        "current_password": current, "password": new, "conf_password": new})


def test_a_session_cookie_copied_before_logout_is_useless_after_it(app, ani):
    client = browser(app)
    thief = copy_of(client, app)
    assert signed_in(thief)
    client.get("/logout/")
    assert not signed_in(client)
    assert not signed_in(thief)
    assert thief.get("/dasbor/").headers["Location"].startswith("/login/")


def test_logging_out_on_one_device_leaves_the_others_signed_in(app, ani):
    laptop, phone = browser(app), browser(app)
    tokens = api_tokens(app)
    laptop.get("/logout/")
    assert signed_in(phone)
    assert api_works(app, tokens) == (200, 200)


def test_the_api_logout_ends_that_sessions_access_and_refresh_tokens_only(app, ani):
    tokens, other = api_tokens(app), api_tokens(app)
    response = app.test_client().post("/api/v1/security/logout", headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200
    assert api_works(app, tokens) == (401, 401)
    assert api_works(app, other) == (200, 200)


def test_a_password_change_asks_for_the_current_password(app, ani):
    client = browser(app)
    wrong = change_password(client, "BukanSandi9", NEW_PASSWORD)
    assert "Kata sandi saat ini salah." in wrong.get_data(as_text=True)
    missing = client.post("/resetmypassword/form", data={
        "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert "Kolom ini wajib diisi." in missing.get_data(as_text=True)
    db.session.expire_all()
    assert app.appbuilder.sm.auth_user_db("ani", PASSWORD) is not None


def test_a_password_change_ends_every_other_session_and_every_token(app, ani):
    here, elsewhere = browser(app), browser(app)
    stolen = copy_of(elsewhere, app)
    tokens = api_tokens(app)
    assert api_works(app, tokens) == (200, 200)

    response = change_password(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere) and not signed_in(stolen)
    assert api_works(app, tokens) == (401, 401)
    assert api_works(app, api_tokens(app, password=NEW_PASSWORD)) == (200, 200)


def test_an_admins_password_reset_ends_all_of_the_users_sessions(app, ani):
    client, tokens = browser(app), api_tokens(app)
    admin = browser(app, "admin", DEMO_PASSWORD)
    response = admin.post(f"/resetpassword/form?pk={ani.id}", data={
        "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert not signed_in(client)
    assert api_works(app, tokens) == (401, 401)
    assert signed_in(admin)


@pytest.mark.parametrize("how", ["one", "several"])
def test_an_admin_ends_all_sessions_of_a_user(app, ani, how):
    client, tokens = browser(app), api_tokens(app)
    bystander = make_user(username="budi", password=PASSWORD)
    budi = browser(app, "budi")
    admin = browser(app, "admin", DEMO_PASSWORD)
    if how == "one":
        response = admin.post(f"/users/action/end_sessions/{ani.id}", follow_redirects=True)
    else:
        response = admin.post("/users/action_post", data={
            "action": "end_sessions", "rowid": [str(ani.id)]}, follow_redirects=True)
    assert "2 sesi diakhiri." in response.get_data(as_text=True)
    assert not signed_in(client)
    assert api_works(app, tokens) == (401, 401)
    assert signed_in(budi) and bystander.id != ani.id
    assert browser(app).get("/dasbor/").status_code == 200  # may sign in again


def test_the_admin_sees_the_end_sessions_button_on_the_users_page(app, ani):
    page = browser(app, "admin", DEMO_PASSWORD).get(f"/users/show/{ani.id}")
    assert "Akhiri semua sesi" in page.get_data(as_text=True)


def test_deactivating_a_user_ends_everything(app, ani):
    client, tokens = browser(app), api_tokens(app)
    ani.active = False
    db.session.commit()
    assert not signed_in(client)
    access, _ = api_works(app, tokens)
    assert access == 401


def test_an_idle_browser_session_ends_on_the_server(app, ani):
    client = browser(app)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.execute(update(UserSession).where(UserSession.user_id == ani.id)
                       .values(last_seen_at=utcnow() - idle))
    db.session.commit()
    assert not signed_in(client)
    ended = db.session.scalars(select(UserSession.end_reason)
                               .where(UserSession.user_id == ani.id)).all()
    assert ended == ["idle"]


def test_a_token_from_no_session_is_refused(app, ani):
    """As tokens issued before sessions existed, or forged with the signing key alone."""
    with app.test_request_context():
        token = create_access_token(identity=str(ani.id))
    response = app.test_client().get("/api/v1/applications",
                                     headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_the_session_table_keeps_no_usable_key(app, ani):
    client = browser(app)
    tokens = api_tokens(app)
    stored = set(db.session.scalars(select(UserSession.key_hash)
                                    .where(UserSession.user_id == ani.id)))
    assert len(stored) == 2 and all(len(value) == 64 for value in stored)
    cookie = client.get_cookie("session").value
    assert not any(value in cookie or value in tokens["access_token"] for value in stored)
