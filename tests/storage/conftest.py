"""The storage tests run on both backends: a folder of the test's own, and a bucket of
moto's S3 server (server mode: a real HTTP endpoint on 127.0.0.1, reached by boto3 as
MinIO or a cloud would be). The session's app keeps its folder; `storage` swaps the
app's backend (app.extensions["siap_storage"]) for the test and puts it back."""

import uuid

import pytest
from moto.server import ThreadedMotoServer

from app.storage.backends import EXTENSION, LocalFolder, s3_client, storage_from_config

REGION = "ap-southeast-3"  # Jakarta: a region other than boto3's default is honoured
S3_SETTINGS = {
    "STORAGE_S3_REGION": REGION,
    "STORAGE_S3_ACCESS_KEY_ID": "siap-test-key",
    "STORAGE_S3_SECRET_ACCESS_KEY": "siap-test-secret-do-not-log",
}


@pytest.fixture(scope="session")
def s3_endpoint():
    # Port 0: the system gives a free one, read back from the server.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint):
    """The STORAGE_* settings of a new, empty bucket (prefix `siap`)."""
    settings = {**S3_SETTINGS, "STORAGE_S3_ENDPOINT_URL": s3_endpoint}
    bucket = f"siap-{uuid.uuid4().hex[:12]}"
    s3_client(settings).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return {**settings, "STORAGE_URL": f"s3://{bucket}/siap"}


def use_storage(app, monkeypatch, settings):
    """The app's backend from these settings, as create_app would choose it, until the
    test ends."""
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    backend = storage_from_config(app.config)
    monkeypatch.setitem(app.extensions, EXTENSION, backend)
    return backend


@pytest.fixture
def folder_storage(app, monkeypatch, tmp_path):
    """A folder of this test's own (the session's is shared by every test)."""
    backend = use_storage(app, monkeypatch, {"STORAGE_URL": f"file://{tmp_path}/uploads"})
    assert isinstance(backend, LocalFolder)
    return backend


@pytest.fixture
def bucket_storage(app, monkeypatch, s3_settings):
    return use_storage(app, monkeypatch, s3_settings)


@pytest.fixture(params=["folder", "bucket"])
def storage(request):
    """The app's storage for this test: a folder, then a bucket."""
    return request.getfixturevalue(f"{request.param}_storage")


def put_foreign(backend, name, content):
    """A file the app did not write (an operator's note, another program's object)."""
    if isinstance(backend, LocalFolder):
        path = backend.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    else:
        backend.client.put_object(Bucket=backend.bucket, Key=backend.prefix + name,
                                  Body=content)


def everything_in(backend):
    """Every file or object, whatever its name, also outside the folder's root or the
    bucket's prefix: name → bytes."""
    if isinstance(backend, LocalFolder):
        base = backend.root.parent
        return {path.relative_to(base).as_posix(): path.read_bytes()
                for path in base.rglob("*") if path.is_file()}
    client = backend.client
    keys = [entry["Key"] for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=backend.bucket) for entry in page.get("Contents", [])]
    return {key: client.get_object(Bucket=backend.bucket, Key=key)["Body"].read()
            for key in keys}
