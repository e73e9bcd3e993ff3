"""Row and permission checks on every /api/v1 endpoint, the error shapes (401, 403,
404, 409, 400 with `errors`), the caller's language and the login's rate limit."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.security import roles
from app.storage.files import store_bytes
from app.workflow.decrees import ensure_decree
from app.workflow.engine import apply_action
from models import Agency, Application
from tests.api.support import api, ids, token
from tests.factories import make_user
from tests.signing.test_decree import ready_file
from tests.support import (
    PDF,
    PNG,
    SIGNING_PASSPHRASE,
    TODAY,
    action_input,
    make_asset_use,
    make_pkkpr,
    pkkpr_application_data,
    user,
)

GOR = "Gedung Olahraga Kanigoro"  # ASET-GOR: managed by DISPORAPAR, not BPKAD
NOT_FOUND_ID = "Data yang Anda cari tidak ada atau tidak dapat Anda lihat."
NOT_FOUND_EN = "The data you are looking for does not exist or is not visible to you."


def without_request_id(response):
    """An error's JSON body but its request id (each request has its own: tests/ops)."""
    body = dict(response.get_json())
    assert body.pop("request_id")
    return body


@pytest.fixture
def signed_file():
    """The demo applicant's PKKPR file, signed: documents, an artifact and a decree."""
    application = ready_file()
    krk = next(a for a in application.artifacts if a.kind == "krk")
    for column, value in store_bytes(PDF, "pdf", "krk.pdf").columns().items():
        setattr(krk, column, value)
    db.session.commit()
    apply_action(application.id, "tandatangani", user("kepaladinas"),
                 MultiDict({"passphrase": SIGNING_PASSPHRASE}))
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.status == "selesai" and application.decree.is_signed
    return application


def file_urls(application):
    """Every GET of one file: its page, each document and artifact, its decree."""
    base = f"/applications/{application.id}"
    return [base, f"{base}/decree",
            *(f"{base}/files/dokumen-{d.id}" for d in application.documents),
            *(f"{base}/files/artefak-{a.id}" for a in application.artifacts if a.stored_name)]


def test_the_owner_reaches_every_url_of_their_file(client, signed_file):
    owner = token(client, "pemohon")
    urls = file_urls(signed_file)
    assert len(urls) == 2 + len(signed_file.documents) + 1  # the KRK has a file
    for url in urls:
        assert api(client, owner, "GET", url).status_code == 200, url
    assert signed_file.id in ids(api(client, owner, "GET", "/applications"))
    pertek = next(a for a in signed_file.artifacts if a.kind == "pertek")  # data only
    base = f"/applications/{signed_file.id}/files"
    for file_id in (f"artefak-{pertek.id}", "artefak-999999", "dokumen-x", "berkas-1"):
        assert api(client, owner, "GET", f"{base}/{file_id}").status_code == 404, file_id


def test_a_second_applicant_gets_404_on_everything_of_someone_elses_file(client, signed_file):
    make_user(username="tetangga")
    other = token(client, "tetangga")
    for url in file_urls(signed_file):
        response = api(client, other, "GET", url)
        assert response.status_code == 404, url
        assert without_request_id(response) == {"message": NOT_FOUND_ID}, url
    base = f"/applications/{signed_file.id}"
    document = signed_file.documents[0]
    uploaded = api(client, other, "POST", f"{base}/documents",
                   content_type="multipart/form-data",
                   data={"requirement_id": str(document.requirement_id),
                         "file": (io.BytesIO(PDF), "x.pdf")})
    assert uploaded.status_code == 404
    judged = api(client, other, "POST", f"{base}/documents/{document.id}/verdict",
                 json={"verdict": "accepted"})
    assert judged.status_code == 404
    for action in ("unggah_bukti_bayar", "batalkan", "ajukan", "tandatangani", "terbang"):
        response = api(client, other, "POST", f"{base}/actions/{action}",
                       json={"alasan": "x", "catatan": "x", "passphrase": "x"})
        assert response.status_code == 404, action
    assert ids(api(client, other, "GET", "/applications")) == []
    assert ids(api(client, other, "GET", "/applications?inbox=1")) == []
    assert ids(api(client, other, "GET", "/applications?status=selesai")) == []


