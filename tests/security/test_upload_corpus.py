"""Upload corpus against the screen's and the API's document upload: every hostile
file is refused with an Indonesian message and leaves nothing behind, or is stored
under a generated name and only ever served back as an inert attachment. PDFs are
parsed (pikepdf/qpdf) in a child process with limits, images lose their metadata; the
files are built by the generators of tests/security/upload_corpus.py."""

import hashlib
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image

from app import office_time
from app.extensions import db
from app.signing import get_signer
from app.storage import inspection
from app.storage.files import upload_root
from app.workflow import decree_pdf
from models import Application
from tests.security import upload_corpus as corpus
from tests.security.routes import api_token
from tests.signing.test_decree import ready_file
from tests.support import PDF, PNG, SIGNING_PASSPHRASE, make_pkkpr, user

KTP = "KTP pemohon"  # pdf, jpg or png, at most 2 MB
SITE_PLAN = "Rencana teknis / site plan"  # pdf, at most 20 MB
SAFE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
STORED_NAME = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg)")
WRONG_TYPE = "Berkas harus berformat PDF, JPG, PNG; isi berkas ini tidak sesuai."
PDF_SCRIPT = "PDF berisi skrip atau berkas sisipan; simpan ulang sebagai PDF biasa."
PDF_ENCRYPTED = ("PDF ini terenkripsi atau dilindungi kata sandi; unggah salinan tanpa "
                 "kata sandi.")
PDF_DAMAGED = ("PDF rusak atau tidak lengkap; simpan atau ekspor ulang sebagai PDF, lalu "
               "unggah kembali.")
TOO_COMPLEX = "Berkas terlalu rumit untuk diperiksa"
IMAGE_UNREADABLE = ("Gambar tidak dapat dibaca; simpan ulang sebagai JPG atau PNG, lalu "
                    "unggah kembali.")
IMAGE_TOO_LARGE = ("Gambar terlalu besar (lebih dari 50 megapiksel); kecilkan resolusinya, "
                   "lalu unggah kembali.")
CHECK_SECONDS = 3  # what one upload of a file made to cost time may take, all included


