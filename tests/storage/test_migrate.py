"""`flask siap storage migrate`: a local upload folder copied into the bucket of
STORAGE_URL, every file checked against its rows' SHA-256 and read back; what is already
there is skipped; a damaged file or copy is reported with exit status 1; `--dry-run`
writes nothing."""

import hashlib
import uuid

import pytest

from app.cli import siap_cli
from app.extensions import db
from app.storage.files import iter_stored, read_stored
from tests.security.routes import _with_file, with_earlier_version
from tests.storage.conftest import everything_in, put_foreign, use_storage
from tests.support import PDF, make_pkkpr

SECRET = "siap-test-secret-do-not-log"


@pytest.fixture
def folder(folder_storage):
    """An upload folder as a host kept it: a file's documents, an earlier version and an
    artifact, with an operator's note and a killed upload's .part file."""
    application = make_pkkpr("diajukan")
    with_earlier_version(application)
    _with_file("krk", application, "atrbpn")
    db.session.commit()
    put_foreign(folder_storage, "catatan-operator.txt", b"jangan dihapus")
    put_foreign(folder_storage, f"2026/11/{uuid.uuid4().hex}.part", PDF[:100])
    files = {name: read_stored(name) for name, _ in iter_stored()}
    return folder_storage, application, files


@pytest.fixture
def bucket(app, monkeypatch, folder, s3_settings):
    """From here on the app stores in the bucket, as after STORAGE_URL is changed."""
    return use_storage(app, monkeypatch, s3_settings)


def run(app, *args):
    return app.test_cli_runner().invoke(siap_cli, ["storage", "migrate", *args])


def in_bucket(bucket):
    return {key.removeprefix("siap/"): content
            for key, content in everything_in(bucket).items()}


def puts(bucket):
    """The PUTs the bucket receives while the returned list is kept."""
    calls = []
    bucket.client.meta.events.register(
        "before-call.s3.PutObject", lambda **kwargs: calls.append(kwargs["params"]))
    return calls


def test_every_file_is_copied_verified_and_then_served_from_the_bucket(
    app, folder, bucket, login_as
):
    source, application, files = folder
    result = run(app, "--from", str(source.root))

    assert result.exit_code == 0, result.output
    assert in_bucket(bucket) == files  # neither the note nor the .part file
    assert len(files) == len(application.documents) + 2
    assert f"From: {source.root}" in result.output and f"To: {bucket}" in result.output
    for number, name in enumerate(sorted(files), start=1):
        assert f"[{number}/{len(files)}] {name}: copied and verified" in result.output
    assert f"copied and verified: {len(files)}" in result.output
    assert "not named like the app's files, left out: 2" in result.output
    assert "catatan-operator.txt" in result.output
    assert "Mismatches: 0" in result.output
    assert SECRET not in result.output

    document = application.documents[0]
    download = login_as("pemohon").get(
        f"/permohonan/{application.id}/berkas/dokumen/{document.id}")
    assert download.status_code == 200 and download.data == files[document.stored_name]


def test_the_upload_folder_is_the_default_source(app, folder, bucket, monkeypatch):
    source, _, files = folder
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(source.root))
    result = run(app)
    assert result.exit_code == 0, result.output
    assert in_bucket(bucket) == files


def test_a_second_run_skips_what_is_already_there(app, folder, bucket):
    source, _, files = folder
    assert run(app, "--from", str(source.root)).exit_code == 0
    new = make_pkkpr("draft").documents[0]  # uploaded to the bucket after the switch
    calls = puts(bucket)

    result = run(app, "--from", str(source.root))
    assert result.exit_code == 0, result.output
    assert calls == []
    assert (f"already in the bucket with the same SHA-256, skipped: {len(files)}"
            in result.output)
    assert "copied and verified: 0" in result.output
    assert new.stored_name in in_bucket(bucket)  # named by a row, found in the bucket


def test_a_dry_run_reports_and_writes_nothing(app, folder, bucket):
    source, _, files = folder
    result = run(app, "--from", str(source.root), "--dry-run")
    assert result.exit_code == 0, result.output
    assert in_bucket(bucket) == {}
    assert "Dry run: nothing is written." in result.output
    assert f"would be copied: {len(files)}" in result.output
    assert f"[1/{len(files)}] {sorted(files)[0]}: would be copied" in result.output


def test_a_file_that_differs_from_its_row_is_not_copied(app, folder, bucket):
    source, application, files = folder
    document = application.documents[1]
    (source.root / document.stored_name).write_bytes(b"%PDF- rusak di disk")

    result = run(app, "--from", str(source.root))
    assert result.exit_code == 1, result.output
    assert document.stored_name not in in_bucket(bucket)
    assert len(in_bucket(bucket)) == len(files) - 1
    assert "Mismatches: 1" in result.output
    assert (f"{document.stored_name}: the folder's file differs from the SHA-256 of "
            f"application_document id {document.id}; not copied") in result.output
    assert "differs from its row's SHA-256, not copied: 1" in result.output


def test_a_damaged_object_in_the_bucket_is_reported_then_replaced(app, folder, bucket):
    source, application, files = folder
    assert run(app, "--from", str(source.root)).exit_code == 0
    name = application.documents[0].stored_name
    bucket.write(name, b"%PDF- rusak di bucket")

    dry = run(app, "--from", str(source.root), "--dry-run")
    assert "differs in the bucket, would be replaced: 1" in dry.output
    assert read_stored(name) == b"%PDF- rusak di bucket"

    result = run(app, "--from", str(source.root))
    assert result.exit_code == 0, result.output
    assert f"{name}: differed in the bucket, replaced and verified" in result.output
    assert in_bucket(bucket) == files


def test_a_copy_that_reads_back_differently_fails_the_migration(
    app, folder, bucket, monkeypatch
):
    source, application, files = folder
    damaged = application.documents[0].stored_name
    write = bucket.write

    def damaging_write(name, content):
        write(name, content[:-1] + b"X" if name == damaged else content)

    monkeypatch.setattr(bucket, "write", damaging_write)
    result = run(app, "--from", str(source.root))
    assert result.exit_code == 1, result.output
    checksum = hashlib.sha256(files[damaged]).hexdigest()
    assert f"{damaged}: FAILED: the copy reads back differently" in result.output
    assert f"not {checksum}" in result.output and "Mismatches: 1" in result.output


def test_a_row_whose_file_is_nowhere_fails_the_migration(app, folder, bucket):
    source, application, _ = folder
    lost = application.documents[0]
    (source.root / lost.stored_name).unlink()
    result = run(app, "--from", str(source.root))
    assert result.exit_code == 1, result.output
    assert (f"{lost.stored_name}: named by application_document id {lost.id}, in "
            "neither the folder nor the bucket") in result.output


def test_without_an_object_store_nothing_is_migrated(app, folder):
    source, _, files = folder
    result = run(app, "--from", str(source.root))
    assert result.exit_code != 0
    assert "STORAGE_URL names no object store" in result.output
    assert {name: read_stored(name) for name, _ in iter_stored()} == files
