"""A PKKPR file and a paid hall rent from creation to the signed decree through
/api/v1 only: one bearer token per role, the same steps and data as the browser flows
(tests/workflow/test_pkkpr_flow.py, tests/assets/test_asset_flow.py)."""

import io
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.signing import get_signer
from models import Application
from tests.api.flow import (
    act,
    decree_of,
    detail,
    download,
    examine,
    inbox,
    offered_fields,
    tokens_of,
    upload_mandatory_documents,
    verification_token,
    walk_a_pkkpr_file,
)
from tests.api.support import api
from tests.support import (
    HALL,
    PDF,
    PNG,
    SIGNING_PASSPHRASE,
    TODAY,
    asset_application_data,
    asset_named,
    make_pkkpr,
    recommendation_input,
    retribution_proof_input,
)


@pytest.fixture
def tokens(client):
    return tokens_of(client)


def test_a_pkkpr_file_goes_from_a_draft_to_a_signed_decree_through_the_api_only(
    client, tokens
):
    walk_a_pkkpr_file(client, tokens, get_signer().trust_roots(),
                      lambda application_id: db.session.get(Application,
                                                            application_id).decree.sha256)


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
