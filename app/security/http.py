"""HTTP-level defaults: security headers and rate limits."""

import re
import secrets
from urllib.parse import urlsplit

from flask import g, request

# No resource is loaded from another origin: fonts, scripts and styles are served
# locally (the app must work without internet); only the map's tiles may come from the
# tile server the configuration names (MAP_TILE_URL). Scripts run from the app's own files,
# or inline with this response's nonce (Flask-AppBuilder's templates ask for it through
# `csp_nonce()`); no inline event handler runs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'{nonce}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:{tiles}",
        "font-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

# A host (and port) a tile server may have in the policy; "*." only as the first label.
TILE_HOST = re.compile(r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
}


def tile_origin(url):
    """The origin of a tile URL template, as a CSP source: "https://gis.example.go.id";
    a {s} subdomain becomes "*" ("https://*.tile.example.org"). None when not an http(s)
    URL."""
    parts = urlsplit((url or "").strip())
    host = parts.netloc.rsplit("@", 1)[-1]
    if parts.scheme not in ("http", "https") or not host:
        return None
    first, dot, rest = host.partition(".")
    if "{" in first and dot:
        host = f"*.{rest}"
    if not TILE_HOST.fullmatch(host):  # a placeholder elsewhere, or not a host at all
        return None
    return f"{parts.scheme}://{host}"


def content_security_policy(nonce, tile_url):
    tiles = tile_origin(tile_url)
    return CONTENT_SECURITY_POLICY.format(nonce=f" 'nonce-{nonce}'" if nonce else "",
                                          tiles=f" {tiles}" if tiles else "")


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
        response.headers.setdefault("Content-Security-Policy", content_security_policy(
            g.get("csp_nonce"), app.config.get("MAP_TILE_URL")))
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
