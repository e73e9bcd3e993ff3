"""The SKRD (Surat Ketetapan Retribusi Daerah) as a PDF: the invoice for the retribution
on the use of a regional asset, with the amount in figures and in Indonesian words."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fpdf import FPDF

from app.documents.fonts import latin1, setup_fonts, within_dejavu
from app.documents.formatting import angka as rupiah_number
from app.documents.formatting import tanggal, terbilang

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


class SkrdPdf(FPDF):
    def __init__(self, font_dir=None):
        super().__init__(format="A4")
        self.set_margins(20, 15, 20)
        self.set_auto_page_break(True, margin=25)
        self.family, self.unicode = setup_fonts(self, font_dir)

    def clean(self, value):
        """Text the chosen font can draw."""
        return within_dejavu(value) if self.unicode else latin1(value)

    def write_line(self, value, size=11, style="", align="L", height=6):
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.clean(value), align=align, new_x="LMARGIN", new_y="NEXT")

    def letterhead(self):
        self.write_line("PEMERINTAH KABUPATEN BLITAR", 14, "B", "C", 7)
        self.write_line("DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU", 10.5, "B", "C")
        self.write_line("Jl. Semeru No. 46 Kanigoro, Blitar, Jawa Timur", 9, "", "C", 5)
        y = self.get_y() + 1
        self.set_line_width(0.8)
        self.line(20, y, 190, y)
        self.set_line_width(0.2)
        self.line(20, y + 1.2, 190, y + 1.2)
        self.ln(5)

    def pairs(self, rows, label_width=72, size=10, height=5):
        """Label–value rows; a long label or value wraps without overlapping the next."""
        self.set_font(self.family, "", size)
        for label, value in rows:
            label, value = self.clean(label), self.clean(f": {value}")
            value_width = self.w - self.r_margin - self.l_margin - label_width
            row_height = max(
                self.multi_cell(label_width, height, label, dry_run=True, output="HEIGHT"),
                self.multi_cell(value_width, height, value, dry_run=True, output="HEIGHT"),
            )
            if self.get_y() + row_height > self.page_break_trigger:
                self.add_page()
            y = self.get_y()
            self.multi_cell(label_width, height, label, new_x="RIGHT", new_y="TOP")
            self.multi_cell(value_width, height, value, new_x="LMARGIN", new_y="NEXT")
            self.set_y(y + row_height)


def render_skrd(content, font_dir=None):
    """The SKRD for `content` (an SkrdContent), as PDF bytes."""
    pdf = SkrdPdf(font_dir)
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
