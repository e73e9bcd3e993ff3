"""Staff opening an applicant's files, revocations and exports each leave one audit entry;
the applicant opening their own files leaves none, and a revocation that fails leaves
none."""

import pytest
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.services import revocation
from models import Application, Decree
from tests.api.support import api, token
from tests.audit.support import entries, only
from tests.decrees.support import signed_pkkpr
from tests.support import make_pkkpr, user


@pytest.fixture
def submitted(app):
    return make_pkkpr(status="diajukan")


def document_url(application, suffix=""):
    document = application.documents[0]
    return f"/permohonan/{application.id}/berkas/dokumen/{document.id}{suffix}"


def test_an_officer_downloading_an_applicants_document_is_recorded(login_as, submitted):
    document = submitted.documents[0]
    response = login_as("frontoffice").get(document_url(submitted),
                                           environ_base={"REMOTE_ADDR": "10.1.1.9"})
    assert response.status_code == 200

    entry = only(audit.FILE_DOWNLOADED)
    assert (entry.actor_name, entry.address) == ("frontoffice", "10.1.1.9")
    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "application", submitted.id, submitted.registration_number)
    assert entry.details == {"file": f"application_document#{document.id}",
                             "name": document.original_name, "shown_in_page": False}


def test_the_document_shown_in_the_review_page_is_recorded_too(login_as, submitted):
    assert login_as("pemeriksa").get(document_url(submitted, "/lihat")).status_code == 200
    entry = only(audit.FILE_DOWNLOADED)
    assert entry.actor_name == "pemeriksa" and entry.details["shown_in_page"] is True


def test_the_applicant_opening_their_own_document_is_not_recorded(login_as, submitted):
    assert login_as("pemohon").get(document_url(submitted)).status_code == 200
    assert entries(audit.FILE_DOWNLOADED) == []


def test_a_walk_in_applicants_document_opened_by_the_front_office_is_recorded(login_as):
    walk_in = make_pkkpr(status="diajukan", owner=None, created_by="frontoffice")
    assert login_as("frontoffice").get(document_url(walk_in)).status_code == 200
    assert only(audit.FILE_DOWNLOADED).object_id == walk_in.id


def test_a_download_through_the_api_is_recorded(client, submitted):
    document = submitted.documents[0]
    response = api(client, token(client, "pemeriksa"), "GET",
                   f"/applications/{submitted.id}/files/dokumen-{document.id}")
    assert response.status_code == 200
    assert only(audit.FILE_DOWNLOADED).actor_name == "pemeriksa"


def test_a_refused_download_is_not_recorded_as_one(login_as, submitted):
    assert login_as("pengelolaaset").get(document_url(submitted)).status_code == 404
    assert entries(audit.FILE_DOWNLOADED) == []


def test_a_revocation_is_recorded_with_its_reason_and_numbers(client):
    application = signed_pkkpr()
    response = api(client, token(client, "kepaladinas"), "POST",
                   f"/applications/{application.id}/revoke",
                   json={"alasan": "Data tanah tidak benar"})
    assert response.status_code == 200, response.get_json()
    decree = db.session.scalar(select(Decree).where(Decree.application_id == application.id))
    db.session.refresh(decree)

    entry = only(audit.PERMIT_REVOKED)
    assert entry.actor_name == "kepaladinas" and entry.address == "127.0.0.1"
    assert (entry.object_type, entry.object_id) == ("application", application.id)
    assert entry.details == {"sk_number": application.sk_number,
                             "revocation_number": decree.revocation_number,
                             "reason": "Data tanah tidak benar"}


def test_a_revocation_that_fails_leaves_no_entry(app, monkeypatch):
    application = signed_pkkpr()

    def broken(*args):
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr(revocation, "_tell_the_holder", broken)
    with app.test_request_context(), pytest.raises(RuntimeError):
        revocation.revoke(application.id, user("kepaladinas"), "Data tanah tidak benar")

    assert entries(audit.PERMIT_REVOKED) == []
    assert db.session.get(Application, application.id).decree.status == "berlaku"


def test_the_statistics_export_is_recorded_with_its_filter(login_as):
    response = login_as("pemeriksa").get("/statistik/unduh.csv?start=2026-01-01")
    assert response.status_code == 200
    entry = only(audit.EXPORTED)
    assert entry.actor_name == "pemeriksa"
    assert entry.details == {"what": "statistics", "format": "csv",
                             "filters": {"start": "2026-01-01"}}


def test_the_decree_register_export_is_recorded_with_its_year(login_as):
    assert login_as("backoffice").get("/register-sk/unduh.xlsx?tahun=2026").status_code == 200
    entry = only(audit.EXPORTED)
    assert entry.actor_name == "backoffice"
    assert entry.details == {"what": "decree_register", "format": "xlsx", "year": 2026}
