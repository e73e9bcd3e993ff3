"""The configured permit types the product ships (app/seed/processes/*.yaml): each is
published by the catalogue seed with its permit type, its officers get demo users, and
a generic API client completes a file of each to a signed decree."""

import pytest
from flask import current_app

from app.extensions import db
from app.seed.demo import ensure_demo_users
from app.seed.processes import ensure_processes, seeded
from app.signing import get_signer
from app.signing.pades import is_authentic
from app.workflow.registry import current
from tests.api.support import api, token
from tests.conftest import DEMO_PASSWORD
from tests.processes.support import GenericClient

SEEDS = seeded()


@pytest.fixture
def published(app):
    added = ensure_processes()
    ensure_demo_users(DEMO_PASSWORD)
    db.session.commit()
    return added


def test_three_configured_permit_types_are_seeded_with_their_officers(published):
    assert published == len(SEEDS) >= 3
    assert ensure_processes() == 0  # safe to run again
    for seed in SEEDS:
        workflow = current(seed["process"]["code"])
        assert len(workflow.spec.steps) >= 4 and len(workflow.spec.form) >= 6
        assert len(workflow.spec.requirements) >= 3
        staff = {step.role for step in workflow.spec.steps}
        assert len(staff) >= 2
        for officer in seed.get("demo_users", ()):
            user = current_app.appbuilder.sm.find_user(username=officer["username"])
            assert officer["role"] in {role.name for role in user.roles}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed["permit_type"]["code"])
def test_a_generic_client_completes_each_seeded_permit_type(client, published, seed):
    names = ["pemohon", "frontoffice", "pemeriksa", "dpupr", "backoffice", "kepaladinas",
             *(officer["username"] for s in SEEDS for officer in s.get("demo_users", ()))]
    tokens = {name: token(client, name) for name in names}
    generic = GenericClient(client, tokens)
    application_id = generic.apply(seed["permit_type"]["code"])
    final = generic.complete(application_id)
    assert final["status"] == "selesai", generic.trail
    steps = {step["code"] for step in seed["process"]["steps"]}
    assert steps & {action for _user, action in generic.trail}
    decree = api(client, tokens["pemohon"], "GET", f"/applications/{application_id}/decree")
    assert decree.status_code == 200
    assert is_authentic(decree.data, get_signer().trust_roots())