def zip_bomb(megabytes=64):
    """A small zip holding `megabytes` MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("isi.txt", "w", force_zip64=True) as member:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


ZIP_BOMB = zip_bomb()
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(document.cookie)</script></svg>")
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SCRIPT = corpus.SCRIPT
LINK = b"/Type /Annot /Subtype /Link /Rect [0 0 10 10] "
catalog = corpus.with_catalog


def on_a_link(action):
    """A page with a link annotation that runs `action` when clicked."""
    return catalog(page_entries=b"/Annots [<< %s/A %s >>]" % (LINK, action))


REFUSED = [
    # (id, content or a function making it, file name, message)
    ("renamed-windows-exe", b"MZ\x90\x00\x03" + b"\0" * 500, "ktp.pdf", WRONG_TYPE),
    ("renamed-elf", b"\x7fELF\x02\x01\x01" + b"\0" * 500, "ktp.jpg", WRONG_TYPE),
    ("shell-script-as-png", b"#!/bin/sh\nrm -rf /\n", "ktp.png", WRONG_TYPE),
    ("html-with-script", HTML, "ktp.html", WRONG_TYPE),
    ("html-as-pdf", HTML, "ktp.pdf", WRONG_TYPE),
    ("svg-with-script", SVG, "ktp.svg", WRONG_TYPE),
    ("svg-as-png", SVG, "ktp.png", WRONG_TYPE),
    ("zip-bomb", ZIP_BOMB, "ktp.zip", WRONG_TYPE),
    ("zip-bomb-as-pdf", ZIP_BOMB, "ktp.pdf", WRONG_TYPE),
    ("zero-bytes", b"", "ktp.pdf", "Berkas kosong."),
    ("over-the-requirement-limit", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "ktp.pdf",
     "Ukuran berkas melebihi 2 MB."),
    # Active content in well-formed PDFs: scripts, actions run without a click, actions
    # that submit, import or open other files, embedded files, XFA forms.
    ("pdf-javascript", catalog(b"/OpenAction " + SCRIPT), "ktp.pdf", PDF_SCRIPT),
    ("pdf-javascript-name-tree",
     catalog(b"/Names << /JavaScript << /Names [(mulai) 4 0 R] >> >>", more={4: SCRIPT}),
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-javascript-on-a-link", on_a_link(SCRIPT), "ktp.pdf", PDF_SCRIPT),
    ("pdf-launch", catalog(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "ktp.pdf",
     PDF_SCRIPT),
    ("pdf-submit-form-on-open",
     catalog(b"/OpenAction << /S /SubmitForm /F << /FS /URL /F (https://x.example/a) >> >>"),
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-import-data-on-a-link", on_a_link(b"<< /S /ImportData /F (data.fdf) >>"),
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-remote-go-to-on-a-link", on_a_link(b"<< /S /GoToR /F (lain.pdf) /D [0 /Fit] >>"),
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-embedded-go-to-on-a-link",
     on_a_link(b"<< /S /GoToE /D [0 /Fit] /T << /R /C /N (x) >> >>"), "ktp.pdf", PDF_SCRIPT),
    ("pdf-uri-when-a-page-opens",
     catalog(page_entries=b"/AA << /O << /S /URI /URI (https://x.example/) >> >>"),
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-uri-when-the-document-opens",
     catalog(b"/OpenAction << /S /URI /URI (https://x.example/) >>"), "ktp.pdf", PDF_SCRIPT),
    ("pdf-uri-chained-after-a-go-to-on-open",
     catalog(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [<< /S /GoTo /D [3 0 R /Fit] "
             b">> << /S /URI /URI (https://x.example/) >>] >>"), "ktp.pdf", PDF_SCRIPT),
    ("pdf-rich-media-annotation",
     catalog(page_entries=b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>]"),
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-attached-file", corpus.with_pikepdf(corpus.attach_file), "ktp.pdf", PDF_SCRIPT),
    ("pdf-file-attachment-annotation",
     catalog(page_entries=b"/Annots [<< /Type /Annot /Subtype /FileAttachment "
                          b"/Rect [0 0 9 9] /FS (ktp.exe) >>]"), "ktp.pdf", PDF_SCRIPT),
    ("pdf-embedded-file-stream",
     catalog(more={4: corpus.stream(b"MZ", b"/Type /EmbeddedFile ")}), "ktp.pdf", PDF_SCRIPT),
    ("pdf-xfa-form", catalog(b"/AcroForm << /Fields [] /XFA 4 0 R >>",
                             more={4: corpus.stream(b"<xdp:xdp/>")}), "ktp.pdf", PDF_SCRIPT),
    ("pdf-javascript-hex-escaped-name",
     catalog(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"), "ktp.pdf",
     PDF_SCRIPT),
    ("pdf-javascript-in-object-stream",
     corpus.script_opened_from_object_stream(("/FlateDecode",)), "ktp.pdf", PDF_SCRIPT),
    ("pdf-javascript-escaped-in-escaped-object-stream",
     catalog(b"/OpenAction 5 0 R", packed={5: b"<< /S /J#61vaScript /JS (app.alert(1)) >>"},
             objstm_type=b"/Obj#53tm"), "ktp.pdf", PDF_SCRIPT),
    # The three ways around the old scanner of raw bytes.
    ("pdf-object-stream-under-asciihex",
     corpus.script_opened_from_object_stream(("/ASCIIHexDecode",)), "ktp.pdf", PDF_SCRIPT),
    ("pdf-object-stream-under-flate-twice",
     corpus.script_opened_from_object_stream(("/FlateDecode", "/FlateDecode")), "ktp.pdf",
     PDF_SCRIPT),
    ("pdf-twenty-megabytes-of-zeros-before-the-script", corpus.zeros_then_script, "ktp.pdf",
     PDF_SCRIPT),
    # Encrypted: with a password to open it, and with permissions only.
    ("pdf-encrypted-with-a-password", corpus.encrypted("rahasia"), "ktp.pdf", PDF_ENCRYPTED),
    ("pdf-encrypted-without-a-password", corpus.encrypted(""), "ktp.pdf", PDF_ENCRYPTED),
    # Damaged: qpdf reads them only by repairing them (it is not asked to), and a viewer
    # may repair them otherwise.
    ("pdf-truncated", corpus.fpdf_document()[:600], "ktp.pdf", PDF_DAMAGED),
    ("pdf-wrong-stream-length", corpus.wrong_stream_length(), "ktp.pdf", PDF_DAMAGED),
    ("pdf-header-then-html", b"%PDF-1.4\n" + HTML, "ktp.pdf", PDF_DAMAGED),
    # The old corpus's hand-made fragments (a PDF header and one object, no
    # cross-reference table): refused as damaged before any name in them is read. Their
    # scripts are refused above in well-formed files.
    ("pdf-fragment-with-javascript",
     b"%PDF-1.4\n1 0 obj<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
     "ktp.pdf", PDF_DAMAGED),
    ("pdf-fragment-with-embedded-file",
     b"%PDF-1.4\n1 0 obj<< /Type /EmbeddedFile /Length 3 >>stream\nMZ\n", "ktp.pdf",
     PDF_DAMAGED),
    # Beyond the inspector's memory limit (a gigabyte inflated from 1 MB).
    ("pdf-object-stream-inflating-to-a-gigabyte", lambda: corpus.object_stream_bomb(1024),
     "ktp.pdf", TOO_COMPLEX),
    # Images that cannot be decoded, or decode to more pixels than allowed.
    ("jpeg-header-then-svg", b"\xff\xd8\xff\xe0" + SVG, "ktp.svg", IMAGE_UNREADABLE),
    ("jpeg-truncated", corpus.plain_jpeg()[:300], "ktp.jpg", IMAGE_UNREADABLE),
    ("png-pixel-bomb", corpus.png_pixel_bomb, "ktp.png", IMAGE_TOO_LARGE),
]

ODD_NAMES = [
    "../../../../etc/passwd.pdf",
    "..\\..\\..\\windows\\system32\\ktp.pdf",
    "/etc/ktp.pdf",
    "ktp.pdf/../../../x.pdf",
    "KTP\u202egpj.exe.pdf",  # right-to-left override
    "K\u0301TP Budi 😀 ☃ 名字.pdf",
    'ktp"; filename=evil.html.pdf',
    "ktp\x00.exe",
    "CON.pdf",
    ".htaccess",
    "a" * 400 + ".pdf",
]

# Files that are what they claim (a PDF, an image without metadata) with a payload
# after their end: stored, but never served as anything a browser runs.
POLYGLOTS = [
    ("pdf-then-html", corpus.fpdf_document() + HTML, "ktp.pdf", "application/pdf"),
    ("png-then-html", PNG + HTML, "ktp.png", "image/png"),
    ("jpeg-then-svg", corpus.plain_jpeg() + SVG, "ktp.svg", "image/jpeg"),
]


def requirement_named(application, name):
    return next(r for r in application.permit_type.requirements if r.name == name)


@pytest.fixture
def draft():
    application = make_pkkpr("draft", documents=None)
    return application, requirement_named(application, KTP)


class WebUpload:
    name = "web"

    def __init__(self, app, login_as):
        self.client = login_as("pemohon")

    def send(self, application, requirement, content, filename):
        files = {} if content is None else {"file": (io.BytesIO(content), filename)}
        response = self.client.post(
            f"/permohonan/{application.id}/dokumen/{requirement.id}", data=files,
            content_type="multipart/form-data", follow_redirects=True)
        return response.status_code, response.get_data(as_text=True)

    def download(self, application, document):
        return self.client.get(f"/permohonan/{application.id}/berkas/dokumen/{document.id}")


class ApiUpload:
    name = "api"

    def __init__(self, app, login_as):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {api_token(app, 'pemohon')}"}

    def send(self, application, requirement, content, filename):
        data = {"requirement_id": str(requirement.id)}
        if content is not None:
            data["file"] = (io.BytesIO(content), filename)
        response = self.client.post(f"/api/v1/applications/{application.id}/documents",
                                    data=data, headers=self.headers,
                                    content_type="multipart/form-data")
        body = response.get_json() or {}
        return response.status_code, " ".join([body.get("message", ""),
                                               *body.get("errors", {}).values()])

    def download(self, application, document):
        return self.client.get(
            f"/api/v1/applications/{application.id}/files/dokumen-{document.id}",
            headers=self.headers)


@pytest.fixture(params=[WebUpload, ApiUpload], ids=["web", "api"])
def channel(request, app, login_as):
    return request.param(app, login_as)


def files_on_disk():
    root = upload_root()
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def documents_of(application_id):
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    return list(application.documents), len(application.events), application.version


def assert_nothing_stored(application, before, disk):
    assert documents_of(application.id) == before
    assert files_on_disk() == disk


@pytest.mark.parametrize(("content", "filename", "message"),
                         [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_a_hostile_file_is_refused_with_a_message_and_nothing_is_stored(
    channel, draft, content, filename, message
):
    application, requirement = draft
    content = content() if callable(content) else content
    before, disk = documents_of(application.id), files_on_disk()
    started = time.monotonic()
    status, text = channel.send(application, requirement, content, filename)
    assert message in text, (status, text[:500])
    assert status == (200 if channel.name == "web" else 400)
    assert time.monotonic() - started < 10  # bombs are never unpacked
    assert_nothing_stored(application, before, disk)


def test_a_missing_file_is_refused_with_a_message(channel, draft):
    application, requirement = draft
    before, disk = documents_of(application.id), files_on_disk()
    for content, filename in ((None, None), (b"%PDF-1.4\n", "")):
        _, text = channel.send(application, requirement, content, filename)
        assert "Pilih berkas yang akan diunggah." in text
    assert_nothing_stored(application, before, disk)


def test_a_line_break_in_the_file_name_injects_no_header(channel, draft):
    """The name breaks the multipart part's header: the file is refused as missing (or,
    were it parsed, stored safely); never a header of its own."""
    application, requirement = draft
    before, disk = documents_of(application.id), files_on_disk()
    status, text = channel.send(application, requirement, PDF, "ktp\r\nX-Evil: 1.pdf")
    documents, _, _ = documents_of(application.id)
    if documents:
        assert_stored_safely_and_served_inert(channel, application, requirement, PDF,
                                              "application/pdf")
    else:
        assert "Pilih berkas yang akan diunggah." in text
        assert_nothing_stored(application, before, disk)


def test_a_request_over_the_servers_limit_is_refused_with_413(channel, draft):
    application, requirement = draft
    before, disk = documents_of(application.id), files_on_disk()
    content = b"%PDF-1.4\n" + b"0" * current_app.config["MAX_CONTENT_LENGTH"]
    status, text = channel.send(application, requirement, content, "besar.pdf")
    assert status == 413
    assert "Berkas terlalu besar." in text
    assert_nothing_stored(application, before, disk)


def assert_stored_safely_and_served_inert(channel, application, requirement, content,
                                          content_type):
    documents, _, _ = documents_of(application.id)
    document = next(d for d in documents if d.requirement_id == requirement.id)
    assert STORED_NAME.fullmatch(document.stored_name), document.stored_name
    path = (upload_root() / document.stored_name).resolve()
    assert path.is_relative_to(upload_root().resolve()) and path.read_bytes() == content
    assert not re.search(r"[/\\\x00-\x1f\u202a-\u202e]", document.original_name)
    assert len(document.original_name) <= 200

    response = channel.download(application, document)
    assert response.status_code == 200
    assert response.data == content
    headers = response.headers
    assert headers["Content-Disposition"].startswith("attachment;")
    assert not re.search(r"[\r\n]", headers["Content-Disposition"])
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"].split(";")[0] == content_type
    assert content_type in SAFE_TYPES
    assert "X-Evil" not in headers
    return document


@pytest.mark.parametrize("filename", ODD_NAMES)
def test_an_odd_or_hostile_file_name_is_stored_under_a_generated_name(channel, draft,
                                                                        filename):
    application, requirement = draft
    status, text = channel.send(application, requirement, PDF, filename)
    assert status == (200 if channel.name == "web" else 201), text[:300]
    document = assert_stored_safely_and_served_inert(channel, application, requirement, PDF,
                                                     "application/pdf")
    assert ".." not in Path(document.stored_name).parts


@pytest.mark.parametrize(("content", "filename", "content_type"),
                         [case[1:] for case in POLYGLOTS], ids=[case[0] for case in POLYGLOTS])
def test_a_polyglot_is_stored_and_served_only_as_its_sniffed_type(channel, draft, content,
                                                                  filename, content_type):
    application, requirement = draft
    status, text = channel.send(application, requirement, content, filename)
    assert status == (200 if channel.name == "web" else 201), text[:300]
    assert_stored_safely_and_served_inert(channel, application, requirement, content,
                                          content_type)


def test_a_pdf_whose_object_stream_is_a_bomb_is_checked_within_bounds(channel, draft):
    """64 MB inflated from 64 kB, within the inspector's memory: read, and harmless."""
    application, requirement = draft
    bomb = corpus.object_stream_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    status, text = channel.send(application, requirement, bomb, "ktp.pdf")
    assert time.monotonic() - started < CHECK_SECONDS
    assert status == (200 if channel.name == "web" else 201), text[:300]
    assert_stored_safely_and_served_inert(channel, application, requirement, bomb,
                                          "application/pdf")


