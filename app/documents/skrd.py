"""The SKRD (Surat Ketetapan Retribusi Daerah) as the agency collecting the retribution
issues it: under the agency's letterhead, its number and period, the legal basis, the
payer and the retribution object with its codes, the computation (tariff × volume), any
reduction with its reason on its own line, the total in figures and words, the due date,
where to pay, the late sanction and the signature block of the agency's official.

The wording (title, legal basis, payment, sanction, closing) is a template an admin
edits (kind "skrd"); the figures are the facts of one invoice (SkrdFacts). Drawn with the
blocks of app/documents/naskah.py."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.documents import keputusan
from app.documents.formatting import rupiah_text, tanggal, terbilang
from app.documents.naskah import (
    BODY,
    LEFT,
    LINE,
    body,
    centred,
    first_page,
    labelled,
    numbers,
    signature_block,
)
from app.documents.templating import render_text

# The content's parts: key → how it is kept (as in keputusan.FIELDS).
FIELDS = {
    "title": "line", "retribution_name": "line", "legal_basis": "list", "payment": "line",
    "late_sanction": "line", "closing": "line", "place": "line", "footnote": "line",
}
REQUIRED = ("title", "retribution_name", "legal_basis", "payment", "late_sanction", "place")
NO_W, AMOUNT_W = 10, 42  # the computation table's number and amount columns, mm
# Room for the official's handwritten signature and stamp on the printed SKRD, mm.
SIGNATURE_SPACE = 20


def check_content(content, placeholders):
    """{field: problem} for an SKRD content that may not be saved; empty when it may."""
    return keputusan.check_content(content, placeholders, FIELDS, REQUIRED)


def _whole_rupiah(value, name, positive=False):
    amount = Decimal(value)
    if amount < 0 or amount != amount.to_integral_value() or (positive and amount == 0):
        raise ValueError(f"an SKRD's {name} is a {'positive' if positive else 'non-negative'} "
                         f"whole rupiah amount, not {value}")
    return amount


@dataclass(frozen=True)
class SkrdFacts:
    """What one SKRD states besides its wording (filled by app/workflow/skrd.py)."""

    number: str
    issued_on: date
    due_on: date
    period_start: date
    period_end: date
    payer_name: str
    payer_address: str
    registration_number: str
    asset_name: str
    asset_code: str
    asset_location: str
    use_form: str
    tariff_text: str  # "Rp1.500.000 per hari × 2 hari"
    computed: Decimal  # tariff × volume
    amount: Decimal  # what is to be paid
    adjustment_reason: str = ""  # why the agency set an amount other than the computed one
    retribution_code: str = ""  # kode rekening

    def __post_init__(self):
        _whole_rupiah(self.amount, "amount", positive=True)
        _whole_rupiah(self.computed, "computed amount")
        if self.adjustment and not self.adjustment_reason.strip():
            raise ValueError("an SKRD whose amount differs from the computed one states why")

    @property
    def adjustment(self):
        """The amount minus the computed one: negative for a reduction."""
        return Decimal(self.amount) - Decimal(self.computed)


@dataclass(frozen=True)
class SkrdParts:
    """The template's texts, filled in."""

    title: str
    retribution_name: str
    legal_basis: tuple
    payment: str
    late_sanction: str
    closing: str = ""
    footnote: str = ""


def compose(content, context, placeholders):
    def fill(name):
        return render_text(content.get(name) or "", context, placeholders)

    return SkrdParts(
        title=fill("title"), retribution_name=fill("retribution_name"),
        legal_basis=tuple(render_text(text, context, placeholders)
                          for text in content["legal_basis"]),
        payment=fill("payment"), late_sanction=fill("late_sanction"), closing=fill("closing"),
        footnote=fill("footnote"))


# --- drawing ----------------------------------------------------------------------------


def _identity_rows(facts):
    """The payer and the object, as "Label | value" rows (naskah.body draws them)."""
    rows = [
        ("Nama wajib retribusi", facts.payer_name),
        ("Alamat", facts.payer_address),
        ("Nomor registrasi", facts.registration_number),
        ("Objek retribusi", f"{facts.asset_name}, {facts.asset_location}"),
        ("Kode barang", facts.asset_code),
        ("Bentuk pemanfaatan", facts.use_form),
    ]
    if facts.retribution_code:
        rows.append(("Kode rekening retribusi", facts.retribution_code))
    rows.append(("Masa retribusi",
                 f"{tanggal(facts.period_start)} s.d. {tanggal(facts.period_end)}"))
    return "\n".join(f"{label} | {value}" for label, value in rows)


