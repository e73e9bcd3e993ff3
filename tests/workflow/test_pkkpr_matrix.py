"""Every (state, action, role) combination of the PKKPR workflow: the allowed ones
succeed, every other is refused and changes nothing. The permit type here asks the
licensing division for its initials before the signature."""

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.errors import SiapError
from app.extensions import db
from app.security import roles
from app.workflow.engine import apply_action
from app.workflow.pkkpr_nb import DEFAULT_ROLES, WORKFLOW
from models import Application, HistoryEvent
from tests.support import action_input, make_pkkpr, pkkpr_type, user

# One demo user per role; the Pemohon is the applicant of every file here.
ROLE_USERS = {
    roles.PEMOHON: "pemohon",
    roles.FRONT_OFFICE: "frontoffice",
    roles.PEMERIKSA: "pemeriksa",
    roles.DPUPR: "dpupr",
    roles.ATR_BPN: "atrbpn",
    roles.PENGELOLA_ASET: "pengelolaaset",
    roles.BACK_OFFICE: "backoffice",
    roles.KEPALA_BIDANG_PERIZINAN: "kabidperizinan",
    roles.KEPALA_DINAS: "kepaladinas",
}
# Where an allowed action leaves the file (DESIGN.md section 3, with initials asked:
# the SK number leads to them, the one initial asked to the signature).
LEADS_TO = {"input_nomor_sk": "menunggu_paraf", "paraf": "siap_ds"}


@pytest.fixture(autouse=True)
def _initials_asked():
    sm = current_app.appbuilder.sm
    pkkpr_type().initialling_roles = [sm.find_role(roles.KEPALA_BIDANG_PERIZINAN)]
    db.session.commit()


def expected_allowed(state, transition, role):
    # A deadline passing (by_system) is no role's action: nobody takes it by hand.
    if state not in transition.sources or role not in DEFAULT_ROLES.get(transition.action, ()):
        return False
    # The applicant's own acts: only the applicant (these files are not walk-ins).
    return role == roles.PEMOHON if transition.by_applicant else True


def snapshot(application_id):
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    events = db.session.scalar(
        select(func.count(HistoryEvent.id)).where(HistoryEvent.application_id == application_id)
    )
    return application.status, application.version, events, len(application.artifacts)


@pytest.mark.parametrize("state", list(WORKFLOW.states), ids=str)
@pytest.mark.parametrize("transition", WORKFLOW.transitions, ids=lambda t: t.action)
def test_state_action_role(state, transition):
    application = make_pkkpr(state.value)
    for role, username in ROLE_USERS.items():
        before = snapshot(application.id)
        allowed = expected_allowed(state, transition, role)
        try:
            apply_action(application.id, transition.action, user(username),
                         action_input(transition.action))
        except SiapError:
            succeeded = False
        else:
            succeeded = True
        assert succeeded == allowed, (state.value, transition.action, role)
        if succeeded:
            assert snapshot(application.id)[0] == LEADS_TO.get(transition.action,
                                                               transition.target.value)
            application = make_pkkpr(state.value)
        else:
            assert snapshot(application.id) == before, (state.value, transition.action, role)
