"""Turning the engine's typed errors into what a browser user sees, in one place."""

from functools import wraps

from flask import abort, flash, g
from werkzeug.datastructures import CombinedMultiDict

from app.errors import Forbidden, InvalidInput, NotFound


def request_formdata(request):
    return CombinedMultiDict([request.form, request.files])


def asks_for_json(request):
    """An in-page request (the page's script) that wants its answer as JSON, not a page."""
    return request.accept_mimetypes.best == "application/json"


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
