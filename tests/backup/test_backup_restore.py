"""`flask siap backup` and `flask siap restore` on PostgreSQL: a database with finished
files is backed up and restored into a new empty database and an empty upload folder,
where every signed decree and letter still verifies on the public page and every stored
document still downloads, byte for byte, through the routes its owner uses. A restore
refuses a database or folder that is not empty and a damaged backup, and the database
password appears in no argument and no output."""

import hashlib
import io
import json
import shutil

import pytest
from sqlalchemy import select

from app.backup import create, restore
from app.extensions import db
from app.services import issued_signing
from app.storage.backends import EXTENSION, LocalFolder
from app.storage.consistency import stored_file_models
from app.storage.files import store_bytes
from app.workflow.document_templates import own_letterhead
from models import Application, Decree, IssuedDocument, Letterhead
from tests.backup.conftest import invoke, make_app, seed
from tests.conftest import login
from tests.decrees.support import rejected, signed_asset_use, signed_pkkpr
from tests.security.routes import _with_file, with_earlier_version
from tests.support import PNG, SIGNING_PASSPHRASE, make_pkkpr, user

# One worker builds the source database for all of them (pytest-xdist `--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("backup")


def finished_files():
    """What an office holds at night: a signed PKKPR decree (with an artifact's file and
    an earlier version of a document), a signed asset-use decree, a signed rejection
    letter, and the office's emblem on its letterhead."""
    pkkpr = signed_pkkpr()
    with_earlier_version(pkkpr)
    _with_file("krk", pkkpr, "dpupr")
    signed_asset_use()
    refused = rejected(make_pkkpr("diteruskan_dinas"), "tolak", "dpupr",
                       reason="Lokasi berada di kawasan sempadan sungai")
    letter = db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.application_id == refused.id))
    issued_signing.sign_document(letter.id, user("kepaladinas"), SIGNING_PASSPHRASE)
    emblem = store_bytes(PNG, "png", "lambang.png")
    for name, value in emblem.columns().items():
        setattr(own_letterhead(), name, value)
    db.session.commit()


@pytest.fixture(scope="module")
def source(owner, scratch):
    """The source app: its database, seeded and holding finished files."""
    app = make_app(owner.new_database(), scratch / "uploads", scratch / "instance")
    seed(app)
    with app.app_context():
        finished_files()
        db.session.remove()
    return app


@pytest.fixture(scope="module")
def backup(source, scratch):
    """One backup of the source: its directory, and the command's output and runs."""
    directory = scratch / "backups" / "nightly"
    code, output, runs = invoke(source, "backup", "--to", str(directory))
    assert code == 0, output
    return directory, output, runs


@pytest.fixture(scope="module")
def restored(owner, scratch, backup):
    """The backup restored into a new empty database and an empty upload folder: the
    app on them, and the command's output and runs."""
    app = make_app(owner.new_database(), scratch / "restored", scratch / "instance")
    code, output, runs = invoke(app, "restore", "--from", str(backup[0]))
    assert code == 0, output
    return app, output, runs


@pytest.fixture(scope="module")
def empty_app(owner, scratch):
    """An app on a database every refused restore leaves empty."""
    return make_app(owner.new_database(), scratch / "unused", scratch / "instance")


@pytest.fixture
def empty_target(empty_app, tmp_path, monkeypatch):
    """The app on the empty database, with an empty upload folder of this test's."""
    folder_storage(empty_app, tmp_path / "restored", monkeypatch)
    return empty_app


def folder_storage(app, folder, monkeypatch):
    """Point the app's storage at another folder (its backend is chosen when it is built)."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    monkeypatch.setitem(app.extensions, EXTENSION, LocalFolder(folder))


def rows_with_files():
    return [(model, row) for model in stored_file_models()
            for row in db.session.scalars(select(model).where(
                model.stored_name.is_not(None))).all()]


def download_url(model, row):
    """The route the row's file is downloaded through (as its owner, or the admin for
    the letterhead's emblem)."""
    application = f"/permohonan/{getattr(row, 'application_id', None)}"
    return {
        "application_document": lambda: f"{application}/berkas/dokumen/{row.id}",
        "application_document_version": lambda:
            f"/permohonan/{row.document.application_id}/berkas/versi/{row.id}",
        "application_artifact": lambda: f"{application}/berkas/artefak/{row.id}",
        "decree": lambda: f"{application}/sk.pdf",
        "issued_document": lambda: f"{application}/berkas/terbitan/{row.id}",
        "letterhead": lambda: "/kop-surat/lambang",
    }[model.__tablename__]()


