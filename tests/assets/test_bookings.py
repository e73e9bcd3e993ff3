"""Exclusive assets: the recommendation and the signature refuse a period overlapping
another live or granted use of the same asset, naming it; a rejection or revocation
frees the period; the availability page shows the booked periods."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.errors import Conflict
from app.extensions import db
from app.services import revocation
from app.workflow.engine import apply_action
from models import Application, Artifact, NumberSequence
from tests.support import (
    HALL,
    SIGNING_PASSPHRASE,
    TODAY,
    make_asset_use,
    recommendation_input,
    user,
)

START = TODAY + timedelta(days=30)


def recommend(application, start=START, end=None):
    end = end or start + timedelta(days=2)
    return apply_action(application.id, "terbitkan_rekomendasi", user("pengelolaaset"),
                        recommendation_input(start, end))


def test_an_overlapping_recommendation_is_refused_naming_the_clash():
    first, second = make_asset_use(), make_asset_use()
    recommend(first)
    with pytest.raises(Conflict) as refused:
        recommend(second, START + timedelta(days=2), START + timedelta(days=4))
    assert first.registration_number in str(refused.value.message)
    assert "Pilih periode lain" in str(refused.value.message)
    db.session.expire_all()
    second = db.session.get(Application, second.id)
    assert second.status == "diteruskan_opd" and second.asset_use.booking is None
    assert not db.session.scalar(select(func.count(Artifact.id)).where(
        Artifact.application_id == second.id))
    skrd_counter = db.session.scalar(select(NumberSequence.last_value).where(
        NumberSequence.name == "skrd:BPKAD"))
    assert skrd_counter == 1  # only the first file's invoice took a number


def test_a_period_next_to_a_booked_one_is_free():
    first, second = make_asset_use(), make_asset_use()
    recommend(first, START, START + timedelta(days=2))
    assert recommend(second, START + timedelta(days=3)).status == "menunggu_pembayaran"


def test_a_shared_asset_may_be_used_by_several_in_the_same_period():
    road = "Ruang Serbaguna Kantor Kecamatan Srengat"
    first, second = make_asset_use(asset_name=road), make_asset_use(asset_name=road)
    first.asset_use.asset.asset_type.exclusive = False
    db.session.commit()
    recommend(first)
    assert recommend(second).asset_use.booking == "bersama"


def test_a_rejected_decree_and_a_revoked_permit_free_the_period():
    first, second, third = make_asset_use(), make_asset_use(), make_asset_use()
    recommend(first)
    set_free_file_ready_to_sign(first)
    apply_action(first.id, "tolak_ds", user("kepaladinas"),
                 MultiDict({"alasan": "Tidak layak"}))
    recommend(second)
    with pytest.raises(Conflict):
        recommend(third)
    set_free_file_ready_to_sign(second)
    apply_action(second.id, "tandatangani", user("kepaladinas"),
                 MultiDict({"passphrase": SIGNING_PASSPHRASE}))
    revocation.revoke(second.id, user("kepaladinas"), "Melanggar ketentuan")
    assert recommend(third).asset_use.booking == "eksklusif"


def set_free_file_ready_to_sign(application):
    """Pay (when a fee is due) and number a recommended file."""
    from tests.support import retribution_proof_input

    if application.status == "menunggu_pembayaran":
        apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                     retribution_proof_input())
        apply_action(application.id, "konfirmasi_pembayaran", user("pengelolaaset"),
                     MultiDict())
    apply_action(application.id, "input_nomor_sk", user("backoffice"),
                 MultiDict({"tanggal_sk": TODAY.isoformat()}))


def test_the_signature_refuses_a_period_taken_since_the_recommendation():
    """Both were recommended while the hall was shared; then it became exclusive."""
    first, second = make_asset_use(), make_asset_use()
    hall_type = first.asset_use.asset.asset_type
    hall_type.exclusive = False
    db.session.commit()
    recommend(first)
    recommend(second, START + timedelta(days=1))
    hall_type.exclusive = True
    db.session.commit()
    for application in (first, second):
        set_free_file_ready_to_sign(application)
    apply_action(first.id, "tandatangani", user("kepaladinas"),
                 MultiDict({"passphrase": SIGNING_PASSPHRASE}))
    with pytest.raises(Conflict) as refused:
        apply_action(second.id, "tandatangani", user("kepaladinas"),
                     MultiDict({"passphrase": SIGNING_PASSPHRASE}))
    assert first.registration_number in str(refused.value.message)
    db.session.expire_all()
    second = db.session.get(Application, second.id)
    assert second.status == "siap_ds" and second.decree.stored_name is None
    assert db.session.get(Application, first.id).asset_use.booking == "eksklusif"


def test_the_availability_page_shows_booked_periods_to_applicants_and_files_to_staff(
    login_as
):
    booked = make_asset_use()
    recommend(booked, START, START + timedelta(days=2))
    make_asset_use()  # not recommended yet: it books nothing
    hall_id = booked.asset_use.asset_id
    applicant_page = login_as("pemohon").get(f"/aset/{hall_id}").get_data(as_text=True)
    assert HALL in applicant_page and "Eksklusif" in applicant_page
    assert applicant_page.count("Direkomendasikan, sedang diproses") == 1
    assert booked.registration_number not in applicant_page
    staff_page = login_as("frontoffice").get(f"/aset/{hall_id}").get_data(as_text=True)
    assert booked.registration_number in staff_page
    assert login_as("pemohon").get("/aset/999999").status_code == 404


def test_the_availability_page_needs_a_login(client):
    assert client.get("/aset/1").status_code == 302
