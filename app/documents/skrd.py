"""The SKRD (Surat Ketetapan Retribusi Daerah) as a PDF: the invoice for the retribution
on the use of a regional asset, with the amount in figures and in Indonesian words.

The layout reuses the decree's letterhead, fonts and helpers (`app.documents.decree`)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.documents.decree import DecreePdf, rupiah_number, tanggal

ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
        "sepuluh", "sebelas")
SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu"),
          (100, "ratus"), (10, "puluh"))
LATE_SANCTION = ("Apabila SKRD ini tidak atau kurang dibayar setelah jatuh tempo, dikenakan "
                 "sanksi administratif berupa bunga sebesar 1% (satu persen) setiap bulan.")


@dataclass(frozen=True)
class SkrdContent:
    """What an SKRD states (filled by the asset module)."""

    number: str
    issued_on: date
    due_on: date
    amount: Decimal
    payer_name: str
    payer_address: str
    registration_number: str
    asset_name: str
    asset_code: str
    use_form: str
    period_start: date
    period_end: date
    agency_name: str
    tariff_text: str
    payment_instructions: str

    def __post_init__(self):
        amount = Decimal(self.amount)
        if amount <= 0 or amount != amount.to_integral_value():
            raise ValueError(f"an SKRD is for a positive whole rupiah amount, not {self.amount}")


def terbilang(amount):
    """A non-negative whole number in Indonesian words: 1250000 -> "satu juta dua ratus lima
    puluh ribu"."""
    value = Decimal(amount)
    if value < 0 or value != value.to_integral_value():
        raise ValueError(f"terbilang needs a non-negative whole number, not {amount}")
    return _words(int(value))


def _words(n):
    if n < 12:
        return ONES[n]
    if n < 20:
        return f"{ONES[n - 10]} belas"
    size, name = next(scale for scale in SCALES if n >= scale[0])
    head, rest = divmod(n, size)
    one_prefix = head == 1 and size in (100, 1000)  # seratus, seribu; but satu juta
    words = f"se{name}" if one_prefix else f"{_words(head)} {name}"
    return f"{words} {_words(rest)}" if rest else words


def render_skrd(content, font_dir=None):
    """The SKRD for `content` (an SkrdContent), as PDF bytes."""
    pdf = DecreePdf(font_dir)
    pdf.set_title(f"SKRD {content.number}")
    pdf.set_author(content.agency_name)
    pdf.add_page()
    pdf.letterhead()
    pdf.write_line("SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)", 12, "B", "C")
    pdf.write_line("RETRIBUSI PEMAKAIAN KEKAYAAN DAERAH", 11, "B", "C")
    pdf.write_line(f"NOMOR: {content.number}", 11, "", "C")
    pdf.ln(4)
    pdf.pairs([
        ("Nomor registrasi", content.registration_number),
        ("Wajib retribusi", content.payer_name),
        ("Alamat", content.payer_address),
        ("Objek retribusi", f"{content.asset_name} (kode barang {content.asset_code})"),
        ("Bentuk pemanfaatan", content.use_form),
        ("Jangka waktu", f"{tanggal(content.period_start)} s.d. {tanggal(content.period_end)}"),
        ("Dasar pengenaan", content.tariff_text),
        ("Perangkat daerah pengelola", content.agency_name),
    ], label_width=55)
    pdf.ln(4)

    top = pdf.get_y()
    pdf.ln(2)
    pdf.write_line(f"JUMLAH YANG HARUS DIBAYAR: Rp{rupiah_number(content.amount)}", 12, "B", "C")
    pdf.write_line(f"Terbilang: {terbilang(content.amount)} rupiah", 10, align="C", height=5)
    pdf.ln(2)
    pdf.rect(pdf.l_margin, top, pdf.epw, pdf.get_y() - top)
    pdf.ln(4)

    pdf.write_line(f"Jatuh tempo: {tanggal(content.due_on)}", 11, "B")
    pdf.ln(1)
    pdf.write_line("Cara pembayaran:", 10, "B", height=5)
    pdf.write_line(content.payment_instructions, 10, align="J", height=5)
    pdf.ln(2)
    pdf.write_line(LATE_SANCTION, 10, align="J", height=5)
    pdf.ln(8)

    if pdf.get_y() > 245:
        pdf.add_page()
    pdf.set_font(pdf.family, "", 10.5)
    for line in (f"Blitar, {tanggal(content.issued_on)}", content.agency_name):
        pdf.set_x(110)
        pdf.multi_cell(80, 5.5, pdf.clean(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
