"""From Siap DS to the applicant's signed decree, the public verification page, the
head of office's batch signing, and revocation."""

import io
import logging
import shutil
import subprocess

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from app.extensions import db
from app.signing import get_signer
from app.signing.pades import is_authentic
from models import Application, Artifact
from tests.support import POLYGON, SIGNING_PASSPHRASE, make_pkkpr, user


def ready_file(status="siap_ds", **options):
    """A Siap DS file with the artifacts a decree cites, as the flow leaves it (`options`
    as make_pkkpr takes them: a walk-in file has owner=None)."""
    application = make_pkkpr(status, **options)
    application.sk_number = f"503/{application.id:03d}/409.110/2026"
    dpupr = user("dpupr").id
    application.artifacts += [
        Artifact(kind="krk", number="650/12/409.114/2026", issued_by_id=dpupr,
                 data={"peruntukan": "Perumahan", "kdb_maks": "60", "kdh_min": "20",
                       "klb": "1.2", "gsb": "5", "lantai_maks": 3}),
        Artifact(kind="pertek", number="PTK/45/2026", issued_by_id=user("atrbpn").id, data={}),
        Artifact(kind="rekomendasi", number="600/77/409.114/2026", issued_by_id=dpupr,
                 data={"keputusan": "disetujui", "luas_disetujui": "240"}),
        Artifact(kind="peta", issued_by_id=dpupr, data={"poligon_geojson": POLYGON}),
    ]
    db.session.commit()
    return application


def sign_on_the_phone_page(client, *application_ids, passphrase=SIGNING_PASSPHRASE):
    return client.post("/tandatangan/", data={"application_id": [str(i) for i in application_ids],
                                              "passphrase": passphrase},
                       follow_redirects=True)


def status_of(application_id):
    db.session.expire_all()
    return db.session.get(Application, application_id).status


