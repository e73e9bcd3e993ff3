"""Every (state, action, role) combination of the asset workflow: the allowed ones
succeed, every other is refused and changes nothing. The hall's permit type asks the
licensing division for its initials before the signature."""

import itertools
from datetime import timedelta

import pytest
from flask import current_app
from werkzeug.datastructures import MultiDict

from app.errors import SiapError
from app.extensions import db
from app.security import roles
from app.workflow.aset import DEFAULT_ROLES, WORKFLOW
from app.workflow.aset import S as States
from app.workflow.engine import apply_action
from tests.support import (
    TODAY,
    action_input,
    make_asset_use,
    permit_type,
    recommendation_input,
    retribution_proof_input,
    user,
)
from tests.workflow.test_pkkpr_matrix import snapshot

ROLE_USERS = {
    roles.PEMOHON: "pemohon",
    roles.FRONT_OFFICE: "frontoffice",
    roles.PEMERIKSA: "pemeriksa",
    roles.DPUPR: "dpupr",
    roles.PENGELOLA_ASET: "pengelolaaset",
    roles.BACK_OFFICE: "backoffice",
    roles.KEPALA_BIDANG_PERIZINAN: "kabidperizinan",
    roles.KEPALA_DINAS: "kepaladinas",
}
RECOMMENDED = {States.MENUNGGU_PEMBAYARAN, States.VERIFIKASI_PEMBAYARAN, States.PENYIAPAN_SK,
               States.MENUNGGU_PARAF, States.SIAP_DS, States.SELESAI}


@pytest.fixture(autouse=True)
def _initials_asked():
    sm = current_app.appbuilder.sm
    permit_type("ASET-GEDUNG-PERTEMUAN").initialling_roles = [
        sm.find_role(roles.KEPALA_BIDANG_PERIZINAN)]
    db.session.commit()
_weeks = itertools.count()


def make_file(state):
    """A file in `state`, on its own week (booked ones must not overlap each other)."""
    start = TODAY + timedelta(days=30 + 7 * next(_weeks))
    booked = state in RECOMMENDED
    return make_asset_use(state.value, start=start, end=start + timedelta(days=1),
                          booking="eksklusif" if booked else None,
                          fee=3000000 if booked else 0)


def form_input(action, application):
    use = application.asset_use
    if action == "terbitkan_rekomendasi":
        return recommendation_input(use.period_start, use.period_end)
    if action == "unggah_bukti_bayar":
        return retribution_proof_input()
    if action == "konfirmasi_pembayaran":
        return MultiDict({"catatan": ""})
    if action == "perpanjang_jatuh_tempo":
        return MultiDict({"jatuh_tempo_baru": (TODAY + timedelta(days=5)).isoformat(),
                          "alasan": "Menunggu pencairan dana kegiatan"})
    return action_input(action)


def expected_allowed(state, transition, role):
    # A deadline passing (by_system) is no role's action: nobody takes it by hand.
    if state not in transition.sources or role not in DEFAULT_ROLES.get(transition.action, ()):
        return False
    return role == roles.PEMOHON if transition.by_applicant else True


@pytest.mark.parametrize("state", list(WORKFLOW.states), ids=str)
@pytest.mark.parametrize("transition", WORKFLOW.transitions, ids=lambda t: t.action)
def test_state_action_role(state, transition):
    application = make_file(state)
    for role, username in ROLE_USERS.items():
        before = snapshot(application.id)
        allowed = expected_allowed(state, transition, role)
        try:
            apply_action(application.id, transition.action, user(username),
                         form_input(transition.action, application))
        except SiapError:
            succeeded = False
        else:
            succeeded = True
        assert succeeded == allowed, (state.value, transition.action, role)
        if succeeded:
            assert snapshot(application.id)[0] in {t.value for t in transition.targets}
            application = make_file(state)
        else:
            assert snapshot(application.id) == before, (state.value, transition.action, role)