def test_a_second_applicant_cannot_act_on_someone_elses_file_in_any_state(client):
    make_user(username="tetangga")
    other = token(client, "tetangga")
    draft = make_pkkpr("draft")
    waiting = make_pkkpr("menunggu_pembayaran")
    for application, action in ((draft, "ajukan"), (draft, "batalkan"),
                                (waiting, "unggah_bukti_bayar")):
        response = api(client, other, "POST",
                       f"/applications/{application.id}/actions/{action}",
                       content_type="multipart/form-data", data=dict(action_input(action)))
        assert response.status_code == 404, action
    db.session.expire_all()
    assert [db.session.get(Application, a.id).status for a in (draft, waiting)] == [
        "draft", "menunggu_pembayaran"]


def test_a_document_or_artifact_is_reached_only_through_its_own_file(client, signed_file):
    """Both files are visible to the caller: the nested id must still belong to the file
    in the path."""
    other = make_pkkpr("diperiksa", documents="pending")
    foreign_document = other.documents[0].id
    krk = next(a for a in signed_file.artifacts if a.kind == "krk")
    pemohon = token(client, "pemohon")
    assert api(client, pemohon, "GET",
               f"/applications/{other.id}/files/dokumen-{foreign_document}").status_code == 200
    for url in (f"/applications/{signed_file.id}/files/dokumen-{foreign_document}",
                f"/applications/{other.id}/files/artefak-{krk.id}"):
        assert api(client, pemohon, "GET", url).status_code == 404, url
    judged = api(client, token(client, "pemeriksa"), "POST",
                 f"/applications/{other.id}/documents/{signed_file.documents[0].id}/verdict",
                 json={"verdict": "accepted"})
    assert judged.status_code == 404
    db.session.expire_all()
    assert {d.verdict for d in db.session.get(Application, other.id).documents} == {"pending"}


def test_a_draft_stays_private_to_its_creator_even_for_staff(client):
    draft = make_pkkpr("draft")
    for username in ("frontoffice", "pemeriksa", "dpupr", "kepaladinas", "admin"):
        bearer = token(client, username)
        assert api(client, bearer, "GET", f"/applications/{draft.id}").status_code == 404, \
            username
        assert draft.id not in ids(api(client, bearer, "GET", "/applications"))


def test_a_role_gets_403_on_an_action_it_does_not_hold_on_a_file_it_sees(client):
    submitted = make_pkkpr("diajukan")
    with_dpupr = make_pkkpr("diteruskan_dinas")
    waiting = make_pkkpr("menunggu_pembayaran")
    cases = [
        ("dpupr", submitted, "terima", {}),  # sees every PKKPR file (lihat_semua)
        ("backoffice", submitted, "terima", {}),
        ("pemohon", submitted, "terima", {}),  # the owner is not the front office
        ("pemeriksa", with_dpupr, "terbitkan_krk", dict(action_input("terbitkan_krk"))),
        ("atrbpn", with_dpupr, "tolak", {"alasan": "Bukan wewenang"}),
        # holds unggah_bukti_bayar, but only for the walk-in files it registered
        ("frontoffice", waiting, "unggah_bukti_bayar", dict(action_input("unggah_bukti_bayar"))),
    ]
    for username, application, action, data in cases:
        bearer = token(client, username)
        url = f"/applications/{application.id}"
        assert api(client, bearer, "GET", url).status_code == 200, username
        response = api(client, bearer, "POST", f"{url}/actions/{action}",
                       content_type="multipart/form-data", data=data)
        assert response.status_code == 403, (username, action, response.get_json())
        assert response.get_json()["message"] in (
            "Anda tidak berwenang melakukan ini.",
            "Hanya pemohon pada berkas ini yang dapat melakukan tindakan ini.")
    judged = api(client, token(client, "dpupr"), "POST",
                 f"/applications/{submitted.id}/documents/{submitted.documents[0].id}/verdict",
                 json={"verdict": "accepted"})
    assert judged.status_code == 403
    db.session.expire_all()
    assert [db.session.get(Application, a.id).status for a in (submitted, with_dpupr, waiting)
            ] == ["diajukan", "diteruskan_dinas", "menunggu_pembayaran"]


def test_only_the_head_of_office_signs_in_batch(client):
    application = make_pkkpr("siap_ds")
    body = {"application_ids": [application.id], "passphrase": SIGNING_PASSPHRASE}
    for username in ("pemohon", "backoffice", "frontoffice"):
        response = api(client, token(client, username), "POST", "/sign/batch", json=body)
        assert response.status_code == 403, username
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "siap_ds"


