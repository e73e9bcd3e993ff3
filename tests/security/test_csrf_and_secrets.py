"""CSRF on every state-changing POST of the screens (the API uses header tokens
instead), rate-limited logins, no secret in any log or table, security headers."""

import io
import logging
from datetime import timedelta

import pytest
from flask_appbuilder.security.sqla.models import Group
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, text

from app.extensions import db
from app.security import roles
from app.signing import get_signer
from app.signing.local import LocalSigner
from models import Application, Holiday, OutboxMessage
from tests.conftest import DEMO_PASSWORD
from tests.factories import make_user
from tests.security.routes import (
    ACCESS_DENIED,
    Caller,
    _sign,
    api_token,
    build,
    changed_tables,
    database_fingerprint,
    first_pk,
    is_api,
    methods_of,
    rules,
    values_for,
)
from tests.signing.test_decree import ready_file
from tests.support import PDF, make_asset_use, make_pkkpr, pkkpr_application_data

CSRF_MESSAGE = "Formulir sudah kedaluwarsa"
# POST routes that take no CSRF token by design, and what a tokenless POST gets there.
CSRF_EXEMPT = {
    "TwilioCallbackView.status": 403,  # Twilio signs its callbacks (X-Twilio-Signature)
}


@pytest.fixture
def csrf_on(app):
    """CSRF checks as in production (they are off in tests); restored afterwards."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def screen_posts(app, objects):
    """(endpoint, path) of every POST the screens accept, from the URL map."""
    found = []
    for rule in rules(app):
        if "POST" in methods_of(rule) and not is_api(rule):
            files = objects.files["pkkpr_nb"]
            found.append((rule.endpoint, build(rule, values_for(app, rule, objects, files))))
    return found


def test_every_post_of_the_screens_without_a_csrf_token_is_refused_and_changes_nothing(
    app, objects
):
    callers = [Caller(app, "admin"), Caller(app, "pemohon")]  # logged in before CSRF is on
    posts = screen_posts(app, objects)
    assert len(posts) > 60 and ("SiapAuthDBView.login", "/login/") in posts
    before = database_fingerprint()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        wrong = []
        for caller in callers:
            for endpoint, path in posts:
                form = {"alasan": "x", "verdict": "accepted", "passphrase": "x",
                        "application_id": "1", "action": "retry", "rowid": "1",
                        "file": (io.BytesIO(PDF), "ktp.pdf")}
                response = caller.web.post(path, data=form, content_type="multipart/form-data",
                                           headers={"Accept": "application/json"})
                expected = CSRF_EXEMPT.get(endpoint, 400)
                message = (response.get_json(silent=True) or {}).get("message", "")
                if response.status_code != expected or (
                        expected == 400 and CSRF_MESSAGE not in message):
                    wrong.append(f"{caller.role} POST {path} ({endpoint}): "
                                 f"{response.status_code} {message}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert not wrong, "tokenless POSTs not refused:\n  " + "\n  ".join(wrong)
    assert changed_tables(before, database_fingerprint()) == []


def test_a_get_cannot_replace_a_post_to_dodge_the_token(app, objects):
    """Flask-AppBuilder's delete and row actions also answer GET: refused while CSRF
    protection is registered, so the rows stay."""
    victim = make_user(username="korban")
    role = app.appbuilder.sm.add_role("Peran Uji")
    paths = [f"/users/delete/{victim.id}", f"/roles/delete/{role.id}",
             f"/holidayview/delete/{first_pk(Holiday)}", f"/groups/delete/{first_pk(Group)}",
             f"/outboxview/action/retry/{first_pk(OutboxMessage)}"]
    admin = Caller(app, "admin")  # logged in while CSRF checks are still off
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        before = database_fingerprint()
        for path in paths:
            assert admin.web.get(path).status_code == 302, path
            assert admin.flashes()[0][1] in ACCESS_DENIED, path
        assert changed_tables(before, database_fingerprint()) == []
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- the API: header tokens, no CSRF token, no cookies --------------------------------


def api_post_recipes(app):
    """endpoint → (username, path, request kwargs, expected status) for real work."""
    draft = make_pkkpr("draft", documents=None)
    submitted = make_pkkpr("diajukan")
    signed = ready_file("selesai")
    _sign(signed)
    rented = make_asset_use("selesai", booking="eksklusif", fee=1500000)
    _sign(rented)
    db.session.commit()
    renewed_from = (rented.asset_use.approved_end + timedelta(days=1)).isoformat()
    requirement = draft.permit_type.requirements[0]
    refresh = app.test_client().post("/api/v1/security/login", json={
        "username": "pemohon", "password": DEMO_PASSWORD, "provider": "db", "refresh": True,
    }).get_json()["refresh_token"]
    return {
        "SiapSecurityApi.login": (None, "/api/v1/security/login", {"json": {
            "username": "pemohon", "password": DEMO_PASSWORD, "provider": "db"}}, 200),
        "SiapSecurityApi.refresh": (None, "/api/v1/security/refresh", {
            "headers": {"Authorization": f"Bearer {refresh}"}}, 200),
        "SiapSecurityApi.logout": ("pemohon", "/api/v1/security/logout", {}, 200),
        "ApplicationsApi.create": ("pemohon", "/api/v1/applications", {
            "json": {"permit_type": "PKKPR-NB", **pkkpr_application_data()}}, 201),
        "ApplicationsApi.upload": ("pemohon", f"/api/v1/applications/{draft.id}/documents", {
            "data": {"requirement_id": str(requirement.id),
                     "file": (io.BytesIO(PDF), "surat.pdf")},
            "content_type": "multipart/form-data"}, 201),
        "ApplicationsApi.verdict": (
            "frontoffice",
            f"/api/v1/applications/{submitted.id}/documents/{submitted.documents[0].id}/verdict",
            {"json": {"verdict": "accepted"}}, 200),
        "ApplicationsApi.action": ("frontoffice",
                                   f"/api/v1/applications/{submitted.id}/actions/terima",
                                   {"json": {}}, 200),
        "ApplicationsApi.revoke": ("kepaladinas", f"/api/v1/applications/{signed.id}/revoke",
                                   {"json": {"alasan": "Melanggar ketentuan"}}, 200),
        "ApplicationsApi.renew": ("pemohon", f"/api/v1/applications/{rented.id}/renew", {
            "json": {"period_start": renewed_from, "period_end": renewed_from}}, 201),
        # An id nobody sees: the batch answers per file without touching a signer.
        "SignApi.batch": ("kepaladinas", "/api/v1/sign/batch", {
            "json": {"application_ids": [987654], "passphrase": "bukan-rahasia"}}, 200),
    }


def test_every_api_post_works_with_a_header_token_and_no_csrf_token(app, csrf_on):
    recipes = api_post_recipes(app)
    api_posts = {rule.endpoint for rule in rules(app)
                 if is_api(rule) and "POST" in methods_of(rule)}
    assert api_posts == set(recipes), "add a recipe for each API POST"
    for endpoint, (username, path, kwargs, expected) in recipes.items():
        headers = dict(kwargs.pop("headers", {}))
        if username:
            headers["Authorization"] = f"Bearer {api_token(app, username)}"
        response = app.test_client().post(path, headers=headers, **kwargs)
        assert response.status_code == expected, (endpoint, response.get_json())


def test_a_browser_session_alone_does_not_authenticate_the_api(app, objects, csrf_on,
                                                            login_as):
    """The API skips CSRF checks because a cookie never signs anyone in there."""
    app.config["WTF_CSRF_ENABLED"] = False
    browser = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    application = make_pkkpr("diajukan")
    for rule in rules(app):
        if not is_api(rule) or rule.endpoint.startswith("SiapSecurityApi."):
            continue
        for method in methods_of(rule):
            values = values_for(app, rule, objects, application=application) if rule.arguments \
                else {}
            path = build(rule, values)
            response = browser.open(path, method=method, json={})
            if method == "GET" and response.status_code == 200:
                # Public GETs (catalogue, tracking, verification, OpenAPI) need no login;
                # Flask-AppBuilder's menu API reads the session by design (read-only).
                assert rule.endpoint.split(".")[0] in {
                    "PermitTypesApi", "TrackApi", "VerifyApi", "OpenApiDocument",
                    "MenuApi"}, path
                continue
            assert response.status_code in (401, 404), (method, path, response.status_code)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "diajukan"


# --- rate limits ----------------------------------------------------------------------


def test_browser_and_api_logins_share_one_limit_per_address(app, client, rate_limits):
    """Names nobody has: the address is limited, no account is."""
    limit = int(app.config["AUTH_RATE_LIMIT"].split()[0])
    api = app.test_client()

    def browser_attempt(number):
        return client.post("/login/", data={"username": f"tamu{number}", "password": "x1"})

    def api_attempt(number):
        return api.post("/api/v1/security/login", json={
            "username": f"tamu{number}", "password": "x1", "provider": "db"})

    answers = [(browser_attempt if n % 2 else api_attempt)(n) for n in range(limit)]
    assert all(answer.status_code != 429 for answer in answers)
    refused_page, refused_api = browser_attempt(limit), api_attempt(limit + 1)
    assert refused_page.status_code == 429 and refused_api.status_code == 429
    assert "Terlalu banyak percobaan" in refused_page.get_data(as_text=True)
    assert "Terlalu banyak percobaan" in refused_api.get_json()["message"]
    # Refused even with the right password until the window passes.
    right = api.post("/api/v1/security/login", json={
        "username": "admin", "password": DEMO_PASSWORD, "provider": "db"})
    assert right.status_code == 429


# --- secrets ------------------------------------------------------------------------


def all_loggers_at_debug(caplog):
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)


def text_of_every_table():
    """Every row of every table, as text (all columns: text, JSON, binary)."""
    chunks = []
    with db.engine.connect() as connection:
        for table in sa_inspect(db.engine).get_table_names():
            rows = connection.execute(text(f"SELECT * FROM {table}")).all()
            chunks.append(f"{table}: {rows!r}")
    return "\n".join(chunks)


@pytest.fixture
def fresh_signer(app):
    """A head of office of their own, whose first signature sets the passphrase."""
    kepala = make_user(roles.KEPALA_DINAS, username="kepalauji", password="Kata-Sandi-Unik-4471",
                       nik="3505010101700099", nip="198001012005011001",
                       pangkat_golongan="IV/c")  # the decree prints them
    signer = get_signer()
    path = signer._pkcs12_path(kepala) if isinstance(signer, LocalSigner) else None
    if path is not None:
        path.unlink(missing_ok=True)  # an id reused from an earlier test's user
    yield kepala
    if path is not None:
        path.unlink(missing_ok=True)


def test_no_password_passphrase_or_token_reaches_a_log_or_a_table(app, caplog, fresh_signer):
    password, new_password = "Kata-Sandi-Unik-4471", "Sandi-Baru-Unik-8820"
    passphrase, wrong_passphrase = "Frasa-Tanda-Tangan-5512", "Frasa-Keliru-3306"
    all_loggers_at_debug(caplog)

    # Logins (one wrong), a password change, an API login and calls with its tokens.
    browser = app.test_client()
    browser.post("/login/", data={"username": "kepalauji", "password": "Salah-Unik-7719"})
    assert browser.post("/login/", data={"username": "kepalauji",
                                         "password": password}).status_code == 302
    browser.post("/resetmypassword/form", data={"current_password": password,
                                                "password": new_password,
                                                "conf_password": new_password})
    tokens = app.test_client().post("/api/v1/security/login", json={
        "username": "kepalauji", "password": new_password, "provider": "db",
        "refresh": True}).get_json()
    assert "access_token" in tokens, "the password change did not go through"
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.get("/api/v1/applications?inbox=1", headers=bearer).status_code == 200
    assert api.post("/api/v1/security/refresh", headers={
        "Authorization": f"Bearer {tokens['refresh_token']}"}).status_code == 200

    # A whole signing: a wrong passphrase first (after the first use), then the right one.
    first, second = ready_file(), ready_file()
    signed = browser.post("/tandatangan/", data={"application_id": [str(first.id)],
                                                 "passphrase": passphrase},
                          follow_redirects=True)
    assert "1 berkas ditandatangani" in signed.get_data(as_text=True)
    browser.post("/tandatangan/", data={"application_id": [str(second.id)],
                                        "passphrase": wrong_passphrase})
    assert api.post("/api/v1/sign/batch", headers=bearer, json={
        "application_ids": [second.id], "passphrase": passphrase}).status_code == 200
    db.session.expire_all()
    assert {db.session.get(Application, i).status for i in (first.id, second.id)} == {"selesai"}

    secrets = {
        "password": password, "new password": new_password, "wrong password": "Salah-Unik-7719",
        "passphrase": passphrase, "wrong passphrase": wrong_passphrase,
        "access token": tokens["access_token"], "refresh token": tokens["refresh_token"],
        "access token signature": tokens["access_token"].rsplit(".", 1)[1],
    }
    logged = caplog.text
    assert len(caplog.records) > 50  # the logs were captured, SQL included
    stored = text_of_every_table()
    assert not [name for name, secret in secrets.items() if secret in logged], "in the logs"
    assert not [name for name, secret in secrets.items() if secret in stored], "in a table"
    user_row = db.session.execute(select(text("password")).select_from(text("ab_user"))
                                  .where(text("username = 'kepalauji'"))).scalar()
    assert user_row.startswith(("scrypt:", "pbkdf2:"))


# --- security headers ---------------------------------------------------------------


def test_security_headers_on_a_page_a_json_answer_a_download_and_an_error(app, objects,
                                                                          login_as):
    owner = login_as("pemohon")
    done = objects.files["pkkpr_nb"].done
    document = done.documents[0]
    token = api_token(app, "pemohon")
    answers = {
        "page": owner.get("/persyaratan/"),
        "json": app.test_client().get("/api/v1/permit-types"),
        "api json": app.test_client().get(f"/api/v1/applications/{done.id}",
                                          headers={"Authorization": f"Bearer {token}"}),
        "download": owner.get(f"/permohonan/{done.id}/berkas/dokumen/{document.id}"),
        "api download": app.test_client().get(
            f"/api/v1/applications/{done.id}/files/dokumen-{document.id}",
            headers={"Authorization": f"Bearer {token}"}),
        "signed decree": owner.get(f"/permohonan/{done.id}/sk.pdf"),
        "error page": owner.get("/permohonan/987654"),
        "api error": app.test_client().get("/api/v1/applications/1"),
    }
    for name, response in answers.items():
        headers = response.headers
        assert response.status_code in (200, 401, 404), name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["X-Frame-Options"] == "SAMEORIGIN", name
        assert headers["Referrer-Policy"] == "same-origin", name
        assert "camera=()" in headers["Permissions-Policy"], name
        if "download" in name or name == "signed decree":
            assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox", name
            assert headers["Content-Disposition"].startswith("attachment"), name
            assert "no-store" in headers["Cache-Control"], name
        else:
            policy = headers["Content-Security-Policy"]
            assert "default-src 'self'" in policy and "object-src 'none'" in policy, name
            assert "frame-ancestors 'self'" in policy, name
    assert answers["json"].mimetype == "application/json"
    assert "Strict-Transport-Security" not in answers["page"].headers  # plain HTTP in tests

    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        assert "max-age=31536000" in owner.get("/persyaratan/").headers[
            "Strict-Transport-Security"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
