"""Each bad input an outside review answered with 500 now gets the app's own 400, 404,
413 or 503 answer: an Indonesian page for the screens, a JSON body for the API."""

import io

import pytest

from app.security.input_guard import MAX_ID
from tests.security.routes import api_token
from tests.support import make_pkkpr

PAGE_400 = "Permintaan tidak valid."
JSON_400 = "Permintaan tidak valid. Muat ulang halaman lalu coba lagi."


def json_message(response):
    return (response.get_json() or {}).get("message", "")


@pytest.mark.parametrize("path", [
    "/api/v1/track?number=PKKPR%00&phone_suffix=1234",
    "/api/v1/track?number=PKKPR&phone_suffix=12%0034",
    "/api/v1/permit-types?x=%00",
])
def test_a_nul_character_in_a_public_api_query_is_a_400_in_indonesian(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert json_message(response) == JSON_400


def test_a_nul_character_in_the_tracking_form_is_a_400_page(client):
    response = client.post("/lacak/", data={"nomor": "PKKPR\x00NB", "akhiran": "1234"})
    assert response.status_code == 400
    assert PAGE_400 in response.get_data(as_text=True)


def test_a_nul_character_in_a_path_is_refused(client):
    assert client.get("/verifikasi/abc%00def").status_code == 400


def test_a_nul_character_in_a_json_body_is_refused(app):
    token = api_token(app, "pemohon")
    response = app.test_client().post(
        "/api/v1/applications", json={"permit_type": "PKKPR-NB", "applicant_name": "A\x00"},
        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert json_message(response) == JSON_400


def test_a_nul_character_in_a_form_field_is_refused_and_nothing_changes(login_as):
    application = make_pkkpr("draft", documents=None)
    pemohon = login_as("pemohon")
    response = pemohon.post(f"/permohonan/{application.id}/aksi/batalkan",
                            data={"alasan": "x\x00y"})
    assert response.status_code == 400
    assert PAGE_400 in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [MAX_ID + 1, 2**63, 10**40])
def test_an_id_beyond_the_databases_range_is_a_404_on_screens_and_api(app, login_as, number):
    admin = login_as("admin")
    for path in (f"/permohonan/{number}", f"/aset/{number}", f"/agencyview/show/{number}",
                 f"/users/edit/{number}"):
        assert admin.get(path).status_code == 404, path
    token = api_token(app, "admin")
    response = app.test_client().get(f"/api/v1/applications/{number}",
                                     headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404


@pytest.mark.parametrize("query", [
    "page_PermitTypeView=abc", "psize_PermitTypeView=abc", "page_PermitTypeView=-1",
    "psize_PermitTypeView=100000", f"page_PermitTypeView={2**63}",
    "_oc_PermitTypeView=no_such_column&_od_PermitTypeView=asc",
    "_flt_9_active=y", "_flt_0_category=abc", f"_flt_0_category={2**63}",
])
def test_a_list_parameter_that_is_not_a_number_or_a_column_is_a_400(login_as, query):
    response = login_as("admin").get(f"/permittypeview/list/?{query}")
    assert response.status_code == 400
    assert PAGE_400 in response.get_data(as_text=True)


def test_valid_list_parameters_still_sort_filter_and_page(login_as):
    admin = login_as("admin")
    query = ("_oc_PermitTypeView=name&_od_PermitTypeView=desc&psize_PermitTypeView=10"
             "&page_PermitTypeView=0&_flt_0_code=PKKPR-NB")
    page = admin.get(f"/permittypeview/list/?{query}")
    assert page.status_code == 200
    assert "PKKPR-NB" in page.get_data(as_text=True)


def test_an_unknown_action_name_is_refused(login_as):
    admin = login_as("admin")
    response = admin.post("/permittypeview/action_post",
                          data={"action": "no_such_action", "rowid": "1"})
    assert response.status_code == 400
    assert admin.post("/permittypeview/action/no_such_action/1").status_code == 404


def test_flask_appbuilders_generic_download_serves_nothing(app, login_as):
    admin = login_as("admin")
    for name in ("x", "0_sep_berkas.pdf", "..", "../../etc/passwd"):
        assert admin.get(f"/permittypeview/download/{name}").status_code == 404


def test_an_api_login_without_a_provider_is_refused_not_a_crash(client):
    """Schemathesis found it: the schema lets `provider` out, the handler read it."""
    response = client.post("/api/v1/security/login",
                           json={"username": "pemohon", "password": "salah"})
    assert response.status_code == 401


def test_deeply_nested_json_is_a_400(app):
    token = api_token(app, "pemohon")
    response = app.test_client().post(
        "/api/v1/applications", data="[" * 100_000 + "]" * 100_000,
        content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400


def test_deeply_nested_geojson_is_a_field_error(login_as):
    from tests.support import pkkpr_application_data

    data = pkkpr_application_data(
        polygon_geojson='{"type": "Polygon", "coordinates": ' + "[" * 50_000
        + "]" * 50_000 + "}")
    page = login_as("pemohon").post("/permohonan/baru/PKKPR-NB", data=data)
    assert page.status_code == 200
    assert "Poligon bukan GeoJSON yang valid." in page.get_data(as_text=True)


def test_an_api_upload_over_the_limit_is_a_413_in_indonesian(app):
    application = make_pkkpr("draft", documents=None)
    token = api_token(app, "pemohon")
    content = b"%PDF-1.4\n" + b"0" * app.config["MAX_CONTENT_LENGTH"]
    response = app.test_client().post(
        f"/api/v1/applications/{application.id}/documents",
        data={"requirement_id": "1", "file": (io.BytesIO(content), "besar.pdf")},
        headers={"Authorization": f"Bearer {token}"}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert json_message(response) == "Berkas terlalu besar."


@pytest.mark.parametrize("path", ["/", "/login/", "/lacak/", "/persyaratan/",
                                  "/permohonan/1", "/verifikasi/abc"])
def test_while_the_database_is_down_every_page_answers_503_in_indonesian(
    app_without_database, path
):
    with app_without_database.app_context():
        response = app_without_database.test_client().get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "Layanan sedang tidak tersedia" in response.get_data(as_text=True)


def test_while_the_database_is_down_the_api_answers_503_json(app_without_database):
    with app_without_database.app_context():
        client = app_without_database.test_client()
        for response in (client.get("/api/v1/permit-types"),
                         client.get("/api/v1/track?number=A&phone_suffix=1234"),
                         client.post("/api/v1/security/login",
                                     json={"username": "a", "password": "b",
                                           "provider": "db"})):
            assert response.status_code == 503
            assert "Layanan sedang tidak tersedia" in json_message(response)
