"""Stored files and decrees as downloads, the same for the screens and the API (views/
and api/ both send them; neither imports the other)."""

import io

from flask import send_file

from app.errors import NotFound
from app.services import revocation
from app.storage.files import path_of


def _as_download(response):
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_stored_file(record):
    """A stored upload, artifact or decree as a download that never runs in the browser."""
    if record is None or not record.stored_name:
        raise NotFound()
    return _as_download(send_file(
        path_of(record.stored_name), mimetype=record.content_type, as_attachment=True,
        download_name=record.original_name or "berkas",
    ))


def send_decree(decree):
    """A signed decree; once revoked, a copy stamped DICABUT on every page."""
    copy = revocation.stamped_copy(decree)
    if copy is None:
        return send_stored_file(decree)
    content, name = copy
    return _as_download(send_file(io.BytesIO(content), mimetype="application/pdf",
                                  as_attachment=True, download_name=name))
