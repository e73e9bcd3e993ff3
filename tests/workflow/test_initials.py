"""Paraf koordinasi: a permit type may name roles whose holders initial the decree after
the SK number and before the signature. Each named role initials once, each initial its
own history event; the last initial moves the file to Siap DS. Without named roles
nothing changes."""

import re

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.errors import Forbidden
from app.extensions import db
from app.security import roles
from app.workflow.engine import apply_action
from models import Application, ApplicationInitial, HistoryEvent, InAppNotification, OutboxMessage
from tests.api.support import api, token
from tests.factories import make_user
from tests.signing.test_decree import ready_file, status_of
from tests.support import action_input, make_asset_use, permit_type, pkkpr_type, user

SECRETARY = "Sekretaris Dinas"


def role(name):
    return current_app.appbuilder.sm.find_role(name)


def grant_initials(role_name, kinds=("pkkpr_nb",)):
    """A role of the admin's making that may initial (the permission `paraf`)."""
    sm = current_app.appbuilder.sm
    added = sm.add_role(role_name)
    for kind in kinds:
        sm.add_permission_role(added, sm.find_permission_view_menu("paraf", f"Workflow {kind}"))
    return added


def require_initials(the_permit_type, *role_names):
    the_permit_type.initialling_roles = [role(name) for name in role_names]
    db.session.commit()


def number_it(application_id):
    apply_action(application_id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))


def events(application_id, action):
    return db.session.scalars(select(HistoryEvent).where(
        HistoryEvent.application_id == application_id, HistoryEvent.action == action)
        .order_by(HistoryEvent.id)).all()


def inbox(client):
    return client.get("/inboxview/list/").get_data(as_text=True)


def test_without_named_roles_the_sk_number_leads_straight_to_the_signature():
    application = ready_file("rekomendasi_terbit")
    number_it(application.id)
    assert status_of(application.id) == "siap_ds"
    assert db.session.scalar(select(func.count(ApplicationInitial.id))) == 0


def test_each_named_role_initials_once_and_the_last_initial_leads_to_the_signature(
        login_as):
    grant_initials(roles.BACK_OFFICE)  # an admin named a second role and granted it
    require_initials(pkkpr_type(), roles.KEPALA_BIDANG_PERIZINAN, roles.BACK_OFFICE)
    application = ready_file("rekomendasi_terbit")
    back_office = login_as("backoffice")
    response = back_office.post(f"/permohonan/{application.id}/aksi/input_nomor_sk",
                                data=dict(action_input("input_nomor_sk")))
    assert response.status_code == 302
    assert status_of(application.id) == "menunggu_paraf"

    kabid, kepala = login_as("kabidperizinan"), login_as("kepaladinas")
    for client in (kabid, back_office):
        assert application.registration_number in inbox(client)
    assert application.registration_number not in inbox(kepala)
    page = kabid.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Menunggu paraf" in page and "/aksi/paraf" in page

    assert kabid.post(f"/permohonan/{application.id}/aksi/paraf",
                      data={"catatan": "Sudah sesuai"}).status_code == 302
    assert status_of(application.id) == "menunggu_paraf"
    assert application.registration_number not in inbox(kabid)
    twice = kabid.post(f"/permohonan/{application.id}/aksi/paraf", data={"catatan": ""},
                       follow_redirects=True)
    assert "Peran Anda sudah membubuhkan paraf pada berkas ini." in twice.get_data(as_text=True)

    assert back_office.post(f"/permohonan/{application.id}/aksi/paraf",
                            data={"catatan": ""}).status_code == 302
    assert status_of(application.id) == "siap_ds"
    assert application.registration_number in inbox(kepala)

    first, second = events(application.id, "paraf")
    assert (first.actor_id, first.actor_role, first.data["paraf_peran"], first.comment) == (
        user("kabidperizinan").id, roles.KEPALA_BIDANG_PERIZINAN,
        [roles.KEPALA_BIDANG_PERIZINAN], "Sudah sesuai")
    assert (first.from_status, first.to_status) == (None, None)  # the file stayed
    assert (second.actor_id, second.data["paraf_peran"]) == (user("backoffice").id,
                                                             [roles.BACK_OFFICE])
    assert (second.from_status, second.to_status) == ("menunggu_paraf", "siap_ds")
    history = kepala.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Paraf keputusan" in history and "Hendra Kabid Perizinan (Kepala Bidang Perizinan)" \
        in history