def test_a_batch_reports_each_file_and_stops_on_a_wrong_passphrase(client, signed_file):
    # signed_file: the local signer's certificate exists, with SIGNING_PASSPHRASE
    ready, numbered = ready_file(), ready_file()
    kepaladinas = token(client, "kepaladinas")
    wrong = api(client, kepaladinas, "POST", "/sign/batch",
                json={"application_ids": [ready.id, numbered.id], "passphrase": "salah"})
    assert wrong.status_code == 200
    assert [r["outcome"] for r in wrong.get_json()["results"]] == ["failed", "skipped"]
    assert [r["message"] for r in wrong.get_json()["results"]][0].startswith("Passphrase salah")
    other = ready_file()
    invisible = make_pkkpr("draft")  # a draft: the head of office cannot see it
    results = api(client, kepaladinas, "POST", "/sign/batch",
                  json={"application_ids": [invisible.id, other.id],
                        "passphrase": SIGNING_PASSPHRASE}).get_json()["results"]
    assert [(r["application_id"], r["outcome"]) for r in results] == [
        (invisible.id, "failed"), (other.id, "signed")]
    assert results[0]["message"] == NOT_FOUND_ID


def test_an_officer_of_another_agency_gets_404_on_a_bpkad_asset_file(client):
    disporapar = db.session.scalar(select(Agency).where(Agency.code == "DISPORAPAR"))
    make_user(roles.PENGELOLA_ASET, username="pora", agency_id=disporapar.id)
    hall_file = make_asset_use("diteruskan_opd")  # the hall: BPKAD
    gor_file = make_asset_use("diteruskan_opd", asset_name=GOR)
    pora, bpkad = token(client, "pora"), token(client, "pengelolaaset")

    base = f"/applications/{hall_file.id}"
    for url in (base, f"{base}/files/dokumen-{hall_file.documents[0].id}"):
        assert api(client, pora, "GET", url).status_code == 404, url
    refused = api(client, pora, "POST", f"{base}/actions/tolak", json={"alasan": "bukan"})
    assert refused.status_code == 404
    assert hall_file.id not in ids(api(client, pora, "GET", "/applications"))
    assert ids(api(client, pora, "GET", "/applications?inbox=1")) == [gor_file.id]
    assert api(client, pora, "GET", f"/applications/{gor_file.id}").status_code == 200
    assert ids(api(client, bpkad, "GET", "/applications?inbox=1")) == [hall_file.id]
    assert api(client, bpkad, "GET", base).status_code == 200


def test_calls_without_a_valid_token_get_401(client, signed_file):
    base = f"/applications/{signed_file.id}"
    calls = [("GET", "/applications"), ("POST", "/applications"), ("GET", base),
             ("POST", f"{base}/documents"),
             ("POST", f"{base}/documents/{signed_file.documents[0].id}/verdict"),
             ("POST", f"{base}/actions/batalkan"),
             ("GET", f"{base}/files/dokumen-{signed_file.documents[0].id}"),
             ("GET", f"{base}/decree"), ("POST", "/sign/batch")]
    for method, url in calls:
        assert api(client, None, method, url, json={}).status_code == 401, url
    missing = api(client, None, "GET", "/applications")
    assert without_request_id(missing) == {"msg": "Missing Authorization Header"}
    # flask_jwt_extended answers a token that is not one itself, with 422 and `msg`
    # (documented as SiapTokenError422; see the report).
    malformed = api(client, "bukan-token", "GET", "/applications")
    assert malformed.status_code == 422 and "result" not in malformed.get_json()


def test_a_token_stops_working_when_its_user_is_deactivated(client):
    someone = make_user(username="keluar")
    bearer = token(client, "keluar")
    assert api(client, bearer, "GET", "/applications").status_code == 200
    someone.active = False
    db.session.commit()
    assert api(client, bearer, "GET", "/applications").status_code == 401


