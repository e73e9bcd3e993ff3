"""An applicant's upload goes through the real web page into the storage, folder or
bucket, and comes back through the permission-checked download, streamed, with its
length, its SHA-256 as ETag and ranges; nobody else gets it."""

import hashlib
import io

import pytest

from app.extensions import db
from app.storage.backends import S3Bucket
from app.storage.files import read_stored, upload_root
from models import Application
from tests.conftest import login
from tests.factories import make_user
from tests.security.routes import api_token
from tests.security.upload_corpus import fpdf_document
from tests.storage.conftest import everything_in
from tests.support import make_pkkpr

KTP = fpdf_document("KTP pemohon di penyimpanan " * 40)


@pytest.fixture
def uploaded(storage, login_as):
    """A draft whose KTP the applicant uploaded through the file page."""
    application = make_pkkpr("draft", documents=None)
    requirement = next(entry.requirement for entry in application.requirement_set
                       if entry.requirement.name == "KTP pemohon")
    pemohon = login_as("pemohon")
    response = pemohon.post(f"/permohonan/{application.id}/dokumen/{requirement.id}",
                            data={"file": (io.BytesIO(KTP), "ktp saya.pdf")},
                            content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    [document] = db.session.get(Application, application.id).documents
    return application, document, pemohon


def test_the_upload_is_stored_in_the_configured_storage(storage, uploaded):
    _, document, _ = uploaded
    assert read_stored(document.stored_name) == KTP
    assert document.sha256 == hashlib.sha256(KTP).hexdigest()
    assert not (upload_root() / document.stored_name).exists()  # not the session's folder
    if isinstance(storage, S3Bucket):
        assert everything_in(storage) == {f"siap/{document.stored_name}": KTP}


def test_the_applicant_downloads_the_upload_streamed_from_the_storage(uploaded):
    application, document, pemohon = uploaded
    response = pemohon.get(f"/permohonan/{application.id}/berkas/dokumen/{document.id}")

    assert response.status_code == 200
    assert not response.is_sequence  # streamed, not read whole into the response
    assert response.data == KTP
    assert response.headers["Content-Length"] == str(len(KTP))
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"ktp saya.pdf\"")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["ETag"] == f'"{document.sha256}"'


def test_a_pdf_viewer_gets_the_range_it_asks_for(uploaded):
    application, document, pemohon = uploaded
    url = f"/permohonan/{application.id}/berkas/dokumen/{document.id}/lihat"
    whole = pemohon.get(url)
    assert whole.headers["Content-Disposition"].startswith("inline")
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.data == KTP

    part = pemohon.get(url, headers={"Range": "bytes=100-299"})
    assert part.status_code == 206
    assert part.data == KTP[100:300]
    assert part.headers["Content-Range"] == f"bytes 100-299/{len(KTP)}"
    beyond = pemohon.get(url, headers={"Range": f"bytes={len(KTP) + 10}-"})
    assert beyond.status_code == 416


def test_the_api_serves_the_same_file(app, uploaded):
    application, document, _ = uploaded
    headers = {"Authorization": f"Bearer {api_token(app, 'pemohon')}"}
    response = app.test_client().get(
        f"/api/v1/applications/{application.id}/files/dokumen-{document.id}", headers=headers)
    assert response.status_code == 200 and response.data == KTP


def test_nobody_else_downloads_it(app, uploaded):
    application, document, _ = uploaded
    url = f"/permohonan/{application.id}/berkas/dokumen/{document.id}"
    make_user(username="tetangga", password="Rahasia123")
    neighbour = login(app.test_client(), "tetangga", "Rahasia123")
    assert neighbour.get(url).status_code == 404
    assert neighbour.get(f"{url}/lihat").status_code == 404
    headers = {"Authorization": f"Bearer {api_token(app, 'tetangga', 'Rahasia123')}"}
    assert app.test_client().get(
        f"/api/v1/applications/{application.id}/files/dokumen-{document.id}",
        headers=headers).status_code == 404
    anonymous = app.test_client().get(url, follow_redirects=False)
    assert anonymous.status_code in (302, 401) and KTP not in anonymous.data