def test_the_head_of_office_signs_and_the_applicant_downloads_a_valid_decree(login_as, tmp_path):
    application = ready_file()
    kepala = login_as("kepaladinas")
    page = kepala.get("/tandatangan/").get_data(as_text=True)
    assert application.registration_number in page and application.sk_number in page
    preview = kepala.get(f"/permohonan/{application.id}/draf-sk.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    response = sign_on_the_phone_page(kepala, application.id)
    assert "1 berkas ditandatangani" in response.get_data(as_text=True)
    assert status_of(application.id) == "selesai"

    download = login_as("pemohon").get(f"/permohonan/{application.id}/sk.pdf")
    assert download.status_code == 200
    signed = download.data
    assert is_authentic(signed, get_signer().trust_roots())
    decree = db.session.get(Application, application.id).decree
    assert decree.sha256 and decree.signer_name == "Kepala DPMPTSP"
    if shutil.which("pdfsig"):
        path = tmp_path / "sk.pdf"
        path.write_bytes(signed)
        assert "Signature is Valid" in subprocess.run(["pdfsig", str(path)], capture_output=True,
                                                      text=True).stdout


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="zbar-tools / poppler-utils absent")
def test_the_qr_code_in_the_signed_decree_leads_to_its_verification_page(login_as, tmp_path):
    application = ready_file()
    sign_on_the_phone_page(login_as("kepaladinas"), application.id)
    decree = db.session.get(Application, application.id).decree
    path = tmp_path / "sk.pdf"
    path.write_bytes(login_as("pemohon").get(f"/permohonan/{application.id}/sk.pdf").data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    pages = sorted(str(page) for page in tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", *pages], capture_output=True,
                             text=True).stdout.split()
    # The QR code of the visible signature, in the signature block.
    assert decoded == [f"http://localhost/verifikasi/{decree.token}"]


def test_the_verification_page_shows_the_permit_without_personal_data(client, login_as):
    application = ready_file()
    sign_on_the_phone_page(login_as("kepaladinas"), application.id)
    decree = db.session.get(Application, application.id).decree
    page = client.get(f"/verifikasi/{decree.token}").get_data(as_text=True)
    for shown in (application.sk_number, "PKKPR Non Berusaha", "Budi Santoso", "Kanigoro",
                  decree.sha256, "BERLAKU"):
        assert shown in page, shown
    for hidden in (application.applicant_nik, application.applicant_whatsapp,
                   application.applicant_address):
        assert hidden not in page
    assert client.get("/verifikasi/tebakan-acak").status_code == 404


def test_the_verification_page_tells_an_authentic_copy_from_a_changed_one(client, login_as):
    application = ready_file()
    sign_on_the_phone_page(login_as("kepaladinas"), application.id)
    decree = db.session.get(Application, application.id).decree
    signed = login_as("pemohon").get(f"/permohonan/{application.id}/sk.pdf").data

    def check(content):
        return client.post(f"/verifikasi/{decree.token}",
                           data={"file": (io.BytesIO(content), "sk.pdf")},
                           content_type="multipart/form-data").get_data(as_text=True)

    assert "Asli" in check(signed)
    one_byte = bytearray(signed)
    one_byte[300] = (one_byte[300] + 1) % 256
    assert "TIDAK asli" in check(bytes(one_byte))
    assert "TIDAK asli" in check(incremental_update(signed))
    assert not is_authentic(incremental_update(signed), get_signer().trust_roots())


def incremental_update(pdf_bytes):
    """The signed PDF with a real incremental update appended (a changed title)."""
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    info = writer.trailer["/Info"].get_object()
    info["/Title"] = pdf_string("SK palsu")
    writer.update_container(info)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_wrong_passphrase_leaves_the_file_ready_with_a_clear_message(login_as):
    application = ready_file()
    kepala = login_as("kepaladinas")
    sign_on_the_phone_page(kepala, ready_file().id)  # first use sets the passphrase
    response = sign_on_the_phone_page(kepala, application.id, passphrase="bukan-ini")
    assert "Passphrase salah" in response.get_data(as_text=True)
    assert status_of(application.id) == "siap_ds"
    decree = db.session.get(Application, application.id).decree
    assert not (decree and decree.is_signed)


def test_the_passphrase_is_never_logged_or_stored(login_as, caplog, app):
    secret = "Sangat-Rahasia-7788"
    caplog.set_level(logging.DEBUG)
    application = ready_file()
    kepala = login_as("kepaladinas")
    sign_on_the_phone_page(kepala, application.id, passphrase=secret)  # first use
    sign_on_the_phone_page(kepala, ready_file().id, passphrase="salah-lagi")
    assert secret not in caplog.text and "salah-lagi" not in caplog.text
    for table in sa_inspect(db.engine).get_table_names():
        rows = db.session.execute(select(db.text("*")).select_from(db.text(table))).all()
        assert secret not in repr(rows), table


def test_twenty_files_are_signed_with_one_passphrase(login_as):
    files = [ready_file().id for _ in range(20)]
    response = sign_on_the_phone_page(login_as("kepaladinas"), *files)
    assert "20 berkas ditandatangani" in response.get_data(as_text=True)
    assert all(status_of(i) == "selesai" for i in files)


def test_a_batch_stops_at_a_wrong_passphrase_without_retrying(login_as):
    kepala = login_as("kepaladinas")
    sign_on_the_phone_page(kepala, ready_file().id)
    files = [ready_file().id for _ in range(3)]
    page = sign_on_the_phone_page(kepala, *files, passphrase="keliru").get_data(as_text=True)
    assert page.count("Passphrase salah") == 3  # one failure, two skipped for that reason
    assert page.count("Tidak dicoba") == 2
    assert all(status_of(i) == "siap_ds" for i in files)


def test_the_back_office_is_told_when_the_signer_is_not_ready(login_as, bsre_backend):
    application = make_pkkpr("rekomendasi_terbit")
    response = login_as("backoffice").post(
        f"/permohonan/{application.id}/aksi/input_nomor_sk", data={"tanggal_sk": "2026-01-05"},
        follow_redirects=True)
    assert "belum dapat menandatangani" in response.get_data(as_text=True)
    assert status_of(application.id) == "rekomendasi_terbit"
    kepala = user("kepaladinas")
    bsre_backend.register(kepala.nik, kepala.full_name, "Bsre-Rahasia-1")
    login_as("backoffice").post(f"/permohonan/{application.id}/aksi/input_nomor_sk",
                                data={"tanggal_sk": "2026-01-05"})
    assert status_of(application.id) == "siap_ds"


def test_signing_through_bsre_gives_a_decree_bsre_verifies(login_as, bsre_backend, client):
    kepala = user("kepaladinas")
    bsre_backend.register(kepala.nik, kepala.full_name, "Bsre-Rahasia-1")
    application = ready_file()
    sign_on_the_phone_page(login_as("kepaladinas"), application.id, passphrase="Bsre-Rahasia-1")
    assert status_of(application.id) == "selesai"
    signed = login_as("pemohon").get(f"/permohonan/{application.id}/sk.pdf").data
    assert is_authentic(signed, bsre_backend.trust_roots())
    decree = db.session.get(Application, application.id).decree
    assert decree.backend == "bsre"
    page = client.post(f"/verifikasi/{decree.token}", data={"file": (io.BytesIO(signed), "a.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Asli" in page


def test_the_head_of_office_revokes_a_permit_and_the_verification_page_says_so(login_as, client):
    application = ready_file()
    kepala = login_as("kepaladinas")
    sign_on_the_phone_page(kepala, application.id)
    refused = login_as("pemohon").post(f"/permohonan/{application.id}/cabut",
                                       data={"alasan": "x"})
    assert refused.status_code == 403
    kepala.post(f"/permohonan/{application.id}/cabut", data={"alasan": "Data tanah palsu"})
    decree = db.session.get(Application, application.id).decree
    db.session.refresh(decree)
    assert decree.status == "dicabut"
    page = client.get(f"/verifikasi/{decree.token}").get_data(as_text=True)
    assert "DICABUT" in page


def test_the_signing_page_fits_a_phone(login_as):
    ready_file()
    page = login_as("kepaladinas").get("/tandatangan/").get_data(as_text=True)
    assert 'name="viewport"' in page and "overflow-x: hidden" in page
    assert 'type="password"' in page and 'autocomplete="off"' in page


def test_an_unknown_verification_code_says_the_document_is_not_registered(client):
    """A QR code or link that leads nowhere is answered plainly (still a 404): nothing
    by that code is in the office's register, and what to do about a document that
    carries it."""
    response = client.get("/verifikasi/tebakan-acak")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "tidak terdaftar" in page and "tebakan-acak" not in page
    assert "DPMPTSP" in page
