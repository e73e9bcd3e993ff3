"""The retention job deletes an applicant's uploads (the requirement documents and the
earlier versions they replaced) PERSONAL_DOCUMENT_RETENTION_YEARS after their file ended
— a permit in force ends with its validity — and nothing else: decrees, issued
documents, recent files and files in progress stay. The rows stay marked, the download
says the file was deleted; the job acts once per file and its dry run lists."""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask_babel import force_locale
from sqlalchemy import func, select

from app.errors import HTTP_ERROR_MESSAGES
from app.extensions import db
from app.jobs import run_due
from app.jobs.base import take
from app.jobs.retention import personal_document_retention
from app.office_time import today
from app.storage.files import store_bytes
from app.workflow.engine import remove_after_commit, unit_of_work
from models import Application, ApplicationDocument, DocumentVersion, JobAction
from models.application import utcnow
from models.decree import DecreeStatus
from tests.privacy.support import (
    YEAR,
    applicant,
    file_of,
    finished,
    on_disk,
    rejection_letter,
    signed,
    with_artifact,
    with_earlier_version,
)
from tests.support import PDF

JOBS = [personal_document_retention]


def uploads(application):
    documents = db.session.scalars(select(ApplicationDocument).where(
        ApplicationDocument.application_id == application.id)).all()
    versions = [v for d in documents for v in d.versions]
    return [*documents, *versions]


def stored_names(rows):
    return [row.stored_name for row in rows]


@pytest.fixture
def files(app):
    """One applicant's files at every point of the retention."""
    owner = applicant()
    refused_long_ago = finished(file_of(owner, "ditolak"), years_ago=6)
    with_earlier_version(refused_long_ago)
    with_artifact(refused_long_ago, "sps")
    rejection_letter(refused_long_ago)
    expired_long_ago = finished(file_of(owner, "selesai"), years_ago=9)
    signed(expired_long_ago, valid_until=today() - 6 * YEAR)
    in_force = finished(file_of(owner, "selesai"), years_ago=6)
    signed(in_force, valid_until=today() + YEAR)
    revoked_lately = finished(file_of(owner, "selesai"), years_ago=7)
    signed(revoked_lately, valid_until=today() - 4 * YEAR,
           status=DecreeStatus.DICABUT.value, revoked_at=utcnow() - 2 * YEAR)
    recent = finished(file_of(owner, "ditarik"), years_ago=4)
    in_progress = file_of(owner, "diperiksa")
    in_progress.created_at = utcnow() - 8 * YEAR
    db.session.commit()
    return {"refused_long_ago": refused_long_ago, "expired_long_ago": expired_long_ago,
            "in_force": in_force, "revoked_lately": revoked_lately, "recent": recent,
            "in_progress": in_progress}


def test_the_uploads_of_files_ended_beyond_the_retention_are_deleted_and_only_those(
        app, files):
    due = {name: stored_names(uploads(a)) for name, a in files.items()}
    issued = [files["refused_long_ago"].artifacts[0].stored_name,
              files["refused_long_ago"].issued_documents[0].stored_name,
              files["expired_long_ago"].decree.stored_name,
              files["in_force"].decree.stored_name]
    taken = run_due(utcnow(), jobs=JOBS)
    assert {d.application_id for d in taken} == {files["refused_long_ago"].id,
                                                 files["expired_long_ago"].id}
    db.session.expire_all()
    for name in ("refused_long_ago", "expired_long_ago"):
        assert not any(on_disk(stored) for stored in due[name]), name
        rows = uploads(files[name])
        assert rows and all(r.stored_name is None and r.purged_at is not None for r in rows)
        assert all(r.sha256 and r.original_name is None for r in rows)
        assert db.session.get(Application, files[name].id).uploads_purged_at is not None
    for name in ("in_force", "revoked_lately", "recent", "in_progress"):
        assert all(on_disk(stored) for stored in due[name]), name
        assert all(r.purged_at is None for r in uploads(files[name]))
    assert all(on_disk(stored) for stored in issued)  # decrees and issued documents stay


def test_a_permit_in_force_is_due_once_its_validity_is_over_by_the_retention(app, files):
    application = files["in_force"]
    later = utcnow() + 6 * YEAR  # its validity ended five years before
    taken = run_due(later, jobs=JOBS)
    assert application.id in {d.application_id for d in taken}


def test_the_job_acts_once_per_file(app, files):
    first = run_due(utcnow(), jobs=JOBS)
    assert len(first) == 2
    assert run_due(utcnow(), jobs=JOBS) == []
    assert run_due(utcnow() + timedelta(days=1), jobs=JOBS) == []
    keys = db.session.scalars(select(JobAction.key).where(
        JobAction.job == "personal_document_retention")).all()
    assert sorted(keys) == sorted(f"retensi:{d.application_id}" for d in first)


