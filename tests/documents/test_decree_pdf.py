"""The decree PDF drawn from its template: the structure of a decree of a regional office
(letterhead, NOMOR, TENTANG, Menimbang, Mengingat, MEMUTUSKAN, the dictum KESATU…, the
signature block with the last clause, Tembusan, LAMPIRAN), its legal bases, page numbers
from page 2, the electronic-signature footnote, fonts with and without DejaVu."""

import re
import shutil
import subprocess
from datetime import date

import pytest

from app.documents import fonts
from app.documents.formatting import angka, rupiah_text, tanggal, terbilang
from app.extensions import db
from app.storage.files import store_bytes
from app.workflow import decree_pdf
from models import AssetUse
from tests.signing.test_decree import ready_file
from tests.support import PNG, make_asset_use, user

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils absent")
URL = "https://siapnloss.blitarkab.go.id/verifikasi/t"


def text_of(pdf_bytes, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pages_of(pdf_bytes, tmp_path):
    """The text of each page, its white space folded."""
    return [" ".join(page.split()) for page in text_of(pdf_bytes, tmp_path).split("\f")
            if page.strip()]


def pkkpr_decree(**changes):
    application = ready_file()
    application.sk_date = date(2026, 11, 28)
    for name, value in changes.items():
        setattr(application, name, value)
    db.session.commit()
    rendered, version = decree_pdf.render(application, URL, signer=user("kepaladinas"))
    return application, rendered, version


@needs_pdftotext
def test_the_pkkpr_decree_has_the_structure_of_a_regional_decree(tmp_path):
    application, rendered, _ = pkkpr_decree()
    pages = pages_of(rendered.pdf, tmp_path)
    text = " ".join(pages)
    in_order = [
        "PEMERINTAH KABUPATEN BLITAR", "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "Jalan Semeru Nomor 46", "66171", "Telepon (0342) 801136",
        "Pos-el dpmptsp@blitarkab.go.id", "Laman dpmptsp.blitarkab.go.id",
        "KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KABUPATEN "
        "BLITAR", f"NOMOR {application.sk_number}", "TENTANG",
        "PERSETUJUAN KESESUAIAN KEGIATAN PEMANFAATAN RUANG NON BERUSAHA ATAS NAMA BUDI "
        "SANTOSO", "Menimbang : a. bahwa Budi Santoso", "b. bahwa berdasarkan",
        "c. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b",
        "Mengingat : 1. Undang-Undang Nomor 26 Tahun 2007 tentang Penataan Ruang",
        "Undang-Undang Nomor 6 Tahun 2023", "Peraturan Pemerintah Nomor 6 Tahun 2021",
        "Peraturan Pemerintah Nomor 21 Tahun 2021",
        "Agraria dan Tata Ruang/Kepala Badan Pertanahan Nasional Nomor 13 Tahun 2021",
        "MEMUTUSKAN:", "Menetapkan : KEPUTUSAN KEPALA DINAS", "KESATU : Memberikan",
        "KEDUA :", "KETIGA :", "KEEMPAT :", "KELIMA :", "KEENAM : Keputusan ini mulai "
        "berlaku pada tanggal ditetapkan.", "Ditetapkan di Blitar",
        "pada tanggal 28 November 2026", "Kepala DPMPTSP", "Tembusan: Yth. 1. Bupati Blitar",
        "LAMPIRAN", f"NOMOR : {application.sk_number}", "TANGGAL : 28 November 2026",
        "PETA LOKASI DAN TITIK KOORDINAT", "Titik 1 : -8.100000, 112.160000",
    ]
    position = 0
    for expected in in_order:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} missing or out of order"
        position = found
    for fact in ("Rumah tinggal", "240 m²", "paling tinggi 60%", "650/12/409.114/2026",
                 "PTK/45/2026", "600/77/409.114/2026", "3 (tiga) tahun",
                 "sampai dengan tanggal 27 November 2029"):
        assert fact in text, fact


@needs_pdftotext
def test_the_signature_block_stands_with_the_last_clause_and_pages_are_numbered_from_two(
    tmp_path
):
    _, rendered, _ = pkkpr_decree()
    pages = pages_of(rendered.pdf, tmp_path)
    signature_page = pages[rendered.signature_box.page - 1]
    assert "KEENAM" in signature_page and "Ditetapkan di Blitar" in signature_page
    assert rendered.signature_box.page <= 2  # the decree itself fits two pages
    assert not re.search(r"- ?1 ?-", pages[0])
    assert all(re.match(rf"- ?{number} ?-", page) for number, page in enumerate(pages[1:], 2))
    footnote = "Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara"
    assert all(footnote in page for page in pages)


@needs_pdftotext
def test_a_long_decree_still_keeps_the_signature_with_its_last_clause(tmp_path):
    application = ready_file()
    application.pkkpr.location_address = "Jalan yang sangat panjang " * 60
    db.session.commit()
    rendered, _ = decree_pdf.render(application, URL, signer=user("kepaladinas"))
    page = pages_of(rendered.pdf, tmp_path)[rendered.signature_box.page - 1]
    assert "Keputusan ini mulai berlaku pada tanggal ditetapkan" in page


