"""A PNBP billing code that expires unpaid: the day after its expiry date the scheduled
jobs move the file to "billing expired" (the old code kept in the history), the
applicant and the land office are told, the land office issues a new SPS, and the file
goes on to its decree. A payment dated after the expiry cannot use the old code."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import office_time
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.jobs import run_due
from app.jobs.cli import _moment
from app.workflow.engine import apply_action
from models import Application, HistoryEvent, JobAction
from tests.decrees.support import sign
from tests.jobs.test_reminders import messages, waiting_for_pnbp, working_day_after
from tests.support import action_input, user


def morning(day):
    return _moment(f"{day.isoformat()}T07:00")


@pytest.fixture
def expiry():
    return working_day_after(office_time.today(), 5)


def reload(application):
    db.session.expire_all()
    return db.session.get(Application, application.id)


def test_the_day_after_the_expiry_the_file_waits_for_a_new_sps(expiry):
    application = waiting_for_pnbp(expiry)
    assert [d.job for d in run_due(morning(expiry))] == []  # the last day is still valid
    taken = run_due(morning(expiry + timedelta(days=1)))
    assert [d.job for d in taken] == ["lapsed_deadlines"]
    application = reload(application)
    assert application.status == "billing_kedaluwarsa"
    assert application.billing_expires_on is None
    event = db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application.id,
        HistoryEvent.action == "billing_kedaluwarsa"))
    assert event.actor_id is None and event.actor_role == "Sistem (tenggat)"
    assert event.data == {"tenggat": expiry.isoformat(), "kode_billing": "820260000012345"}
    told = messages("status_pemohon", application.id)[-1].body
    assert "Kode billing PNBP kedaluwarsa" in told and "SPS baru" in told
    assert any(m.recipient_user_id == user("atrbpn").id
               for m in messages("antrian_petugas", application.id))
    assert run_due(morning(expiry + timedelta(days=2))) == []  # taken once


def test_with_a_new_sps_the_file_is_paid_and_its_decree_signed(expiry):
    application = waiting_for_pnbp(expiry)
    run_due(morning(expiry + timedelta(days=1)))
    new_expiry = working_day_after(expiry, 10)
    data = action_input("terbitkan_sps")
    data["kode_billing"], data["nomor_sps"] = "820260000099999", "SPS-0013/2026"
    data["kedaluwarsa_billing"] = new_expiry.isoformat()
    apply_action(application.id, "terbitkan_ulang_sps", user("atrbpn"), MultiDict(data))
    application = reload(application)
    assert application.status == "menunggu_pembayaran"
    assert application.billing_expires_on == new_expiry
    assert [a.data["kode_billing"] for a in application.artifacts if a.kind == "sps"] == [
        "820260000012345", "820260000099999"]
    apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                 MultiDict(action_input("unggah_bukti_bayar")))
    apply_action(application.id, "konfirmasi_pembayaran", user("atrbpn"),
                 MultiDict(action_input("konfirmasi_pembayaran")))
    assert reload(application).status == "penerbitan_pertek"
    for action, username in (("terbitkan_pertek", "atrbpn"), ("terbitkan_rekomendasi", "dpupr"),
                             ("input_nomor_sk", "backoffice")):
        apply_action(application.id, action, user(username), MultiDict(action_input(action)))
    signed = sign(application.id)
    assert signed.status == "selesai" and signed.decree.is_signed


def test_a_payment_dated_after_the_expiry_is_refused(expiry):
    """Paid today with a code that expired yesterday, before the night's pass moved the
    file on."""
    application = waiting_for_pnbp(expiry)
    application.billing_expires_on = office_time.today() - timedelta(days=1)
    db.session.commit()
    data = action_input("unggah_bukti_bayar")
    with pytest.raises(InvalidInput) as refused:
        apply_action(application.id, "unggah_bukti_bayar", user("pemohon"), MultiDict(data))
    assert "kedaluwarsa" in refused.value.field_errors["tanggal_bayar"]
    assert reload(application).status == "menunggu_pembayaran"


def test_nobody_takes_the_expiry_by_hand(expiry):
    application = waiting_for_pnbp(expiry)
    for username in ("atrbpn", "admin", "pemohon"):
        with pytest.raises(NotFound):
            apply_action(application.id, "billing_kedaluwarsa", user(username), MultiDict())


def test_a_dry_run_names_the_expiry_it_would_take(expiry):
    application = waiting_for_pnbp(expiry)
    listed = run_due(morning(expiry + timedelta(days=1)), dry_run=True)
    assert [d.registration_number for d in listed] == [application.registration_number]
    assert "lewat: Kode billing PNBP kedaluwarsa" in listed[0].summary
    assert reload(application).status == "menunggu_pembayaran"



def test_a_file_that_moved_on_after_the_listing_is_left_alone_and_the_pass_goes_on(expiry):
    """The applicant uploads the proof while a pass runs: the lapse it listed before is
    not taken (nothing written), the other files' actions are."""
    paid, unpaid = waiting_for_pnbp(expiry), waiting_for_pnbp(expiry)
    moment = morning(expiry + timedelta(days=1))
    listed = run_due(moment, dry_run=True)
    assert {d.application_id for d in listed} == {paid.id, unpaid.id}
    apply_action(paid.id, "unggah_bukti_bayar", user("pemohon"),
                 MultiDict(action_input("unggah_bukti_bayar")))
    taken = run_due(moment, jobs=[lambda now: iter(listed)])
    assert [d.application_id for d in taken] == [unpaid.id]
    assert reload(paid).status == "pembayaran_pnbp"
    assert reload(unpaid).status == "billing_kedaluwarsa"
    assert db.session.scalar(select(JobAction).where(JobAction.application_id == paid.id)) \
        is None
