"""Asset use end to end through the HTTP endpoints the screens use: a paid rent through
the retribution invoice and a free loan for use straight to the signature, each step by
the role that does it."""

import io
import re
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.signing import get_signer
from app.signing.pades import is_authentic
from app.storage.files import read_stored
from models import Application, HistoryEvent
from tests.support import (
    HALL,
    HALL_ROOM,
    PDF,
    SIGNING_PASSPHRASE,
    TODAY,
    asset_application_data,
    asset_named,
    recommendation_input,
    retribution_proof_input,
)
from tests.workflow.test_pkkpr_flow import act, inbox_has, status_of


def pdf_text(content):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()


def apply_and_submit(pemohon, asset, start, end, **changes):
    """The applicant's part: the draft (with its estimated fee), uploads, submission."""
    response = pemohon.post(f"/permohonan/baru/{asset.asset_type.code}",
                            data=asset_application_data(asset, start, end, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    application_id = int(re.search(r"/permohonan/(\d+)$", response.headers["Location"]).group(1))
    for requirement in asset.asset_type.requirements:
        if requirement.mandatory:
            response = pemohon.post(f"/permohonan/{application_id}/dokumen/{requirement.id}",
                                    data={"file": (io.BytesIO(PDF), "dokumen.pdf")},
                                    content_type="multipart/form-data")
            assert response.status_code == 302
    draft_page = pemohon.get(f"/permohonan/{application_id}").get_data(as_text=True)
    act(pemohon, application_id, "ajukan")
    return application_id, draft_page


def front_office_and_examiner(login_as, application_id):
    frontoffice = login_as("frontoffice")
    act(frontoffice, application_id, "terima")
    act(frontoffice, application_id, "teruskan_pemeriksa")
    pemeriksa = login_as("pemeriksa")
    for document in db.session.get(Application, application_id).documents:
        pemeriksa.post(f"/permohonan/{application_id}/dokumen/{document.id}/verifikasi",
                       data={"verdict": "accepted"})
    act(pemeriksa, application_id, "teruskan_dinas")
    assert status_of(application_id) == "diteruskan_opd"


def number_and_sign(login_as, application_id):
    backoffice = login_as("backoffice")
    draft = backoffice.get(f"/permohonan/{application_id}/draf-sk.pdf")
    assert draft.status_code == 200 and "DRAF - BELUM DITANDATANGANI" in pdf_text(draft.data)
    act(backoffice, application_id, "input_nomor_sk", {"tanggal_sk": TODAY.isoformat()})
    assert status_of(application_id) == "siap_ds"
    kepaladinas = login_as("kepaladinas")
    application = db.session.get(Application, application_id)
    signing_page = kepaladinas.get("/tandatangan/").get_data(as_text=True)
    assert application.registration_number in signing_page
    assert application.asset_use.asset.name in signing_page
    act(kepaladinas, application_id, "tandatangani", {"passphrase": SIGNING_PASSPHRASE})
    assert status_of(application_id) == "selesai"
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    public = login_as("pemohon").get(f"/verifikasi/{application.decree.token}")
    assert application.asset_use.asset.kode_barang in public.get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_a_paid_hall_rent_goes_from_draft_through_the_skrd_to_a_signed_permit(login_as):
    hall = asset_named(HALL)
    start = TODAY + timedelta(days=45)
    end = start + timedelta(days=2)
    pemohon = login_as("pemohon")
    form_page = pemohon.get("/permohonan/baru/ASET-GEDUNG-PERTEMUAN").get_data(as_text=True)
    assert "Rp1.500.000 per hari" in form_page and f"/aset/{hall.id}" in form_page

    application_id, draft_page = apply_and_submit(pemohon, hall, start, end)
    assert "Rp4.500.000" in draft_page  # 3 days × Rp1.500.000, before submission
    number = db.session.get(Application, application_id).registration_number
    assert number.startswith("ASET-GEDUNG-PERTEMUAN/")

    front_office_and_examiner(login_as, application_id)
    pengelola = login_as("pengelolaaset")  # BPKAD manages the hall
    assert inbox_has(pengelola, number)
    form = pengelola.get(f"/permohonan/{application_id}/aksi/terbitkan_rekomendasi")
    assert start.isoformat() in form.get_data(as_text=True)  # starts from the request
    act(pengelola, application_id, "terbitkan_rekomendasi",
        dict(recommendation_input(start, end)))
    assert status_of(application_id) == "menunggu_pembayaran"

    application = db.session.get(Application, application_id)
    assert application.asset_use.fee == 4500000
    skrd = next(a for a in application.artifacts if a.kind == "skrd")
    assert re.fullmatch(rf"SKRD/00001/BPKAD/{TODAY.year}", skrd.number)
    assert skrd.data["jumlah"] == "4500000"
    text = pdf_text(read_stored(skrd.stored_name))
    assert "Rp4.500.000" in text and "empat juta lima ratus ribu rupiah" in text
    assert skrd.data["jatuh_tempo"] == (start - timedelta(days=1)).isoformat() or (
        skrd.data["jatuh_tempo"] == (TODAY + timedelta(days=30)).isoformat())
    page = pemohon.get(f"/permohonan/{application_id}").get_data(as_text=True)
    assert skrd.number in page
    download = pemohon.get(f"/permohonan/{application_id}/berkas/artefak/{skrd.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")

    act(pemohon, application_id, "unggah_bukti_bayar", dict(retribution_proof_input()))
    assert status_of(application_id) == "verifikasi_pembayaran"
    act(pengelola, application_id, "konfirmasi_pembayaran", {"catatan": "Lunas"})
    assert status_of(application_id) == "penyiapan_sk"

    number_and_sign(login_as, application_id)
    decree = pemohon.get(f"/permohonan/{application_id}/sk.pdf")
    assert decree.status_code == 200
    assert is_authentic(decree.data, get_signer().trust_roots())
    text = pdf_text(decree.data)
    assert "IZIN PEMANFAATAN BARANG MILIK DAERAH" in text and hall.kode_barang in text
    assert "Rp4.500.000" in text
    application = db.session.get(Application, application_id)
    assert [e.action for e in application.events if e.from_status] == [
        "ajukan", "terima", "teruskan_pemeriksa", "teruskan_dinas", "terbitkan_rekomendasi",
        "unggah_bukti_bayar", "konfirmasi_pembayaran", "input_nomor_sk", "tandatangani"]
    assert application.asset_use.booking == "eksklusif"


@pytest.mark.usefixtures("app")
def test_a_free_loan_for_use_skips_the_payment_states(login_as):
    room = asset_named(HALL_ROOM)
    start = TODAY + timedelta(days=10)
    end = start + timedelta(days=180)
    pemohon = login_as("pemohon")
    application_id, draft_page = apply_and_submit(
        pemohon, room, start, end, acts_for_organisation="y",
        organisation_name="Posyandu Melati", purpose="Posyandu balita setiap bulan")
    assert "Rp0" in draft_page
    front_office_and_examiner(login_as, application_id)
    act(login_as("pengelolaaset"), application_id, "terbitkan_rekomendasi",
        dict(recommendation_input(start, end)))
    assert status_of(application_id) == "penyiapan_sk"
    application = db.session.get(Application, application_id)
    assert not any(a.kind == "skrd" for a in application.artifacts)

    number_and_sign(login_as, application_id)
    decree = pemohon.get(f"/permohonan/{application_id}/sk.pdf")
    assert is_authentic(decree.data, get_signer().trust_roots())
    text = " ".join(pdf_text(decree.data).split())
    assert "Bertindak untuk : Posyandu Melati" in text and "PINJAM PAKAI" in text
    assert "Pinjam pakai diberikan tanpa imbalan" in text
    statuses = [e.to_status for e in application.events if e.from_status]
    assert "menunggu_pembayaran" not in statuses


@pytest.mark.usefixtures("app")
def test_the_agency_changes_the_fee_only_with_a_reason_and_the_history_keeps_it(login_as):
    hall = asset_named(HALL)
    start = TODAY + timedelta(days=60)
    application_id, _ = apply_and_submit(login_as("pemohon"), hall, start, start)
    front_office_and_examiner(login_as, application_id)
    pengelola = login_as("pengelolaaset")
    refused = pengelola.post(f"/permohonan/{application_id}/aksi/terbitkan_rekomendasi",
                             data=dict(recommendation_input(start, start, biaya="750000")),
                             content_type="multipart/form-data")
    assert refused.status_code == 200
    assert "Biaya hasil hitung Rp1.500.000" in refused.get_data(as_text=True)
    assert status_of(application_id) == "diteruskan_opd"

    act(pengelola, application_id, "terbitkan_rekomendasi", dict(recommendation_input(
        start, start, biaya="750000", alasan_biaya="Kegiatan sosial, keringanan 50%")))
    application = db.session.get(Application, application_id)
    assert application.asset_use.fee == 750000
    event = db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application_id,
        HistoryEvent.action == "terbitkan_rekomendasi"))
    assert event.data["biaya_dihitung"] == "1500000" and event.data["biaya"] == "750000"
    assert "keringanan 50%" in event.comment
    page = login_as("pemohon").get(f"/permohonan/{application_id}").get_data(as_text=True)
    assert "keringanan 50%" in page and "Rp750.000" in page


