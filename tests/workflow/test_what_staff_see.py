"""What staff see matches what they may do: an action's form is shown only to whoever may
submit it, the draft decree only to those who number or sign decrees, and the office
said to hold a file is the one holding its next action, as an admin granted it."""

import pytest

from app.extensions import db
from app.security import roles
from app.workflow.access import available_transitions
from app.workflow.registry import WORKFLOWS
from tests.signing.test_decree import ready_file
from tests.support import make_pkkpr, user

USERNAMES = ("pemohon", "frontoffice", "pemeriksa", "dpupr", "atrbpn", "pengelolaaset",
             "backoffice", "kabidperizinan", "kepaladinas", "admin")
PKKPR = WORKFLOWS["pkkpr_nb"]
# A state of each PKKPR transition (the first it leaves), for a file of `pemohon`.
ACTION_STATES = sorted({(t.action, t.sources[0].value) for t in PKKPR.transitions})


def test_an_actions_form_is_shown_exactly_to_those_offered_the_action(login_as):
    clients = {username: login_as(username) for username in USERNAMES}
    wrong = []
    for action, state in ACTION_STATES:
        application = make_pkkpr(state)
        for username, client in clients.items():
            offered = action in {t.action for t in
                                 available_transitions(application, user(username))}
            status = client.get(f"/permohonan/{application.id}/aksi/{action}").status_code
            if (status == 200) != offered or status not in (200, 403, 404):
                wrong.append(f"{action} in {state} as {username}: {status}")
    assert not wrong, "\n".join(wrong)


def test_an_examiner_cannot_open_the_sk_number_form_nor_read_the_proposed_number(login_as):
    application = make_pkkpr("rekomendasi_terbit")
    url = f"/permohonan/{application.id}/aksi/input_nomor_sk"
    refused = login_as("pemeriksa").get(url)
    assert refused.status_code in (403, 404)
    assert "409.110" not in refused.get_data(as_text=True)
    page = login_as("backoffice").get(url).get_data(as_text=True)
    assert "409.110" in page  # the back office sees the proposal (503/…/409.110/<year>)


def test_an_action_in_the_wrong_status_sends_back_to_the_file_with_the_reason(login_as):
    application = make_pkkpr("diperiksa")
    response = login_as("frontoffice").get(f"/permohonan/{application.id}/aksi/terima",
                                           follow_redirects=True)
    assert "tidak dapat dilakukan selama berkas berstatus" in response.get_data(as_text=True)


def test_the_edit_form_is_shown_only_to_the_applicant_while_editable(login_as):
    draft, submitted = make_pkkpr("draft"), make_pkkpr("diajukan")
    assert login_as("pemohon").get(f"/permohonan/{draft.id}/ubah").status_code == 200
    closed = login_as("pemohon").get(f"/permohonan/{submitted.id}/ubah", follow_redirects=True)
    assert "Permohonan tidak dapat diubah lagi." in closed.get_data(as_text=True)
    assert login_as("frontoffice").get(f"/permohonan/{submitted.id}/ubah").status_code == 403


@pytest.mark.parametrize("username", USERNAMES)
def test_the_draft_decree_is_for_those_who_number_or_sign_decrees(login_as, username):
    application = ready_file()
    client = login_as(username)
    may = username in ("backoffice", "kepaladinas")
    draft = client.get(f"/permohonan/{application.id}/draf-sk.pdf")
    assert draft.status_code == (200 if may else 404)
    page = client.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert ("draf-sk.pdf" in page) == may


def test_the_office_holding_a_file_follows_the_admins_grants(app, login_as, client):
    """terbitkan_sps moved from the land office to DPUPR: the file waiting for the SPS
    is at DPUPR on the file page and the public tracking page."""
    sm = app.appbuilder.sm
    sps = sm.find_permission_view_menu("terbitkan_sps", PKKPR.permission_view)
    sm.del_permission_role(sm.find_role(roles.ATR_BPN), sps)
    sm.add_permission_role(sm.find_role(roles.DPUPR), sps)
    db.session.commit()
    application = make_pkkpr("krk_terbit")
    dpupr_name = "DPUPR (Dinas Pekerjaan Umum dan Penataan Ruang)"

    detail = login_as("dpupr").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f"Berada di: {dpupr_name}" in detail
    tracked = client.post("/lacak/", data={"nomor": application.registration_number,
                                           "akhiran": "7890"}).get_data(as_text=True)
    assert f'<td id="kantor">{dpupr_name}</td>' in tracked
    assert "Kantor Pertanahan" not in tracked.split('id="linimasa"')[0]
