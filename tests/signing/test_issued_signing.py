"""Rejection letters and revocation decrees end to end: the refusal or the revocation
numbers the document, the head of office (or their Plt./Plh.) signs it on the signing
page or through the API with the passphrase, the applicant is notified and downloads
it from the file page and the API (others get 404), and the verification pages and the
register say what it is."""

import io
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.extensions import db
from app.signing import get_signer
from app.signing.pades import is_authentic
from models import Application, InAppNotification, IssuedDocument, OutboxMessage
from tests.api.support import api, token
from tests.conftest import login
from tests.decrees.support import signed_pkkpr
from tests.factories import make_user
from tests.signing.conftest import LETTER, PASSWORD, appoint
from tests.support import SIGNING_PASSPHRASE, make_pkkpr, user

REASON = "Lokasi berada di kawasan sempadan sungai"
REVOKED_FOR = "Data tanah yang diajukan tidak benar"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils absent")


def text_of(content, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())


def document_of(application_id, kind):
    db.session.expire_all()
    return db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.application_id == application_id, IssuedDocument.kind == kind))


def sign_on_the_signing_page(client, *document_ids, passphrase=SIGNING_PASSPHRASE):
    return client.post("/tandatangan/", data={"document_id": [str(i) for i in document_ids],
                                              "passphrase": passphrase},
                       follow_redirects=True)


def download_url(document):
    return f"/permohonan/{document.application_id}/berkas/terbitan/{document.id}"


@pytest.fixture
def neighbour(app):
    """Another applicant, who must not reach someone else's letters."""
    make_user(username="tetangga", password=PASSWORD)
    return login(app.test_client(), "tetangga", PASSWORD)


@needs_pdftotext
def test_a_rejection_is_signed_on_the_signing_page_and_the_applicant_downloads_it(
        login_as, neighbour, tmp_path):
    application = make_pkkpr("diteruskan_dinas")
    login_as("dpupr").post(f"/permohonan/{application.id}/aksi/tolak", data={"alasan": REASON})
    letter = document_of(application.id, "surat_penolakan")
    pemohon = login_as("pemohon")
    page = pemohon.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f"Surat penolakan Nomor {letter.number}: menunggu tanda tangan." in page
    assert pemohon.get(download_url(letter)).status_code == 404  # not signed yet

    kepala = login_as("kepaladinas")
    page = kepala.get("/tandatangan/").get_data(as_text=True)
    assert letter.number in page and REASON in page and 'name="document_id"' in page
    preview = kepala.get(f"/tandatangan/terbitan/{letter.id}/pratinjau")
    assert preview.status_code == 200 and "DRAF" in text_of(preview.data, tmp_path)
    signed = sign_on_the_signing_page(kepala, letter.id).get_data(as_text=True)
    assert "1 berkas ditandatangani" in signed
    assert letter.number not in kepala.get("/tandatangan/").get_data(as_text=True)

    page = pemohon.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert download_url(letter) in page and "Unduh surat penolakan (PDF)" in page
    download = pemohon.get(download_url(letter))
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert f"Surat Penolakan {letter.number.replace('/', '-')}.pdf" in \
        download.headers["Content-Disposition"]
    assert is_authentic(download.data, get_signer().trust_roots())
    text = text_of(download.data, tmp_path)
    for expected in (f"Nomor : {letter.number}", "Hal : Penolakan Permohonan", REASON,
                     "Kepala DPMPTSP", "NIP 197001011995031003"):
        assert expected in text, expected

    assert login_as("frontoffice").get(download_url(letter)).status_code == 200
    assert neighbour.get(download_url(letter)).status_code == 404
    assert neighbour.get(f"/tandatangan/terbitan/{letter.id}/pratinjau").status_code == 403

    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id,
        OutboxMessage.template_key == "surat_penolakan_terbit"))
    assert message.recipient_number == application.applicant_whatsapp
    for expected in (letter.number, "telah ditandatangani", f"/permohonan/{application.id}"):
        assert expected in message.body, expected
    assert db.session.scalar(select(InAppNotification).where(
        InAppNotification.user_id == user("pemohon").id,
        InAppNotification.text == message.body)) is not None