def test_duplicate_uploads_get_their_own_generated_names(channel, draft):
    application, requirement = draft
    other = next(r for r in application.permit_type.requirements if r.name == "NPWP")
    for target in (requirement, requirement, other):
        status, _ = channel.send(application, target, PDF, "sama.pdf")
        assert status == (200 if channel.name == "web" else 201)
    documents, _, _ = documents_of(application.id)
    assert sorted(d.requirement_id for d in documents) == sorted([requirement.id, other.id])
    names = {d.stored_name for d in documents}
    assert len(names) == 2 and all(STORED_NAME.fullmatch(n) for n in names)
    assert {d.sha256 for d in documents} == {documents[0].sha256}
    for document in documents:
        response = channel.download(application, document)
        assert response.status_code == 200 and response.data == PDF


def the_apps_own_decree():
    rendered, _ = decree_pdf.render(ready_file(), "https://siapnloss.blitarkab.go.id/verifikasi/t")
    return rendered.pdf


def the_apps_own_signed_decree():
    return get_signer().sign(the_apps_own_decree(), user("kepaladinas"), SIGNING_PASSPHRASE,
                             reason="uji")


ORDINARY_PDFS = [
    ("fpdf2", corpus.fpdf_document),
    ("fpdf2-with-a-link", lambda: corpus.fpdf_document("Tautan", link="https://blitarkab.go.id")),
    # The old scanner refused it: "/JS" in the text of an uncompressed page.
    ("fpdf2-text-with-a-js-name", lambda: corpus.fpdf_document("(a/JS b)", compress=False)),
    ("link-annotation-opening-a-uri",
     lambda: on_a_link(b"<< /S /URI /URI (https://blitarkab.go.id/) >>")),
    ("go-to-first-page-on-open-in-object-streams", lambda: corpus.with_pikepdf(
        corpus.open_at_first_page, object_stream_mode=corpus.pikepdf.ObjectStreamMode.generate)),
    ("the-apps-decree", the_apps_own_decree),
    ("the-apps-signed-decree", the_apps_own_signed_decree),
]


