"""Endpoints served before the app's other request hooks."""

from flask import request


def answer_early(app, endpoints):
    """Serve `endpoints` from the first before_request hook: the app's other hooks
    (Flask-AppBuilder's user, CSRF, the rate limiter, the configured processes' menus,
    which read the database) do not run for them, and nothing touches the session. The
    after_request hooks still run (security headers, request id, metrics)."""

    def answer():
        if request.endpoint in endpoints:
            return app.view_functions[request.endpoint](**(request.view_args or {}))
        return None

    app.before_request_funcs.setdefault(None, []).insert(0, answer)
