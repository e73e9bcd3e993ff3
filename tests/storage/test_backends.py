"""Stored files behave the same in a folder and in a bucket (app.storage.files over
app/storage/backends.py): written, read whole or as a stream, listed, deleted; only
names the app generates are taken; a failed transaction removes what it wrote."""

import base64
import hashlib
import os
import re
import uuid

import pytest
from flask import Flask

from app.storage import backends
from app.storage.backends import EXTENSION, LocalFolder, S3Bucket, init_storage
from app.storage.files import (
    delete_stored,
    iter_stored,
    open_stored,
    read_stored,
    store_bytes,
    stored_exists,
)
from app.workflow.engine import unit_of_work
from tests.storage.conftest import S3_SETTINGS, everything_in, put_foreign
from tests.support import PDF, PNG

# Not a real PDF: storing does not check content (check_upload does, before it).
LARGE = b"%PDF-" + os.urandom(300_000)


def test_a_stored_file_reads_back_as_written(storage):
    stored = store_bytes(PDF, "pdf", "C:\\Dokumen\\ktp.pdf")

    assert re.fullmatch(r"\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored.stored_name)
    assert read_stored(stored.stored_name) == PDF
    assert stored_exists(stored.stored_name)
    assert stored.columns() == {
        "stored_name": stored.stored_name, "original_name": "ktp.pdf",
        "content_type": "application/pdf", "size_bytes": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest()}


def test_a_stored_file_streams_in_pieces_and_knows_its_size(storage):
    name = store_bytes(LARGE, "pdf", "besar.pdf").stored_name

    with open_stored(name) as stream:
        assert stream.size == len(LARGE)
        pieces = list(iter(lambda: stream.read(64 * 1024), b""))
    assert len(pieces) == 5 and b"".join(pieces) == LARGE
    assert stream.closed


def test_only_the_apps_files_are_listed_with_their_sizes(storage):
    pdf = store_bytes(PDF, "pdf", "a.pdf").stored_name
    png = store_bytes(PNG, "png", "b.png").stored_name
    put_foreign(storage, "catatan-operator.txt", b"jangan dihapus")

    assert list(iter_stored()) == sorted([(pdf, len(PDF)), (png, len(PNG))])
    assert {o.name for o in storage.iter_objects()} == {pdf, png, "catatan-operator.txt"}


def test_deleted_files_are_gone_and_missing_ones_are_ignored(storage):
    first = store_bytes(PDF, "pdf", "a.pdf").stored_name
    second = store_bytes(PNG, "png", "b.png").stored_name
    kept = store_bytes(PDF, "pdf", "c.pdf").stored_name
    never_written = f"2026/11/{uuid.uuid4().hex}.pdf"

    delete_stored([first, second, never_written])
    delete_stored([first])  # again: already gone

    assert list(iter_stored()) == [(kept, len(PDF))]
    for name in (first, never_written):
        assert not stored_exists(name)
        with pytest.raises(FileNotFoundError):
            read_stored(name)
        with pytest.raises(FileNotFoundError):
            open_stored(name)


NOT_GENERATED = [
    "../rahasia.pdf",
    "2026/11/../../rahasia.pdf",
    f"2026/11/../../../{'a' * 32}.pdf",
    "/etc/passwd",
    f"/2026/11/{'a' * 32}.pdf",
    f"2026/11/{'A' * 32}.pdf",
    f"2026/11/{'a' * 32}.exe",
    f"2026/11/{'a' * 32}.part",
    f"2026\\11\\{'a' * 32}.pdf",
    f"2026/11/{'a' * 32}.pdf\n",
    "",
    None,
]


@pytest.mark.parametrize("name", NOT_GENERATED)
def test_a_name_the_app_did_not_generate_is_refused_by_every_operation(storage, name):
    put_foreign(storage, "../rahasia.pdf", b"%PDF- di luar penyimpanan")
    before = everything_in(storage)
    operations = [read_stored, open_stored, stored_exists, lambda n: delete_stored([n]),
                  lambda n: storage.write(n, b"%PDF- ditimpa")]
    for operation in operations:
        with pytest.raises(ValueError, match="invalid stored file name"):
            operation(name)
    assert everything_in(storage) == before


def test_a_failed_transaction_removes_the_files_it_wrote(storage):
    kept = store_bytes(PDF, "pdf", "lama.pdf").stored_name
    names = []
    with pytest.raises(RuntimeError, match="gagal"), unit_of_work() as written:
        store_bytes(PDF, "pdf", "a.pdf", written)
        store_bytes(PNG, "png", "b.png", written)
        names.extend(written)
        raise RuntimeError("gagal")

    assert len(names) == 2 and all(isinstance(name, str) for name in names)
    assert not any(stored_exists(name) for name in names)
    assert list(iter_stored()) == [(kept, len(PDF))]


def test_a_committed_transaction_keeps_its_files(storage):
    with unit_of_work() as written:
        name = store_bytes(PDF, "pdf", "a.pdf", written).stored_name
    assert written == [name] and read_stored(name) == PDF


def test_a_cleanup_that_fails_is_logged_and_leaves_the_transactions_own_error(
    storage, monkeypatch, caplog
):
    def unreachable(names):
        raise OSError("storage unreachable")

    monkeypatch.setattr(storage, "delete", unreachable)
    with pytest.raises(RuntimeError, match="the real error"), unit_of_work() as written:
        name = store_bytes(PDF, "pdf", "a.pdf", written).stored_name
        raise RuntimeError("the real error")
    assert f"files no row names left for `storage check`: {name}" in caplog.text


def test_a_local_write_that_fails_leaves_no_temporary_file(folder_storage, monkeypatch):
    """Only a killed process leaves a .part file: an error removes it at once."""
    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backends.os, "replace", full_disk)
    with pytest.raises(OSError):
        store_bytes(PDF, "pdf", "ktp.pdf")
    assert everything_in(folder_storage) == {}


