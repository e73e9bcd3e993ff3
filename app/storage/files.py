"""Uploaded and generated files: checked by content, stored under generated names in
UPLOAD_FOLDER (outside every static folder), served only by permission-checked views."""

import contextlib
import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput
from app.storage.inspection import inspect_upload

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
    return Path(current_app.config["UPLOAD_FOLDER"])


def path_of(stored_name):
    """The path of a stored file; refuses names that could leave the upload folder."""
    if not re.fullmatch(r"\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg)", stored_name or ""):
        raise ValueError("invalid stored file name")
    return upload_root() / stored_name


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
    """Write content under a new generated name; `written` collects the paths so a
    failed transaction can remove them."""
    now = datetime.now(UTC)
    stored_name = f"{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"
    path = path_of(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its final name and renamed: a reader never sees half a file, and a
    # process killed meanwhile leaves a .part file (`flask siap storage check`).
    temporary = path.with_suffix(".part")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if written is not None:
        written.append(path)
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


def remove_files(paths):
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


# --- reading and deleting stored files by name -------------------------------------------
# Minimal local-folder versions; the storage backends (local folder, object storage) keep
# these names and signatures.

def read_stored(stored_name):
    """The bytes of a stored file."""
    return path_of(stored_name).read_bytes()


def open_stored(stored_name):
    """A stored file as a binary stream, to copy without holding it in memory (close it)."""
    return path_of(stored_name).open("rb")


def delete_stored(stored_names):
    """Delete stored files by name; one already gone is no error."""
    remove_files([path_of(name) for name in stored_names])
