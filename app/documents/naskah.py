"""The layout of an official document of a regional office (naskah dinas), drawn with
fpdf2: the letterhead, a decree's parts (heading, Menimbang, Mengingat, MEMUTUSKAN,
the dictum KESATU…), a letter's parts (place and date, Nomor, Sifat, Lampiran, Hal, the
addressee, the body), the signature block kept together with the last clause or
paragraph, Tembusan, annexes (LAMPIRAN) with their own heading and signature block, page
numbers from page 2 and the electronic-signature footnote on every page.

Texts arrive filled in (app/documents/templating.py); this module only places them. A
dictum or annex text may hold rows written "Label | value", drawn as a two-column list.
See shared/reference/naskah-dinas.md for the conventions."""

import io
from dataclasses import dataclass, field

import segno
from fpdf import FPDF

from app.documents.fonts import latin1, setup_fonts, within_dejavu

ORDINALS = ("KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM", "KETUJUH",
            "KEDELAPAN", "KESEMBILAN", "KESEPULUH", "KESEBELAS", "KEDUA BELAS",
            "KETIGA BELAS", "KEEMPAT BELAS", "KELIMA BELAS")
# Regional offices print naskah dinas on F4 (folio) paper, 215 × 330 mm.
PAGE = (215, 330)
LEFT, RIGHT, TOP, BOTTOM = 25, 20, 15, 22  # margins, mm
LABEL_W, COLON_W = 30, 5  # "Menimbang" ":" columns
MARKER_W = 7  # "a." or "1."
ROW_LABEL_W = 45  # "Label | value" rows: room for a registration number
LINE = 4.5  # body line height, mm
BODY = 10  # body font size, pt
SIGNATURE_W = 80  # the signature block's column, at the right
SIGNATURE_SPACE = 26  # the height left for the visible signature, mm
MM_TO_PT = 72 / 25.4


def ordinal(index):
    """KESATU, KEDUA, … for the dictum."""
    return ORDINALS[index] if index < len(ORDINALS) else f"KE-{index + 1}"


