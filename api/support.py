"""What every endpoint of the JSON API shares: the caller, the engine's errors as JSON,
request data for the engine's forms, and how a form's fields are described."""

import functools
import logging

from flask import current_app, request
from flask_appbuilder.api import BaseApi
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from werkzeug.exceptions import HTTPException
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField
from wtforms.validators import Length, NumberRange, Regexp

from app.errors import DATABASE_UNAVAILABLE, HTTP_ERROR_MESSAGES, SiapError
from app.workflow.fields import UploadField

log = logging.getLogger(__name__)

ERROR_RESPONSES = {
    code: {"description": description,
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for code, description in ((400, "Invalid input: `errors` names each field"),
                              (401, "Not signed in"), (403, "Not permitted"),
                              (404, "Not found or not visible"),
                              (409, "Wrong status or stale version"),
                              (422, "Signing failed"), (429, "Too many attempts"))
}


class SiapApi(BaseApi):
    version = "v1"
    openapi_spec_tag = "SIAP n LOSS"

    def add_apispec_components(self, api_spec):
        super().add_apispec_components(api_spec)
        from api.schemas import register_schemas

        register_schemas(api_spec)


def actor():
    """The user of this API call (JWT)."""
    return current_app.appbuilder.sm.current_user


def error_body(message, errors=None):
    body = {"message": str(message)}
    if errors:
        body["errors"] = {name: str(text) for name, text in errors.items()}
    return body


def safe(method):
    """Flask-AppBuilder's @safe answers 500 for every exception, HTTP errors such as 413
    and a database outage included: those go to the app's error handlers (app/errors.py)
    instead, and anything else is logged and answered with the app's 500 body."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (HTTPException, *DATABASE_UNAVAILABLE):
            raise
        except Exception:
            log.exception("API error in %s", request.path)
            return self.response(500, message=str(HTTP_ERROR_MESSAGES[500]))

    return wrapper


def engine_errors_as_json(method):
    """A SiapError becomes its status code with {message, errors}."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except SiapError as error:
            return self.response(error.status_code,
                                 **error_body(error.message, error.field_errors))

    return wrapper


def _as_form_value(value):
    if value is True:
        return "y"
    if value is None or value is False:
        return None
    return str(value)


def request_data():
    """JSON or form/multipart input as the MultiDict the engine's forms read."""
    if request.is_json:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return None
        pairs = []
        for name, value in payload.items():
            for item in value if isinstance(value, list) else [value]:
                if (text := _as_form_value(item)) is not None:
                    pairs.append((name, text))
        return MultiDict(pairs)
    return CombinedMultiDict([request.form, request.files])


def field_type(field):
    if field.type == "UploadField":
        return "file"
    if isinstance(field, BooleanField):
        return "boolean"
    if isinstance(field, DateField):
        return "date"
    if isinstance(field, IntegerField):
        return "integer"
    if isinstance(field, DecimalField):
        return "number"
    if isinstance(field, SelectField):
        return "choice"
    if field.type == "PasswordField":
        return "password"
    return "string"


def describe_form(form):
    """[{name, label, type, required, choices?}] of a form's fields."""
    fields = []
    for field in form:
        description = {
            "name": field.name,
            "label": str(field.label.text),
            "type": field_type(field),
            "required": bool(field.flags.required or getattr(field, "required", False)),
        }
        if isinstance(field, SelectField) and field.choices is not None:
            description["choices"] = [{"value": str(value), "label": str(label)}
                                      for value, label, *_ in field.iter_choices()
                                      if str(value) != ""]
        description.update(validator_hints(field))
        # A configured form knows more (unit, decimals, format, visibility).
        description.update(getattr(form, "field_hints", {}).get(field.name, {}))
        fields.append(description)
    return fields


def validator_hints(field):
    """What a client needs to fill a field without guessing, read off its validators:
    min, max, max_length, pattern, accepted types, maximum size, help, default."""
    hints = {}
    for validator in field.validators:
        if isinstance(validator, NumberRange):
            hints.update({key: str(value) for key, value in
                          (("min", validator.min), ("max", validator.max)) if value is not None})
        elif isinstance(validator, Length) and validator.max and validator.max > 0:
            hints["max_length"] = validator.max
        elif isinstance(validator, Regexp):
            hints["pattern"] = validator.regex.pattern
        hints.update(getattr(validator, "hints", {}))
    if isinstance(field, UploadField):
        hints.update(accept=list(field.accepted), max_mb=field.max_bytes // (1024 * 1024))
    if field.description:
        hints["help"] = str(field.description)
    default = field.default() if callable(field.default) else field.default
    if default not in (None, "", False):
        hints["default"] = default.isoformat() if hasattr(default, "isoformat") \
            else str(default)
    return hints
