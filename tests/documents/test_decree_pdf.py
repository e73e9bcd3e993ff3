"""The decree PDFs: content, fonts with and without DejaVu, the asset layout."""

import shutil
import subprocess
from datetime import date

import pytest

from app.documents import decree as decree_module
from app.documents import fonts
from app.documents.decree import AssetPermitContent, render_asset_permit, render_pkkpr_decree
from tests.signing.test_decree import ready_file
from tests.support import PNG

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils absent")


def text_of(pdf_bytes, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@needs_pdftotext
def test_the_pkkpr_decree_states_the_decision_rules_validity_references_and_annex(tmp_path):
    application = ready_file()
    pdf = render_pkkpr_decree(application, "https://siapnloss.blitarkab.go.id/verifikasi/t",
                              map_image=PNG, issued_on=date(2026, 11, 28))
    text = " ".join(text_of(pdf, tmp_path).split())
    for expected in ("PEMERINTAH KABUPATEN BLITAR", application.sk_number,
                     "PERSETUJUAN KESESUAIAN KEGIATAN PEMANFAATAN RUANG", "DISETUJUI",
                     "Budi Santoso", "Kec. Kanigoro", "Rumah tinggal", "240 m²",
                     "KDB maksimum : 60%", "650/12/409.114/2026", "PTK/45/2026",
                     "600/77/409.114/2026", "berlaku 3 (tiga) tahun",
                     "sampai dengan 27 November 2029", "28 November 2026", "LAMPIRAN",
                     "-8.100500, 112.160500", "/verifikasi/t"):
        assert expected in text, expected


@needs_pdftotext
def test_a_draft_is_marked(tmp_path):
    pdf = render_pkkpr_decree(ready_file(), "https://x/verifikasi/t", draft=True)
    assert "DRAFT - BELUM DITANDATANGANI" in text_of(pdf, tmp_path)


def test_without_dejavu_the_decree_still_renders_with_core_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "DEFAULT_FONT_DIRS", (str(tmp_path / "tidak-ada"),))
    fonts.dejavu_files.cache_clear()
    monkeypatch.delenv("SIAP_FONT_DIR", raising=False)
    try:
        application = ready_file()
        application.applicant_name = "Ñoman Łukasz “Budi” 李"
        pdf = render_pkkpr_decree(application, "https://x/verifikasi/t", map_image=PNG)
        assert pdf.startswith(b"%PDF") and b"DejaVu" not in pdf
        if shutil.which("pdftotext"):
            assert "Ñoman Lukasz \"Budi\"" in text_of(pdf, tmp_path)
    finally:
        fonts.dejavu_files.cache_clear()


def test_with_dejavu_the_decree_embeds_it_and_keeps_indonesian_text(tmp_path):
    if fonts.dejavu_files() is None:
        pytest.skip("DejaVu fonts are not installed")
    application = ready_file()
    application.applicant_name = "Ni Luh Ayu Śāntī 李"
    pdf = render_pkkpr_decree(application, "https://x/verifikasi/t")
    assert b"DejaVu" in pdf
    if shutil.which("pdftotext"):
        assert "Ni Luh Ayu Śāntī" in text_of(pdf, tmp_path)


@needs_pdftotext
def test_the_asset_permit_layout(tmp_path):
    content = AssetPermitContent(
        sk_number="503/009/409.110/2026", registration_number="ASET-GOR/2026/000004",
        holder="Karang Taruna Desa Kanigoro", holder_address="Jl. Melati 3, Kanigoro",
        asset_name="GOR Patriot", asset_code="1.3.2.05.01", asset_location="Kanigoro",
        use_form="Sewa", purpose="Turnamen bola voli", period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 3), fee=1500000, managing_agency="Dinas Pemuda dan Olahraga",
    )
    text = " ".join(text_of(render_asset_permit(content, "https://x/verifikasi/a"),
                            tmp_path).split())
    for expected in ("IZIN PEMANFAATAN BARANG MILIK DAERAH (SEWA)", "GOR Patriot",
                     "1 Desember 2026 s.d. 3 Desember 2026", "Rp1.500.000",
                     "Dinas Pemuda dan Olahraga", "/verifikasi/a"):
        assert expected in text, expected


def test_numbers_use_indonesian_separators():
    assert decree_module.rupiah_number("1500000") == "1.500.000"
    assert decree_module.rupiah_number("240.50") == "240,50"