@needs_pdftotext
def test_a_revocation_through_the_api_is_signed_through_the_api_and_downloaded(
        client, neighbour, login_as, tmp_path):
    application = signed_pkkpr()
    kepala, pemohon = token(client, "kepaladinas"), token(client, "pemohon")
    refused = api(client, pemohon, "POST", f"/applications/{application.id}/revoke",
                  json={"alasan": REVOKED_FOR})
    assert refused.status_code == 403
    missing = api(client, kepala, "POST", f"/applications/{application.id}/revoke", json={})
    assert missing.status_code == 400 and "alasan" in missing.get_json()["errors"]
    response = api(client, kepala, "POST", f"/applications/{application.id}/revoke",
                   json={"alasan": REVOKED_FOR})
    assert response.status_code == 200
    body = response.get_json()
    assert body["decree"]["state"] == "dicabut"
    [pending] = body["issued_documents"]
    assert (pending["kind"], pending["signed"], pending["file_id"]) == (
        "sk_pencabutan", False, None)
    assert pending["number"] == body["decree"]["revocation_number"]

    listed = api(client, kepala, "GET", "/sign/documents").get_json()["result"]
    assert [(d["id"], d["kind"], d["application_id"]) for d in listed] == [
        (pending["id"], "sk_pencabutan", application.id)]
    assert api(client, pemohon, "GET", "/sign/documents").status_code == 403
    result = api(client, kepala, "POST", "/sign/batch", json={
        "document_ids": [pending["id"]], "passphrase": SIGNING_PASSPHRASE}).get_json()
    assert result["results"] == [{"document_id": pending["id"], "outcome": "signed",
                                  "message": None}]
    assert api(client, kepala, "GET", "/sign/documents").get_json()["result"] == []

    [issued] = api(client, pemohon, "GET",
                   f"/applications/{application.id}").get_json()["issued_documents"]
    assert issued["signed"] and issued["file_id"] == f"terbitan-{pending['id']}"
    download = api(client, pemohon, "GET",
                   f"/applications/{application.id}/files/{issued['file_id']}")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    text = text_of(download.data, tmp_path)
    for expected in (f"NOMOR {pending['number']}", "MEMUTUSKAN", "KESATU",
                     f"Nomor {application.sk_number}", REVOKED_FOR):
        assert expected in text, expected
    document = document_of(application.id, "sk_pencabutan")
    assert download.data == login_as("pemohon").get(download_url(document)).data
    other = token(client, "tetangga", PASSWORD)
    assert api(client, other, "GET",
               f"/applications/{application.id}/files/{issued['file_id']}").status_code == 404
    assert neighbour.get(download_url(document)).status_code == 404
    assert db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id,
        OutboxMessage.template_key == "sk_pencabutan_terbit")) is not None


