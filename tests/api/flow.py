"""The steps of a file through /api/v1 as a client would take them: one bearer token per
role, the same steps and data as the browser flows (tests/workflow/test_pkkpr_flow.py).
Every helper takes the client it talks through: Flask's test client, or an HTTP client
in front of several hosts (tests/ops/test_scale_out.py)."""

import io
import re
from datetime import timedelta

from werkzeug.datastructures import FileStorage

from app.signing import get_signer
from app.signing.pades import is_authentic
from app.workflow.validity import anniversary
from tests.api.support import api, ids, multipart, token
from tests.support import PDF, PNG, SIGNING_PASSPHRASE, TODAY, action_input, pkkpr_application_data

ROLES = ("pemohon", "frontoffice", "pemeriksa", "dpupr", "atrbpn", "pengelolaaset",
         "backoffice", "kepaladinas")


def tokens_of(client):
    """An access token for each demo user of ROLES."""
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


def decree_of(client, bearer, application_id, trust_roots=None):
    """The decree's PDF, its signature checked against `trust_roots` (by default the
    signer's of this app)."""
    response = api(client, bearer, "GET", f"/applications/{application_id}/decree")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert is_authentic(response.data, trust_roots or get_signer().trust_roots())
    return response.data


def verification_token(body):
    url = body["decree"]["verification_url"]
    assert re.search(r"/verifikasi/[\w-]+$", url), url
    return url.rsplit("/", 1)[1]


def walk_a_pkkpr_file(client, tokens, trust_roots, decree_sha256):
    """A PKKPR file from a draft to its signed decree, tracked and verified, through
    /api/v1 only. `trust_roots`: the signer's roots the decree must verify against;
    `decree_sha256(application_id)`: the decree's checksum as the database holds it.
    Returns the id of the file."""
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
    decree_of(client, pemohon, application_id, trust_roots)

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
        "sha256": decree_sha256(application_id),
    }
    return application_id
