"""A replaced upload stays as an earlier version of the document: listed on the file
page and in the API, downloadable by whoever sees the file, and nobody else."""

import io

import pytest

from app.extensions import db
from app.storage.files import read_stored
from models import Application
from tests.conftest import login
from tests.factories import make_user
from tests.security.routes import api_token
from tests.security.upload_corpus import fpdf_document
from tests.support import PDF, make_pkkpr

CORRECTED = fpdf_document("KTP yang terbaca")


@pytest.fixture
def returned_file():
    """A file returned for correction: its KTP rejected as unreadable."""
    application = make_pkkpr("perlu_perbaikan")
    ktp = next(d for d in application.documents if d.requirement.name == "KTP pemohon")
    ktp.verdict, ktp.verdict_reason = "rejected", "Tidak terbaca"
    db.session.commit()
    return application, ktp


def reloaded(application, document):
    db.session.expire_all()
    return next(d for d in db.session.get(Application, application.id).documents
                if d.id == document.id)


def re_upload(client, application, requirement_id, content, name="ktp-baru.pdf"):
    return client.post(f"/permohonan/{application.id}/dokumen/{requirement_id}",
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_a_re_uploaded_document_keeps_the_replaced_file_as_an_earlier_version(
    login_as, returned_file
):
    application, ktp = returned_file
    old = {"stored_name": ktp.stored_name, "sha256": ktp.sha256,
           "uploaded_at": ktp.uploaded_at, "original_name": ktp.original_name}
    re_upload(login_as("pemohon"), application, ktp.requirement_id, CORRECTED)

    document = reloaded(application, ktp)
    assert document.verdict == "pending" and document.original_name == "ktp-baru.pdf"
    assert read_stored(document.stored_name) == CORRECTED
    [version] = document.versions
    assert {name: getattr(version, name) for name in old} == old
    assert (version.verdict, version.verdict_reason) == ("rejected", "Tidak terbaca")
    assert version.replaced_at >= version.uploaded_at
    assert read_stored(version.stored_name) == PDF


def test_each_replacement_adds_a_version_newest_first(login_as, returned_file):
    application, ktp = returned_file
    first_name = ktp.original_name
    pemohon = login_as("pemohon")
    re_upload(pemohon, application, ktp.requirement_id, CORRECTED, "kedua.pdf")
    document = reloaded(application, ktp)
    document.verdict, document.verdict_reason = "rejected", "Masih buram"
    db.session.commit()
    re_upload(pemohon, application, ktp.requirement_id, PDF, "ketiga.pdf")

    document = reloaded(application, ktp)
    assert document.original_name == "ketiga.pdf"
    assert [(v.original_name, v.verdict_reason) for v in document.versions] == [
        ("kedua.pdf", "Masih buram"), (first_name, "Tidak terbaca")]


def test_a_refused_re_upload_keeps_no_version(login_as, returned_file):
    application, ktp = returned_file
    page = re_upload(login_as("pemohon"), application, ktp.requirement_id,
                     b"%PDF-1.4\nrusak").get_data(as_text=True)
    assert "PDF rusak atau tidak lengkap" in page
    document = reloaded(application, ktp)
    assert document.versions == [] and document.stored_name == ktp.stored_name


def test_the_reviewer_sees_and_opens_the_earlier_version_on_the_file_page(
    login_as, returned_file
):
    application, ktp = returned_file
    re_upload(login_as("pemohon"), application, ktp.requirement_id, CORRECTED)
    version = reloaded(application, ktp).versions[0]
    url = f"/permohonan/{application.id}/berkas/versi/{version.id}"

    reviewer = login_as("pemeriksa")
    page = reviewer.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Versi sebelumnya (1)" in page and url in page
    assert "Ditolak: Tidak terbaca" in page
    response = reviewer.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_api_lists_earlier_versions_and_serves_them(app, login_as, returned_file):
    application, ktp = returned_file
    first_name = ktp.original_name
    re_upload(login_as("pemohon"), application, ktp.requirement_id, CORRECTED)
    headers = {"Authorization": f"Bearer {api_token(app, 'pemeriksa')}"}
    client = app.test_client()

    body = client.get(f"/api/v1/applications/{application.id}", headers=headers).get_json()
    document = next(d for d in body["documents"] if d["id"] == ktp.id)
    [version] = document["versions"]
    assert version["verdict"] == "rejected" and version["verdict_reason"] == "Tidak terbaca"
    assert version["original_name"] == first_name and version["replaced_at"]
    served = client.get(f"/api/v1/applications/{application.id}/files/{version['file_id']}",
                        headers=headers)
    assert served.status_code == 200 and served.data == PDF


def test_an_earlier_version_is_not_served_to_someone_who_cannot_see_the_file(
    app, login_as, returned_file
):
    application, ktp = returned_file
    re_upload(login_as("pemohon"), application, ktp.requirement_id, CORRECTED)
    version = reloaded(application, ktp).versions[0]
    make_user(username="tetangga", password="Rahasia123")
    neighbour = login(app.test_client(), "tetangga", "Rahasia123")
    assert neighbour.get(
        f"/permohonan/{application.id}/berkas/versi/{version.id}").status_code == 404
    headers = {"Authorization": f"Bearer {api_token(app, 'tetangga', 'Rahasia123')}"}
    assert app.test_client().get(
        f"/api/v1/applications/{application.id}/files/versi-{version.id}",
        headers=headers).status_code == 404
    # Nor through another file the owner may see: the version must belong to it.
    other = make_pkkpr("draft")
    owner = login_as("pemohon")
    assert owner.get(f"/permohonan/{other.id}/berkas/versi/{version.id}").status_code == 404
    assert app.test_client().get(f"/permohonan/{application.id}/berkas/versi/{version.id}",
                                 follow_redirects=False).status_code in (302, 401)
