"""PDF pages as PNG images, for previews a browser shows without a PDF plugin (the
Content-Security-Policy allows no <object>). pypdfium2 draws them with PDFium, the PDF
engine of Chromium, shipped in its wheel: no system package, nothing downloaded."""

import io

import pypdfium2 as pdfium


def page_pngs(pdf, width=640):
    """Every page of the PDF `pdf` (bytes), `width` pixels wide, as PNG bytes."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = [page.render(scale=width / page.get_width()).to_pil() for page in document]
    finally:
        document.close()
    return [_png(image) for image in images]


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
