"""The rejection letter (a letter: letterhead, place and date, Nomor, Sifat, Lampiran,
Hal, the addressee, the reasons and the legal basis, what the applicant may do next, the
signature block, Tembusan, the BSrE footnote) and the revocation decree (a decree in the
structure of the permit decrees, citing the revoked SK and the reason), drawn from their
templates; the admin screens edit, preview and publish them like the decree templates."""

import re
import shutil
import subprocess
from functools import partial

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import issued_pdf
from app.workflow.engine import apply_action
from models import DocumentTemplate
from tests.decrees import support
from tests.decrees.support import signed_asset_use, signed_pkkpr
from tests.support import action_input, make_asset_use, make_pkkpr, user

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils absent")
pytestmark = needs_pdftotext
REASON = "Lokasi berada di kawasan sempadan sungai menurut RDTR Kanigoro."
FOOTNOTE = ("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat "
            "elektronik yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE)")
NIP = "NIP 197001011995031003"


def pages_of(pdf_bytes, tmp_path):
    """The text of each page as laid out (poppler), its white space folded."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def text_of(pdf_bytes, tmp_path):
    return " ".join(pages_of(pdf_bytes, tmp_path))


def in_order(text, parts):
    position = 0
    for expected in parts:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} missing or out of order"
        position = found


rejected = partial(support.rejected, reason=REASON)
revoked = partial(support.revoked,
                  reason="Pemegang izin mendirikan bangunan yang tidak sesuai KRK")


def drawn(application, tmp_path, signer="kepaladinas"):
    rendered, _ = issued_pdf.render(application.issued_documents[0], signer=user(signer))
    return text_of(rendered.pdf, tmp_path), rendered


def test_the_rejection_letter_is_a_letter_with_the_reasons_the_basis_and_the_next_steps(
        tmp_path):
    application = rejected(make_pkkpr("krk_terbit"))
    text, rendered = drawn(application, tmp_path)
    number = application.rejection.number
    in_order(text, [
        "PEMERINTAH KABUPATEN BLITAR", "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU",
        "Jalan Semeru Nomor 46", "Blitar,", f"Nomor : {number}", "Sifat : Biasa",
        "Lampiran : -", "Hal : Penolakan Permohonan PKKPR Non Berusaha",
        "Yth. Sdr. Budi Santoso", "Jl. Merdeka 1",
        "Menindaklanjuti permohonan PKKPR Non Berusaha", application.registration_number,
        "hasil pemeriksaan Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Blitar",
        "tidak dapat disetujui", REASON,
        "Peraturan Pemerintah Nomor 21 Tahun 2021 tentang Penyelenggaraan Penataan Ruang",
        "Peraturan Bupati Blitar Nomor 76 Tahun 2022",
        "mengajukan permohonan baru", "mengajukan keberatan secara tertulis",
        "21 (dua puluh satu) hari kerja",
        "KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KABUPATEN BLITAR",
        "Kepala DPMPTSP", "Pembina Utama Muda (IV/c)", NIP,
        "Tembusan:", "Kepala Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Blitar",
        "Arsip.", FOOTNOTE,
    ])
    assert "KEPUTUSAN" not in text and "MEMUTUSKAN" not in text  # a letter, not a decree
    assert "Nomor Keputusan" not in text  # no SK number was cancelled
    assert rendered.pages == 1 and rendered.signature_box.page == 1


def test_a_refusal_at_signature_names_the_cancelled_sk_number(tmp_path):
    application = make_pkkpr("rekomendasi_terbit")
    apply_action(application.id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))
    application = rejected(application, "tolak_ds", "kepaladinas")
    text, _ = drawn(application, tmp_path)
    assert "hasil pemeriksaan pada tahap penetapan keputusan" in text
    assert f"Nomor Keputusan {application.sk_number} yang telah diberikan untuk " \
           "permohonan Saudara dinyatakan batal" in text


def test_an_asset_rejection_names_the_agency_and_the_asset_rules(tmp_path):
    application = rejected(make_asset_use("diteruskan_opd"), username="pengelolaaset")
    text, _ = drawn(application, tmp_path)
    agency = application.permit_type.agency.name
    assert f"hasil pemeriksaan {agency}" in text
    assert "Peraturan Pemerintah Nomor 27 Tahun 2014" in text
    assert "Peraturan Menteri Dalam Negeri Nomor 19 Tahun 2016" in text
    assert "Nomor 21 Tahun 2021" not in text
    assert f"Kepala {agency};" in text


def test_the_signature_block_stays_with_the_last_paragraph_of_a_long_letter(tmp_path):
    reasons = "\n".join(f"{n}. Alasan penolakan nomor {n} yang diuraikan agar surat "
                        "melewati satu halaman." for n in range(1, 23))
    application = rejected(make_pkkpr("krk_terbit"), reason=reasons)
    rendered, _ = issued_pdf.render(application.issued_documents[0],
                                    signer=user("kepaladinas"))
    pages = pages_of(rendered.pdf, tmp_path)
    assert len(pages) == 2 and rendered.signature_box.page == 2
    assert re.match(r"-\s*2\s*-", pages[1])  # page numbers from page 2
    last = pages[-1]
    assert "Demikian untuk menjadi perhatian Saudara." in last and NIP in last
    assert all(FOOTNOTE in page for page in pages)


def test_the_revocation_decree_has_the_structure_of_a_decree_and_cites_the_revoked_sk(
        tmp_path):
    application = revoked(signed_pkkpr())
    text, _ = drawn(application, tmp_path)
    decree = application.decree
    in_order(text, [
        "PEMERINTAH KABUPATEN BLITAR",
        "KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KABUPATEN "
        "BLITAR", f"NOMOR {decree.revocation_number}", "TENTANG",
        "PENCABUTAN KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU "
        f"KABUPATEN BLITAR NOMOR {application.sk_number} ATAS NAMA BUDI SANTOSO",
        "Menimbang", "a. bahwa dengan Keputusan", f"Nomor {application.sk_number} tanggal "
        "30 November 2026", "Persetujuan Kesesuaian Kegiatan Pemanfaatan Ruang Non Berusaha",
        "b. bahwa berdasarkan hasil pemeriksaan dan evaluasi",
        "c. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b",
        "Mengingat", "1. Undang-Undang Nomor 26 Tahun 2007 tentang Penataan Ruang",
        "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan",
        "Peraturan Pemerintah Nomor 21 Tahun 2021", "MEMUTUSKAN:", "Menetapkan",
        "KESATU", f"Mencabut Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu "
        f"Satu Pintu Kabupaten Blitar Nomor {application.sk_number}",
        "Alasan pencabutan", "Pemegang izin mendirikan bangunan yang tidak sesuai KRK",
        "KEDUA", "menghentikan kegiatan pemanfaatan ruang", "KETIGA", "keberatan",
        "KEEMPAT", "KELIMA", "Keputusan ini mulai berlaku pada tanggal ditetapkan.",
        "Ditetapkan di Blitar", "pada tanggal", "Kepala DPMPTSP", NIP, "Tembusan:",
        FOOTNOTE,
    ])
    assert "30 November 2026 sampai dengan 29 November 2029" in text


def test_an_asset_revocation_cites_the_rules_of_regional_assets(tmp_path):
    application = revoked(signed_asset_use(), reason="Tidak membayar retribusi")
    text, _ = drawn(application, tmp_path)
    for cited in ("Undang-Undang Nomor 1 Tahun 2004 tentang Perbendaharaan Negara",
                  "Peraturan Pemerintah Nomor 27 Tahun 2014",
                  "izin pemanfaatan barang milik daerah berupa Sewa Gedung Pertemuan",
                  "menyerahkan kembali barang milik daerah dalam keadaan baik"):
        assert cited in text, cited
    assert "Nomor 26 Tahun 2007" not in text


# --- the admin screens ------------------------------------------------------------------


def template(key):
    return db.session.scalar(select(DocumentTemplate).where(DocumentTemplate.key == key))


def letter_form(client, letter_template, **changes):
    page = client.get(f"/templat-dokumen/{letter_template.id}").get_data(as_text=True)
    data = {}
    for name in ("place", "sifat", "lampiran", "note"):
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
        data[name] = found.group(1) if found else ""
    for name in ("hal", "addressee", "paragraphs", "signer_title", "tembusan", "footnote"):
        found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page,
                          re.S)
        data[name] = (found.group(1) if found else "").replace("&#34;", '"').replace(
            "&#39;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    data.update(changes)
    return data


def test_the_template_screens_list_both_and_preview_them_with_sample_data(login_as,
                                                                          tmp_path):
    admin = login_as("admin")
    page = admin.get("/templat-dokumen/").get_data(as_text=True)
    assert "Surat Penolakan Permohonan" in page and "Keputusan Pencabutan Izin" in page
    letter = admin.get(f"/templat-dokumen/{template('surat_penolakan').id}/pratinjau")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    text = text_of(letter.data, tmp_path)
    assert "DRAF" in text and "Hal" in text and "Lokasi yang dimohon berada" in text
    decree = admin.get(f"/templat-dokumen/{template('sk_pencabutan').id}/pratinjau")
    text = text_of(decree.data, tmp_path)
    assert "MEMUTUSKAN" in text and "Nomor 503/045/409.110/2026" in text


def test_an_admin_edits_the_letter_previews_it_for_a_file_and_publishes_it(login_as,
                                                                           tmp_path):
    admin = login_as("admin")
    letter_template = template("surat_penolakan")
    paragraph = "Informasi lebih lanjut dapat diperoleh di loket DPMPTSP."
    data = letter_form(admin, letter_template, note="Tambah informasi loket")
    assert "{{ penolakan.alasan }}" in data["paragraphs"]
    data["paragraphs"] = data["paragraphs"].replace(
        "Demikian untuk", f"{paragraph}\r\n\r\nDemikian untuk")
    assert admin.post(f"/templat-dokumen/{letter_template.id}", data=data).status_code == 302

    application = rejected(make_pkkpr("krk_terbit"))
    preview = admin.get(f"/templat-dokumen/{letter_template.id}/pratinjau?berkas="
                        f"{application.registration_number}")
    text = text_of(preview.data, tmp_path)
    assert paragraph in text and REASON in text and application.rejection.number in text
    # A file without a rejection has no letter to preview.
    other = make_pkkpr("krk_terbit")
    page = admin.get(f"/templat-dokumen/{letter_template.id}/pratinjau?berkas="
                     f"{other.registration_number}", follow_redirects=True)
    assert "Tidak ada berkas" in page.get_data(as_text=True)
    # Not published yet: the letter signed now is still version 1.
    rendered, version = issued_pdf.render(application.issued_documents[0])
    assert version.number == 1 and paragraph not in text_of(rendered.pdf, tmp_path)
    published = admin.post(f"/templat-dokumen/{letter_template.id}/terbitkan",
                           follow_redirects=True)
    assert "Versi 2 diterbitkan" in published.get_data(as_text=True)
    rendered, version = issued_pdf.render(application.issued_documents[0])
    assert version.number == 2 and paragraph in text_of(rendered.pdf, tmp_path)


def test_the_letter_editor_refuses_an_unknown_placeholder(login_as):
    admin = login_as("admin")
    letter_template = template("surat_penolakan")
    data = letter_form(admin, letter_template, hal="Penolakan {{ pemohon.nik }}")
    page = admin.post(f"/templat-dokumen/{letter_template.id}", data=data).get_data(
        as_text=True)
    assert "{{ pemohon.nik }}" in page and "tidak dikenal" in page.lower()
    assert db.session.get(DocumentTemplate, letter_template.id).versions[-1].number == 1