def test_a_role_the_permit_type_does_not_name_cannot_initial():
    grant_initials(roles.PEMERIKSA)  # may initial, sees every file, but is not named
    outsider = make_user(roles.PEMERIKSA)
    require_initials(pkkpr_type(), roles.KEPALA_BIDANG_PERIZINAN)
    application = ready_file("rekomendasi_terbit")
    number_it(application.id)
    with pytest.raises(Forbidden, match="tidak memerlukan paraf dari peran Anda"):
        apply_action(application.id, "paraf", outsider, MultiDict())
    assert status_of(application.id) == "menunggu_paraf"
    assert events(application.id, "paraf") == []


def test_a_second_holder_of_a_role_that_initialled_cannot_initial_again():
    require_initials(pkkpr_type(), roles.KEPALA_BIDANG_PERIZINAN, roles.BACK_OFFICE)
    grant_initials(roles.BACK_OFFICE)
    deputy = make_user(roles.KEPALA_BIDANG_PERIZINAN)
    application = ready_file("rekomendasi_terbit")
    number_it(application.id)
    apply_action(application.id, "paraf", user("kabidperizinan"), MultiDict())
    with pytest.raises(Forbidden, match="sudah membubuhkan paraf"):
        apply_action(application.id, "paraf", deputy, MultiDict())
    assert len(events(application.id, "paraf")) == 1


def test_a_partial_initial_keeps_the_stage_its_clock_and_the_queues_but_moves_the_version():
    require_initials(pkkpr_type(), roles.KEPALA_BIDANG_PERIZINAN, roles.BACK_OFFICE)
    grant_initials(roles.BACK_OFFICE)
    application = ready_file("rekomendasi_terbit")
    number_it(application.id)
    db.session.expire_all()
    before = db.session.get(Application, application.id)
    since, version = before.status_changed_at, before.version
    messages = db.session.scalar(select(func.count(OutboxMessage.id)))
    apply_action(application.id, "paraf", user("kabidperizinan"), MultiDict())
    db.session.expire_all()
    after = db.session.get(Application, application.id)
    assert (after.status, after.status_changed_at) == ("menunggu_paraf", since)
    assert after.version == version + 1  # a concurrent action on the file loses
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == messages


def test_the_named_roles_hear_of_the_file_and_no_other_holder_of_the_initial():
    grant_initials(SECRETARY)
    not_named = make_user(SECRETARY)
    require_initials(pkkpr_type(), roles.KEPALA_BIDANG_PERIZINAN)
    application = ready_file("rekomendasi_terbit")
    number_it(application.id)
    told = set(db.session.scalars(select(InAppNotification.user_id).where(
        InAppNotification.application_id == application.id)))
    assert user("kabidperizinan").id in told
    assert not_named.id not in told and user("kepaladinas").id not in told


def test_the_head_of_office_returns_a_file_waiting_for_initials_and_a_new_round_begins():
    require_initials(pkkpr_type(), roles.KEPALA_BIDANG_PERIZINAN, roles.BACK_OFFICE)
    grant_initials(roles.BACK_OFFICE)
    application = ready_file("rekomendasi_terbit")
    number_it(application.id)
    apply_action(application.id, "paraf", user("kabidperizinan"), MultiDict())
    apply_action(application.id, "kembalikan_bo", user("kepaladinas"),
                 MultiDict({"alasan": "Perbaiki konsiderans"}))
    assert status_of(application.id) == "rekomendasi_terbit"
    number_it(application.id)
    assert status_of(application.id) == "menunggu_paraf"
    pending = db.session.scalars(select(ApplicationInitial).where(
        ApplicationInitial.application_id == application.id)).all()
    assert {initial.role.name for initial in pending if initial.pending} == {
        roles.KEPALA_BIDANG_PERIZINAN, roles.BACK_OFFICE}


