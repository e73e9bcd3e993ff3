"""Scripts run only from the app's own files or with the response's nonce: the
Content-Security-Policy allows no inline script without it and no inline handler."""

import re

from tests.security.routes import ANONYMOUS, Caller, matrix_probes

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def script_sources(policy):
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


def test_no_page_runs_an_inline_script_without_its_nonce(app, objects):
    pages = 0
    for caller in (Caller(app, ANONYMOUS), Caller(app, "pemohon"), Caller(app, "admin")):
        for probe in matrix_probes(app, objects):
            if probe.method != "GET" or probe.api or "logout" in probe.key:
                continue
            response = caller.web.get(probe.path)
            if response.mimetype != "text/html" or response.status_code != 200:
                continue
            pages += 1
            html = response.get_data(as_text=True)
            allowed = script_sources(response.headers["Content-Security-Policy"])
            assert "unsafe-inline" not in allowed and "unsafe-eval" not in allowed
            nonces = set(re.findall(r"'nonce-([^']+)'", allowed))
            for attributes in INLINE_SCRIPT.findall(html):
                found = re.search(r'nonce="([^"]*)"', attributes)
                assert found and found.group(1) in nonces, (probe.path, attributes)
            assert not EVENT_HANDLER.search(html), probe.path
    assert pages > 60


def test_each_response_has_a_nonce_of_its_own(client):
    first = client.get("/login/").headers["Content-Security-Policy"]
    second = client.get("/login/").headers["Content-Security-Policy"]
    assert "'nonce-" in first and first != second


