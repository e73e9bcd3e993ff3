"""A request id on every answer: nginx's (a sane X-Request-ID) or the app's own, in the
response header, on error pages ("Kode permintaan") and in JSON error bodies, so a
citizen's complaint leads to the log lines of that request."""

import re

import pytest
from flask_babel import gettext

from tests.conftest import login
from tests.security.routes import api_token

HEX_ID = re.compile(r"[0-9a-f]{32}")


def shown_id(page):
    match = re.search(r'class="request-id">[^<]*<code>([^<]+)</code>', page)
    assert match, "no request code on the page"
    return match.group(1)


def test_every_answer_names_its_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert HEX_ID.fullmatch(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize("offered", ["8b0e1f6c2d3a4b5c9d8e7f6a5b4c3d2e",
                                     "2f1c9a4e-7b3d-4c8e-9f0a-1b2c3d4e5f6a", "siap.web-01_42"])
def test_a_sane_id_from_the_proxy_is_kept(client, offered):
    response = client.get("/healthz", headers={"X-Request-ID": offered})
    assert response.headers["X-Request-ID"] == offered


@pytest.mark.parametrize("offered", ["short", "x" * 65, "<script>alert(1)</script>",
                                     "abc def ghi jkl", "ümlaut-ümlaut", "-leading-dash"])
def test_anything_else_is_replaced_never_echoed(client, offered):
    response = client.get("/lacak/nothing-here", headers={"X-Request-ID": offered})
    assert HEX_ID.fullmatch(response.headers["X-Request-ID"])
    assert offered not in response.get_data(as_text=True)


def test_the_404_page_shows_the_request_code_in_indonesian(app, client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "keluhan-warga-0001"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert shown_id(page) == "keluhan-warga-0001"
    with app.test_request_context():
        assert f"{gettext('Request code')}: <code>" in page


def test_the_403_page_shows_the_request_code(app):
    client = login(app.test_client(), "pemohon")
    response = client.get("/statistik/")
    assert response.status_code == 403
    assert shown_id(response.get_data(as_text=True)) == response.headers["X-Request-ID"]


def test_the_400_page_of_an_expired_form_shows_the_request_code(app, client):
    app.config["WTF_CSRF_ENABLED"] = True  # the baseline turns it off again
    response = client.post("/lupa-kata-sandi/", data={"username": "pemohon"})
    assert response.status_code == 400
    assert shown_id(response.get_data(as_text=True)) == response.headers["X-Request-ID"]


def test_the_500_page_shows_the_request_code(app, client, monkeypatch):
    from views import verification

    def broken(token):
        raise RuntimeError("a bug")

    monkeypatch.setattr(verification.issued_documents, "find_by_token", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/verifikasi/abc")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert shown_id(page) == response.headers["X-Request-ID"]
    assert "a bug" not in page


def test_the_page_shown_while_the_database_is_down_shows_the_request_code(
        app_without_database):
    with app_without_database.app_context():
        response = app_without_database.test_client().get("/lacak/")
    assert response.status_code == 503
    assert shown_id(response.get_data(as_text=True)) == response.headers["X-Request-ID"]


def test_an_api_error_carries_the_request_id_in_its_json(client):
    response = client.get("/api/v1/no-such-endpoint",
                          headers={"X-Request-ID": "keluhan-api-0002"})
    assert response.status_code == 404
    assert response.get_json()["request_id"] == "keluhan-api-0002"
    assert response.get_json()["message"]


def test_flask_appbuilders_own_api_answers_carry_it_too(client):
    response = client.get("/api/v1/applications")  # no token: the JWT library's 401
    assert response.status_code == 401
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


def test_an_engine_error_in_the_api_carries_it(app, client):
    token = api_token(app, "pemohon")
    response = client.get("/api/v1/applications/999999",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


def test_a_successful_json_answer_is_left_as_it_is(client):
    response = client.get("/api/v1/permit-types")
    assert response.status_code == 200
    assert "request_id" not in response.get_json()
