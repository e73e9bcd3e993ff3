"""Every role (and anonymous) against every route the app registers: who reaches each
handler must be exactly what tests/security/allowed_routes.py says.

To regenerate the data after an intended change (then review the diff line by line):

    WRITE_ROUTE_MATRIX=1 .venv/bin/python -m pytest -q tests/security/test_route_matrix.py
"""

import os
from pathlib import Path

import pytest

from tests.security import allowed_routes
from tests.security.routes import (
    ANONYMOUS,
    REACHED,
    ROLES,
    USERS,
    Caller,
    matrix_probes,
)

DATA_FILE = Path(allowed_routes.__file__)
DEFAULT_DENIAL = {ANONYMOUS: "login", **{username: "forbidden" for username in USERS}}


def observe(app, objects):
    """{probe key: {role: (outcome, status)}} for every probe and role."""
    probes = matrix_probes(app, objects)
    keys = [probe.key for probe in probes]
    assert len(keys) == len(set(keys)), "two probes share a key"
    callers = [Caller(app, role) for role in ROLES]
    observed = {probe.key: {} for probe in probes}
    for probe in probes:
        for caller in callers:
            observed[probe.key][caller.role] = caller.call(probe)
    return probes, observed


def describe(roles):
    """Roles as the data file writes them: group names where a whole group is in."""
    remaining, words = set(roles), []
    for group, members in allowed_routes.GROUPS.items():
        if set(members) <= remaining:
            words.append(group)
            remaining -= set(members)
    return " ".join(words + [role for role in ROLES if role in remaining])


def write_data_file(probes, observed):
    lines = []
    for probe in probes:
        allowed = [role for role in ROLES if observed[probe.key][role][0] in REACHED]
        lines.append(f"    # {probe.rule}")
        lines.append(f'    "{probe.key}":\n        "{describe(allowed)}",')
    denials = []
    for probe in probes:
        unusual = {}
        for role, (outcome, _) in observed[probe.key].items():
            if outcome not in REACHED and outcome != DEFAULT_DENIAL[role]:
                unusual.setdefault(outcome, []).append(role)
        if unusual:
            text = "; ".join(f"{outcome}: {describe(roles)}"
                             for outcome, roles in unusual.items())
            denials.append(f'    "{probe.key}":\n        "{text}",')
    source = DATA_FILE.read_text()
    head = source[: source.index("ALLOWED = {")]
    DATA_FILE.write_text(
        head + "ALLOWED = {\n" + "\n".join(lines) + "\n}\n\n"
        "# Denials other than the usual ones (anonymous: the login page; signed in: 403).\n"
        "DENIED = {\n" + "\n".join(denials) + "\n}\n"
    )


def expected_outcomes(key):
    allowed = set(allowed_routes.roles(allowed_routes.ALLOWED[key]))
    unusual = {}
    for part in filter(None, allowed_routes.DENIED.get(key, "").split(";")):
        outcome, _, names = part.partition(":")
        unusual |= {role: outcome.strip() for role in allowed_routes.roles(names)}
    return {role: "reached" if role in allowed else unusual.get(role, DEFAULT_DENIAL[role])
            for role in ROLES}


def test_every_role_reaches_exactly_the_routes_the_data_file_allows(app, objects):
    probes, observed = observe(app, objects)
    crashes = [f"{key}: {role} got {status}" for key, by_role in observed.items()
               for role, (outcome, status) in by_role.items() if outcome.startswith("error")]
    assert not crashes, "calls that crashed:\n  " + "\n  ".join(crashes)
    if os.environ.get("WRITE_ROUTE_MATRIX"):
        write_data_file(probes, observed)
        pytest.skip(f"written: {DATA_FILE}")
    differences = []
    for probe in probes:
        if probe.key not in allowed_routes.ALLOWED:
            differences.append(f"{probe.key} ({probe.rule}): new route, not in the data file")
            continue
        for role, expected in expected_outcomes(probe.key).items():
            outcome, status = observed[probe.key][role]
            got = "reached" if outcome in REACHED else outcome
            if got != expected:
                differences.append(f"{probe.key} {probe.path}: {role} expected {expected}, "
                                   f"got {outcome} (HTTP {status})")
    gone = set(allowed_routes.ALLOWED) - {probe.key for probe in probes}
    differences += [f"{key}: in the data file, but the app no longer has it"
                    for key in sorted(gone)]
    assert not differences, "route matrix differs:\n  " + "\n  ".join(differences)