@needs_pdftotext
def test_a_draft_is_marked_and_shows_where_the_signature_goes(tmp_path):
    application = ready_file()
    rendered, _ = decree_pdf.render(application, URL, draft=True)
    text = " ".join(pages_of(rendered.pdf, tmp_path))
    assert "DRAF - BELUM DITANDATANGANI" in text and "Tempat tanda tangan elektronik" in text


@needs_pdftotext
def test_a_partly_approved_recommendation_and_an_organisation_are_stated(tmp_path):
    application = ready_file()
    application.acts_for_organisation = True
    application.organisation_name = "Yayasan Pendidikan Al-Hikmah"
    recommendation = next(a for a in application.artifacts if a.kind == "rekomendasi")
    recommendation.data = {**recommendation.data, "keputusan": "disetujui_sebagian"}
    db.session.commit()
    rendered, _ = decree_pdf.render(application, URL)
    text = " ".join(pages_of(rendered.pdf, tmp_path))
    assert "ATAS NAMA YAYASAN PENDIDIKAN AL-HIKMAH" in text
    assert "Bertindak untuk : Yayasan Pendidikan Al-Hikmah" in text
    assert "permohonannya disetujui sebagian" in text


@needs_pdftotext
@pytest.mark.parametrize(("use_form", "duty"), [
    ("sewa", "telah membayar retribusi pemakaian kekayaan daerah sebesar Rp1.500.000 "
             "(satu juta lima ratus ribu rupiah)"),
    ("pinjam_pakai", "Pinjam pakai diberikan tanpa imbalan"),
])
def test_an_asset_permit_follows_its_use_forms_template(tmp_path, use_form, duty):
    application = make_asset_use("siap_ds", booking="eksklusif", fee=1500000)
    application.asset_use.use_form = use_form
    application.sk_number = "030/001/409.104/2026"
    application.sk_date = date(2026, 11, 28)
    db.session.commit()
    rendered, version = decree_pdf.render(application, URL, signer=user("kepaladinas"))
    assert version.template.key == f"sk_aset_{use_form}"
    text = " ".join(pages_of(rendered.pdf, tmp_path))
    use = db.session.get(AssetUse, application.id)
    for expected in ("IZIN PEMANFAATAN BARANG MILIK DAERAH DALAM BENTUK",
                     use.asset.name.upper(), "Peraturan Pemerintah Nomor 27 Tahun 2014",
                     "Peraturan Pemerintah Nomor 28 Tahun 2020",
                     "Peraturan Menteri Dalam Negeri Nomor 19 Tahun 2016",
                     f"sejak tanggal {tanggal(use.approved_start)} sampai dengan tanggal "
                     f"{tanggal(use.approved_end)}", duty, "Ditetapkan di Blitar"):
        assert expected in text, expected


def test_without_dejavu_the_decree_still_renders_with_core_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "DEFAULT_FONT_DIRS", (str(tmp_path / "tidak-ada"),))
    fonts.dejavu_files.cache_clear()
    monkeypatch.delenv("SIAP_FONT_DIR", raising=False)
    try:
        _, rendered, _ = pkkpr_decree(applicant_name="Ñoman Łukasz “Budi” 李")
        assert rendered.pdf.startswith(b"%PDF") and b"DejaVu" not in rendered.pdf
        if shutil.which("pdftotext"):
            assert "Ñoman Lukasz \"Budi\"" in " ".join(pages_of(rendered.pdf, tmp_path))
    finally:
        fonts.dejavu_files.cache_clear()


def test_with_dejavu_the_decree_embeds_it_and_keeps_indonesian_text(tmp_path):
    if fonts.dejavu_files() is None:
        pytest.skip("DejaVu fonts are not installed")
    _, rendered, _ = pkkpr_decree(applicant_name="Ni Luh Ayu Śāntī 李")
    assert b"DejaVu" in rendered.pdf
    if shutil.which("pdftotext"):
        assert "Ni Luh Ayu Śāntī" in " ".join(pages_of(rendered.pdf, tmp_path))


def images_in(pdf_bytes):
    return len(re.findall(rb"/Subtype\s*/Image", pdf_bytes))


def test_the_annex_shows_the_map_image_of_the_recommendation():
    application = ready_file()
    without_map, _ = decree_pdf.render(application, URL)
    peta = next(a for a in application.artifacts if a.kind == "peta")
    for column, value in store_bytes(PNG, "png", "peta.png").columns().items():
        setattr(peta, column, value)
    db.session.commit()
    with_map, _ = decree_pdf.render(application, URL)
    assert images_in(with_map.pdf) == images_in(without_map.pdf) + 1


def test_numbers_and_dates_are_written_the_indonesian_way():
    assert angka("1500000") == "1.500.000" and angka("240.50") == "240,5"
    assert rupiah_text(4500000) == "Rp4.500.000"
    assert tanggal(date(2029, 11, 29)) == "29 November 2029"
    assert terbilang(1500000) == "satu juta lima ratus ribu"
