"""HTTP-level defaults: security headers and rate limits beyond FAB's login limit."""

# No resource is loaded from another origin: fonts, scripts and styles are served
# locally (the app must work without internet). FAB's templates use inline scripts.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
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
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
}


def secure_headers(app):
    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def limit_registration(app, appbuilder):
    """Self-registration is open to anyone: limit account creation per address."""
    view = appbuilder.sm.registeruser_view
    if view is not None:
        appbuilder.sm.limiter.limit(app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])(
            view.blueprint
        )
