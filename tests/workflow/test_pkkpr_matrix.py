"""Every (state, action, role) combination of the PKKPR workflow against the table
written by hand in tests/workflow/oracle.py: the allowed ones succeed and land where the
table says, every other is refused and changes nothing. The permit type here asks the
licensing division for its initials before the signature."""

import pytest
from flask import current_app

from app.extensions import db
from app.security import roles
from app.workflow.pkkpr_nb import WORKFLOW
from tests.support import make_pkkpr, pkkpr_type
from tests.workflow.oracle import PKKPR, check_combination, check_oracle_covers, combinations


@pytest.fixture(autouse=True)
def _initials_asked():
    sm = current_app.appbuilder.sm
    pkkpr_type().initialling_roles = [sm.find_role(roles.KEPALA_BIDANG_PERIZINAN)]
    db.session.commit()


@pytest.mark.parametrize(("state", "action"), combinations(WORKFLOW))
def test_state_action_role(state, action):
    check_combination(WORKFLOW, PKKPR, make_pkkpr, state, action)


def test_an_oracle_missing_a_state_or_an_action_of_its_definition_fails():
    without_state = {state: actions for state, actions in PKKPR.items() if state != "ditarik"}
    without_action = {**PKKPR, "draft": {"ajukan": PKKPR["draft"]["ajukan"]}}
    for table in (without_state, without_action):
        with pytest.raises(AssertionError):
            check_oracle_covers(WORKFLOW, table)
