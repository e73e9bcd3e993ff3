"""A PKKPR file and a paid hall rent from creation to the signed decree through
/api/v1 only: one bearer token per role, the same steps and data as the browser flows
(tests/workflow/test_pkkpr_flow.py, tests/assets/test_asset_flow.py)."""

import io
import re
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.signing import get_signer
from app.signing.pades import is_authentic
from app.workflow.validity import anniversary
from models import Application
from tests.api.support import api, ids, multipart, token
from tests.support import (
    HALL,
    PDF,
    PNG,
    SIGNING_PASSPHRASE,
    TODAY,
    action_input,
    asset_application_data,
    asset_named,
    make_pkkpr,
    pkkpr_application_data,
    recommendation_input,
    retribution_proof_input,
)

ROLES = ("pemohon", "frontoffice", "pemeriksa", "dpupr", "atrbpn", "pengelolaaset",
         "backoffice", "kepaladinas")


@pytest.fixture
def tokens(client):
    return {username: token(client, username) for username in ROLES}


def detail(client, bearer, application_id):
    response = api(client, bearer, "GET", f"/applications/{application_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def offered_fields(body, action):
    """The fields `available_actions` offers for `action`; fails when not offered."""
    offers = {offer["action"]: offer["fields"] for offer in body["available_actions"]}
    assert action in offers, f"{action} not offered; offered: {sorted(offers)}"
    return {field["name"]: field for field in offers[action]}


def act(client, bearer, application_id, action, data=None):
    """Run `action` as the API client would: read the offered form, then send exactly
    those fields (multipart when one is a file) with the version it has seen."""
    body = detail(client, bearer, application_id)
    fields = offered_fields(body, action)
    data = dict(action_input(action) if data is None else data)
    assert set(data) <= set(fields), (action, set(data) - set(fields))
    missing = [n for n, f in fields.items() if f["required"] and n not in data]
    assert not missing, (action, missing)
    url = f"/applications/{application_id}/actions/{action}"
    if any(isinstance(value, FileStorage) for value in data.values()):
        for name, value in data.items():
            assert (fields[name]["type"] == "file") == isinstance(value, FileStorage), name
        response = api(client, bearer, "POST", url, content_type="multipart/form-data",
                       data={**multipart(data), "expected_version": str(body["version"])})
    else:
        response = api(client, bearer, "POST", url,
                       json={**data, "expected_version": body["version"]})
    assert response.status_code == 200, (action, response.get_json())
    after = response.get_json()
    assert after["version"] > body["version"]
    transitions = [event for event in after["history"] if event["from_status"]]
    assert transitions[-1]["action"] == action
    assert transitions[-1]["to_status"] == after["status"]
    return after


def inbox(client, bearer):
    return ids(api(client, bearer, "GET", "/applications?inbox=1"))


def download(client, bearer, application_id, file_id):
    response = api(client, bearer, "GET", f"/applications/{application_id}/files/{file_id}")
    assert response.status_code == 200, (file_id, response.get_json())
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response


def upload_mandatory_documents(client, bearer, body):
    for requirement in body["requirements"]:
        if requirement["mandatory"]:
            response = api(client, bearer, "POST", f"/applications/{body['id']}/documents",
                           content_type="multipart/form-data",
                           data={"requirement_id": str(requirement["id"]),
                                 "file": (io.BytesIO(PDF), "dokumen.pdf")})
            assert response.status_code == 201, response.get_json()
            body = response.get_json()
    assert all(r["uploaded"] for r in body["requirements"] if r["mandatory"])
    return body


def examine(client, tokens, application_id):
    """Front office receives and forwards; the examiner accepts every document and
    forwards to the agency."""
    assert application_id in inbox(client, tokens["frontoffice"])
    act(client, tokens["frontoffice"], application_id, "terima")
    act(client, tokens["frontoffice"], application_id, "teruskan_pemeriksa")
    assert application_id not in inbox(client, tokens["frontoffice"])
    assert application_id in inbox(client, tokens["pemeriksa"])
    # Without a verdict on every document the file cannot go on (the same guard as the
    # screens): the verdicts need the API's verdict endpoint.
    refused = api(client, tokens["pemeriksa"], "POST",
                  f"/applications/{application_id}/actions/teruskan_dinas", json={})
    assert refused.status_code == 400
    assert refused.get_json()["message"].startswith("Semua dokumen harus diterima")
    body = detail(client, tokens["pemeriksa"], application_id)
    for document in body["documents"]:
        # POST /applications/<id>/documents/<document_id>/verdict: the endpoint the issue's
        # "documents judged" step needs (the web screens have /dokumen/<id>/verifikasi).
        assert document["file_id"] == f"dokumen-{document['id']}"
        response = api(client, tokens["pemeriksa"], "POST",
                       f"/applications/{application_id}/documents/{document['id']}/verdict",
                       json={"verdict": "accepted"})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
    assert {d["verdict"] for d in body["documents"]} == {"accepted"}
    act(client, tokens["pemeriksa"], application_id, "teruskan_dinas")


def decree_of(client, bearer, application_id):
    response = api(client, bearer, "GET", f"/applications/{application_id}/decree")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert is_authentic(response.data, get_signer().trust_roots())
    return response.data


def verification_token(body):
    url = body["decree"]["verification_url"]
    assert re.search(r"/verifikasi/[\w-]+$", url), url
    return url.rsplit("/", 1)[1]


def test_a_pkkpr_file_goes_from_a_draft_to_a_signed_decree_through_the_api_only(
    client, tokens
):
    pemohon = tokens["pemohon"]
    created = api(client, pemohon, "POST", "/applications",
                  json={"permit_type": "PKKPR-NB", **pkkpr_application_data()})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    application_id = body["id"]
    assert body["status"] == "draft" and body["registration_number"] is None
    assert body["details"]["desa"] == "Kanigoro"
    assert not any(r["uploaded"] for r in body["requirements"])
    assert [a["action"] for a in body["available_actions"]] == ["ajukan", "batalkan"]
    assert application_id in ids(api(client, pemohon, "GET", "/applications"))

    upload_mandatory_documents(client, pemohon, body)
    body = act(client, pemohon, application_id, "ajukan")
    number = body["registration_number"]
    assert re.fullmatch(r"PKKPR-NB/\d{4}/000001", number)
    assert body["status"] == "diajukan"

    examine(client, tokens, application_id)

    assert application_id in inbox(client, tokens["dpupr"])
    body = act(client, tokens["dpupr"], application_id, "terbitkan_krk")
    assert body["status"] == "krk_terbit"

    atrbpn = tokens["atrbpn"]
    assert application_id in inbox(client, atrbpn)
    body = act(client, atrbpn, application_id, "terbitkan_sps")
    assert body["status"] == "menunggu_pembayaran"
    assert "820260000012345" in body["next_step"]  # the billing code, for the applicant
    assert application_id not in inbox(client, atrbpn)  # waits on the applicant
    body = act(client, pemohon, application_id, "unggah_bukti_bayar")
    assert body["status"] == "pembayaran_pnbp"
    assert application_id in inbox(client, atrbpn)
    act(client, atrbpn, application_id, "konfirmasi_pembayaran")
    body = act(client, atrbpn, application_id, "terbitkan_pertek")
    assert body["status"] == "pertek_terbit"

    assert application_id in inbox(client, tokens["dpupr"])
    body = act(client, tokens["dpupr"], application_id, "terbitkan_rekomendasi")
    assert body["status"] == "rekomendasi_terbit"

    backoffice = tokens["backoffice"]
    assert application_id in inbox(client, backoffice)
    body = act(client, backoffice, application_id, "input_nomor_sk")
    year = TODAY.year
    assert body["status"] == "siap_ds"
    assert body["sk_number"] == f"503/001/409.110/{year}"
    assert body["decree"] is None  # numbered, not signed yet
    assert [a["kind"] for a in body["artifacts"]] == [
        "krk", "sps", "bukti_bayar", "pertek", "rekomendasi", "peta"]
    assert [h["action"] for h in body["history"] if h["from_status"]] == [
        "ajukan", "terima", "teruskan_pemeriksa", "teruskan_dinas", "terbitkan_krk",
        "terbitkan_sps", "unggah_bukti_bayar", "konfirmasi_pembayaran", "terbitkan_pertek",
        "terbitkan_rekomendasi", "input_nomor_sk"]
    sps = next(h for h in body["history"] if h["action"] == "terbitkan_sps")
    assert sps["role"] == "ATR BPN"

    pemohon_view = detail(client, pemohon, application_id)
    assert pemohon_view["status_label"] == "Siap ditandatangani"
    assert pemohon_view["office"] == "Kepala DPMPTSP"
    for artifact in pemohon_view["artifacts"]:
        assert artifact["file_id"], artifact["kind"]
        content = download(client, pemohon, application_id, artifact["file_id"]).data
        assert content == (PNG if artifact["kind"] in ("peta", "bukti_bayar") else PDF)
    for document in pemohon_view["documents"]:
        assert download(client, pemohon, application_id, document["file_id"]).data == PDF
    missing_decree = api(client, pemohon, "GET", f"/applications/{application_id}/decree")
    assert missing_decree.status_code == 404

    kepaladinas = tokens["kepaladinas"]
    assert application_id in inbox(client, kepaladinas)
    offered_fields(detail(client, kepaladinas, application_id), "tandatangani")
    signed = api(client, kepaladinas, "POST", "/sign/batch",
                 json={"application_ids": [application_id], "passphrase": SIGNING_PASSPHRASE})
    assert signed.status_code == 200, signed.get_json()
    assert signed.get_json()["results"] == [
        {"application_id": application_id, "outcome": "signed", "message": None}]

    body = detail(client, pemohon, application_id)
    assert body["status"] == "selesai" and body["available_actions"] == []
    assert body["decree"]["status"] == "berlaku" and body["decree"]["signed_at"]
    decree_of(client, pemohon, application_id)

    tracked = api(client, None, "GET", "/track",
                  query_string={"number": number, "phone_suffix": "7890"})
    assert tracked.status_code == 200, tracked.get_json()
    tracked = tracked.get_json()
    assert tracked["registration_number"] == number and tracked["finished"] is True
    assert tracked["stages"][-1]["current"] is True

    verified = api(client, None, "GET", f"/verify/{verification_token(body)}")
    assert verified.status_code == 200, verified.get_json()
    assert verified.get_json() | {"signed_at": None} == {
        "document": "sk", "revocation_decree": None,
        "valid": True, "state": "berlaku", "status": "berlaku",
        "sk_number": f"503/001/409.110/{year}", "permit_type": "PKKPR Non Berusaha",
        "holder": "Budi Santoso", "signed_at": None, "revoked_at": None,
        "valid_from": TODAY.isoformat(),
        "valid_until": (anniversary(TODAY, 3) - timedelta(days=1)).isoformat(),
        "revocation_number": None,
        "sha256": db.session.get(Application, application_id).decree.sha256,
    }


@pytest.mark.usefixtures("app")
def test_a_paid_hall_rent_goes_through_the_skrd_to_a_signed_permit_through_the_api_only(
    client, tokens
):
    hall = asset_named(HALL)
    start = TODAY + timedelta(days=45)
    end = start + timedelta(days=2)
    pemohon = tokens["pemohon"]
    created = api(client, pemohon, "POST", "/applications",
                  json={"permit_type": "ASET-GEDUNG-PERTEMUAN",
                        **asset_application_data(hall, start, end)})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    application_id = body["id"]
    assert body["kind"] == "aset" and body["details"]["asset_id"] == hall.id
    assert body["details"]["fee_estimate"] == "4500000"  # 3 days × Rp1.500.000

    upload_mandatory_documents(client, pemohon, body)
    body = act(client, pemohon, application_id, "ajukan")
    number = body["registration_number"]
    assert number.startswith("ASET-GEDUNG-PERTEMUAN/")

    examine(client, tokens, application_id)
    pengelola = tokens["pengelolaaset"]  # BPKAD manages the hall
    assert application_id in inbox(client, pengelola)
    assert detail(client, pengelola, application_id)["office"] == (
        "Badan Pengelolaan Keuangan dan Aset Daerah")
    body = act(client, pengelola, application_id, "terbitkan_rekomendasi",
               recommendation_input(start, end))
    assert body["status"] == "menunggu_pembayaran"
    assert body["details"]["fee"] == "4500000"
    assert body["details"]["booking"] == "eksklusif"
    skrd = next(a for a in body["artifacts"] if a["kind"] == "skrd")
    assert re.fullmatch(rf"SKRD/00001/BPKAD/{TODAY.year}", skrd["number"])
    assert skrd["data"]["jumlah"] == "4500000"
    assert skrd["number"] in detail(client, pemohon, application_id)["next_step"]
    assert download(client, pemohon, application_id, skrd["file_id"]).data.startswith(b"%PDF")

    body = act(client, pemohon, application_id, "unggah_bukti_bayar",
               retribution_proof_input())
    assert body["status"] == "verifikasi_pembayaran"
    assert application_id in inbox(client, pengelola)
    body = act(client, pengelola, application_id, "konfirmasi_pembayaran", {"catatan": "Lunas"})
    assert body["status"] == "penyiapan_sk"

    backoffice = tokens["backoffice"]
    assert application_id in inbox(client, backoffice)
    body = act(client, backoffice, application_id, "input_nomor_sk",
               {"tanggal_sk": TODAY.isoformat()})
    assert body["status"] == "siap_ds"

    kepaladinas = tokens["kepaladinas"]
    assert application_id in inbox(client, kepaladinas)
    fields = offered_fields(detail(client, kepaladinas, application_id), "tandatangani")
    assert fields["passphrase"]["type"] == "password" and fields["passphrase"]["required"]
    body = act(client, kepaladinas, application_id, "tandatangani",
               {"passphrase": SIGNING_PASSPHRASE})
    assert body["status"] == "selesai"
    assert [h["action"] for h in body["history"] if h["from_status"]] == [
        "ajukan", "terima", "teruskan_pemeriksa", "teruskan_dinas", "terbitkan_rekomendasi",
        "unggah_bukti_bayar", "konfirmasi_pembayaran", "input_nomor_sk", "tandatangani"]

    decree_of(client, pemohon, application_id)
    proof = next(a for a in body["artifacts"] if a["kind"] == "bukti_bayar")
    assert download(client, pemohon, application_id, proof["file_id"]).data == PNG

    tracked = api(client, None, "GET", "/track",
                  query_string={"number": number, "phone_suffix": "7891"})
    assert tracked.status_code == 200 and tracked.get_json()["finished"] is True
    verified = api(client, None, "GET", f"/verify/{verification_token(body)}").get_json()
    assert verified["valid"] is True and verified["holder"] == "Siti Aminah"
    assert verified["permit_type"] == hall.asset_type.name


def test_a_returned_file_is_corrected_by_re_uploading_only_the_rejected_document(
    client, tokens
):
    application = make_pkkpr("diterima_fo", documents="accepted")
    rejected, accepted = application.documents[0], application.documents[1]
    frontoffice, pemohon = tokens["frontoffice"], tokens["pemohon"]
    base = f"/applications/{application.id}"
    # the verdict endpoint (see examine): a rejection needs its reason
    response = api(client, frontoffice, "POST", f"{base}/documents/{rejected.id}/verdict",
                   json={"verdict": "rejected", "reason": "Tidak terbaca"})
    assert response.status_code == 200, response.get_json()
    judged = {d["file_id"]: d for d in response.get_json()["documents"]}
    assert judged[f"dokumen-{rejected.id}"]["verdict"] == "rejected"
    assert judged[f"dokumen-{rejected.id}"]["verdict_reason"] == "Tidak terbaca"
    forward = api(client, frontoffice, "POST", f"{base}/actions/teruskan_pemeriksa", json={})
    assert forward.status_code == 400
    assert detail(client, frontoffice, application.id)["status"] == "diterima_fo"
    act(client, frontoffice, application.id, "kembalikan", {"alasan": "Perbaiki KTP"})

    body = detail(client, pemohon, application.id)
    assert body["status"] == "perlu_perbaikan"
    assert {h["comment"] for h in body["history"]} >= {"Tidak terbaca", "Perbaiki KTP"}

    def reupload(document):
        return api(client, pemohon, "POST", f"{base}/documents",
                   content_type="multipart/form-data",
                   data={"requirement_id": str(document.requirement_id),
                         "file": (io.BytesIO(PDF), "baru.pdf")})

    refused = reupload(accepted)
    assert refused.status_code == 409
    assert refused.get_json()["message"].startswith("Hanya dokumen yang ditandai ditolak")
    blocked = api(client, pemohon, "POST", f"{base}/actions/ajukan", json={})
    assert blocked.status_code == 400
    assert blocked.get_json()["message"].startswith("Unggah berkas perbaikan untuk")
    assert reupload(rejected).status_code == 201
    body = act(client, pemohon, application.id, "ajukan")
    assert body["status"] == "diajukan"
    assert body["registration_number"] == application.registration_number  # kept
