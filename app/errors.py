"""Typed errors raised by services and the workflow engine, and the one place that
turns them (and HTTP errors) into responses."""

import logging

from flask import g, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class SiapError(Exception):
    """Base of every error a user can be told about. `message` is translatable."""

    status_code = 400
    default_message = _l("The request could not be processed.")

    def __init__(self, message=None, field_errors=None):
        self.message = message or self.default_message
        self.field_errors = dict(field_errors or {})
        super().__init__(str(self.message))


class InvalidInput(SiapError):
    """The input is wrong; `field_errors` maps each field to its message."""

    default_message = _l("Please correct the marked fields.")

    def __init__(self, field_errors=None, message=None):
        super().__init__(message, field_errors)


class Forbidden(SiapError):
    status_code = 403
    default_message = _l("You are not allowed to do this.")


class NotFound(SiapError):
    status_code = 404
    default_message = _l("The data you are looking for does not exist or is not visible to you.")


class Conflict(SiapError):
    status_code = 409
    default_message = _l("The data was changed by someone else. Reload the page and try again.")


class TooManyAttempts(SiapError):
    """Too many wrong secrets (password, passphrase): wait `retry_after` seconds."""

    status_code = 429
    default_message = _l("Too many attempts. Wait a moment and try again.")

    def __init__(self, message=None, retry_after=60):
        super().__init__(message)
        self.retry_after = int(retry_after)


HTTP_ERROR_MESSAGES = {
    400: _l("The request is invalid. Reload the page and try again."),
    403: _l("You do not have access to this page."),
    404: _l("The page you are looking for does not exist."),
    405: _l("This method is not allowed here."),
    # Only a personal upload past its retention period is gone (app/jobs/retention.py).
    410: _l("This document's file was deleted when its retention period ended, as the "
            "personal data protection law requires. The record of the document is kept."),
    413: _l("The file is too large."),
    429: _l("Too many attempts. Wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
    503: _l("The service is temporarily unavailable. Please try again in a few minutes."),
}


# The database cannot be reached (or refuses work): the service is unavailable, 503.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class BoundedJSONProvider(DefaultJSONProvider):
    """Deeply nested JSON is invalid input (400), not a RecursionError (500)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def _wants_json():
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def register_error_handlers(app):
    def render_http_error(error):
        if "user" not in g:
            # The error came before FAB's before_request (e.g. CSRF): its templates need it.
            g.user = current_user
        code = error.code if isinstance(error, HTTPException) else 500
        message = HTTP_ERROR_MESSAGES.get(code, getattr(error, "description", ""))
        if code == 400 and getattr(error, "description", "").startswith("The CSRF"):
            message = _l("The form has expired. Reload the page and submit it again.")
        if _wants_json():
            return {"message": str(message)}, code
        return (
            render_template(
                "errors/http_error.html",
                code=code,
                message=message,
                base_template=app.appbuilder.base_template,
                appbuilder=app.appbuilder,
            ),
            code,
        )

    def database_unavailable(error):
        """The database cannot be reached: a page that needs no database (the menu
        does: it reads permissions)."""
        log.error("database unavailable: %s", type(error.orig or error).__name__)
        from app.extensions import db

        db.session.rollback()
        message = HTTP_ERROR_MESSAGES[503]
        if _wants_json():
            return {"message": str(message)}, 503, {"Retry-After": "60"}
        page = render_template("errors/unavailable.html", message=message,
                               lang=str(get_locale() or "id"))
        return page, 503, {"Retry-After": "60"}

    for code in HTTP_ERROR_MESSAGES:
        app.register_error_handler(code, render_http_error)
    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)
