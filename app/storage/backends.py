"""Where stored files live: a local folder (the default) or a bucket of an S3-compatible
object store. One backend per app, chosen from STORAGE_URL when the app is built
(`init_storage`) and kept in `app.extensions["siap_storage"]`; the rest of the app goes
through app/storage/files.py.

Both backends take only the names the app generates (STORED_NAME): a name from a row or
a request can never reach another file or object. A missing file is FileNotFoundError
on both."""

import base64
import contextlib
import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

STORED_NAME = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg)")
# A local write goes to this name first, then is renamed to its stored name.
TEMPORARY_NAME = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.part")
EXTENSION = "siap_storage"
# S3 deletes at most this many keys per request.
DELETE_BATCH = 1000


def checked(stored_name):
    """The name, if it is one the app generates; ValueError otherwise."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise ValueError("invalid stored file name")
    return stored_name


@dataclass(frozen=True)
class StoredObject:
    """One file or object as the storage lists it, whatever its name."""

    name: str  # relative to the folder or the bucket's prefix, with "/"
    size: int
    modified: datetime  # UTC


class StoredStream(io.BufferedReader):
    """A stored file opened for reading, with its size in bytes (a download's
    Content-Length, known before the first byte is read)."""

    def __init__(self, raw, size):
        super().__init__(raw)
        self.size = size


class LocalFolder:
    """Files under a folder of this host (UPLOAD_FOLDER by default)."""

    keeps_temporary_files = True

    def __init__(self, root):
        self.root = Path(root)

    def __str__(self):
        return str(self.root)

    def path_of(self, stored_name):
        return self.root / checked(stored_name)

    def write(self, stored_name, content):
        path = self.path_of(stored_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside its final name and renamed: a reader never sees half a file,
        # and a process killed meanwhile leaves a .part file (`flask siap storage check`).
        temporary = path.with_suffix(".part")
        try:
            temporary.write_bytes(content)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def open(self, stored_name):
        raw = io.FileIO(self.path_of(stored_name), "rb")
        return StoredStream(raw, os.fstat(raw.fileno()).st_size)

    def read(self, stored_name):
        return self.path_of(stored_name).read_bytes()

    def exists(self, stored_name):
        return self.path_of(stored_name).is_file()

    def delete(self, stored_names):
        for path in [self.path_of(name) for name in stored_names]:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)

    def delete_temporary(self, names):
        """Remove .part files a killed write left (names as iter_objects gives them)."""
        for name in names:
            if not TEMPORARY_NAME.fullmatch(name):
                raise ValueError("invalid temporary file name")
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.root / name)

    def iter_objects(self):
        """Every file under the folder, the app's or not, by name."""
        for path in sorted(self.root.rglob("*")) if self.root.is_dir() else []:
            if path.is_file():
                stat = path.stat()
                yield StoredObject(path.relative_to(self.root).as_posix(), stat.st_size,
                                   datetime.fromtimestamp(stat.st_mtime, UTC))


class _ObjectBody(io.RawIOBase):
    """An S3 object's body (botocore's StreamingBody) as a raw stream, read as sent."""

    def __init__(self, body):
        self._body = body

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            self._body.close()
        super().close()


