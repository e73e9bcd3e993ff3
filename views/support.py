"""Turning the engine's typed errors into what a browser user sees, in one place."""

import io
from functools import wraps

from flask import abort, flash, g, send_file
from werkzeug.datastructures import CombinedMultiDict

from app.errors import Forbidden, InvalidInput, NotFound
from app.services import revocation
from app.storage.files import path_of


def request_formdata(request):
    return CombinedMultiDict([request.form, request.files])


def attach_errors(form, error):
    """Show an InvalidInput's field messages on the form; return the general message."""
    unplaced = []
    for name, message in error.field_errors.items():
        if form is not None and name in form._fields:
            form[name].errors = [message]
        else:
            unplaced.append(str(message))
    return " ".join([str(error.message), *unplaced]) if unplaced or not error.field_errors \
        else str(error.message)


def flash_error(error):
    flash(attach_errors(None, error) if isinstance(error, InvalidInput) else str(error.message),
          "danger")


def engine_errors_as_http(view_method):
    """NotFound → 404 and Forbidden → 403 pages; other SiapErrors become a flash
    message and the view's `on_error` response."""

    @wraps(view_method)
    def wrapper(*args, **kwargs):
        try:
            return view_method(*args, **kwargs)
        except NotFound:
            abort(404)
        except Forbidden as error:
            if error.message is not Forbidden.default_message:
                flash(str(error.message), "danger")
            abort(403)

    return wrapper


def current_user():
    return g.user



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