def test_a_restored_backup_verifies_every_decree_and_downloads_every_document(
        source, restored):
    target, output, _ = restored
    assert "checksums verified" in output

    with source.app_context():
        source_files = {row.stored_name: row.sha256 for _, row in rows_with_files()}
    with target.app_context():
        restored = rows_with_files()
        assert {model.__tablename__ for model, _ in restored} == {
            model.__tablename__ for model in stored_file_models()}  # every kind of file
        assert {row.stored_name: row.sha256 for _, row in restored} == source_files
        owner = login(target.test_client(), "pemohon")
        admin = login(target.test_client(), "admin")
        for model, row in restored:
            client = admin if model is Letterhead else owner
            response = client.get(download_url(model, row))
            assert response.status_code == 200, (model.__tablename__, row.id)
            assert hashlib.sha256(response.data).hexdigest() == row.sha256

        public = target.test_client()
        signed = [row for model, row in restored if model in (Decree, IssuedDocument)]
        assert len(signed) == 3
        for row in signed:
            pdf = owner.get(download_url(type(row), row)).data
            page = public.post(f"/verifikasi/{row.token}",
                               data={"file": (io.BytesIO(pdf), "salinan.pdf")},
                               content_type="multipart/form-data").get_data(as_text=True)
            assert "Asli: berkas ini adalah" in page and "TIDAK asli" not in page
        assert db.session.scalar(select(db.func.count(Application.id))) == 3


def test_the_manifest_counts_and_checksums_what_the_backup_holds(source, backup):
    directory, output, _ = backup
    manifest = json.loads((directory / "manifest.json").read_text())
    listed = [json.loads(line) for line in (directory / "files.jsonl").read_text().splitlines()]
    with source.app_context():
        named = {row.stored_name: row.sha256 for _, row in rows_with_files()}
        assert manifest["app_version"] == db.session.scalar(
            db.text("SELECT version_num FROM alembic_version"))
        assert manifest["counts"]["tables"]["application"] == 3
    assert manifest["counts"]["files_named_by_rows"] == len(named) == len(listed)
    assert {entry["name"]: entry["sha256"] for entry in listed} == named
    for entry in listed:
        copy = (directory / "files" / entry["name"]).read_bytes()
        assert (len(copy), hashlib.sha256(copy).hexdigest()) == (entry["size"], entry["sha256"])
    assert manifest["database"]["sha256"] == hashlib.sha256(
        (directory / "database.dump").read_bytes()).hexdigest()
    assert manifest["problems"] == []
    assert f"{len(listed)} named by the database" in output


def test_restore_refuses_a_database_that_is_not_empty(source, backup):
    directory, _, _ = backup
    code, output, runs = invoke(source, "restore", "--from", str(directory))
    assert code == 1
    assert "is not empty" in output and "Restore only into an empty database" in output
    assert runs == []  # pg_restore never ran


def test_restore_refuses_an_upload_folder_that_is_not_empty(backup, empty_target):
    directory, _, _ = backup
    with empty_target.app_context():
        store_bytes(PNG, "png", "sisa.png")
    code, output, runs = invoke(empty_target, "restore", "--from", str(directory))
    assert code == 1 and "already holds stored files" in output
    assert runs == []


