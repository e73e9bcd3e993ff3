"""A Pengelola Aset works on the asset types of their own agency only: lists, file page,
actions, downloads and notifications."""

import pytest
from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from app.security import roles
from app.workflow.engine import apply_action
from models import Agency, InAppNotification, OutboxMessage
from tests.factories import make_user
from tests.support import make_asset_use, recommendation_input, user
from tests.workflow.test_pkkpr_flow import act

GOR = "Gedung Olahraga Kanigoro"  # ASET-GOR: managed by DISPORAPAR


def agency_officer(code, username):
    agency = db.session.scalar(select(Agency).where(Agency.code == code))
    return make_user(roles.PENGELOLA_ASET, username=username, agency_id=agency.id)


@pytest.fixture
def officers():
    return {"BPKAD": user("pengelolaaset"), "DISPORAPAR": agency_officer("DISPORAPAR", "pora")}


def test_an_agency_officer_sees_only_files_of_the_asset_types_their_agency_manages(
    officers, login_as
):
    hall_file = make_asset_use("diteruskan_opd")  # the hall: BPKAD
    gor_file = make_asset_use("diteruskan_opd", asset_name=GOR)
    pora, bpkad = login_as("pora", "Rahasia123"), login_as("pengelolaaset")

    inbox = pora.get("/inboxview/list/").get_data(as_text=True)
    assert gor_file.registration_number in inbox
    assert hall_file.registration_number not in inbox
    everything = pora.get("/allapplicationsview/list/").get_data(as_text=True)
    assert hall_file.registration_number not in everything
    assert hall_file.registration_number in bpkad.get("/inboxview/list/").get_data(as_text=True)
    assert gor_file.registration_number not in bpkad.get("/inboxview/list/").get_data(
        as_text=True)

    document = hall_file.documents[0]
    for url in (f"/permohonan/{hall_file.id}", f"/permohonan/{hall_file.id}/cetak",
                f"/permohonan/{hall_file.id}/aksi/terbitkan_rekomendasi",
                f"/permohonan/{hall_file.id}/berkas/dokumen/{document.id}"):
        assert pora.get(url).status_code == 404, url
    refused = pora.post(f"/permohonan/{hall_file.id}/aksi/tolak", data={"alasan": "bukan"})
    assert refused.status_code == 404
    with pytest.raises(NotFound):
        apply_action(hall_file.id, "tolak", officers["DISPORAPAR"], {"alasan": "bukan"})
    assert pora.get(f"/permohonan/{gor_file.id}").status_code == 200


def test_after_recommending_the_officer_still_sees_their_agency_file(officers, login_as):
    hall_file = make_asset_use("diteruskan_opd")
    start, end = hall_file.asset_use.period_start, hall_file.asset_use.period_end
    bpkad = login_as("pengelolaaset")
    act(bpkad, hall_file.id, "terbitkan_rekomendasi", dict(recommendation_input(start, end)))
    assert bpkad.get(f"/permohonan/{hall_file.id}").status_code == 200
    assert login_as("pora", "Rahasia123").get(f"/permohonan/{hall_file.id}").status_code == 404


def test_an_officer_without_an_agency_sees_no_asset_file(login_as):
    make_user(roles.PENGELOLA_ASET, username="tanpaopd")
    hall_file = make_asset_use("diteruskan_opd")
    client = login_as("tanpaopd", "Rahasia123")
    assert hall_file.registration_number not in client.get("/inboxview/list/").get_data(
        as_text=True)
    assert client.get(f"/permohonan/{hall_file.id}").status_code == 404


def test_only_the_managing_agency_is_told_a_file_waits_for_it(officers):
    gor_file = make_asset_use("diperiksa", asset_name=GOR)
    apply_action(gor_file.id, "teruskan_dinas", user("pemeriksa"))
    told = set(db.session.scalars(select(InAppNotification.user_id).where(
        InAppNotification.application_id == gor_file.id)))
    assert officers["DISPORAPAR"].id in told
    assert officers["BPKAD"].id not in told
    numbers = set(db.session.scalars(select(OutboxMessage.recipient_user_id).where(
        OutboxMessage.application_id == gor_file.id)))
    assert officers["BPKAD"].id not in numbers