@pytest.mark.parametrize("make", [case[1] for case in ORDINARY_PDFS],
                         ids=[case[0] for case in ORDINARY_PDFS])
def test_an_ordinary_pdf_is_stored_as_uploaded(channel, draft, make):
    application, requirement = draft
    content = make()
    status, text = channel.send(application, requirement, content, "ktp.pdf")
    assert status == (200 if channel.name == "web" else 201), text[:300]
    assert_stored_safely_and_served_inert(channel, application, requirement, content,
                                          "application/pdf")


def test_the_text_case_really_holds_a_name_the_old_scanner_refused():
    assert b"(\\(a/JS b\\))" in corpus.fpdf_document("(a/JS b)", compress=False)


def test_twenty_megabytes_of_empty_streams_are_refused_within_the_bound(channel, draft):
    """The old scanner's quadratic file: over the object limit, refused before it is
    walked."""
    application, _ = draft
    site_plan = requirement_named(application, SITE_PLAN)
    content = corpus.many_empty_streams(20)
    assert 19 << 20 < len(content) <= 20 << 20
    before, disk = documents_of(application.id), files_on_disk()
    started = time.monotonic()
    status, text = channel.send(application, site_plan, content, "rencana.pdf")
    assert time.monotonic() - started < CHECK_SECONDS
    assert TOO_COMPLEX in text, (status, text[:300])
    assert_nothing_stored(application, before, disk)