def test_a_damaged_file_in_the_backup_fails_the_restore_before_anything_is_written(
        backup, empty_target, tmp_path):
    directory = tmp_path / "damaged"
    shutil.copytree(backup[0], directory)
    damaged = json.loads((directory / "files.jsonl").read_text().splitlines()[0])["name"]
    copy = directory / "files" / damaged
    content = bytearray(copy.read_bytes())
    content[len(content) // 2] ^= 0x01
    copy.write_bytes(bytes(content))

    code, output, runs = invoke(empty_target, "restore", "--from", str(directory))
    assert code == 1
    assert f"{damaged}: its SHA-256 differs from the manifest's" in output
    assert "nothing was restored" in output
    assert runs == []
    with empty_target.app_context():
        assert db.session.scalar(db.text(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'public'")) == 0
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())


def test_a_backup_of_a_row_whose_file_is_gone_says_which_and_exits_1(source, scratch):
    with source.app_context():
        _, row = rows_with_files()[0]
        table, row_id, stored_name = row.__tablename__, row.id, row.stored_name
        path = scratch / "uploads" / stored_name
        kept = path.read_bytes()
        path.unlink()
    try:
        code, output, _ = invoke(source, "backup", "--into", str(scratch / "gap"))
    finally:
        path.write_bytes(kept)
    assert code == 1
    assert f"{stored_name} is missing from storage" in output
    written = next((scratch / "gap").iterdir())
    manifest = json.loads((written / "manifest.json").read_text())
    assert manifest["problems"] == [f"{table} id {row_id}: {stored_name} is missing from "
                                    "storage"]


def test_the_password_goes_to_pg_dump_and_pg_restore_in_the_environment_only(
        owner, backup, restored):
    _, backup_output, backup_runs = backup
    _, restore_output, restore_runs = restored
    runs = backup_runs + restore_runs
    assert [arguments[0].rsplit("/", 1)[-1] for arguments, _ in runs] == ["pg_dump",
                                                                          "pg_restore"]
    for arguments, password in runs:
        assert password == owner.password
        assert not any(owner.password in argument for argument in arguments)
        assert f"user={owner.name}" in arguments[-1]
    assert owner.password not in backup_output + restore_output


def test_a_backup_that_cannot_read_its_database_names_it_without_its_password(owner, scratch):
    app = make_app(owner.url("no_such_database"), scratch / "uploads", scratch / "instance")
    code, output, _ = invoke(app, "backup", "--to", str(scratch / "failed"))
    assert code == 1
    assert "no_such_database" in output and "***" in output
    assert owner.password not in output
    assert not (scratch / "failed").exists()  # nothing half-written is left


def test_backup_and_restore_refuse_sqlite_with_a_clear_message(
        empty_target, backup, scratch, monkeypatch):
    monkeypatch.setitem(empty_target.config, "SQLALCHEMY_DATABASE_URI", "sqlite:///dev.db")
    code, output, _ = invoke(empty_target, "backup", "--to", str(scratch / "sqlite"))
    assert code == 1 and "not PostgreSQL" in output
    assert not (scratch / "sqlite").exists()
    code, output, runs = invoke(empty_target, "restore", "--from", str(backup[0]))
    assert code == 1 and "not PostgreSQL" in output and runs == []


@pytest.fixture
def object_storage(monkeypatch):
    """The upload folder standing in for a bucket: the backup and the restore treat it
    as object storage (which keeps its own copies of the files)."""
    for module in (create, restore):
        monkeypatch.setattr(module, "is_object_storage", lambda: True)


def test_on_object_storage_the_backup_lists_the_keys_and_the_restore_checks_the_bucket(
        owner, source, scratch, empty_target, object_storage, monkeypatch):
    directory = scratch / "backups" / "object"
    code, output, _ = invoke(source, "backup", "--to", str(directory))
    assert code == 0, output
    assert not (directory / "files").exists()
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["storage"] == {**manifest["storage"], "kind": "object", "copied": False}
    listed = [json.loads(line) for line in (directory / "files.jsonl").read_text().splitlines()]
    with source.app_context():
        assert {e["name"]: e["sha256"] for e in listed} == {
            row.stored_name: row.sha256 for _, row in rows_with_files()}

    bucket = scratch / "uploads"
    target = make_app(owner.new_database(), bucket, scratch / "instance")
    code, output, _ = invoke(target, "restore", "--from", str(directory))
    assert code == 0, output
    assert f"{len(listed)} (" in output and "present in the bucket" in output

    changed = bucket / listed[0]["name"]
    original = changed.read_bytes()
    changed.write_bytes(original + b"\n")
    folder_storage(empty_target, bucket, monkeypatch)
    try:
        code, output, runs = invoke(empty_target, "restore", "--from", str(directory))
    finally:
        changed.write_bytes(original)
    assert code == 1 and f"{listed[0]['name']}: its SHA-256 differs" in output
    assert runs == []


def test_a_backup_into_a_folder_of_backups_links_the_files_the_latest_one_holds(
        source, scratch):
    folder = scratch / "nightly"
    code, output, _ = invoke(source, "backup", "--into", str(folder))
    assert code == 0, output
    first = next(folder.iterdir())
    with source.app_context():
        newer = store_bytes(PNG, "png", "baru.png").stored_name  # uploaded the next day
    try:
        code, output, _ = invoke(source, "backup", "--into", str(folder))
    finally:
        (scratch / "uploads" / newer).unlink()  # the other tests' source stays as it was
    assert code == 0, output
    second = max(folder.iterdir())
    assert second != first

    listed = [json.loads(line)["name"] for line in (second / "files.jsonl").read_text()
              .splitlines()]
    assert newer in listed
    for name in listed:
        copy = (second / "files" / name).stat()
        if name == newer:
            assert copy.st_nlink == 1
        else:
            assert copy.st_ino == (first / "files" / name).stat().st_ino
    assert f"{len(listed) - 1} linked to the previous backup" in output


def test_a_backup_from_a_newer_version_of_the_app_is_refused(backup, empty_target, tmp_path):
    directory = tmp_path / "newer"
    shutil.copytree(backup[0], directory)
    manifest = json.loads((directory / "manifest.json").read_text())
    (directory / "manifest.json").write_text(json.dumps({**manifest, "app_version": "0099"}))
    code, output, runs = invoke(empty_target, "restore", "--from", str(directory))
    assert code == 1 and "revision 0099, which this version of the app does not know" in output
    assert runs == []