def test_a_bucket_write_is_one_put_carrying_the_contents_md5(bucket_storage):
    calls = []

    def record(model, params, **kwargs):
        calls.append((model.name, params["headers"].get("Content-MD5")))

    events = bucket_storage.client.meta.events
    events.register("before-call.s3", record)
    try:
        name = store_bytes(PDF, "pdf", "a.pdf").stored_name
    finally:
        events.unregister("before-call.s3", record)
    assert calls == [("PutObject", base64.b64encode(hashlib.md5(PDF).digest()).decode())]
    assert set(everything_in(bucket_storage)) == {f"siap/{name}"}


# --- choosing the backend -------------------------------------------------------------

def built(**settings):
    app = Flask(__name__)
    app.config.update({"UPLOAD_FOLDER": "/srv/siap/uploads", "STORAGE_URL": "", **settings})
    init_storage(app)
    return app.extensions[EXTENSION]


def test_without_a_storage_url_files_stay_in_the_upload_folder():
    backend = built()
    assert isinstance(backend, LocalFolder) and str(backend.root) == "/srv/siap/uploads"


def test_a_file_url_names_another_folder():
    backend = built(STORAGE_URL="file:///mnt/berkas%20siap")
    assert isinstance(backend, LocalFolder) and str(backend.root) == "/mnt/berkas siap"


def test_an_s3_url_names_a_bucket_and_prefix_at_the_configured_endpoint():
    backend = built(STORAGE_URL="s3://siap-berkas/blitar/produksi/",
                    STORAGE_S3_ENDPOINT_URL="https://minio.blitarkab.go.id:9000",
                    **S3_SETTINGS)
    assert isinstance(backend, S3Bucket)
    assert (backend.bucket, backend.prefix) == ("siap-berkas", "blitar/produksi/")
    meta = backend.client.meta
    assert meta.endpoint_url == "https://minio.blitarkab.go.id:9000"
    assert meta.region_name == S3_SETTINGS["STORAGE_S3_REGION"]
    assert meta.config.s3["addressing_style"] == "path"
    assert backend.key_of(f"2026/11/{'a' * 32}.pdf") == f"blitar/produksi/2026/11/{'a' * 32}.pdf"
    secret = S3_SETTINGS["STORAGE_S3_SECRET_ACCESS_KEY"]
    assert secret not in str(backend) and secret not in repr(backend)
    assert backend.client._request_signer._credentials.secret_key == secret


def test_a_bucket_without_prefix_keeps_the_names_as_keys():
    backend = built(STORAGE_URL="s3://siap-berkas", **S3_SETTINGS)
    assert backend.prefix == "" and backend.client.meta.config.s3["addressing_style"] == "auto"


@pytest.mark.parametrize("url", [
    "s3://AKIAKUNCI:rahasia-sekali@siap-berkas/siap",
    "file://relatif/berkas",
    "file:berkas",
    "s3:///hanya-prefix",
    "ftp://server/berkas",
    "/srv/siap/uploads",
])
def test_a_storage_url_that_names_nothing_usable_stops_the_app_without_echoing_it(url):
    with pytest.raises(ValueError) as refused:
        built(STORAGE_URL=url)
    assert "rahasia" not in str(refused.value) and url not in str(refused.value)
    assert "STORAGE_URL" in str(refused.value)
