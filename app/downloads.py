"""Stored files and decrees as downloads, the same for the screens and the API (views/
and api/ both send them; neither imports the other)."""

import io

from flask import send_file

from app import audit
from app.errors import NotFound
from app.services import revocation
from app.storage.files import path_of

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


def send_stored_file(record):
    """A stored upload, artifact or decree as a download that never runs in the browser."""
    if record is None or not record.stored_name:
        raise NotFound()
    response = _as_download(send_file(
        path_of(record.stored_name), mimetype=record.content_type, as_attachment=True,
        download_name=record.original_name or "berkas",
    ))
    note_staff_access(record)
    return response


def show_stored_file(record):
    """A stored PDF or image, inline, for the page that shows it beside its verdict."""
    if record is None or not record.stored_name or record.content_type not in SHOWN_IN_PAGE:
        raise NotFound()
    response = _as_shown_in_page(send_file(
        path_of(record.stored_name), mimetype=record.content_type, as_attachment=False,
        download_name=record.original_name or "berkas",
    ))
    note_staff_access(record, shown_in_page=True)
    return response


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
