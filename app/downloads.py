"""Stored files and decrees as downloads, the same for the screens and the API (views/
and api/ both send them; neither imports the other)."""

import io

from flask import abort, request, send_file
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from app import audit
from app.errors import NotFound
from app.services import revocation
from app.storage.files import open_stored

# What a stored file may be shown as in a page: its type is checked by content when it
# is uploaded (app/storage/files.py), and the browser is told not to guess another.
SHOWN_IN_PAGE = frozenset({"application/pdf", "image/png", "image/jpeg"})


def _as_download(response):
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _as_shown_in_page(response):
    """A stored file framed by the app's own pages only. It keeps the downloads'
    `sandbox`: Chromium's PDF viewer renders a sandboxed PDF (checked in Debian's
    Chromium 156, tests/e2e/test_review_browser.py), and nothing in it runs as the app."""
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; sandbox; frame-ancestors 'self'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _application_of(record):
    application = getattr(record, "application", None)
    document = getattr(record, "document", None)  # an earlier version of a document
    return application or getattr(document, "application", None)


def note_staff_access(record, shown_in_page=False):
    """A file of an application opened by someone signed in who is not its applicant
    (an officer, the front office for a walk-in applicant) goes into the audit log."""
    application = _application_of(record)
    actor = audit.current_actor()
    if application is None or actor is None or actor.id == application.owner_id:
        return
    audit.record_now(audit.FILE_DOWNLOADED, object=application, details={
        "file": f"{record.__tablename__}#{record.id}", "name": record.original_name,
        "shown_in_page": shown_in_page})


def _streamed(record, as_attachment):
    """The stored file of `record`, streamed from the storage as it is read (a folder or
    a bucket alike), with its length, and ranges for a PDF viewer that asks for them."""
    stream = open_stored(record.stored_name)
    response = send_file(
        stream, mimetype=record.content_type, as_attachment=as_attachment,
        download_name=record.original_name or "berkas", conditional=False,
        etag=record.sha256 or False)
    response.content_length = stream.size
    try:
        return response.make_conditional(request, accept_ranges=True,
                                         complete_length=stream.size)
    except RequestedRangeNotSatisfiable:
        stream.close()
        raise


def _present(record):
    """The record has a stored file to send: 404 without one, 410 when the retention
    of personal documents deleted it (app/jobs/retention.py)."""
    if record is not None and getattr(record, "purged_at", None):
        abort(410)
    if record is None or not record.stored_name:
        raise NotFound()


def send_stored_file(record):
    """A stored upload, artifact or decree as a download that never runs in the browser."""
    _present(record)
    response = _as_download(_streamed(record, as_attachment=True))
    note_staff_access(record)
    return response


def show_stored_file(record):
    """A stored PDF or image, inline, for the page that shows it beside its verdict."""
    _present(record)
    if record.content_type not in SHOWN_IN_PAGE:
        raise NotFound()
    response = _as_shown_in_page(_streamed(record, as_attachment=False))
    note_staff_access(record, shown_in_page=True)
    return response


def send_archive(stream, name):
    """A ZIP written to an open temporary file: streamed, then closed (and so deleted)."""
    return _as_download(send_file(stream, mimetype="application/zip", as_attachment=True,
                                  download_name=name, etag=False, conditional=False))


def send_decree(decree):
    """A signed decree; once revoked, a copy stamped DICABUT on every page."""
    copy = revocation.stamped_copy(decree)
    if copy is None:
        return send_stored_file(decree)
    content, name = copy
    response = _as_download(send_file(io.BytesIO(content), mimetype="application/pdf",
                                      as_attachment=True, download_name=name))
    note_staff_access(decree)
    return response
