"""One id per request: taken from the `X-Request-ID` header nginx sets (its $request_id)
when it is a sane token, otherwise made here. It is on every log line of the request
(app/logs.py), in the response's `X-Request-ID` header, on error pages ("Kode
permintaan") and in the JSON body of every error response (`request_id`), so a citizen
who quotes it leads to the log lines of that request."""

import re
import uuid

from flask import has_request_context, request

HEADER = "X-Request-ID"
# Letters, digits and . _ - : 8 to 64 characters (nginx's $request_id is 32 hex digits, a
# UUID 36 characters). Anything else is replaced, never echoed.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
ENVIRON_KEY = "siap.request_id"


def current_request_id():
    """This request's id, fixed at its first use."""
    environ = request.environ
    request_id = environ.get(ENVIRON_KEY)
    if request_id is None:
        offered = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if SANE_ID.fullmatch(offered) else uuid.uuid4().hex
        environ[ENVIRON_KEY] = request_id
    return request_id


def request_id_or_none():
    return current_request_id() if has_request_context() else None


def _with_request_id(app, response):
    """The id in the header, and in the body of a JSON error (the API's and the app's
    error handlers, Flask-AppBuilder's own answers, the JWT library's)."""
    request_id = current_request_id()
    response.headers[HEADER] = request_id
    if (response.status_code >= 400 and response.is_json and not response.is_streamed
            and not response.direct_passthrough):
        body = response.get_json(silent=True)
        if isinstance(body, dict) and "request_id" not in body:
            body["request_id"] = request_id
            response.set_data(app.json.dumps(body))
    return response


def init_app(app):
    app.jinja_env.globals["request_id"] = request_id_or_none
    app.after_request(lambda response: _with_request_id(app, response))
