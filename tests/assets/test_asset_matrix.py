"""Every (state, action, role) combination of the asset workflow against the table
written by hand in tests/workflow/oracle.py: the allowed ones succeed and land where the
table says, every other is refused and changes nothing. The file is a use of the meeting
hall, whose permit type asks the licensing division for its initials before the
signature."""

import itertools
from datetime import timedelta

import pytest
from flask import current_app
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.security import roles
from app.workflow.aset import WORKFLOW
from tests.support import (
    TODAY,
    action_input,
    make_asset_use,
    permit_type,
    recommendation_input,
    retribution_proof_input,
)
from tests.workflow.oracle import ASSET, check_combination, combinations

# The states after the recommendation: the period is booked and the fee set.
RECOMMENDED = {"menunggu_pembayaran", "verifikasi_pembayaran", "penyiapan_sk",
               "menunggu_paraf", "siap_ds", "selesai"}


@pytest.fixture(autouse=True)
def _initials_asked():
    sm = current_app.appbuilder.sm
    permit_type("ASET-GEDUNG-PERTEMUAN").initialling_roles = [
        sm.find_role(roles.KEPALA_BIDANG_PERIZINAN)]
    db.session.commit()


_weeks = itertools.count()


def make_file(state):
    """A use of the hall in `state`, on its own week (booked ones must not overlap each
    other)."""
    start = TODAY + timedelta(days=30 + 7 * next(_weeks))
    booked = state in RECOMMENDED
    return make_asset_use(state, start=start, end=start + timedelta(days=1),
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


@pytest.mark.parametrize(("state", "action"), combinations(WORKFLOW))
def test_state_action_role(state, action):
    check_combination(WORKFLOW, ASSET, make_file, state, action, form_input=form_input)
