"""The SKRD PDF: amounts in Indonesian words, the invoice's content and its metadata."""

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.documents.formatting import terbilang
from app.documents.skrd import SkrdContent, render_skrd
from tests.documents.test_decree_pdf import needs_pdftotext, text_of

CONTENT = SkrdContent(
    number="SKRD/00012/BPKAD/2026", issued_on=date(2026, 11, 28), due_on=date(2026, 12, 28),
    amount=Decimal("1250000"), payer_name="Karang Taruna Desa Kanigoro",
    payer_address="Jl. Melati 3, Kanigoro", registration_number="ASET-GOR/2026/000004",
    asset_name="GOR Patriot", asset_code="1.3.2.05.01", use_form="Sewa",
    period_start=date(2026, 12, 1), period_end=date(2026, 12, 3),
    agency_name="Dinas Pemuda dan Olahraga", tariff_text="Rp750.000 per hari × 3 hari",
    payment_instructions="Bayar melalui Bank Jatim dengan kode bayar 3505120260000012.",
)


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
        replace(CONTENT, amount=amount)


@needs_pdftotext
def test_the_skrd_states_the_amount_in_figures_and_words_the_due_date_and_the_payer(tmp_path):
    text = " ".join(text_of(render_skrd(CONTENT), tmp_path).split())
    for expected in ("PEMERINTAH KABUPATEN BLITAR", "SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)",
                     "RETRIBUSI PEMAKAIAN KEKAYAAN DAERAH", "SKRD/00012/BPKAD/2026",
                     "ASET-GOR/2026/000004", "Karang Taruna Desa Kanigoro",
                     "GOR Patriot (kode barang 1.3.2.05.01)",
                     "1 Desember 2026 s.d. 3 Desember 2026", "Rp750.000 per hari",
                     "JUMLAH YANG HARUS DIBAYAR: Rp1.250.000",
                     "Terbilang: satu juta dua ratus lima puluh ribu rupiah",
                     "Jatuh tempo: 28 Desember 2026", "kode bayar 3505120260000012",
                     "1% (satu persen) setiap bulan", "Blitar, 28 November 2026",
                     "Dinas Pemuda dan Olahraga"):
        assert expected in text, expected


def test_the_skrd_title_names_its_number():
    pdf = render_skrd(CONTENT)
    assert pdf.startswith(b"%PDF")
    title = re.search(rb"/Title \((.*?)\)", pdf)
    assert title and title.group(1) == b"SKRD SKRD/00012/BPKAD/2026"
