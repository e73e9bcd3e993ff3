"""`flask siap storage check`: what a killed upload leaves behind is found and removed
once it is old enough, a row whose file is missing is reported, and `--dry-run`
changes nothing."""

import os
import time
import uuid
from pathlib import Path

import pytest

from app.cli import siap_cli
from app.extensions import db
from app.storage import files
from app.storage.consistency import stored_file_models
from app.storage.files import store_bytes, upload_root
from tests.security.routes import _sign, _with_file, with_earlier_version
from tests.support import PDF, make_pkkpr

DAY = 24 * 3600


@pytest.fixture
def uploads(app, monkeypatch, tmp_path):
    """An upload folder of this test's own (the session's is shared by every test)."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return upload_root()


def age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def written(path, content, seconds_ago):
    path.write_bytes(content)
    return age(path, seconds_ago)


def files_on_disk(root):
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file()}


def run(app, *args):
    return app.test_cli_runner().invoke(siap_cli, ["storage", "check", *args])


@pytest.fixture
def leftovers(uploads):
    """A file with a row of every table that names files, all older than a day, and
    what killed uploads leave: .part files and stored files no row names, old and new;
    plus a row whose file was deleted and a file the app did not write."""
    application = make_pkkpr("selesai")  # its documents' files
    with_earlier_version(application)
    _with_file("sps", application, "atrbpn")
    _sign(application)
    gone = make_pkkpr("draft").documents[0]
    db.session.commit()
    os.remove(upload_root() / gone.stored_name)
    for path in uploads.rglob("*"):
        if path.is_file():
            age(path, 2 * DAY)

    month = uploads / "2026" / "11"
    month.mkdir(parents=True, exist_ok=True)
    # Killed while writing (store_bytes writes a .part file, then renames it).
    old_part = written(month / f"{uuid.uuid4().hex}.part", PDF[:100], 2 * 3600)
    new_part = written(month / f"{uuid.uuid4().hex}.part", PDF[:100], 60)
    # Killed after the file was in place, before the transaction committed its row.
    old_orphan = age(upload_root() / store_bytes(PDF, "pdf", "a.pdf").stored_name, 2 * DAY)
    new_orphan = upload_root() / store_bytes(PDF, "pdf", "b.pdf").stored_name
    foreign = written(uploads / "catatan-operator.txt", b"jangan dihapus", 30 * DAY)
    return {"old": {old_part, old_orphan}, "kept": {new_part, new_orphan, foreign},
            "gone": gone}


def test_every_table_of_stored_files_is_checked():
    assert {model.__tablename__ for model in stored_file_models()} == {
        "application_document", "application_document_version", "application_artifact",
        "decree", "letterhead", "issued_document"}


def test_old_leftovers_are_removed_and_a_missing_file_is_reported(app, uploads, leftovers):
    before = files_on_disk(uploads)
    result = run(app)

    assert result.exit_code == 1, result.output
    after = files_on_disk(uploads)
    removed = {uploads / name for name in set(before) - set(after)}
    assert removed == leftovers["old"]
    assert all(path.exists() for path in leftovers["kept"])
    gone = leftovers["gone"]
    assert f"application_document id {gone.id}: {gone.stored_name}" in result.output
    assert "Rows whose file is missing: 1" in result.output
    for path in leftovers["old"]:
        assert path.relative_to(uploads).as_posix() in result.output
    assert "Temporary files (.part) older than 1 h, removed: 1" in result.output
    assert "Stored files no row names, older than 24 h, removed: 1" in result.output
    assert "Recent temporary or unnamed files, kept (an upload may still own them): 2" \
        in result.output
    assert "Files not named like the app's, left alone: 1" in result.output

    again = run(app)  # nothing more to remove; the missing file is still missing
    assert again.exit_code == 1
    assert files_on_disk(uploads) == after
    assert "removed: 0" in again.output


def test_a_dry_run_reports_the_same_and_changes_nothing(app, uploads, leftovers):
    before = files_on_disk(uploads)
    result = run(app, "--dry-run")
    assert result.exit_code == 1, result.output
    assert files_on_disk(uploads) == before
    assert "Temporary files (.part) older than 1 h, would be removed: 1" in result.output
    assert "Stored files no row names, older than 24 h, would be removed: 1" in result.output
    assert f"id {leftovers['gone'].id}" in result.output


def test_a_consistent_upload_folder_passes(app, uploads):
    application = make_pkkpr("diajukan")
    for path in uploads.rglob("*"):
        age(path, 2 * DAY)
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "Rows whose file is missing: 0" in result.output
    assert f"application_document {len(application.documents)}" in result.output
    assert all((upload_root() / d.stored_name).exists() for d in application.documents)


def test_a_write_that_fails_leaves_no_temporary_file(uploads, monkeypatch):
    """Only a killed process leaves a .part file: an error removes it at once."""
    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    with pytest.raises(OSError):
        store_bytes(PDF, "pdf", "ktp.pdf")
    assert not [p for p in Path(uploads).rglob("*") if p.is_file()]