def test_public_endpoints_need_no_token_and_reveal_nothing_on_a_mismatch(client, signed_file):
    number = signed_file.registration_number
    assert api(client, None, "GET", "/track", query_string={
        "number": number, "phone_suffix": "7890"}).status_code == 200
    wrong = api(client, None, "GET", "/track", query_string={
        "number": number, "phone_suffix": "0000"})
    unknown = api(client, None, "GET", "/track", query_string={
        "number": "PKKPR-NB/2026/999999", "phone_suffix": "7890"})
    assert wrong.status_code == unknown.status_code == 404
    assert without_request_id(wrong) == without_request_id(unknown)
    assert api(client, None, "GET", f"/verify/{signed_file.decree.token}").status_code == 200
    assert api(client, None, "GET", "/verify/bukan-token").status_code == 404
    numbered = ready_file()  # numbered with its QR token, not signed yet
    ensure_decree(numbered)
    db.session.commit()
    assert api(client, None, "GET", f"/verify/{numbered.decree.token}").status_code == 404


def test_an_action_in_the_wrong_status_gets_409_and_changes_nothing(client):
    application = make_pkkpr("diterima_fo")
    frontoffice = token(client, "frontoffice")
    response = api(client, frontoffice, "POST", f"/applications/{application.id}/actions/terima",
                   json={})
    assert response.status_code == 409
    assert response.get_json()["message"] == (
        "Tindakan ini tidak dapat dilakukan selama berkas berstatus “Diterima Front Office”.")
    signing = api(client, token(client, "kepaladinas"), "POST",
                  f"/applications/{application.id}/actions/tandatangani",
                  json={"passphrase": SIGNING_PASSPHRASE})
    assert signing.status_code == 409
    late_upload = api(client, token(client, "pemohon"), "POST",
                      f"/applications/{application.id}/documents",
                      content_type="multipart/form-data",
                      data={"requirement_id": str(application.documents[0].requirement_id),
                            "file": (io.BytesIO(PDF), "baru.pdf")})
    assert late_upload.status_code == 409
    with_dpupr = make_pkkpr("diteruskan_dinas")
    late_verdict = api(client, token(client, "pemeriksa"), "POST",
                       f"/applications/{with_dpupr.id}/documents/"
                       f"{with_dpupr.documents[0].id}/verdict", json={"verdict": "rejected",
                                                                      "reason": "Buram"})
    assert late_verdict.status_code == 409
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "diterima_fo"


def test_a_stale_expected_version_gets_409_and_the_current_one_goes_through(client):
    application = make_pkkpr("diajukan")
    frontoffice = token(client, "frontoffice")
    url = f"/applications/{application.id}"
    seen = api(client, frontoffice, "GET", url).get_json()["version"]
    stale = api(client, frontoffice, "POST", f"{url}/actions/terima",
                json={"expected_version": seen - 1})
    assert stale.status_code == 409
    assert stale.get_json()["message"].startswith("Data telah diubah oleh pengguna lain")
    assert api(client, frontoffice, "GET", url).get_json()["status"] == "diajukan"
    multipart_stale = api(client, frontoffice, "POST", f"{url}/actions/terima",
                          content_type="multipart/form-data",
                          data={"expected_version": str(seen + 1)})
    assert multipart_stale.status_code == 409
    done = api(client, frontoffice, "POST", f"{url}/actions/terima",
               json={"expected_version": seen})
    assert done.status_code == 200 and done.get_json()["status"] == "diterima_fo"
    again = api(client, frontoffice, "POST", f"{url}/actions/teruskan_pemeriksa",
                json={"expected_version": seen})  # the version before `terima`
    assert again.status_code == 409


