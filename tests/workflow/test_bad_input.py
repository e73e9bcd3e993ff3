"""Every bad input gets a clear Indonesian message and changes nothing: no status,
no version, no artifact, no document, no file left in the upload folder."""

import io
from pathlib import Path

import pytest
from flask import current_app

from app.extensions import db
from models import Application
from tests.security.upload_corpus import with_catalog
from tests.support import PDF, action_input, make_pkkpr, pkkpr_application_data


def files_in_upload_folder():
    root = Path(current_app.config["UPLOAD_FOLDER"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def state_of(application_id):
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    return (application.status, application.version, len(application.artifacts),
            len(application.documents), len(application.events))


def ktp_requirement(application):
    return next(r for r in application.permit_type.requirements if r.name == "KTP pemohon")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "ktp.pdf", "Berkas harus berformat PDF, JPG, PNG"),
        (b"<html><script>alert(1)</script></html>", "ktp.png",
         "Berkas harus berformat PDF, JPG, PNG"),
        (b"", "ktp.pdf", "Berkas kosong."),
        (b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "ktp.pdf", "Ukuran berkas melebihi 2 MB."),
        (with_catalog(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
         "ktp.pdf", "PDF berisi skrip"),
    ],
    ids=["renamed-exe", "html-as-png", "empty", "oversized", "pdf-with-javascript"],
)
def test_a_bad_upload_is_refused_with_a_message(login_as, content, name, message):
    application = make_pkkpr("draft", documents=None)
    before, files = state_of(application.id), files_in_upload_folder()
    client = login_as("pemohon")
    response = client.post(
        f"/permohonan/{application.id}/dokumen/{ktp_requirement(application).id}",
        data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    assert state_of(application.id) == before
    assert files_in_upload_folder() == files


def post_action(client, application, action, **changes):
    data = dict(action_input(action))
    data.update(changes)
    return client.post(f"/permohonan/{application.id}/aksi/{action}", data=data,
                       content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kode_billing": "82026000001234"}, "Kode billing terdiri atas tepat 15 digit."),
        ({"kode_billing": "8202600000123456"}, "Kode billing terdiri atas tepat 15 digit."),
        ({"jumlah": "-5000"}, "Harus lebih besar dari nol."),
        ({"berkas_sps": (io.BytesIO(b"MZ" + b"\x00" * 100), "sps.pdf")},
         "Berkas harus berformat PDF"),
    ],
    ids=["billing-14-digits", "billing-16-digits", "negative-amount", "exe-as-sps"],
)
def test_a_bad_sps_form_is_refused_and_changes_nothing(login_as, changes, message):
    application = make_pkkpr("krk_terbit")
    before, files = state_of(application.id), files_in_upload_folder()
    response = post_action(login_as("atrbpn"), application, "terbitkan_sps", **changes)
    assert message in response.get_data(as_text=True)
    assert state_of(application.id) == before
    assert files_in_upload_folder() == files


def test_a_krk_without_map_validation_is_refused(login_as):
    application = make_pkkpr("diteruskan_dinas")
    before = state_of(application.id)
    response = post_action(login_as("dpupr"), application, "terbitkan_krk",
                           peta_tervalidasi="")
    assert "Validasi peta sebelum menerbitkan KRK." in response.get_data(as_text=True)
    assert state_of(application.id) == before


def test_an_action_from_the_wrong_state_is_refused(login_as):
    application = make_pkkpr("diterima_fo")
    before = state_of(application.id)
    response = login_as("frontoffice").post(f"/permohonan/{application.id}/aksi/terima",
                                            follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "tidak dapat dilakukan selama berkas berstatus" in page
    assert "Diterima Front Office" in page
    assert state_of(application.id) == before


def test_a_stale_form_is_refused(login_as):
    application = make_pkkpr("diajukan")
    client = login_as("frontoffice")
    response = client.post(f"/permohonan/{application.id}/aksi/terima",
                           data={"expected_version": str(application.version - 1)},
                           follow_redirects=True)
    assert "Data telah diubah oleh pengguna lain" in response.get_data(as_text=True)
    assert state_of(application.id)[0] == "diajukan"


def test_a_payment_proof_by_someone_other_than_the_applicant_is_refused(login_as):
    application = make_pkkpr("menunggu_pembayaran")
    before = state_of(application.id)
    response = post_action(login_as("frontoffice"), application, "unggah_bukti_bayar")
    assert response.status_code == 403
    assert state_of(application.id) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"applicant_nik": "123"}, "NIK harus berupa 16 digit"),
        ({"applicant_whatsapp": "12345"}, "Masukkan nomor ponsel Indonesia"),
        ({"latitude": "-6.2"}, "Titik berada di luar Kabupaten Blitar"),
        ({"polygon_geojson": '{"type": "Polygon", "coordinates": [[[112.16, -8.1], '
                             '[112.17, -8.1], [112.17, -8.11]]]}'}, "Cincin poligon tidak"),
        ({"polygon_geojson": '{"type": "Polygon", "coordinates": [[[106.8, -6.2], '
                             '[106.81, -6.2], [106.81, -6.21], [106.8, -6.2]]]}'},
         "Poligon berada di luar Kabupaten Blitar."),
        ({"polygon_geojson": "bukan json"}, "GeoJSON"),
        ({"land_area_m2": "0"}, "Harus lebih besar dari nol."),
        ({"kecamatan": "Kota Blitar"}, "Not a valid choice"),
    ],
    ids=["nik", "whatsapp", "latitude", "open-ring", "polygon-outside", "not-json",
         "zero-area", "unknown-kecamatan"],
)
def test_a_bad_application_is_refused_and_nothing_is_created(login_as, changes, message):
    from sqlalchemy import func, select

    count = db.session.scalar(select(func.count(Application.id)))
    response = login_as("pemohon").post("/permohonan/baru/PKKPR-NB",
                                        data=pkkpr_application_data(**changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if message == "Not a valid choice":
        message = "Pilihan tidak valid"
    assert message in page
    assert db.session.scalar(select(func.count(Application.id))) == count


def test_the_polygon_area_is_computed_on_save(login_as):
    response = login_as("pemohon").post("/permohonan/baru/PKKPR-NB",
                                        data=pkkpr_application_data())
    application_id = int(response.headers["Location"].rsplit("/", 1)[1])
    area = float(db.session.get(Application, application_id).pkkpr.polygon_area_m2)
    # 0.0005° × 0.0005° at 8° S: about 55.07 m × 55.3 m.
    assert 3000 < area < 3100


def test_status_cannot_be_written_outside_the_engine():
    application = make_pkkpr("diajukan")
    application.status = "siap_ds"
    with pytest.raises(RuntimeError, match="only through"):
        db.session.commit()
    db.session.rollback()
    assert state_of(application.id)[0] == "diajukan"


def test_uploaded_files_are_served_as_attachments_that_cannot_run(login_as):
    application = make_pkkpr("diajukan")
    document = application.documents[0]
    response = login_as("frontoffice").get(
        f"/permohonan/{application.id}/berkas/dokumen/{document.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
