"""The SKRD PDF: amounts in Indonesian words, the invoice's figures (the computation, a
reduction with its reason, the total), its wording from the template, the agency's
letterhead and official, and its metadata."""

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.documents.defaults import SKRD
from app.documents.formatting import terbilang
from app.documents.naskah import LetterheadData, SignatureBlock
from app.documents.skrd import SkrdFacts, SkrdParts, render_skrd
from tests.documents.test_decree_pdf import needs_pdftotext, pages_of, text_of

FACTS = SkrdFacts(
    number="SKRD/00012/DISPORAPAR/2026", issued_on=date(2026, 11, 28),
    due_on=date(2026, 11, 30), period_start=date(2026, 12, 1), period_end=date(2026, 12, 3),
    payer_name="Karang Taruna Desa Kanigoro", payer_address="Jl. Melati 3, Kanigoro",
    registration_number="ASET-GOR/2026/000004", asset_name="GOR Patriot",
    asset_code="1.3.2.05.01", asset_location="Jl. Raya Kanigoro, Kecamatan Kanigoro",
    use_form="Sewa", tariff_text="Rp750.000 per hari × 3 hari", computed=Decimal("2250000"),
    amount=Decimal("1250000"), adjustment_reason="Turnamen pelajar tingkat kabupaten",
    retribution_code="4.1.02.02.01",
)
PARTS = SkrdParts(
    title=SKRD["title"], retribution_name=SKRD["retribution_name"],
    legal_basis=tuple(SKRD["legal_basis"]),
    payment="Setor ke rekening Bank Jatim Nomor 0011223344 atas nama RKUD Pemerintah "
            "Kabupaten Blitar.",
    late_sanction=SKRD["late_sanction"], closing="Retribusi lunas setelah diverifikasi.",
)
HEAD = LetterheadData(government="PEMERINTAH KABUPATEN BLITAR",
                      office="DINAS KEPEMUDAAN, OLAHRAGA, KEBUDAYAAN DAN PARIWISATA",
                      lines=("Jalan Semeru, Kanigoro, Blitar 66171",))
BLOCK = SignatureBlock(place_lines=("Blitar, 28 November 2026",),
                       office_title="KEPALA DINAS KEPEMUDAAN, OLAHRAGA, KEBUDAYAAN DAN "
                                    "PARIWISATA KABUPATEN BLITAR",
                       name="Sri Wahyuni, S.Sos., M.M.", rank="Pembina Tingkat I (IV/b)",
                       nip="197106242000032002")


def render(facts=FACTS, parts=PARTS):
    return render_skrd(parts, facts, HEAD, BLOCK)


