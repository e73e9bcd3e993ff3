"""Uploaded and generated files: checked by content, stored under generated names in the
app's storage (a folder outside every static folder, or a private bucket: backends.py),
served only by permission-checked views. Everything else reads, writes and deletes
stored files through the functions here."""

import hashlib
import logging
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput
from app.storage.backends import EXTENSION, STORED_NAME, LocalFolder
from app.storage.inspection import inspect_upload

log = logging.getLogger(__name__)

# Extension → (content type, test on the first bytes).
SIGNATURES = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
}
TYPE_LABELS = {"pdf": "PDF", "png": "PNG", "jpg": "JPG"}


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str

    def columns(self):
        return {
            "stored_name": self.stored_name,
            "original_name": self.original_name,
            "content_type": self.content_type,
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
        }


def clean_display_name(filename):
    """The uploader's file name, safe to show and to use as a download name."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".") or "berkas"
    return name[:200]


def sniff_type(content):
    for extension, (_, matches) in SIGNATURES.items():
        if matches(content[:16]):
            return extension
    return None


def upload_root():
    """The local upload folder (UPLOAD_FOLDER): the default storage, and what `flask
    siap storage migrate` copies from."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def storage():
    """This app's backend (backends.py), chosen from STORAGE_URL when the app was built."""
    return current_app.extensions[EXTENSION]


# Each takes only a name the app generated (ValueError otherwise); a missing file is
# FileNotFoundError.

def read_stored(stored_name):
    return storage().read(stored_name)


def open_stored(stored_name):
    """A binary stream of the file, read as it is sent (`.size`: its length)."""
    return storage().open(stored_name)


def stored_exists(stored_name):
    return storage().exists(stored_name)


def delete_stored(stored_names):
    """Delete the files; those already gone are ignored."""
    storage().delete(list(stored_names))


def is_object_storage():
    """Whether stored files live in a bucket (which keeps its own copies: a backup lists
    them) rather than in the local upload folder (a backup copies them)."""
    return not isinstance(storage(), LocalFolder)


def iter_stored():
    """(stored name, size in bytes) of every file in the storage named as the app names
    them, by name."""
    for stored in storage().iter_objects():
        if STORED_NAME.fullmatch(stored.name):
            yield stored.name, stored.size


def check_upload(file_storage, accepted_types, max_bytes, field="file"):
    """Read and check an upload; return (content to store, extension) or raise
    InvalidInput."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise InvalidInput({field: _l("Choose a file to upload.")})
    content = file_storage.read(max_bytes + 1)
    accepted = ", ".join(TYPE_LABELS[t] for t in accepted_types)
    if not content:
        raise InvalidInput({field: _l("The file is empty.")})
    if len(content) > max_bytes:
        raise InvalidInput(
            {field: _l("The file is larger than %(mb)s MB.", mb=_format_mb(max_bytes))}
        )
    extension = sniff_type(content)
    if extension is None or extension not in accepted_types:
        raise InvalidInput(
            {field: _l("The file must be %(types)s; the content of this file is not.",
                       types=accepted)}
        )
    # Parsed in a bounded child process: no active content in a PDF, no metadata in an
    # image (the bytes returned are the ones to store).
    return inspect_upload(content, extension, field), extension


def _format_mb(max_bytes):
    mb = max_bytes / (1024 * 1024)
    return f"{mb:g}"


def store_bytes(content, extension, original_name, written=None):
    """Write content under a new generated name; `written` collects the stored names so
    a failed transaction can remove them (remove_files)."""
    now = datetime.now(UTC)
    stored_name = f"{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"
    storage().write(stored_name, content)
    if written is not None:
        written.append(stored_name)
    return StoredFile(
        stored_name=stored_name,
        original_name=clean_display_name(original_name),
        content_type=SIGNATURES[extension][0],
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def store_upload(file_storage, accepted_types, max_bytes, field="file", written=None):
    content, extension = check_upload(file_storage, accepted_types, max_bytes, field)
    return store_bytes(content, extension, file_storage.filename, written)


def remove_files(stored_names):
    """Remove files no committed row names: what a failed transaction wrote, a replaced
    emblem. A failure to remove (the object store unreachable) is logged, never raised
    over the error that undid the transaction or after a commit: what is left is an
    unnamed file that `flask siap storage check` removes a day later."""
    stored_names = list(stored_names)
    if not stored_names:
        return
    try:
        delete_stored(stored_names)
    except Exception:
        log.warning("files no row names left for `storage check`: %s",
                    ", ".join(stored_names), exc_info=True)