def test_a_check_that_runs_out_of_cpu_time_refuses_the_file(app, monkeypatch, channel, draft):
    """Without the object limit, walking 230,000 objects takes longer than a CPU second
    allowed here: the inspector is stopped and the file refused, never half-accepted."""
    monkeypatch.setitem(app.config, "UPLOAD_PDF_MAX_OBJECTS", 10**7)
    monkeypatch.setitem(app.config, "UPLOAD_CHECK_SECONDS", 1)
    application, _ = draft
    site_plan = requirement_named(application, SITE_PLAN)
    before, disk = documents_of(application.id), files_on_disk()
    started = time.monotonic()
    status, text = channel.send(application, site_plan, corpus.many_empty_streams(20),
                                "rencana.pdf")
    assert time.monotonic() - started < CHECK_SECONDS
    assert TOO_COMPLEX in text, (status, text[:300])
    assert_nothing_stored(application, before, disk)


def test_an_inspector_without_enough_memory_refuses_the_file(app, monkeypatch, channel,
                                                             draft):
    monkeypatch.setitem(app.config, "UPLOAD_CHECK_MEMORY_MB", 1)
    application, requirement = draft
    before, disk = documents_of(application.id), files_on_disk()
    status, text = channel.send(application, requirement, PDF, "ktp.pdf")
    assert TOO_COMPLEX in text, (status, text[:300])
    assert_nothing_stored(application, before, disk)