@pytest.mark.usefixtures("app")
def test_bad_asset_application_input_gets_indonesian_messages(login_as):
    hall = asset_named(HALL)
    pemohon = login_as("pemohon")
    cases = [
        ({"period_start": (TODAY - timedelta(days=1)).isoformat()}, "tidak boleh sebelum hari ini"),
        ({"period_end": (TODAY + timedelta(days=1)).isoformat(),
          "period_start": (TODAY + timedelta(days=3)).isoformat()},
         "tidak boleh berakhir sebelum"),
        ({"period_end": (TODAY + timedelta(days=6 * 365)).isoformat()}, "paling lama lima tahun"),
        ({"asset_id": str(asset_named(HALL_ROOM).id)}, "Pilihan tidak valid"),
    ]
    start = TODAY + timedelta(days=5)
    for changes, message in cases:
        response = pemohon.post("/permohonan/baru/ASET-GEDUNG-PERTEMUAN",
                                data=asset_application_data(hall, start, start, **changes))
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), changes
    land = asset_named("Tanah eks bengkok Desa Sumberdiren")
    response = pemohon.post("/permohonan/baru/ASET-SEWA-TANAH",
                            data=asset_application_data(land, start, start))
    assert "tarifnya per m²" in response.get_data(as_text=True)
    response = pemohon.post("/permohonan/baru/ASET-SEWA-TANAH",
                            data=asset_application_data(land, start, start, area_m2="9999"))
    assert "hanya 2500" in response.get_data(as_text=True)
    assert db.session.scalar(select(Application.id).where(Application.kind == "aset")) is None


@pytest.mark.usefixtures("app")
def test_the_asset_is_chosen_never_taken_by_default(login_as):
    """The list of assets starts at "— pilih —"; sent without a choice, the form says
    the asset is needed and nothing is saved."""
    pemohon = login_as("pemohon")
    page = pemohon.get("/permohonan/baru/ASET-GEDUNG-PERTEMUAN").get_data(as_text=True)
    assets = re.search(r'<select[^>]*name="asset_id".*?</select>', page, re.S).group(0)
    first = re.search(r"<option[^>]*>", assets).group(0)
    assert 'value=""' in first and "— pilih —" in assets
    start = TODAY + timedelta(days=5)
    count = select(func.count(Application.id))
    before = db.session.scalar(count)
    response = pemohon.post("/permohonan/baru/ASET-GEDUNG-PERTEMUAN",
                            data=asset_application_data(asset_named(HALL), start, start,
                                                        asset_id=""))
    assert response.status_code == 200
    assert "wajib diisi" in response.get_data(as_text=True)
    assert db.session.scalar(count) == before