def test_the_dry_run_lists_what_would_be_deleted_and_changes_nothing(app, files):
    before = stored_names(uploads(files["refused_long_ago"]))
    listed = run_due(utcnow(), jobs=JOBS, dry_run=True)
    assert [d.registration_number for d in listed] == [
        files["expired_long_ago"].registration_number,  # the longest ended first
        files["refused_long_ago"].registration_number]
    assert "3 berkas dihapus" in listed[1].summary  # two documents and an earlier version
    assert all(on_disk(name) for name in before)
    assert db.session.scalar(select(func.count(JobAction.id))) == 0
    result = CliRunner().invoke(app.cli, ["siap", "jobs", "run-due", "--dry-run"],
                                catch_exceptions=False)
    assert f"[dry-run] {files['refused_long_ago'].registration_number}" in result.output
    assert all(on_disk(name) for name in before)


def test_the_retention_is_a_setting(app, files):
    app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"] = 10
    try:
        assert run_due(utcnow(), jobs=JOBS) == []
        app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"] = 3
        taken = run_due(utcnow(), jobs=JOBS)
    finally:
        app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"] = 5
    assert files["recent"].id in {d.application_id for d in taken}


def test_a_file_no_longer_due_when_its_action_runs_is_left_alone(app, files):
    """Listed, then reopened before the action ran: nothing is deleted or recorded."""
    application = files["refused_long_ago"]
    due = next(d for d in personal_document_retention(utcnow())
               if d.application_id == application.id)
    application.finished_at = None
    db.session.commit()
    assert take(due, utcnow()) is False
    assert all(on_disk(name) for name in stored_names(uploads(application)))
    assert db.session.scalar(select(func.count(JobAction.id))) == 0


def test_a_retention_below_a_year_deletes_nothing(app, files):
    app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"] = 0
    try:
        assert run_due(utcnow(), jobs=JOBS) == []
    finally:
        app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"] = 5


def test_a_pass_takes_a_batch_and_the_next_pass_the_rest(app, files):
    app.config["PERSONAL_DOCUMENT_RETENTION_BATCH"] = 1
    try:
        first, second = run_due(utcnow(), jobs=JOBS), run_due(utcnow(), jobs=JOBS)
    finally:
        app.config["PERSONAL_DOCUMENT_RETENTION_BATCH"] = 200
    assert [d.application_id for d in first + second] == [files["expired_long_ago"].id,
                                                         files["refused_long_ago"].id]


def test_a_deleted_upload_says_so_instead_of_failing(app, files, login_as):
    application = files["refused_long_ago"]
    document = application.documents[0]
    version = document.versions[0]
    run_due(utcnow(), jobs=JOBS)
    client = login_as("pemeriksa")
    with force_locale("id"):
        message = str(HTTP_ERROR_MESSAGES[410])
    for url in (f"/permohonan/{application.id}/berkas/dokumen/{document.id}",
                f"/permohonan/{application.id}/berkas/dokumen/{document.id}/lihat",
                f"/permohonan/{application.id}/berkas/versi/{version.id}"):
        response = client.get(url)
        assert response.status_code == 410, url
        assert message in response.get_data(as_text=True)
    page = client.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f"/berkas/dokumen/{document.id}\"" not in page  # no link to a file that is gone
    api = client.get(f"/permohonan/{application.id}/berkas/artefak/"
                     f"{application.artifacts[0].id}")
    assert api.status_code == 200  # the issued SPS stays


def test_the_api_says_so_too(app, files):
    from tests.security.routes import api_token

    application = files["refused_long_ago"]
    document = application.documents[0]
    run_due(utcnow(), jobs=JOBS)
    headers = {"Authorization": f"Bearer {api_token(app, 'pemeriksa')}"}
    client = app.test_client()
    response = client.get(f"/api/v1/applications/{application.id}/files/dokumen-{document.id}",
                          headers=headers)
    assert response.status_code == 410 and response.get_json()["message"]
    detail = client.get(f"/api/v1/applications/{application.id}", headers=headers).get_json()
    assert detail["documents"][0]["purged_at"]


def test_the_stored_files_go_only_once_the_transaction_commits(app):
    kept = store_bytes(PDF, "pdf", "ktp.pdf").stored_name
    with pytest.raises(RuntimeError), unit_of_work():
        remove_after_commit([kept])
        raise RuntimeError("the transaction fails")
    assert on_disk(kept)
    with unit_of_work():
        remove_after_commit([kept])
        assert on_disk(kept)  # not before the commit
    assert not on_disk(kept)


def test_versions_of_other_files_are_left_alone(app, files):
    """An earlier version belongs to its own file's retention."""
    other = files["recent"]
    version = with_earlier_version(other)
    run_due(utcnow(), jobs=JOBS)
    assert on_disk(db.session.get(DocumentVersion, version.id).stored_name)