def test_an_inspector_that_crashes_refuses_the_file_and_tells_the_operator(
    monkeypatch, caplog, tmp_path, channel, draft
):
    """Whatever stops the check (here a bug), the file is refused, never stored
    unchecked, and the log says why."""
    broken = tmp_path / "inspector.py"
    broken.write_text("raise RuntimeError('a bug in the inspector')\n")
    monkeypatch.setattr(inspection, "INSPECTOR", broken)
    application, requirement = draft
    before, disk = documents_of(application.id), files_on_disk()
    status, text = channel.send(application, requirement, PDF, "ktp.pdf")
    assert TOO_COMPLEX in text, (status, text[:300])
    assert_nothing_stored(application, before, disk)
    assert "upload inspector stopped" in caplog.text
    assert "a bug in the inspector" in caplog.text


def stored_image(application, requirement):
    documents, _, _ = documents_of(application.id)
    document = next(d for d in documents if d.requirement_id == requirement.id)
    content = (upload_root() / document.stored_name).read_bytes()
    return document, content, Image.open(io.BytesIO(content))


def assert_no_metadata(image):
    assert not image.getexif()
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "Author", "Comment",
                "photoshop"} & set(image.info)
    assert not getattr(image, "text", {})
    if image.format == "JPEG":
        assert {marker for marker, _ in image.applist} <= {"APP0", "APP2", "APP14"}