@pytest.mark.parametrize(("amount", "words"), [
    (0, "nol"),
    (1, "satu"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (100, "seratus"),
    (101, "seratus satu"),
    (115, "seratus lima belas"),
    (999, "sembilan ratus sembilan puluh sembilan"),
    (1000, "seribu"),
    (1001, "seribu satu"),
    (2000, "dua ribu"),
    (11000, "sebelas ribu"),
    (100000, "seratus ribu"),
    (1_000_000, "satu juta"),
    (1_250_000, "satu juta dua ratus lima puluh ribu"),
    (2_500_000, "dua juta lima ratus ribu"),
    (1_000_000_000, "satu miliar"),
    (12_345_678, "dua belas juta tiga ratus empat puluh lima ribu enam ratus tujuh puluh delapan"),
    (999_000_000_000_001, "sembilan ratus sembilan puluh sembilan triliun satu"),
    (Decimal("1250000"), "satu juta dua ratus lima puluh ribu"),
])
def test_terbilang(amount, words):
    assert terbilang(amount) == words


@pytest.mark.parametrize("amount", [-1, Decimal("10.5")])
def test_terbilang_refuses_negative_and_fractional_amounts(amount):
    with pytest.raises(ValueError):
        terbilang(amount)


@pytest.mark.parametrize("amount", [0, Decimal("1250000.50")])
def test_an_skrd_is_for_a_positive_whole_amount(amount):
    with pytest.raises(ValueError):
        replace(FACTS, amount=amount)


def test_an_amount_other_than_the_computed_one_needs_its_reason():
    with pytest.raises(ValueError):
        replace(FACTS, adjustment_reason=" ")
    assert replace(FACTS, amount=FACTS.computed, adjustment_reason="").adjustment == 0


@needs_pdftotext
def test_the_skrd_states_the_computation_the_reduction_the_total_in_words_and_who_signs(
    tmp_path
):
    text = " ".join(text_of(render(), tmp_path).split())
    in_order = [
        "PEMERINTAH KABUPATEN BLITAR", "DINAS KEPEMUDAAN, OLAHRAGA, KEBUDAYAAN DAN PARIWISATA",
        "SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)", "RETRIBUSI PEMAKAIAN KEKAYAAN DAERAH",
        "NOMOR SKRD/00012/DISPORAPAR/2026", "Dasar hukum", "Undang-Undang Nomor 1 Tahun 2022",
        "Pajak Daerah dan Retribusi Daerah", "Karang Taruna Desa Kanigoro",
        "ASET-GOR/2026/000004", "GOR Patriot, Jl. Raya Kanigoro", "1.3.2.05.01",
        "Kode rekening retribusi : 4.1.02.02.01",
        "1 Desember 2026 s.d. 3 Desember 2026", "Rp750.000 per hari × 3 hari Rp2.250.000",
        "Pengurangan retribusi: Turnamen pelajar tingkat kabupaten -Rp1.000.000",
        "JUMLAH YANG HARUS DIBAYAR Rp1.250.000",
        "Terbilang: satu juta dua ratus lima puluh ribu rupiah",
        "Jatuh tempo : 30 November 2026", "Bank Jatim Nomor 0011223344",
        "1% (satu persen) setiap bulan", "Blitar, 28 November 2026",
        "KEPALA DINAS KEPEMUDAAN", "Sri Wahyuni, S.Sos., M.M.", "Pembina Tingkat I (IV/b)",
        "NIP 197106242000032002",
    ]
    position = 0
    for expected in in_order:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} missing or out of order"
        position = found


@needs_pdftotext
def test_without_a_reduction_there_is_no_reduction_line(tmp_path):
    facts = replace(FACTS, amount=FACTS.computed, adjustment_reason="")
    text = " ".join(text_of(render(facts), tmp_path).split())
    assert "Pengurangan" not in text and "JUMLAH YANG HARUS DIBAYAR Rp2.250.000" in text
    assert "dua juta dua ratus lima puluh ribu rupiah" in text


@needs_pdftotext
def test_a_raised_fee_is_an_adjustment_line_with_its_reason(tmp_path):
    facts = replace(FACTS, amount=Decimal("2500000"), adjustment_reason="Tambahan hari persiapan")
    text = " ".join(text_of(render(facts), tmp_path).split())
    assert "Penyesuaian retribusi: Tambahan hari persiapan +Rp250.000" in text


@needs_pdftotext
def test_the_skrd_fits_one_page_and_the_signature_never_stands_alone(tmp_path):
    assert len(pages_of(render(), tmp_path)) == 1
    long_basis = PARTS.legal_basis + tuple(
        f"Peraturan Bupati Blitar Nomor {n} Tahun 2025 tentang Tarif Retribusi Pemakaian "
        "Kekayaan Daerah untuk jenis barang milik daerah yang disewakan;" for n in range(9))
    pages = pages_of(render(parts=replace(PARTS, legal_basis=long_basis)), tmp_path)
    assert len(pages) == 2
    assert "Retribusi lunas setelah diverifikasi" in pages[1] and "NIP 197106242000032002" \
        in pages[1]


def test_the_skrd_title_names_its_number():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    title = re.search(rb"/Title \((.*?)\)", pdf)
    assert title and title.group(1) == b"SKRD SKRD/00012/DISPORAPAR/2026"
