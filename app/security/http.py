"""HTTP-level defaults: security headers and rate limits."""

import secrets

from flask import g, request

# No resource is loaded from another origin: fonts, scripts and styles are served
# locally (the app must work without internet). Scripts run from the app's own files,
# or inline with this response's nonce (Flask-AppBuilder's templates ask for it through
# `csp_nonce()`); no inline event handler runs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'{nonce}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
}


def csp_nonce():
    """This response's script nonce, made when a template first asks for it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def secure_headers(app):
    # A global, not a context variable: Flask-AppBuilder's macros are imported without
    # the template's context and still need it.
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_security_headers(response):
        nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
        response.headers.setdefault("Content-Security-Policy",
                                    CONTENT_SECURITY_POLICY.format(nonce=nonce))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def limit_shared(appbuilder, blueprint, scope, limit, **options):
    """Count requests to `blueprint` in the counter `scope`, shared with every other
    blueprint limited under the same scope: the page and the API of one function (sign
    in, tracking) are one counter per client address."""
    appbuilder.sm.limiter.shared_limit(limit, scope=scope, **options)(blueprint)


def only_endpoint(name):
    """exempt_when for a blueprint limit that counts only its endpoint `name`."""
    return lambda: not (request.endpoint or "").endswith(f".{name}")


def limit_login(app, appbuilder):
    """Sign-in attempts on the page count together with those on the API."""
    limit_shared(appbuilder, appbuilder.sm.auth_view.blueprint, "login",
                 app.config["AUTH_RATE_LIMIT"], methods=["POST"],
                 exempt_when=only_endpoint("login"))


def limit_registration(app, appbuilder):
    """Self-registration is open to anyone: limit account creation per address."""
    view = appbuilder.sm.registeruser_view
    if view is not None:
        appbuilder.sm.limiter.limit(app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])(
            view.blueprint
        )