class S3Bucket:
    """Objects in a bucket of an S3-compatible store (AWS, MinIO, a regional cloud),
    under an optional key prefix. Each write is a single PUT: an object is there whole
    or not at all, so nothing like a .part file exists."""

    keeps_temporary_files = False

    def __init__(self, client, bucket, prefix=""):
        self.client, self.bucket = client, bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""

    def __str__(self):
        endpoint = self.client.meta.endpoint_url
        return f"s3://{self.bucket}/{self.prefix} at {endpoint}"

    __repr__ = __str__  # never the client's credentials

    def key_of(self, stored_name):
        return self.prefix + checked(stored_name)

    def write(self, stored_name, content):
        # Content-MD5 makes the store refuse a body damaged on the way.
        digest = base64.b64encode(hashlib.md5(content, usedforsecurity=False).digest())
        self.client.put_object(Bucket=self.bucket, Key=self.key_of(stored_name),
                               Body=content, ContentMD5=digest.decode())

    def _get(self, stored_name):
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key_of(stored_name))
        except ClientError as error:
            if _not_found(error):
                raise FileNotFoundError(stored_name) from None
            raise

    def open(self, stored_name):
        answer = self._get(stored_name)
        return StoredStream(_ObjectBody(answer["Body"]), answer["ContentLength"])

    def read(self, stored_name):
        body = self._get(stored_name)["Body"]
        with contextlib.closing(body):
            return body.read()

    def exists(self, stored_name):
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_of(stored_name))
        except ClientError as error:
            if _not_found(error):
                return False
            raise
        return True

    def delete(self, stored_names):
        keys = [self.key_of(name) for name in stored_names]
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start:start + DELETE_BATCH]
            answer = self.client.delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": key} for key in batch], "Quiet": True})
            # A key that is not there is not an error in S3; anything listed here is.
            failed = [f"{error['Key']} ({error.get('Code')})"
                      for error in answer.get("Errors", [])]
            if failed:
                raise OSError(f"objects not deleted: {', '.join(failed)}")

    def delete_temporary(self, names):
        raise NotImplementedError("an object store keeps no temporary files")

    def iter_objects(self):
        """Every object under the prefix, the app's or not, by name."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for entry in page.get("Contents", []):
                yield StoredObject(entry["Key"][len(self.prefix):], entry["Size"],
                                   entry["LastModified"].astimezone(UTC))


def _not_found(error):
    return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")


def s3_client(config):
    """A boto3 client from the STORAGE_S3_* settings. Without keys, boto3 looks for
    credentials where it always does (AWS_* variables, an instance role)."""
    import boto3
    from botocore.config import Config

    endpoint = config.get("STORAGE_S3_ENDPOINT_URL") or None
    settings = Config(
        connect_timeout=config.get("HTTP_CONNECT_TIMEOUT", 5),
        read_timeout=config.get("HTTP_READ_TIMEOUT", 20),
        retries={"mode": "standard", "max_attempts": 3},
        # MinIO and most regional clouds serve buckets as paths of their endpoint.
        s3={"addressing_style": "path" if endpoint else "auto"},
        # Checksums in trailers (boto3's default since 1.36) are unknown to many
        # S3-compatible stores; writes send Content-MD5 instead (S3Bucket.write).
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name=config.get("STORAGE_S3_REGION") or None,
        aws_access_key_id=config.get("STORAGE_S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("STORAGE_S3_SECRET_ACCESS_KEY") or None,
        config=settings)


def storage_from_config(config):
    """The backend STORAGE_URL names: unset, the folder UPLOAD_FOLDER;
    file:///absolute/path, that folder; s3://bucket/prefix, that bucket."""
    url = config.get("STORAGE_URL") or ""
    if not url:
        return LocalFolder(config["UPLOAD_FOLDER"])
    parts = urlsplit(url)
    # The URL itself is never put in a message: it might hold a secret by mistake.
    if parts.username or parts.password:
        raise ValueError("STORAGE_URL must not hold credentials; use "
                         "STORAGE_S3_ACCESS_KEY_ID and STORAGE_S3_SECRET_ACCESS_KEY")
    if parts.scheme == "file":
        path = unquote(parts.path)
        if parts.netloc not in ("", "localhost") or not path.startswith("/"):
            raise ValueError("STORAGE_URL file:// needs an absolute path (file:///srv/...)")
        return LocalFolder(path)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError("STORAGE_URL s3:// needs a bucket (s3://bucket/prefix)")
        return S3Bucket(s3_client(config), parts.netloc, unquote(parts.path))
    raise ValueError("STORAGE_URL must be file:///path or s3://bucket/prefix")


def init_storage(app):
    app.extensions[EXTENSION] = storage_from_config(app.config)
