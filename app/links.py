"""Absolute links to the app, printed in decrees' QR codes and sent in messages.

PUBLIC_BASE_URL sets them (production refuses to start without it); in development they
follow the address the app is served on, so `PORT=8000 make run` links to port 8000."""

from flask import current_app, has_request_context, request

# Outside a request in development (a CLI command) with no PUBLIC_BASE_URL set.
DEVELOPMENT_ADDRESS = "http://127.0.0.1:5000"


def public_base_url():
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_ADDRESS


def public_url(path):
    return public_base_url() + path