def test_the_verification_pages_show_the_revocation_decree_and_check_its_copies(
        client, login_as):
    application = signed_pkkpr()
    kepala = login_as("kepaladinas")
    kepala.post(f"/permohonan/{application.id}/cabut", data={"alasan": REVOKED_FOR})
    decree = document_of(application.id, "sk_pencabutan")
    permit = db.session.get(Application, application.id).decree
    page = client.get(f"/verifikasi/{permit.token}").get_data(as_text=True)
    assert f"dengan Keputusan Nomor {decree.number}" in page and "DICABUT pada" in page
    assert "menunggu tanda tangan" in page
    assert client.get(f"/verifikasi/{decree.token}").status_code == 404  # not signed yet

    sign_on_the_signing_page(kepala, decree.id)
    decree = document_of(application.id, "sk_pencabutan")
    page = client.get(f"/verifikasi/{permit.token}").get_data(as_text=True)
    assert "ditandatangani pada" in page and f"/verifikasi/{decree.token}" in page
    verified = api(client, None, "GET", f"/verify/{permit.token}").get_json()
    assert verified["state"] == "dicabut" and verified["revocation_number"] == decree.number
    assert verified["revocation_decree"]["signed"] is True

    page = client.get(f"/verifikasi/{decree.token}").get_data(as_text=True)
    assert decree.number in page and application.sk_number in page and decree.sha256 in page
    assert application.applicant_nik not in page and REVOKED_FOR not in page
    signed = login_as("pemohon").get(download_url(decree)).data
    checked = client.post(f"/verifikasi/{decree.token}",
                          data={"file": (io.BytesIO(signed), "sk-pencabutan.pdf")},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Asli: berkas ini adalah SK pencabutan" in checked
    changed = bytearray(signed)
    changed[400] = (changed[400] + 1) % 256
    checked = client.post(f"/verifikasi/{decree.token}",
                          data={"file": (io.BytesIO(bytes(changed)), "sk-pencabutan.pdf")},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "TIDAK asli" in checked
    facts = api(client, None, "GET", f"/verify/{decree.token}").get_json()
    assert (facts["document"], facts["number"], facts["revokes_sk_number"]) == (
        "sk_pencabutan", decree.number, application.sk_number)
    assert facts["sha256"] == decree.sha256


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="zbar-tools / poppler-utils absent")
def test_the_qr_code_of_a_signed_letter_leads_to_its_verification_page(login_as, tmp_path):
    application = make_pkkpr("krk_terbit")
    login_as("dpupr").post(f"/permohonan/{application.id}/aksi/tolak", data={"alasan": REASON})
    letter = document_of(application.id, "surat_penolakan")
    sign_on_the_signing_page(login_as("kepaladinas"), letter.id)
    path = tmp_path / "surat.pdf"
    path.write_bytes(login_as("pemohon").get(download_url(letter)).data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    pages = sorted(str(page) for page in tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", *pages], capture_output=True,
                             text=True).stdout.split()
    assert decoded == [f"http://localhost/verifikasi/{letter.token}"]


def test_a_wrong_passphrase_on_the_signing_page_leaves_the_letter_unsigned(login_as):
    application = make_pkkpr("krk_terbit")
    login_as("dpupr").post(f"/permohonan/{application.id}/aksi/tolak", data={"alasan": REASON})
    letter = document_of(application.id, "surat_penolakan")
    page = sign_on_the_signing_page(login_as("kepaladinas"), letter.id,
                                    passphrase="salah").get_data(as_text=True)
    assert f"Surat penolakan {letter.number}: Passphrase salah" in page
    assert not document_of(application.id, "surat_penolakan").is_signed


def test_the_signing_post_needs_its_csrf_token(app, login_as):
    application = make_pkkpr("krk_terbit")
    login_as("dpupr").post(f"/permohonan/{application.id}/aksi/tolak", data={"alasan": REASON})
    letter = document_of(application.id, "surat_penolakan")
    kepala = login_as("kepaladinas")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = kepala.post("/tandatangan/", data={"document_id": [str(letter.id)],
                                                     "passphrase": SIGNING_PASSPHRASE},
                              headers={"Accept": "application/json"})
        assert refused.status_code == 400
        assert "Formulir sudah kedaluwarsa" in refused.get_json()["message"]
        assert not document_of(application.id, "surat_penolakan").is_signed
        page = kepala.get("/tandatangan/").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        signed = kepala.post("/tandatangan/", data={
            "document_id": [str(letter.id)], "passphrase": SIGNING_PASSPHRASE,
            "csrf_token": csrf}, follow_redirects=True)
        assert "1 berkas ditandatangani" in signed.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert document_of(application.id, "surat_penolakan").is_signed


@needs_pdftotext
def test_a_plt_signs_the_letter_during_the_delegation_and_it_says_plt(app, sekdin,
                                                                      login_as, tmp_path):
    application = make_pkkpr("krk_terbit")
    login_as("dpupr").post(f"/permohonan/{application.id}/aksi/tolak", data={"alasan": REASON})
    letter = document_of(application.id, "surat_penolakan")
    outside = login(app.test_client(), "sekdin", PASSWORD)
    assert outside.get("/tandatangan/").status_code == 403  # not appointed yet
    assert sign_on_the_signing_page(outside, letter.id).status_code == 403

    appoint(sekdin, "plt", first=-1, last=1)
    plt = login(app.test_client(), "sekdin", PASSWORD)
    assert letter.number in plt.get("/tandatangan/").get_data(as_text=True)
    assert "1 berkas ditandatangani" in sign_on_the_signing_page(plt, letter.id).get_data(
        as_text=True)
    letter = document_of(application.id, "surat_penolakan")
    assert (letter.signer_id, letter.signer_capacity, letter.signer_letter_number) == (
        sekdin.id, "plt", LETTER)
    text = text_of(login_as("pemohon").get(download_url(letter)).data, tmp_path)
    assert "Plt. KEPALA DINAS PENANAMAN MODAL" in text
    assert "Rina Wulandari" in text and "NIP 197805122003121002" in text
