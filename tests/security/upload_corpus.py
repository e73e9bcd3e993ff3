"""Generators of the PDFs and images of the upload corpus (test_upload_corpus.py): every
file is built here from a few lines of Python, none is committed as a binary.

`pdf_file` writes a PDF byte by byte, so a test controls what a PDF library would not
let it write: object streams under any filter chain, escaped names, actions anywhere."""

import binascii
import functools
import io
import struct
import zlib

import pikepdf
from fpdf import FPDF
from PIL import Image

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
ENCODERS = {
    "/FlateDecode": zlib.compress,
    "/ASCIIHexDecode": lambda data: binascii.hexlify(data) + b">",
}
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def stream(data, entries=b""):
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), entries, data)


def encode(data, filters):
    """`data` encoded so that decoding with the filter chain `filters`, first to last,
    gives it back."""
    for name in reversed(filters):
        data = ENCODERS[name](data)
    return data


def pdf_file(objects, packed=None, filters=("/FlateDecode",), objstm_type=b"/ObjStm",
             objstm_data=None):
    """A well-formed PDF of `objects` (number → body; 1 is the catalog) and of `packed`
    (number → body) inside one object stream encoded with `filters` (or given already
    encoded as `objstm_data(first_line, bodies)`), found through a cross-reference
    stream."""
    packed = packed or {}
    last = max([*objects, *packed])
    objstm, xref = (last + 1, last + 2) if packed else (None, last + 1)
    out = bytearray(HEADER)
    entries = {0: (0, 0, 65535)}
    for number in sorted(objects):
        entries[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    if packed:
        offsets, bodies = [], b""
        for index, number in enumerate(sorted(packed)):
            offsets.append(b"%d %d" % (number, len(bodies)))
            bodies += packed[number] + b"\n"
            entries[number] = (2, objstm, index)
        first = b" ".join(offsets) + b"\n"
        data = (objstm_data or (lambda a, b: encode(a + b, filters)))(first, bodies)
        entries[objstm] = (1, len(out), 0)
        chain = b"[" + b" ".join(name.encode() for name in filters) + b"]"
        out += b"%d 0 obj\n%s\nendobj\n" % (objstm, stream(
            data, b"/Type %s /N %d /First %d /Filter %s " % (objstm_type, len(packed),
                                                             len(first), chain)))
    entries[xref] = (1, len(out), 0)
    rows = b"".join(struct.pack(">BIH", *entries.get(n, (0, 0, 0))) for n in range(xref + 1))
    out += b"%d 0 obj\n%s\nendobj\n" % (xref, stream(
        rows, b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R " % (xref + 1)))
    out += b"startxref\n%d\n%%%%EOF\n" % entries[xref][1]
    return bytes(out)


def with_catalog(catalog_entries=b"", page_entries=b"", packed=None, more=None, **options):
    """A one-page PDF whose catalog and page carry the given entries."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog_entries, 2: PAGES,
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> "
                  b"%s>>" % page_entries,
               **(more or {})}
    return pdf_file(objects, packed, **options)


SCRIPT = b"<< /S /JavaScript /JS (app.alert(1)) >>"


def script_opened_from_object_stream(filters, before=None):
    """The catalog opens with a script action packed in an object stream."""
    return with_catalog(b"/OpenAction 5 0 R", packed={5: SCRIPT}, filters=filters,
                        more=before)


@functools.cache
def zeros_then_script():
    """A 20 MB stream of zeros first (64 kB compressed), then the script: the old
    scanner spent its inflate budget on the zeros and never read the object stream."""
    zeros = zlib.compress(b"\0" * (20 * 1024 * 1024), 9)
    return script_opened_from_object_stream(
        ("/FlateDecode",), before={4: stream(zeros, b"/Filter /FlateDecode ")})


@functools.cache
def object_stream_bomb(megabytes=64):
    """An object stream that inflates to `megabytes` MB of spaces after one empty
    dictionary (no script in it); about 1 kB per MB compressed."""
    def spaces_after(first, bodies):
        compressor, megabyte = zlib.compressobj(9), b" " * (1 << 20)
        return (compressor.compress(first + bodies)
                + b"".join(compressor.compress(megabyte) for _ in range(megabytes))
                + compressor.flush())

    return with_catalog(b"/Names 5 0 R", packed={5: b"<< >>"}, objstm_data=spaces_after)


@functools.cache
def many_empty_streams(megabytes=20):
    """Nearly `megabytes` MB of empty compressed streams: the old scanner inflated from
    each one to the end of the file (quadratic)."""
    one = stream(zlib.compress(b""), b"/Filter /FlateDecode ")
    count = (megabytes << 20) // (len(one) + 30)  # + "n 0 obj", "endobj", its xref row
    return with_catalog(more={n: one for n in range(4, 4 + count)})


def wrong_stream_length():
    """A stream whose /Length is wrong: qpdf finds `endstream` itself, with a warning."""
    content = b"BT /F1 12 Tf 72 712 Td (Halo) Tj ET"
    broken = stream(content).replace(b"/Length %d" % len(content), b"/Length 5")
    return with_catalog(page_entries=b"/Contents 4 0 R", more={4: broken})


def fpdf_document(text="Dokumen uji", link=None, compress=True):
    pdf = FPDF()
    pdf.set_compression(compress)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text, link=link or "")
    return bytes(pdf.output())


def with_pikepdf(change, **save_options):
    """A one-page PDF made by pikepdf after `change(pdf)`."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    output = io.BytesIO()
    pdf.save(output, **save_options)
    return output.getvalue()


def attach_file(pdf):
    pdf.attachments["ktp.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", filename="ktp.exe")


def encrypted(user_password):
    return with_pikepdf(lambda pdf: None, encryption=pikepdf.Encryption(
        owner="pemilik-rahasia", user=user_password))


def open_at_first_page(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]))


# --- images ---------------------------------------------------------------------------

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width=40, height=20):
    """A picture whose left half is red and right half blue, to see it turned."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height))
    return image


def exif_with_gps(orientation=1):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "KameraHP"  # Make
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (8.0, 6.0, 0.0), 3: "E", 4: (112.0, 9.0, 0.0)})
    return exif


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
       b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
       b'exif:GPSLatitude="8,6.0S"/></rdf:RDF></x:xmpmeta>')


def jpeg_with_metadata(orientation=6):
    """A phone photo: EXIF with GPS and an orientation, XMP, a comment, a colour profile."""
    from PIL import ImageCms

    output = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo().save(output, "JPEG", quality=90, exif=exif_with_gps(orientation), xmp=XMP,
                 comment=b"Rumah Budi, Kanigoro", icc_profile=profile)
    return output.getvalue()


def plain_jpeg():
    output = io.BytesIO()
    photo().save(output, "JPEG", quality=90)
    return output.getvalue()


def multi_picture_jpeg():
    """A phone's MPO: a second picture after the first one's end, announced in APP2."""
    output = io.BytesIO()
    photo().save(output, "MPO", save_all=True, append_images=[photo(30, 30)])
    return output.getvalue()


def png_with_metadata():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Budi Santoso")
    text.add_itxt("Comment", "Rumah Budi, Kanigoro")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    output = io.BytesIO()
    photo().save(output, "PNG", pnginfo=text, exif=exif_with_gps())
    return output.getvalue()


@functools.cache
def png_pixel_bomb(side=20000):
    """A small PNG that declares side × side pixels of one grey (400 MB decoded)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    compressor = zlib.compressobj(9)
    row = b"\0" * (side + 1)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0,
                                                             0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))
