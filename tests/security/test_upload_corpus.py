"""Upload corpus against the screen's and the API's document upload: every hostile
file is refused with an Indonesian message and leaves nothing behind, or is stored
under a generated name and only ever served back as an inert attachment."""

import io
import re
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from flask import current_app

from app.extensions import db
from app.storage.files import upload_root
from models import Application
from tests.security.routes import api_token
from tests.support import PDF, PNG, make_pkkpr

KTP = "KTP pemohon"  # pdf, jpg or png, at most 2 MB
SAFE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
STORED_NAME = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg)")
WRONG_TYPE = "Berkas harus berformat PDF, JPG, PNG; isi berkas ini tidak sesuai."
PDF_SCRIPT = "PDF berisi skrip atau berkas sisipan; simpan ulang sebagai PDF biasa."


def zip_bomb(megabytes=64):
    """A small zip holding `megabytes` MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("isi.txt", "w", force_zip64=True) as member:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


def pdf_with_object_stream(objects, header=b"%PDF-1.5"):
    """A PDF whose objects sit compressed in an object stream (PDF 1.5), where a
    scanner of the raw bytes does not see them."""
    body = b"5 0 " + objects
    packed = zlib.compress(body)
    return (header + b"\n4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode "
            b"/Length " + str(len(packed)).encode() + b" >>\nstream\n" + packed
            + b"\nendstream\nendobj\n1 0 obj\n<< /Type /Catalog /OpenAction 5 0 R >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def pdf_with_objstm_bomb(megabytes=64):
    """An object stream that inflates to `megabytes` MB (no script in it)."""
    packer = zlib.compressobj(9)
    packed = packer.compress(b"5 0 << /Type /Annot >>") + b"".join(
        packer.compress(b" " * (1024 * 1024)) for _ in range(megabytes)) + packer.flush()
    return (b"%PDF-1.5\n4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(len(packed)).encode() + b" >>\nstream\n" + packed
            + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


ZIP_BOMB = zip_bomb()
JS_OPEN_ACTION = b"%PDF-1.4\n1 0 obj<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(document.cookie)</script></svg>")
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

REFUSED = [
    # (id, content, file name, message)
    ("renamed-windows-exe", b"MZ\x90\x00\x03" + b"\0" * 500, "ktp.pdf", WRONG_TYPE),
    ("renamed-elf", b"\x7fELF\x02\x01\x01" + b"\0" * 500, "ktp.jpg", WRONG_TYPE),
    ("shell-script-as-png", b"#!/bin/sh\nrm -rf /\n", "ktp.png", WRONG_TYPE),
    ("html-with-script", HTML, "ktp.html", WRONG_TYPE),
    ("html-as-pdf", HTML, "ktp.pdf", WRONG_TYPE),
    ("svg-with-script", SVG, "ktp.svg", WRONG_TYPE),
    ("svg-as-png", SVG, "ktp.png", WRONG_TYPE),
    ("zip-bomb", ZIP_BOMB, "ktp.zip", WRONG_TYPE),
    ("zip-bomb-as-pdf", ZIP_BOMB, "ktp.pdf", WRONG_TYPE),
    ("pdf-javascript", JS_OPEN_ACTION, "ktp.pdf", PDF_SCRIPT),
    ("pdf-launch", b"%PDF-1.4\n1 0 obj<< /OpenAction << /S /Launch /F (cmd.exe) >> >>",
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-embedded-file", b"%PDF-1.4\n1 0 obj<< /Type /EmbeddedFile /Length 3 >>stream\nMZ\n",
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-javascript-hex-escaped-name",
     b"%PDF-1.4\n1 0 obj<< /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
     "ktp.pdf", PDF_SCRIPT),
    ("pdf-javascript-in-object-stream",
     pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "ktp.pdf",
     PDF_SCRIPT),
    ("pdf-javascript-escaped-in-escaped-object-stream",
     pdf_with_object_stream(b"<< /S /J#61vaScript /JS (app.alert(1)) >>").replace(
         b"/ObjStm", b"/Obj#53tm"), "ktp.pdf", PDF_SCRIPT),
    ("zero-bytes", b"", "ktp.pdf", "Berkas kosong."),
    ("over-the-requirement-limit", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "ktp.pdf",
     "Ukuran berkas melebihi 2 MB."),
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

# Files that are what they claim by their first bytes, with a payload after: stored,
# but never served as anything a browser runs.
POLYGLOTS = [
    ("pdf-header-then-html", b"%PDF-1.4\n" + HTML, "ktp.pdf", "application/pdf"),
    ("png-header-then-html", PNG + HTML, "ktp.png", "image/png"),
    ("jpeg-header-then-svg", b"\xff\xd8\xff\xe0" + SVG, "ktp.svg", "image/jpeg"),
]


@pytest.fixture
def draft():
    application = make_pkkpr("draft", documents=None)
    requirement = next(r for r in application.permit_type.requirements if r.name == KTP)
    return application, requirement


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
    application, requirement = draft
    bomb = pdf_with_objstm_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    status, text = channel.send(application, requirement, bomb, "ktp.pdf")
    assert time.monotonic() - started < 10
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
