"""`flask siap storage check`, in a folder and in a bucket: what a killed upload leaves
behind is found and removed once it is old enough, a row whose file is missing is
reported, files the app did not write are left alone, and `--dry-run` changes nothing."""

import os
import time
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from app.cli import siap_cli
from app.extensions import db
from app.storage.backends import LocalFolder
from app.storage.consistency import stored_file_models
from app.storage.files import delete_stored, iter_stored, store_bytes
from tests.security.routes import _sign, _with_file, with_earlier_version
from tests.storage.conftest import everything_in, put_foreign
from tests.support import PDF, make_pkkpr

DAY = 24 * 3600
SECRET = "siap-test-secret-do-not-log"


@pytest.fixture
def age(storage, monkeypatch):
    """age(name, seconds): the file looks that old to the check. A folder's
    modification time is set back; a bucket's objects keep the time the store gave
    them, so its listing (still the store's own) is shifted for the names aged."""
    if isinstance(storage, LocalFolder):
        def age_file(name, seconds):
            then = time.time() - seconds
            os.utime(storage.root / name, (then, then))
        return age_file
    shifts = {}
    listing = storage.iter_objects

    def shifted():
        for stored in listing():
            yield replace(stored, modified=stored.modified - timedelta(
                seconds=shifts.get(stored.name, 0)))

    monkeypatch.setattr(storage, "iter_objects", shifted)
    return shifts.__setitem__


def run(app, *args):
    return app.test_cli_runner().invoke(siap_cli, ["storage", "check", *args])


@pytest.fixture
def leftovers(storage, age):
    """A file with a row of every table that names files, all older than a day, and
    what killed uploads leave: stored files no row names (and in a folder .part files),
    old and new; plus a row whose file was deleted and a file the app did not write."""
    application = make_pkkpr("selesai")  # its documents' files
    with_earlier_version(application)
    _with_file("sps", application, "atrbpn")
    _sign(application)
    gone = make_pkkpr("draft").documents[0]
    db.session.commit()
    delete_stored([gone.stored_name])
    for name, _ in iter_stored():
        age(name, 2 * DAY)

    # Killed after the file was in place, before the transaction committed its row.
    old_orphan = store_bytes(PDF, "pdf", "a.pdf").stored_name
    age(old_orphan, 2 * DAY)
    new_orphan = store_bytes(PDF, "pdf", "b.pdf").stored_name
    put_foreign(storage, "catatan-operator.txt", b"jangan dihapus")
    age("catatan-operator.txt", 30 * DAY)
    found = {"old": {old_orphan}, "kept": {new_orphan, "catatan-operator.txt"},
             "gone": gone}
    if isinstance(storage, LocalFolder):
        # Killed while writing (a local write goes to a .part file, then is renamed).
        old_part, new_part = (f"2026/11/{uuid.uuid4().hex}.part" for _ in range(2))
        put_foreign(storage, old_part, PDF[:100])
        put_foreign(storage, new_part, PDF[:100])
        age(old_part, 2 * 3600)
        age(new_part, 60)
        found["old"].add(old_part)
        found["kept"].add(new_part)
    return found


def names_in(storage):
    return {stored.name for stored in storage.iter_objects()}


def test_every_table_of_stored_files_is_checked():
    assert {model.__tablename__ for model in stored_file_models()} == {
        "application_document", "application_document_version", "application_artifact",
        "decree", "letterhead", "issued_document"}


def test_old_leftovers_are_removed_and_a_missing_file_is_reported(app, storage, leftovers):
    before = names_in(storage)
    result = run(app)

    assert result.exit_code == 1, result.output
    after = names_in(storage)
    assert before - after == leftovers["old"]
    assert leftovers["kept"] <= after
    gone = leftovers["gone"]
    assert f"application_document id {gone.id}: {gone.stored_name}" in result.output
    assert "Rows whose file is missing: 1" in result.output
    for name in leftovers["old"]:
        assert name in result.output
    assert f"Storage: {storage}" in result.output and SECRET not in result.output
    assert "Stored files no row names, older than 24 h, removed: 1" in result.output
    assert "Files not named like the app's, left alone: 1" in result.output
    if isinstance(storage, LocalFolder):
        assert "Temporary files (.part) older than 1 h, removed: 1" in result.output
        assert "Recent temporary or unnamed files, kept (an upload may still own them): 2" \
            in result.output
    else:  # an object store writes each object whole: no temporary files to speak of
        assert "Temporary files" not in result.output
        assert "Recent temporary or unnamed files, kept (an upload may still own them): 1" \
            in result.output

    again = run(app)  # nothing more to remove; the missing file is still missing
    assert again.exit_code == 1
    assert names_in(storage) == after
    assert "removed: 0" in again.output


def test_a_dry_run_reports_the_same_and_changes_nothing(app, storage, leftovers):
    before = everything_in(storage)
    result = run(app, "--dry-run")
    assert result.exit_code == 1, result.output
    assert everything_in(storage) == before
    assert "Stored files no row names, older than 24 h, would be removed: 1" in result.output
    assert f"id {leftovers['gone'].id}" in result.output


def test_a_consistent_storage_passes(app, storage, age):
    application = make_pkkpr("diajukan")
    for name, _ in iter_stored():
        age(name, 2 * DAY)
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "Rows whose file is missing: 0" in result.output
    assert f"application_document {len(application.documents)}" in result.output
    assert {name for name, _ in iter_stored()} == {d.stored_name for d in application.documents}


def test_a_part_object_in_a_bucket_is_not_the_apps_and_is_left_alone(
    app, bucket_storage, monkeypatch
):
    """Only a local write goes through a .part file; in a bucket someone else wrote it."""
    name = f"2026/11/{uuid.uuid4().hex}.part"
    put_foreign(bucket_storage, name, PDF[:100])
    listing = bucket_storage.iter_objects
    monkeypatch.setattr(bucket_storage, "iter_objects", lambda: (
        replace(stored, modified=stored.modified - timedelta(days=30))
        for stored in listing()))
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "Files not named like the app's, left alone: 1" in result.output
    assert names_in(bucket_storage) == {name}