def test_bad_input_gets_400_with_a_message_per_field(client):
    pemohon = token(client, "pemohon")
    incomplete = api(client, pemohon, "POST", "/applications", json={
        "permit_type": "PKKPR-NB", **pkkpr_application_data(applicant_nik="123",
                                                            land_area_m2="luas")})
    assert incomplete.status_code == 400
    body = incomplete.get_json()
    assert body["message"] == "Mohon perbaiki isian yang ditandai."
    assert set(body["errors"]) == {"applicant_nik", "land_area_m2"}
    assert api(client, pemohon, "GET", "/applications").get_json()["count"] == 0

    no_type = api(client, pemohon, "POST", "/applications", json={"applicant_name": "x"})
    assert no_type.status_code == 400 and set(no_type.get_json()["errors"]) == {"permit_type"}
    not_an_object = api(client, pemohon, "POST", "/applications", json=["PKKPR-NB"])
    assert not_an_object.status_code == 400 and "permit_type" in not_an_object.get_json()[
        "errors"]
    unknown_type = api(client, pemohon, "POST", "/applications", json={"permit_type": "IMB"})
    assert unknown_type.status_code == 404

    draft = make_pkkpr("draft", documents=None)
    requirement = draft.permit_type.requirements[0]
    base = f"/applications/{draft.id}"
    no_requirement = api(client, pemohon, "POST", f"{base}/documents",
                         content_type="multipart/form-data",
                         data={"file": (io.BytesIO(PDF), "x.pdf")})
    assert set(no_requirement.get_json()["errors"]) == {"requirement_id"}
    wrong_type = api(client, pemohon, "POST", f"{base}/documents",
                     content_type="multipart/form-data",
                     data={"requirement_id": str(requirement.id),
                           "file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "x.pdf")})
    assert wrong_type.status_code == 400 and set(wrong_type.get_json()["errors"]) == {"file"}
    no_file = api(client, pemohon, "POST", f"{base}/documents",
                  content_type="multipart/form-data",
                  data={"requirement_id": str(requirement.id)})
    assert no_file.status_code == 400 and set(no_file.get_json()["errors"]) == {"file"}
    other_requirement = api(client, pemohon, "POST", f"{base}/documents",
                            content_type="multipart/form-data",
                            data={"requirement_id": "999999",
                                  "file": (io.BytesIO(PDF), "x.pdf")})
    assert other_requirement.status_code == 404

    with_dpupr = make_pkkpr("diteruskan_dinas")
    krk = dict(action_input("terbitkan_krk"))
    del krk["nomor_krk"]
    krk["berkas_krk"] = (io.BytesIO(PNG), "krk.pdf")  # a PNG named .pdf
    krk["kdb_maks"] = "seratus"
    missing = api(client, token(client, "dpupr"), "POST",
                  f"/applications/{with_dpupr.id}/actions/terbitkan_krk",
                  content_type="multipart/form-data", data=krk)
    assert missing.status_code == 400
    assert set(missing.get_json()["errors"]) == {"nomor_krk", "berkas_krk", "kdb_maks"}

    examined = make_pkkpr("diperiksa", documents="pending")
    pemeriksa = token(client, "pemeriksa")
    verdict_url = f"/applications/{examined.id}/documents/{examined.documents[0].id}/verdict"
    unknown = api(client, pemeriksa, "POST", verdict_url, json={"verdict": "mungkin"})
    assert unknown.status_code == 400 and set(unknown.get_json()["errors"]) == {"verdict"}
    unreasoned = api(client, pemeriksa, "POST", verdict_url, json={"verdict": "rejected"})
    assert unreasoned.status_code == 400 and set(unreasoned.get_json()["errors"]) == {"reason"}

    kepaladinas = token(client, "kepaladinas")
    for payload, fields in (({}, {"application_ids", "passphrase"}),
                            ({"application_ids": [], "passphrase": "x"}, {"application_ids"}),
                            ({"application_ids": ["1"], "passphrase": "x"}, {"application_ids"}),
                            ({"application_ids": [True], "passphrase": "x"},
                             {"application_ids"}),
                            ({"application_ids": [1], "passphrase": ""}, {"passphrase"})):
        response = api(client, kepaladinas, "POST", "/sign/batch", json=payload)
        assert response.status_code == 400, payload
        assert set(response.get_json()["errors"]) == fields, payload

    for query in ("page=dua", "page_size=x"):
        response = api(client, pemohon, "GET", f"/applications?{query}")
        assert response.status_code == 400 and set(response.get_json()["errors"]) == {"page"}


def test_the_list_pages_and_filters(client):
    files = [make_pkkpr("diajukan") for _ in range(3)]
    make_asset_use("diajukan")
    pemohon = token(client, "pemohon")
    page = api(client, pemohon, "GET", "/applications?page=2&page_size=2").get_json()
    assert (page["count"], page["page"], page["page_size"]) == (4, 2, 2)
    assert len(page["result"]) == 2
    assert sorted(ids(api(client, pemohon, "GET", "/applications?type=PKKPR-NB"))) == sorted(
        f.id for f in files)
    assert ids(api(client, pemohon, "GET", "/applications?status=selesai")) == []
    assert api(client, pemohon, "GET", "/applications?page_size=1000").get_json()[
        "page_size"] == 100


def test_messages_are_indonesian_unless_the_caller_asks_for_english(client):
    application = make_pkkpr("diajukan")
    pemohon = token(client, "pemohon")
    missing = "/applications/999999"
    assert api(client, pemohon, "GET", missing).get_json()["message"] == NOT_FOUND_ID
    assert api(client, pemohon, "GET", missing, headers={"Accept-Language": "en"}).get_json()[
        "message"] == NOT_FOUND_EN
    assert api(client, pemohon, "GET", f"{missing}?_l_=en").get_json()["message"] == NOT_FOUND_EN
    assert api(client, pemohon, "GET", missing, headers={"Accept-Language": "fr"}).get_json()[
        "message"] == NOT_FOUND_ID

    url = f"/applications/{application.id}"
    indonesian = api(client, pemohon, "GET", url).get_json()
    english = api(client, pemohon, "GET", url, headers={"Accept-Language": "en"}).get_json()
    assert (indonesian["status_label"], english["status_label"]) == ("Diajukan", "Submitted")
    assert english["status"] == indonesian["status"] == "diajukan"  # codes never translate

    bad = {"permit_type": "PKKPR-NB", **pkkpr_application_data(applicant_name="")}
    errors_id = api(client, pemohon, "POST", "/applications", json=bad).get_json()
    errors_en = api(client, pemohon, "POST", "/applications?_l_=en", json=bad).get_json()
    assert errors_id["errors"]["applicant_name"] == "Kolom ini wajib diisi."
    assert errors_en["errors"]["applicant_name"] == "This field is required."
    assert errors_en["message"] == "Please correct the marked fields."
    refused = api(client, pemohon, "POST", f"{url}/actions/terima", json={},
                  headers={"Accept-Language": "en-US,en;q=0.9,id;q=0.5"})
    assert refused.get_json()["message"] == "You are not allowed to do this."


def test_api_actions_need_no_csrf_token_when_the_screens_do(app, client, login_as):
    application = make_pkkpr("diajukan")
    frontoffice = token(client, "frontoffice")
    screens = login_as("frontoffice")
    app.config["WTF_CSRF_ENABLED"] = True  # as in production; reset after each test
    refused = screens.post(f"/permohonan/{application.id}/aksi/terima")
    assert refused.status_code == 400  # the screens want their CSRF token
    response = api(client, frontoffice, "POST", f"/applications/{application.id}/actions/terima",
                   json={})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "diterima_fo"


def test_the_api_login_is_rate_limited(client, rate_limits):
    """Per address, whatever the account (names nobody has: no account locks)."""
    for number in range(10):
        response = client.post("/api/v1/security/login", json={
            "username": f"tamu{number}", "password": "salah", "provider": "db"})
        assert response.status_code == 401
    blocked = client.post("/api/v1/security/login", json={
        "username": "tamu", "password": "salah", "provider": "db"})
    assert blocked.status_code == 429
    assert blocked.get_json()["message"] == (
        "Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.")
    right = client.post("/api/v1/security/login", json={
        "username": "pemohon", "password": "Rahasia123", "provider": "db"})
    assert right.status_code == 429  # even the right password waits out the minute


def test_tracking_guesses_are_rate_limited_but_hits_are_not(client, rate_limits, signed_file):
    hit = {"number": signed_file.registration_number, "phone_suffix": "7890"}
    for suffix in range(9):
        miss = api(client, None, "GET", "/track", query_string={
            **hit, "phone_suffix": f"{suffix:04d}"})
        assert miss.status_code == 404
        assert api(client, None, "GET", "/track", query_string=hit).status_code == 200
    tenth_miss = api(client, None, "GET", "/track", query_string={**hit, "phone_suffix": "0009"})
    assert tenth_miss.status_code == 404
    assert api(client, None, "GET", "/track", query_string=hit).status_code == 429


def test_an_asset_file_of_the_first_applicant_is_hidden_from_a_second_one(client):
    start = TODAY + timedelta(days=20)
    application = make_asset_use("menunggu_pembayaran", start=start, booking="eksklusif",
                                 fee=1500000)
    make_user(username="tetangga")
    other = token(client, "tetangga")
    base = f"/applications/{application.id}"
    assert api(client, token(client, "pemohon"), "GET", base).status_code == 200
    assert api(client, other, "GET", base).status_code == 404
    proof = {"bukti_bayar": (io.BytesIO(PNG), "bukti.png"), "tanggal_bayar": TODAY.isoformat(),
             "nomor_referensi": "JTM2026112800017"}
    response = api(client, other, "POST", f"{base}/actions/unggah_bukti_bayar",
                   content_type="multipart/form-data", data=proof)
    assert response.status_code == 404