def test_a_phone_photo_is_stored_turned_upright_without_its_location(channel, draft):
    application, requirement = draft
    upload = corpus.jpeg_with_metadata(orientation=6)  # shot with the phone on its side
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(corpus.GPS_IFD)
    status, text = channel.send(application, requirement, upload, "ktp.jpg")
    assert status == (200 if channel.name == "web" else 201), text[:300]
    document, content, image = stored_image(application, requirement)
    assert_no_metadata(image)
    assert image.size == (20, 40)  # turned a quarter clockwise, as the viewer showed it
    red, blue = image.getpixel((10, 2)), image.getpixel((10, 37))
    assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]
    assert image.info.get("icc_profile")  # how to show the colours is kept
    assert document.size_bytes == len(content) < len(upload)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert channel.download(application, document).data == content


def test_a_png_is_stored_without_its_text_and_exif(channel, draft):
    application, requirement = draft
    upload = corpus.png_with_metadata()
    status, text = channel.send(application, requirement, upload, "ktp.png")
    assert status == (200 if channel.name == "web" else 201), text[:300]
    _, _, image = stored_image(application, requirement)
    assert_no_metadata(image)
    assert image.size == (40, 20) and image.getpixel((0, 0)) == (255, 0, 0)


def test_a_multi_picture_jpeg_is_stored_as_its_first_picture(channel, draft):
    application, requirement = draft
    status, text = channel.send(application, requirement, corpus.multi_picture_jpeg(),
                                "ktp.jpg")
    assert status == (200 if channel.name == "web" else 201), text[:300]
    _, content, image = stored_image(application, requirement)
    assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
    assert image.size == (40, 20) and content.count(b"\xff\xd8") == 1
    assert_no_metadata(image)


def test_an_image_without_metadata_is_stored_as_uploaded(channel, draft):
    application, requirement = draft
    upload = corpus.plain_jpeg()
    status, text = channel.send(application, requirement, upload, "ktp.jpg")
    assert status == (200 if channel.name == "web" else 201), text[:300]
    assert_stored_safely_and_served_inert(channel, application, requirement, upload,
                                          "image/jpeg")


def test_an_issued_file_of_a_workflow_action_is_checked_and_cleaned_too(login_as):
    """Workflow forms' file fields (here the payment proof) go through the same check."""
    application = make_pkkpr("menunggu_pembayaran")
    client = login_as("pemohon")
    base = f"/permohonan/{application.id}/aksi/unggah_bukti_bayar"
    form = {"tanggal_bayar": office_time.today().isoformat(), "ntpn": "A1B2C3D4E5F6G7H8"}
    script = catalog(b"/OpenAction " + SCRIPT)
    response = client.post(base, data={**form, "bukti_bayar": (io.BytesIO(script), "b.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert PDF_SCRIPT in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "menunggu_pembayaran"
    photo = corpus.jpeg_with_metadata()
    client.post(base, data={**form, "bukti_bayar": (io.BytesIO(photo), "b.jpg")},
                content_type="multipart/form-data")
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.status == "pembayaran_pnbp"
    proof = next(a for a in application.artifacts if a.stored_name)
    assert_no_metadata(Image.open(upload_root() / proof.stored_name))
