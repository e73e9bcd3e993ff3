"""A PDF page as a PNG image, for previews a browser shows without a PDF plugin (the
Content-Security-Policy allows no <object>). pypdfium2 draws it with PDFium, the PDF
engine of Chromium, shipped in its wheel: no system package, nothing downloaded."""

import io

import pypdfium2 as pdfium


def page_png(pdf, page=0, width=640):
    """Page `page` (from 0) of the PDF `pdf` (bytes), `width` pixels wide, as PNG bytes."""
    document = pdfium.PdfDocument(pdf)
    try:
        drawn = document[page]
        image = drawn.render(scale=width / drawn.get_width()).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def page_count(pdf):
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()
