"""No input answers 5xx. Every route the app registers (web and API, from `app.url_map`)
is called as anonymous, as an applicant and as the admin (who reaches the most handlers)
with hostile values in each path variable, in the common query parameters and in the
body; every answer must be below 500 and, for a refusal, the app's own error page or
JSON error body."""

from urllib.parse import quote, urlencode

import pytest
from werkzeug.routing.converters import AnyConverter, NumberConverter

from tests.security.routes import (
    ANONYMOUS,
    STATIC_ENDPOINTS,
    Caller,
    Probe,
    build,
    is_api,
    methods_of,
    rules,
    values_for,
    view_of,
)

ROLES = (ANONYMOUS, "pemohon", "admin")
LONG = "x" * 3000
# What a hostile client puts where a path expects an id, a name or a token.
HOSTILE_SEGMENTS = ("\x00", "a\x00b", str(2**63), str(2**31), "-1", "0", "9" * 40, LONG,
                    "../../etc/passwd", "..", "%00", "名字", "' OR '1'='1")
# Markers for the variable being replaced: an integer for integer converters.
INT_MARK, TEXT_MARK = 987654321, "HOSTILEMARK"
# Fields of the app's forms and the API's bodies, each with a NUL character.
HOSTILE_FIELDS = {name: "a\x00b" for name in (
    "name", "nomor", "akhiran", "alasan", "reason", "passphrase", "verdict", "username",
    "password", "email", "q", "permit_type", "requirement_id", "expected_version",
    "applicant_name", "polygon_geojson", "comment", "body", "key", "code", "action", "rowid",
)}
DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_GEOJSON = '{"type": "Polygon", "coordinates": ' + "[" * 50_000 + "]" * 50_000 + "}"


def hostile_queries(app, rule):
    """Common query parameters with hostile values, including Flask-AppBuilder's list
    parameters named after the rule's view."""
    queries = [
        {"page": "\x00", "q": "a\x00", "number": "\x00", "phone_suffix": "\x00",
         "next": "\x00"},
        {"page": "-1", "page_size": str(2**63), "inbox": "abc", "status": LONG,
         "type": "../../", "_l_": "xx"},
        {"page": str(2**63), "page_size": "-1", "next": "//evil.example/"},
        {"pk": "abc"}, {"pk": str(2**63)}, {"pk": "-1"},
    ]
    view = view_of(app, rule.endpoint)
    if view is not None and hasattr(view, "datamodel"):
        name = type(view).__name__
        queries += [
            {f"page_{name}": "abc", f"psize_{name}": "abc"},
            {f"page_{name}": str(2**63), f"psize_{name}": str(2**63)},
            {f"page_{name}": "-1", f"psize_{name}": "-1"},
            {f"_oc_{name}": "no_such_column", f"_od_{name}": "asc"},
            {f"_oc_{name}": "\x00", f"_od_{name}": "desc"},
            {f"_oc_{name}": "__class__", f"_od_{name}": "asc"},
        ]
        columns = [*getattr(view, "search_columns", []), "no_such_column", "id"]
        for value in ("abc", str(2**63), "2026-13-45", LONG, "a\x00b"):
            queries.append({f"_flt_{index}_{column}": value
                            for column in columns for index in range(10)})
    return queries


def _mark(rule, name):
    return INT_MARK if isinstance(rule._converters[name], NumberConverter) else TEXT_MARK


def path_probes(app, objects, rule):
    """One probe per path variable and hostile value, the other variables real."""
    values = values_for(app, rule, objects, objects.files["pkkpr_nb"])
    method = "GET" if "GET" in rule.methods else "POST"
    probes = []
    for name in rule.arguments:
        if isinstance(rule._converters[name], AnyConverter):
            continue  # a fixed choice: any other value does not route
        mark = _mark(rule, name)
        template = build(rule, values | {name: mark})
        for hostile in HOSTILE_SEGMENTS:
            path = template.replace(str(mark), quote(hostile, safe=""))
            probes.append(Probe(f"{method} {rule.rule} <{name}>={hostile[:20]!r}", rule.rule,
                                method, path, api=is_api(rule),
                                data={} if method == "POST" else None))
    return probes


def query_probes(app, objects, rule):
    if "GET" not in rule.methods or rule.endpoint.endswith(".logout"):
        return []
    path = build(rule, values_for(app, rule, objects, objects.files["pkkpr_nb"]))
    return [Probe(f"GET {rule.rule}?{urlencode(query)[:80]}", rule.rule, "GET",
                  f"{path}?{urlencode(query)}", api=is_api(rule))
            for query in hostile_queries(app, rule)]


def body_probes(app, objects, rule):
    """POSTs with a NUL in every common field; the API's also with nested JSON."""
    if "POST" not in methods_of(rule):
        return []
    path = build(rule, values_for(app, rule, objects, objects.files["pkkpr_nb"]))
    probes = [Probe(f"POST {rule.rule} form with NUL", rule.rule, "POST", path,
                    api=is_api(rule), data=HOSTILE_FIELDS)]
    if is_api(rule):
        probes.append(Probe(f"POST {rule.rule} json with NUL", rule.rule, "POST", path,
                            api=True, json=HOSTILE_FIELDS))
        probes.append(Probe(f"POST {rule.rule} deeply nested json", rule.rule, "POST", path,
                            api=True, data=DEEP_JSON))
    return probes


def fuzz_rules(app):
    """Every rule but the static files (their own test below) and log-out, which ends
    the session the other probes use (it is probed with a query last)."""
    return [r for r in rules(app) if r.endpoint not in STATIC_ENDPOINTS]


def call(caller, probe):
    overrides = {}
    if probe.api and isinstance(probe.data, str):
        overrides = {"data": probe.data, "content_type": "application/json"}
    return caller.call(probe, **overrides)


def server_errors(app, probes):
    callers = [Caller(app, role) for role in ROLES]
    found = []
    for probe in probes:
        for caller in callers:
            outcome, status = call(caller, probe)
            if outcome.startswith("error") and not str(status).startswith(("4", "3")):
                found.append(f"{caller.role} {probe.method} {probe.path[:160]!r}: {status}")
    return found


def test_hostile_path_variables_never_answer_a_server_error(app, objects):
    probes = [p for rule in fuzz_rules(app) for p in path_probes(app, objects, rule)]
    assert len(probes) > 300
    errors = server_errors(app, probes)
    assert not errors, f"{len(errors)} server errors:\n  " + "\n  ".join(errors[:60])


def test_hostile_query_parameters_never_answer_a_server_error(app, objects):
    probes = [p for rule in fuzz_rules(app) for p in query_probes(app, objects, rule)]
    assert len(probes) > 300
    errors = server_errors(app, probes)
    assert not errors, f"{len(errors)} server errors:\n  " + "\n  ".join(errors[:60])


def test_hostile_bodies_never_answer_a_server_error(app, objects):
    probes = [p for rule in fuzz_rules(app) for p in body_probes(app, objects, rule)]
    assert len(probes) > 50
    errors = server_errors(app, probes)
    assert not errors, f"{len(errors)} server errors:\n  " + "\n  ".join(errors[:60])


@pytest.mark.parametrize("endpoint", STATIC_ENDPOINTS)
@pytest.mark.parametrize("hostile", HOSTILE_SEGMENTS)
def test_hostile_static_file_names_never_answer_a_server_error(app, endpoint, hostile):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    path = build(rule, {"filename": TEXT_MARK}).replace(TEXT_MARK, quote(hostile, safe=""))
    assert app.test_client().get(path).status_code < 500
