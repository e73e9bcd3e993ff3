"""The signed decree as a person sees it: every page rendered to PNG into the test's
artifacts, its text read page by page, its images and its signature field located, and
the QR code of the visible signature read back. Needs poppler-utils and zbar-tools (the
Debian packages .ci/run installs next to Chromium)."""

import io
import re
import shutil
import subprocess
from dataclasses import dataclass

import pikepdf
import pytest
from PIL import Image, ImageDraw

FOOTNOTE = "Balai Besar Sertifikasi Elektronik (BSrE)"
STRUCTURE = ("Menimbang", "Mengingat", "MEMUTUSKAN", "Menetapkan", "KESATU", "KEDUA")
EMBLEM_SIZE = (180, 216)


def emblem_png():
    """A stand-in for the regency's emblem (a shield), as an admin would upload it."""
    image = Image.new("RGB", EMBLEM_SIZE, "white")
    draw = ImageDraw.Draw(image)
    width, height = EMBLEM_SIZE
    draw.polygon([(10, 10), (width - 10, 10), (width - 10, height * 0.6), (width / 2, height - 8),
                  (10, height * 0.6)], fill=(0, 102, 51), outline=(212, 175, 55))
    draw.ellipse([(width * 0.3, height * 0.25), (width * 0.7, height * 0.55)],
                 fill=(212, 175, 55))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class DecreePage:
    number: int  # 1-based
    text: str
    image_sizes: list  # (width, height) of the images drawn on it
    has_signature_field: bool
    png: object  # its rendering in the artifacts
    qr_codes: list


def _require(*tools):
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install poppler-utils and zbar-tools "
                    "(see .ci/run)")


def _is_signature_widget(annotation):
    field = annotation.get("/Parent", annotation)
    return annotation.get("/Subtype") == "/Widget" and field.get("/FT") == "/Sig"


def read_pages(pdf_path, folder, name):
    """The pages of `pdf_path`, rendered as `folder`/`name`-halaman-N.png."""
    _require("pdftoppm", "pdftotext", "zbarimg")
    prefix = folder / f"{name}-halaman"
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf_path), str(prefix)], check=True)
    pngs = sorted(folder.glob(f"{name}-halaman-*.png"),
                  key=lambda path: int(re.search(r"-(\d+)\.png$", path.name).group(1)))
    pages = []
    with pikepdf.open(pdf_path) as pdf:
        assert len(pngs) == len(pdf.pages)
        for index, (page, png) in enumerate(zip(pdf.pages, pngs, strict=True), start=1):
            text = subprocess.run(
                ["pdftotext", "-layout", "-f", str(index), "-l", str(index), str(pdf_path), "-"],
                capture_output=True, text=True, check=True).stdout
            sizes = [(pikepdf.PdfImage(image).width, pikepdf.PdfImage(image).height)
                     for image in page.images.values()]
            signature = any(_is_signature_widget(annotation)
                            for annotation in page.obj.get("/Annots", []))
            qr = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                                text=True, check=False).stdout.split()
            pages.append(DecreePage(index, text, sizes, signature, png, qr))
    return pages


def squeeze(text):
    return re.sub(r"\s+", " ", text)


def check_signed_decree(pdf_path, folder, verification_url, signer_name, nip, texts=(),
                        name="sk"):
    """Everything where it belongs: the letterhead with the emblem on page 1; the
    structure of a decree in order; page numbers from page 2; on the page of the visible
    signature, the signer's name and NIP, the BSrE footnote and the QR code that opens
    the verification page (`verification_url`, or any page of this server's /verifikasi/
    when None). `texts` must appear somewhere (the file's own data)."""
    pages = read_pages(pdf_path, folder, name)
    first, whole = pages[0], squeeze(" ".join(page.text for page in pages))
    assert "PEMERINTAH KABUPATEN BLITAR" in first.text
    assert "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU" in first.text
    assert "Telepon" in first.text and "dpmptsp" in first.text  # contacts
    assert EMBLEM_SIZE in first.image_sizes, "the emblem is not on the first page"
    position = 0
    for part in STRUCTURE:  # each after the one before
        position = whole.find(part, position)
        assert position >= 0, f"{part} missing or out of order"
    assert not re.search(r"-\s*1\s*-", first.text), "page 1 carries no number"
    for page in pages[1:]:
        assert re.search(rf"-\s*{page.number}\s*-", page.text), f"page {page.number} unnumbered"

    signed = [page for page in pages if page.has_signature_field]
    assert len(signed) == 1, "one visible signature"
    signature_page = signed[0]
    block = squeeze(signature_page.text)
    assert signer_name in block and f"NIP {nip}" in block, block
    assert FOOTNOTE in block, "the BSrE footnote is not under the signature"
    assert "Ditetapkan di" in block  # kept with the last clause
    if verification_url is None:
        assert any("/verifikasi/" in code for code in signature_page.qr_codes), \
            signature_page.qr_codes
    else:
        assert verification_url in signature_page.qr_codes, signature_page.qr_codes
    for text in texts:
        assert text in whole, text
    return pages