def _computation_lines(facts):
    """(description, amount text) of each line of the computation."""
    lines = [(f"Retribusi menurut tarif: {facts.tariff_text}", rupiah_text(facts.computed))]
    adjustment = facts.adjustment
    if adjustment < 0:
        lines.append((f"Pengurangan retribusi: {facts.adjustment_reason}",
                       f"-{rupiah_text(-adjustment)}"))
    elif adjustment > 0:
        lines.append((f"Penyesuaian retribusi: {facts.adjustment_reason}",
                      f"+{rupiah_text(adjustment)}"))
    return lines


def _table_row(pdf, cells, style="", fill=False):
    """One bordered row of (text, width, align) cells, as high as its tallest cell."""
    pdf.set_font(pdf.family, style, BODY)
    height = max(pdf.multi_cell(width, LINE, pdf.clean(text), align=align, dry_run=True,
                                output="HEIGHT") for text, width, align in cells) + 2
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    x, y = LEFT, pdf.get_y()
    for text, width, align in cells:
        pdf.rect(x, y, width, height, style="DF" if fill else "D")
        pdf.set_xy(x, y + 1)
        pdf.multi_cell(width, LINE, pdf.clean(text), align=align)
        x += width
    pdf.set_xy(LEFT, y + height)


def _computation(pdf, facts):
    text_w = pdf.epw - NO_W - AMOUNT_W
    with pdf.local_context(fill_color=(235, 235, 235)):
        _table_row(pdf, (("No.", NO_W, "C"), ("Uraian", text_w, "C"),
                         ("Jumlah", AMOUNT_W, "C")), "B", fill=True)
    for number, (text, amount) in enumerate(_computation_lines(facts), start=1):
        _table_row(pdf, ((f"{number}.", NO_W, "C"), (text, text_w, "L"),
                         (amount, AMOUNT_W, "R")))
    _table_row(pdf, (("JUMLAH YANG HARUS DIBAYAR", NO_W + text_w, "R"),
                     (rupiah_text(facts.amount), AMOUNT_W, "R")), "B")
    _table_row(pdf, ((f"Terbilang: {terbilang(facts.amount)} rupiah", pdf.epw, "L"),))


def _unmarked(index):
    return None


def _last_text(pdf, parts, draw=True):
    """The text just above the signature block: the closing, else the late sanction."""
    if parts.closing:
        return body(pdf, parts.closing, LEFT, pdf.epw, draw=draw) + 1
    return labelled(pdf, "Sanksi", (parts.late_sanction,), _unmarked, draw=draw)


def render_skrd(parts, facts, head, block, draft=False, font_dir=None):
    """The SKRD as PDF bytes: `parts` (SkrdParts), `facts` (SkrdFacts), `head` the
    agency's naskah.LetterheadData, `block` the official's naskah.SignatureBlock."""
    pdf = first_page(head, f"SKRD {facts.number}", parts.footnote, draft, font_dir)
    centred(pdf, parts.title, 12, "B")
    centred(pdf, parts.retribution_name, 11, "B")
    centred(pdf, f"NOMOR {facts.number}", 11)
    pdf.ln(2)
    labelled(pdf, "Dasar hukum", parts.legal_basis, numbers)
    pdf.ln(1)
    body(pdf, _identity_rows(facts), LEFT, pdf.epw)
    pdf.ln(2)
    _computation(pdf, facts)
    pdf.ln(2)
    body(pdf, f"Jatuh tempo | {tanggal(facts.due_on)}", LEFT, pdf.epw)
    pdf.ln(2)
    labelled(pdf, "Pembayaran", (parts.payment,), _unmarked)
    if parts.closing:
        labelled(pdf, "Sanksi", (parts.late_sanction,), _unmarked)
    # The signature block never stands alone on a page: the last text goes with it.
    block_h, _ = signature_block(pdf, block, draw=False, space=SIGNATURE_SPACE)
    if pdf.get_y() + _last_text(pdf, parts, draw=False) + 3 + block_h > \
            pdf.page_break_trigger:
        pdf.add_page()
    _last_text(pdf, parts)
    pdf.ln(3)
    signature_block(pdf, block, space=SIGNATURE_SPACE)
    return bytes(pdf.output())
