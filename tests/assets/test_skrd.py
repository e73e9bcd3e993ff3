"""The SKRD as the retribution office issues it: the agency's letterhead, the legal basis,
the object and its codes, the computation with any reduction and its reason, the total
in figures and words, the due date, the late sanction, where to pay and the agency's
official; from a versioned template an admin edits."""

import itertools
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.documents.template_form import skrd_form_data
from app.extensions import db
from app.storage.files import read_stored
from app.workflow import document_templates as templates
from app.workflow import skrd as skrd_service
from models import Agency, Application, Artifact, NumberSequence
from tests.support import TODAY, make_asset_use, recommendation_input
from tests.workflow.test_pkkpr_flow import act

REASON = "Kegiatan sosial Karang Taruna tanpa pungutan kepada peserta"


def flat(text):
    return " ".join(text.split())


_PERIODS = itertools.count()


def recommend(login_as, fee="", reason="", days=2):
    """The BPKAD meeting hall (Rp1.500.000 a day) for `days` days, recommended by BPKAD
    with the fee `fee` (empty: the computed one); the file's SKRD. Each call books
    another period (the hall is booked exclusively)."""
    start = TODAY + timedelta(days=20 + 10 * next(_PERIODS))
    end = start + timedelta(days=days - 1)
    application = make_asset_use(start=start, end=end)
    act(login_as("pengelolaaset"), application.id, "terbitkan_rekomendasi",
        recommendation_input(start, end, biaya=fee, alasan_biaya=reason))
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    skrd = next(a for a in application.artifacts if a.kind == "skrd")
    return application, skrd


def pdf_text(content, layout=False):
    """The text, white space folded: in reading order (a table cell's lines stay
    together), or as laid out (a row's label and value on one line)."""
    options = ["-layout"] if layout else []
    return flat(subprocess.run(["pdftotext", *options, "-", "-"], input=content,
                               capture_output=True, check=True).stdout.decode())


def skrd_text(skrd, layout=False):
    return pdf_text(read_stored(skrd.stored_name), layout)


@pytest.mark.usefixtures("app")
def test_a_lowered_fee_prints_the_computed_amount_the_reduction_with_its_reason_and_the_total(
    login_as
):
    """The review: 'Rp1.500.000 per hari × 2 hari' then 'Rp2.500.000', no reduction."""
    _, skrd = recommend(login_as, fee="2500000", reason=REASON)
    text = skrd_text(skrd)
    assert "Rp1.500.000 per hari × 2 hari" in text
    assert "Rp3.000.000" in text
    assert f"Pengurangan retribusi: {REASON}" in text
    assert "-Rp500.000" in text
    assert "JUMLAH YANG HARUS DIBAYAR Rp2.500.000" in text
    assert "dua juta lima ratus ribu rupiah" in text
    assert skrd.data["jumlah"] == "2500000"
    assert skrd.data["dihitung"] == "3000000"


def bpkad():
    return db.session.scalar(select(Agency).where(Agency.code == "BPKAD"))


@pytest.mark.usefixtures("app")
def test_the_skrd_is_the_agencys_with_legal_basis_codes_account_sanction_and_official(
    login_as
):
    application, skrd = recommend(login_as)
    text = skrd_text(skrd, layout=True)
    for expected in (
        "PEMERINTAH KABUPATEN BLITAR", "BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH",
        "bpkad@blitarkab.go.id", "SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)",
        f"NOMOR {skrd.number}", "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan",
        "Peraturan Daerah Kabupaten Blitar tentang Pajak Daerah dan Retribusi Daerah",
        "Siti Aminah", application.registration_number, "Gedung Pertemuan Kanigoro",
        "Kode barang : 1.3.2.01.01.014", "Kode rekening retribusi : 4.1.02.02.01",
        "Rp1.500.000 per hari × 2 hari", "JUMLAH YANG HARUS DIBAYAR Rp3.000.000",
        "Terbilang: tiga juta rupiah", "Bank Jatim Cabang Blitar Nomor 0011223344 atas nama "
        "RKUD Pemerintah Kabupaten Blitar", "1% (satu persen) setiap bulan",
        "KEPALA BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH KABUPATEN BLITAR",
        "Drs. Hendro Prasetyo, M.Si.", "Pembina Tingkat I (IV/b)", "NIP 197203151998031004",
    ):
        assert expected in text, expected
    assert "PENANAMAN MODAL" not in text and "dpmptsp" not in text
    assert "Pengurangan" not in text
    assert skrd.template_version.template.key == "skrd"
    assert skrd.template_version.number == 1


