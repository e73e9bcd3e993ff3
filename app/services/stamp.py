"""A stamp across every page of a copy of a PDF (a revoked permit: "DICABUT").

The stamp is drawn once per page size with fpdf2 and laid over each page with pikepdf
(qpdf): the page's own content is kept as it is, only the stamp is added on top. The
copy is made in memory; the file it comes from is only read."""

import io

import pikepdf
from fpdf import FPDF

RED = (190, 0, 0)


def _stamp_page(width, height, word, note):
    """One transparent page of `width` × `height` points: `word` across the middle and
    a line of `note` at the top (plain text, so it can be found and read aloud)."""
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    with pdf.local_context(text_color=RED, draw_color=RED):
        pdf.set_font("Helvetica", "B", 10)
        pdf.set_xy(24, 10)
        line = f"{word} - {note}".encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(width - 48, 12, line, border=1, align="C")
        size = min(width, height) / 5
        with pdf.local_context(fill_opacity=0.25, text_color=RED):
            pdf.set_font("Helvetica", "B", size)
            text_width = pdf.get_string_width(word)
            with pdf.rotation(35, x=width / 2, y=height / 2):
                pdf.text((width - text_width) / 2, height / 2 + size / 3, word)
    return pikepdf.open(io.BytesIO(bytes(pdf.output())))


def stamped(source, word, note):
    """The PDF in `source` (a path or a seekable binary stream) with the stamp on every
    page, as bytes."""
    stamps = {}
    with pikepdf.open(source) as document:
        for page in document.pages:
            box = page.mediabox
            width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
            key = (round(width, 1), round(height, 1))
            if key not in stamps:
                stamps[key] = _stamp_page(width, height, word, note)
            page.add_overlay(stamps[key].pages[0])
        output = io.BytesIO()
        document.save(output)
    for stamp in stamps.values():
        stamp.close()
    return output.getvalue()