@dataclass(frozen=True)
class LetterheadData:
    government: str
    office: str
    lines: tuple  # address line, contact line
    emblem: bytes | None = None


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs and how the block reads: "Ditetapkan di Blitar / pada tanggal …" (or a
    letter's place and date), the office title with "Plt." or "Plh." in front when a
    delegate signs, the name, rank and NIP."""

    place_lines: tuple
    office_title: str
    name: str
    prefix: str = ""
    rank: str = ""
    nip: str = ""


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible electronic signature goes: page (1-based) and a box in mm from
    the page's top-left corner."""

    page: int
    x: float
    y: float
    w: float
    h: float
    page_height: float = PAGE[1]

    def pdf_points(self):
        """(x1, y1, x2, y2) in PDF points from the bottom-left, as signers expect."""
        bottom = self.page_height - self.y - self.h
        return (round(self.x * MM_TO_PT, 1), round(bottom * MM_TO_PT, 1),
                round((self.x + self.w) * MM_TO_PT, 1), round((bottom + self.h) * MM_TO_PT, 1))


@dataclass(frozen=True)
class Annex:
    title: str
    text: str = ""
    map_image: bytes | None = None
    points: tuple = ()  # (latitude, longitude) of the site's corners


@dataclass(frozen=True)
class KeputusanParts:
    """A decree's filled-in texts, in the order they are printed."""

    title: str  # KEPUTUSAN KEPALA DINAS …
    number: str
    subject: str  # what follows TENTANG
    official: str  # KEPALA DINAS …, (the deciding office, ending with a comma)
    menimbang: tuple
    mengingat: tuple
    menetapkan: str
    diktum: tuple
    tembusan: tuple = ()
    annexes: tuple = ()
    date_text: str = ""
    footnote: str = ""


@dataclass
class Rendered:
    pdf: bytes
    signature_box: SignatureBox | None = None
    pages: int = 0
    extra: dict = field(default_factory=dict)


class NaskahPdf(FPDF):
    """F4 with the office's margins; page numbers from page 2; a footnote on every page;
    a DRAFT mark on drafts."""

    def __init__(self, footnote="", draft=False, font_dir=None):
        super().__init__(format=PAGE)
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.family, self.unicode = setup_fonts(self, font_dir)
        self.footnote, self.draft = footnote, draft

    def clean(self, text):
        return within_dejavu(text) if self.unicode else latin1(text)

    def header(self):
        if self.page_no() > 1:
            self.set_font(self.family, "", 9)
            self.cell(0, 5, f"- {self.page_no()} -", align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)
        if self.draft:
            with self.local_context(text_color=(200, 0, 0)):
                self.set_font(self.family, "B", 8)
                self.text(LEFT, 9, "DRAF - BELUM DITANDATANGANI")
            with self.local_context(text_color=(235, 190, 190)):
                self.set_font(self.family, "B", 90)
                with self.rotation(35, x=self.w / 2, y=self.h / 2):
                    self.text(self.w / 2 - 65, self.h / 2 + 25, "DRAF")

    def footer(self):
        if not self.footnote:
            return
        self.set_y(-BOTTOM + 4)
        self.set_font(self.family, "", 7)
        with self.local_context(text_color=(60, 60, 60)):
            self.multi_cell(0, 3.2, self.clean(self.footnote), align="C")


# --- blocks -----------------------------------------------------------------------------


def _font(pdf, size=BODY, style=""):
    pdf.set_font(pdf.family, style, size)


def centred(pdf, text, size=BODY, style="", height=LINE):
    _font(pdf, size, style)
    pdf.multi_cell(0, height, pdf.clean(text), align="C", new_x="LMARGIN", new_y="NEXT")


def letterhead(pdf, head):
    """The kop surat: the emblem at the left, the government and office in capitals, the
    address and contact lines, a double rule."""
    top = pdf.get_y()
    text_x, text_w = LEFT, pdf.epw
    if head.emblem:
        pdf.image(io.BytesIO(head.emblem), x=LEFT, y=top, w=22, h=24, keep_aspect_ratio=True)
        text_x, text_w = LEFT + 24, pdf.epw - 24
    pdf.set_xy(text_x, top)
    for text, size, style in ((head.government, 13, "B"), (head.office, 12.5, "B")):
        _font(pdf, size, style)
        pdf.set_x(text_x)
        pdf.multi_cell(text_w, 6, pdf.clean(text.upper()), align="C", new_x="LMARGIN",
                       new_y="NEXT")
    for line in head.lines:
        _font(pdf, 8.5)
        pdf.set_x(text_x)
        pdf.multi_cell(text_w, 4.2, pdf.clean(line), align="C", new_x="LMARGIN", new_y="NEXT")
    y = max(pdf.get_y(), top + (24 if head.emblem else 0)) + 1.5
    pdf.set_line_width(0.9)
    pdf.line(LEFT, y, pdf.w - RIGHT, y)
    pdf.set_line_width(0.25)
    pdf.line(LEFT, y + 1.3, pdf.w - RIGHT, y + 1.3)
    pdf.set_y(y + 5)


def _rows_and_paragraphs(text):
    """[("p", text) | ("row", label, value)] of a body text: "Label | value" lines are
    rows, other lines paragraphs."""
    parts = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        label, bar, value = line.partition("|")
        if bar:
            parts.append(("row", label.strip(), value.strip()))
        else:
            parts.append(("p", line.strip()))
    return parts


def body(pdf, text, x, width, draw=True, size=BODY):
    """Paragraphs (justified) and label–value rows in the column [x, x + width]; returns
    the height drawn (or that would be drawn, when `draw` is False)."""
    height = 0.0
    _font(pdf, size)
    for part in _rows_and_paragraphs(text):
        if part[0] == "p":
            height += _cell(pdf, x, width, part[1], "J", draw)
        else:
            height += _row(pdf, x, width, part[1], part[2], draw)
    return height


def _cell(pdf, x, width, text, align, draw, line=LINE):
    if not draw:
        return pdf.multi_cell(width, line, pdf.clean(text), align=align, dry_run=True,
                              output="HEIGHT")
    y0, page0 = pdf.get_y(), pdf.page
    pdf.set_x(x)
    pdf.multi_cell(width, line, pdf.clean(text), align=align, new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y() - y0 if pdf.page == page0 else 0.0


def _row(pdf, x, width, label, value, draw, label_w=None):
    label_w = label_w or min(ROW_LABEL_W, width * 0.45)
    value_w = width - label_w - COLON_W
    label_h = pdf.multi_cell(label_w, LINE, pdf.clean(label), align="L", dry_run=True,
                             output="HEIGHT")
    value_h = pdf.multi_cell(value_w, LINE, pdf.clean(value), dry_run=True, output="HEIGHT")
    row_h = max(label_h, value_h)
    if not draw:
        return row_h
    if pdf.get_y() + row_h > pdf.page_break_trigger:
        pdf.add_page()
    y = pdf.get_y()
    pdf.set_xy(x, y)
    pdf.multi_cell(label_w, LINE, pdf.clean(label), align="L")
    pdf.set_xy(x + label_w, y)
    pdf.cell(COLON_W, LINE, ":")
    pdf.set_xy(x + label_w + COLON_W, y)
    pdf.multi_cell(value_w, LINE, pdf.clean(value), align="L")
    pdf.set_xy(pdf.l_margin, y + row_h)
    return row_h


def labelled(pdf, label, items, markers, draw=True):
    """"Menimbang : a. …" — a label column, a colon, and marked items with a hanging
    indent. `markers` gives each item's marker ("a.", "1.") or None for none."""
    x_text = LEFT + LABEL_W + COLON_W
    width = pdf.w - RIGHT - x_text
    height = 0.0
    for index, item in enumerate(items):
        marker = markers(index)
        item_x, item_w = (x_text + MARKER_W, width - MARKER_W) if marker else (x_text, width)
        first_h = body(pdf, item, item_x, item_w, draw=False)
        if draw and pdf.get_y() + min(first_h, 3 * LINE) > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        if draw:
            _font(pdf)
            if index == 0:
                pdf.set_xy(LEFT, y)
                pdf.cell(LABEL_W, LINE, pdf.clean(label))
                pdf.cell(COLON_W, LINE, ":")
            if marker:
                pdf.set_xy(x_text, y)
                pdf.cell(MARKER_W, LINE, marker)
            pdf.set_y(y)
        height += body(pdf, item, item_x, item_w, draw=draw)
        if draw:
            pdf.ln(1)
        height += 1
    return height


def letters(index):
    return f"{chr(ord('a') + index)}." if index < 26 else f"{index + 1}."


def numbers(index):
    return f"{index + 1}."


def signature_block(pdf, block, draw=True, space=SIGNATURE_SPACE):
    """The block at the right: place and date, the office title, room for the visible
    signature, the name (bold, underlined), rank and NIP. Returns its height, and when
    drawn also the SignatureBox of the room for the signature."""
    x = pdf.w - RIGHT - SIGNATURE_W
    lines = [*block.place_lines, ""]
    title = f"{block.prefix} {block.office_title}".strip() if block.prefix else \
        block.office_title
    _font(pdf)
    title_h = pdf.multi_cell(SIGNATURE_W, LINE, pdf.clean(title), align="C", dry_run=True,
                             output="HEIGHT")
    tail = [line for line in (block.rank, f"NIP {block.nip}" if block.nip else "") if line]
    height = LINE * len(lines) + title_h + space + LINE * (1 + len(tail))
    if not draw:
        return height, None
    for line in lines:
        pdf.set_x(x)
        pdf.cell(SIGNATURE_W, LINE, pdf.clean(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.multi_cell(SIGNATURE_W, LINE, pdf.clean(title), align="C", new_x="LMARGIN",
                   new_y="NEXT")
    box = SignatureBox(page=pdf.page, x=x + (SIGNATURE_W - 60) / 2, y=pdf.get_y() + 1,
                       w=60, h=space - 2, page_height=pdf.h)
    pdf.set_y(pdf.get_y() + space)
    _font(pdf, BODY, "BU")
    pdf.set_x(x)
    pdf.cell(SIGNATURE_W, LINE, pdf.clean(block.name), align="C", new_x="LMARGIN",
             new_y="NEXT")
    _font(pdf)
    for line in tail:
        pdf.set_x(x)
        pdf.cell(SIGNATURE_W, LINE, pdf.clean(line), align="C", new_x="LMARGIN", new_y="NEXT")
    return height, box


def qr_image(url):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=10, border=2, omitsize=True)
    buffer.seek(0)
    return buffer


def draft_mark_in_box(pdf, box, verify_url):
    """On a draft, the room for the signature shows where it will be and the QR code to
    the verification page (the signer draws the real appearance there)."""
    x, y = pdf.get_x(), pdf.get_y()
    pdf.image(qr_image(verify_url), x=box.x, y=box.y, w=box.h, h=box.h)
    with pdf.local_context(text_color=(120, 120, 120)):
        _font(pdf, 7.5)
        pdf.set_xy(box.x + box.h + 2, box.y + 4)
        pdf.multi_cell(box.w - box.h - 2, 3.5, pdf.clean("Tempat tanda tangan elektronik"))
    pdf.set_xy(x, y)  # what follows (Tembusan) goes under the block, not beside the mark


def tembusan(pdf, items):
    if not items:
        return
    pdf.ln(4)
    _font(pdf)
    pdf.cell(0, LINE, "Tembusan:", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, LINE, "Yth.", new_x="LMARGIN", new_y="NEXT")
    for index, item in enumerate(items):
        y = pdf.get_y()
        pdf.set_xy(LEFT, y)
        pdf.cell(MARKER_W, LINE, f"{index + 1}.")
        pdf.set_y(y)
        _cell(pdf, LEFT + MARKER_W, pdf.epw - MARKER_W, item, "L", True)


def _dictum(pdf, index, text, draw=True):
    x_text = LEFT + LABEL_W + COLON_W
    width = pdf.w - RIGHT - x_text
    if not draw:
        return body(pdf, text, x_text, width, draw=False) + 1.5
    if pdf.get_y() + 2 * LINE > pdf.page_break_trigger:
        pdf.add_page()
    y = pdf.get_y()
    _font(pdf, BODY, "B")
    pdf.set_xy(LEFT, y)
    pdf.cell(LABEL_W, LINE, ordinal(index))
    _font(pdf)
    pdf.cell(COLON_W, LINE, ":")
    pdf.set_y(y)
    height = body(pdf, text, x_text, width)
    pdf.ln(1.5)
    return height + 1.5


def _annex_heading(pdf, parts):
    """The block at the top right of an annex page."""
    x = pdf.w - RIGHT - 85
    _font(pdf, 9.5)
    for label, value in (("LAMPIRAN", ""), ("", parts.title), ("NOMOR", parts.number),
                         ("TANGGAL", parts.date_text), ("TENTANG", parts.subject)):
        pdf.set_x(x)
        text = f"{label} : {value}" if label and value else (label or value)
        pdf.multi_cell(85, 4.6, pdf.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _annex(pdf, parts, annex, block):
    pdf.add_page()
    _annex_heading(pdf, parts)
    centred(pdf, annex.title, 11, "B")
    pdf.ln(2)
    if annex.map_image:
        pdf.image(io.BytesIO(annex.map_image), x=LEFT, w=pdf.epw, h=110,
                  keep_aspect_ratio=True)
        pdf.ln(2)
    if annex.text:
        body(pdf, annex.text, LEFT, pdf.epw)
    for number, (lat, lon) in enumerate(annex.points, start=1):
        _row(pdf, LEFT, pdf.epw, f"Titik {number}", f"{lat:.6f}, {lon:.6f}", True)
    pdf.ln(4)
    height, _ = signature_block(pdf, block, draw=False, space=12)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    signature_block(pdf, block, space=12)


def first_page(head, title, footnote, draft=False, font_dir=None):
    """A document's PDF, its first page begun with the letterhead of `head`."""
    pdf = NaskahPdf(footnote, draft, font_dir)
    pdf.set_title(title)
    pdf.set_author(head.office)
    pdf.add_page()
    letterhead(pdf, head)
    return pdf


def render_keputusan(parts, head, block, verify_url, draft=False, font_dir=None):
    """A decree: returns Rendered with the PDF and the box for the visible signature."""
    pdf = first_page(head, f"{parts.title} Nomor {parts.number}", parts.footnote, draft,
                     font_dir)
    centred(pdf, parts.title, 11.5, "B")
    centred(pdf, f"NOMOR {parts.number}", 11)
    centred(pdf, "TENTANG", 11, "B")
    centred(pdf, parts.subject, 11, "B")
    pdf.ln(3)
    centred(pdf, parts.official, BODY, "B")
    pdf.ln(2)
    labelled(pdf, "Menimbang", parts.menimbang, letters)
    pdf.ln(1)
    labelled(pdf, "Mengingat", parts.mengingat, numbers)
    pdf.ln(2)
    centred(pdf, "MEMUTUSKAN:", BODY, "B")
    pdf.ln(1)
    labelled(pdf, "Menetapkan", (parts.menetapkan,), lambda index: None)
    pdf.ln(1)
    for index, text in enumerate(parts.diktum[:-1]):
        _dictum(pdf, index, text)
    # The signature block never stands alone: the last clause goes with it.
    last = len(parts.diktum) - 1
    block_h, _ = signature_block(pdf, block, draw=False)
    if pdf.get_y() + _dictum(pdf, last, parts.diktum[last], draw=False) + 4 + block_h > \
            pdf.page_break_trigger:
        pdf.add_page()
    _dictum(pdf, last, parts.diktum[last])
    pdf.ln(4)
    _, box = signature_block(pdf, block)
    if draft:
        draft_mark_in_box(pdf, box, verify_url)
    tembusan(pdf, parts.tembusan)
    for annex in parts.annexes:
        _annex(pdf, parts, annex, block)
    return Rendered(pdf=bytes(pdf.output()), signature_box=box, pages=pdf.page)


# --- a letter (surat dinas) -------------------------------------------------------------

LETTER_LABEL_W = 22  # "Nomor", "Sifat", "Lampiran", "Hal"
LETTER_HEAD_W = 120  # their column, at the left under the date
PARAGRAPH_GAP = 2


@dataclass(frozen=True)
class SuratParts:
    """A letter's filled-in texts, in the order they are printed."""

    number: str
    date_line: str  # "Blitar, 12 Desember 2026", at the right above the Nomor
    sifat: str
    lampiran: str
    hal: str
    addressee: tuple  # "Yth. Sdr. …", then the address lines
    paragraphs: tuple  # the body; the last one stays with the signature block
    tembusan: tuple = ()
    footnote: str = ""


def _paragraph(pdf, text, draw=True):
    """A body paragraph in the column of the Hal's text, as letters are set."""
    x = LEFT + LETTER_LABEL_W + COLON_W
    height = body(pdf, text, x, pdf.w - RIGHT - x, draw=draw)
    if draw:
        pdf.ln(PARAGRAPH_GAP)
    return height + PARAGRAPH_GAP


def render_surat(parts, head, block, verify_url, draft=False, font_dir=None):
    """A letter: returns Rendered with the PDF and the box for the visible signature."""
    pdf = first_page(head, f"{parts.hal} Nomor {parts.number}", parts.footnote, draft,
                     font_dir)
    _font(pdf)
    pdf.set_x(pdf.w - RIGHT - SIGNATURE_W)
    pdf.cell(SIGNATURE_W, LINE, pdf.clean(parts.date_line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in (("Nomor", parts.number), ("Sifat", parts.sifat),
                         ("Lampiran", parts.lampiran), ("Hal", parts.hal)):
        _row(pdf, LEFT, LETTER_HEAD_W, label, value, True, label_w=LETTER_LABEL_W)
    pdf.ln(LINE)
    for line in parts.addressee:
        _cell(pdf, LEFT, LETTER_HEAD_W, line, "L", True)
    pdf.ln(LINE)
    for text in parts.paragraphs[:-1]:
        _paragraph(pdf, text)
    # The signature block never stands alone: the last paragraph goes with it.
    last = parts.paragraphs[-1] if parts.paragraphs else ""
    block_h, _ = signature_block(pdf, block, draw=False)
    if pdf.get_y() + _paragraph(pdf, last, draw=False) + 2 + block_h > pdf.page_break_trigger:
        pdf.add_page()
    _paragraph(pdf, last)
    pdf.ln(2)
    _, box = signature_block(pdf, block)
    if draft and verify_url:  # a letter signed by hand has no place for an e-signature
        draft_mark_in_box(pdf, box, verify_url)
    tembusan(pdf, parts.tembusan)
    return Rendered(pdf=bytes(pdf.output()), signature_box=box, pages=pdf.page)
