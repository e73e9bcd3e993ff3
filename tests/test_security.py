"""Security defaults: CSRF, access for anonymous users and applicants, login rate
limit, security headers, upload limit."""

import pytest

from tests.conftest import DEMO_PASSWORD, csrf_token_from

ADMIN_PAGES = [
    "/users/list/",
    "/roles/list/",
    "/permitcategoryview/list/",
    "/permittypeview/list/",
    "/requirementview/list/",
]


def test_a_post_without_csrf_token_is_refused(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login/", data={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.get_data(as_text=True)


def test_a_post_with_the_forms_csrf_token_is_accepted(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token_from(client.get("/login/").get_data(as_text=True))
    response = client.post(
        "/login/", data={"username": "admin", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_a_model_action_post_without_csrf_token_is_refused(app, login_as):
    client = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/permitcategoryview/delete/1")
    assert response.status_code == 400


def test_an_anonymous_user_can_read_the_requirements_catalogue(client):
    response = client.get("/persyaratan/")
    assert response.status_code == 200
    assert "PKKPR Non Berusaha" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_an_anonymous_user_is_sent_to_the_login_page_from_staff_pages(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_an_applicant_gets_403_on_admin_screens(login_as, path):
    response = login_as("pemohon").get(path)
    assert response.status_code == 403
    assert "Anda tidak memiliki akses" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_the_admin_can_open_admin_screens(login_as, path):
    assert login_as("admin").get(path).status_code == 200


def test_every_demo_user_can_sign_in_and_open_their_profile(login_as, demo_usernames):
    for username in demo_usernames:
        client = login_as(username)
        assert client.get("/users/userinfo/").status_code == 200, username
        assert client.get("/profil/form").status_code == 200, username


def test_login_is_rate_limited(app, client, rate_limits):
    codes = [
        client.post("/login/", data={"username": "admin", "password": "salah123"}).status_code
        for _ in range(12)
    ]
    assert codes[-1] == 429
    assert codes[0] != 429


def test_registration_is_rate_limited(client, rate_limits):
    codes = [client.post("/register/form", data={}).status_code for _ in range(7)]
    assert codes[0] == 200 and codes[-1] == 429


def test_a_wrong_password_does_not_sign_in(client):
    client.post("/login/", data={"username": "admin", "password": "salah12345"})
    assert client.get("/users/list/").status_code == 302


def test_security_headers_are_present(client):
    headers = client.get("/persyaratan/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_same_site(client):
    client.get("/login/")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_an_oversized_request_gets_413_in_indonesian(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login/", data={"blob": "x" * (limit + 1)})
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


def test_the_admins_user_form_applies_the_password_rule_and_checks_the_number(login_as):
    from app.extensions import db
    from models import SiapUser

    admin = login_as("admin")
    form = {"first_name": "Staf", "last_name": "Baru", "username": "stafbaru",
            "email": "staf@example.id", "active": "y", "whatsapp": "0812", "nik": "",
            "password": "lemah", "conf_password": "lemah"}
    page = admin.post("/users/add", data=form).get_data(as_text=True)
    assert "Kata sandi minimal 8 karakter" in page
    assert "Masukkan nomor ponsel Indonesia" in page
    assert db.session.query(SiapUser).filter_by(username="stafbaru").first() is None