def test_the_api_offers_the_initial_only_to_those_awaited(client):
    require_initials(pkkpr_type(), roles.KEPALA_BIDANG_PERIZINAN)
    application = ready_file("rekomendasi_terbit")
    number_it(application.id)

    def offered(username):
        body = api(client, token(client, username), "GET",
                   f"/applications/{application.id}").get_json()
        return {offer["action"] for offer in body["available_actions"]}

    assert "paraf" in offered("kabidperizinan")
    assert "paraf" not in offered("backoffice") and "paraf" not in offered("kepaladinas")
    assert "kembalikan_bo" in offered("kepaladinas")
    response = api(client, token(client, "kabidperizinan"), "POST",
                   f"/applications/{application.id}/actions/paraf", json={"catatan": ""})
    assert response.status_code == 200 and response.get_json()["status"] == "siap_ds"


def test_an_asset_permit_waits_for_the_initials_its_type_names_too():
    hall = make_asset_use("penyiapan_sk", booking="eksklusif", fee=3000000)
    require_initials(hall.permit_type, roles.KEPALA_BIDANG_PERIZINAN)
    number_it(hall.id)
    assert status_of(hall.id) == "menunggu_paraf"
    apply_action(hall.id, "paraf", user("kabidperizinan"), MultiDict())
    assert status_of(hall.id) == "siap_ds"


# --- the permit type's screen ---------------------------------------------------------


def permit_type_form(the_permit_type, **changes):
    data = {name: getattr(the_permit_type, name) for name in (
        "code", "name", "workflow_kind", "service_days", "position",
        "registration_format", "sk_format")}
    data.update(category=str(the_permit_type.category_id), active="y", description="")
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_admin_names_the_roles_that_initial_a_permit_types_decree(login_as):
    pkkpr = pkkpr_type()
    admin = login_as("admin")
    page = admin.get(f"/permittypeview/edit/{pkkpr.id}").get_data(as_text=True)
    assert "Paraf koordinasi sebelum tanda tangan" in page
    offered = re.search(r'(?s)<select[^>]*name="initialling_roles".*?</select>', page).group(0)
    assert f'value="{role(roles.KEPALA_BIDANG_PERIZINAN).id}"' in offered
    for never in (roles.ADMIN, roles.PEMOHON, roles.PUBLIC):
        assert f'value="{role(never).id}"' not in offered, never
    response = admin.post(f"/permittypeview/edit/{pkkpr.id}", data=permit_type_form(
        pkkpr, initialling_roles=str(role(roles.KEPALA_BIDANG_PERIZINAN).id)))
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.name for r in pkkpr_type().initialling_roles] == [roles.KEPALA_BIDANG_PERIZINAN]


def test_a_role_without_the_permission_to_initial_cannot_be_named(login_as):
    pkkpr = pkkpr_type()
    page = login_as("admin").post(f"/permittypeview/edit/{pkkpr.id}", data=permit_type_form(
        pkkpr, initialling_roles=str(role(roles.FRONT_OFFICE).id))).get_data(as_text=True)
    assert "belum memiliki izin membubuhkan paraf pada alur kerja ini: Front Office" in page
    assert "Paraf keputusan — PKKPR Non Berusaha" in page
    db.session.expire_all()
    assert pkkpr_type().initialling_roles == []


def test_an_asset_type_names_roles_too(login_as):
    hall_type = permit_type("ASET-GEDUNG-PERTEMUAN")
    hall_type.initialling_roles = [role(roles.KEPALA_BIDANG_PERIZINAN)]
    db.session.commit()
    page = login_as("admin").get(f"/permittypeview/show/{hall_type.id}").get_data(as_text=True)
    assert roles.KEPALA_BIDANG_PERIZINAN in page