@pytest.mark.usefixtures("app")
def test_an_agency_without_a_letterhead_is_named_under_the_regency_never_as_dpmptsp(
    login_as
):
    db.session.delete(templates.own_letterhead(bpkad()))
    db.session.commit()
    _, skrd = recommend(login_as)
    text = skrd_text(skrd)
    assert "PEMERINTAH KABUPATEN BLITAR BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH" in text
    assert "PENANAMAN MODAL" not in text and "Semeru Nomor 46" not in text


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(("gap", "message"), [
    ({"official_nip": None}, "pejabat penanda tangan"),
    ({"bank_name": None, "virtual_account": None}, "tempat pembayaran"),
])
def test_no_skrd_is_issued_while_the_agencys_settings_are_incomplete(login_as, gap, message):
    settings = skrd_service.settings_of(bpkad())
    for name, value in gap.items():
        setattr(settings, name, value)
    db.session.commit()
    start = TODAY + timedelta(days=20)
    application = make_asset_use(start=start, end=start)
    response = login_as("pengelolaaset").post(
        f"/permohonan/{application.id}/aksi/terbitkan_rekomendasi",
        data=dict(recommendation_input(start, start)), content_type="multipart/form-data",
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "SKRD tidak dapat diterbitkan" in page and message in page
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.status == "diteruskan_opd" and application.asset_use.fee is None
    assert not any(a.kind == "skrd" for a in application.artifacts)
    assert db.session.scalar(select(NumberSequence.last_value).where(
        NumberSequence.name == "skrd:BPKAD")) is None


# --- the SKRD template in the admin screens ---------------------------------------------


def skrd_template():
    return templates.template_by_key("skrd")


def skrd_edit_form(template, **changes):
    version = templates.draft_of(template) or templates.published_version(template)
    return {**skrd_form_data(version.content), "note": "", **changes}


NEW_BASIS = ("Peraturan Bupati Blitar Nomor 12 Tahun 2025 tentang Tarif Retribusi Pemakaian "
             "Kekayaan Daerah.")


@pytest.mark.usefixtures("app")
def test_an_admin_edits_the_skrd_template_the_next_skrd_carries_it_and_an_earlier_one_keeps_its_own(
    login_as
):
    _, earlier = recommend(login_as)
    earlier_pdf = read_stored(earlier.stored_name)
    admin = login_as("admin")
    template = skrd_template()
    page = admin.get(f"/templat-dokumen/{template.id}").get_data(as_text=True)
    assert "Dasar hukum" in page and "retribusi.rekening" in page and "pejabat.nip" in page

    data = skrd_edit_form(template, note="Tambah Perbup tarif")
    data["legal_basis"] = data["legal_basis"].replace(
        "Retribusi Daerah.", "Retribusi Daerah;") + "\n\n" + NEW_BASIS
    data["late_sanction"] = data["late_sanction"].replace("1% (satu persen)",
                                                          "1% (satu persen) per bulan")
    assert admin.post(f"/templat-dokumen/{template.id}", data=data).status_code == 302
    sample = admin.get(f"/templat-dokumen/{template.id}/pratinjau")
    assert sample.status_code == 200 and sample.mimetype == "application/pdf"
    assert f"4. {NEW_BASIS}" in pdf_text(sample.data)
    # Not published: an SKRD issued now still follows version 1.
    _, before_publishing = recommend(login_as)
    assert NEW_BASIS not in skrd_text(before_publishing)

    published = admin.post(f"/templat-dokumen/{template.id}/terbitkan", follow_redirects=True)
    assert "Versi 2 diterbitkan" in published.get_data(as_text=True)
    _, later = recommend(login_as)
    assert later.template_version.number == 2
    assert NEW_BASIS in skrd_text(later) and "1% (satu persen) per bulan" in skrd_text(later)
    db.session.expire_all()
    earlier = db.session.get(Artifact, earlier.id)
    assert read_stored(earlier.stored_name) == earlier_pdf
    assert earlier.template_version.number == 1 and NEW_BASIS not in skrd_text(earlier)


@pytest.mark.usefixtures("app")
def test_the_skrd_template_preview_for_a_file_and_its_refusals(login_as):
    application, _ = recommend(login_as, fee="2500000", reason=REASON)
    admin = login_as("admin")
    template = skrd_template()
    preview = admin.get(f"/templat-dokumen/{template.id}/pratinjau?berkas="
                        f"{application.registration_number}")
    assert preview.status_code == 200
    text = pdf_text(preview.data)
    assert "DRAF" in text and f"Pengurangan retribusi: {REASON}" in text
    free = make_asset_use()
    refused = admin.get(f"/templat-dokumen/{template.id}/pratinjau?berkas="
                        f"{free.registration_number}", follow_redirects=True)
    assert "Tidak ada berkas dengan retribusi" in refused.get_data(as_text=True)
    unknown = admin.post(f"/templat-dokumen/{template.id}", data=skrd_edit_form(
        template, payment="Bayar ke {{ retribusi.pin_atm }}"))
    assert "Placeholder tidak dikenal" in unknown.get_data(as_text=True)
    missing = admin.post(f"/templat-dokumen/{template.id}", data=skrd_edit_form(
        template, late_sanction=""))
    assert missing.status_code == 200 and "wajib diisi" in missing.get_data(as_text=True)
    assert templates.draft_of(template) is None


@pytest.mark.parametrize("module", ["app.workflow.registry", "views.home",
                                    "app.security.manager"])
def test_the_modules_the_server_loads_first_import_on_their_own(module):
    """gunicorn loads the views before the document templates: the SKRD effect must not
    close an import cycle through the workflow engine."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr[-2000:]
