"""The correction deadline: a file returned to its applicant must be corrected within 14
working days; the applicant is reminded at half-time and 2 working days before; the day
after the deadline the file lapses (gugur, final) and the applicant is told; within 30
working days the front office may reopen it with a reason, with a new deadline. Every
number is the permit type's deadline setting."""

from datetime import timedelta
from enum import StrEnum

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.documents.formatting import tanggal
from app.errors import InvalidInput, NotFound, SiapError
from app.extensions import db
from app.jobs import run_due
from app.jobs.deadlines import _lapse_of
from app.workflow import clock, engine
from app.workflow.definition import Transition, Workflow
from app.workflow.engine import apply_action
from models import HistoryEvent, JobAction
from tests.jobs.test_billing_expiry import morning, reload
from tests.jobs.test_reminders import days_before, messages, working_day_after
from tests.jobs.test_skrd_lapse import recommend_the_same_period
from tests.support import TODAY, action_input, make_asset_use, make_pkkpr, user

pytestmark = pytest.mark.usefixtures("app")

REASON = "Sertifikat tanah tidak terbaca"
REOPENING = "Pemohon dirawat di rumah sakit selama masa perbaikan"


def returned(application, reason=REASON):
    """The front office returns the file for correction (as the engine does it)."""
    apply_action(application.id, "kembalikan", user("frontoffice"),
                 MultiDict({"alasan": reason}))
    return reload(application)


def returned_pkkpr():
    return returned(make_pkkpr("diterima_fo"))


def returned_on(application):
    return clock.office_date(application.status_changed_at)


def history(application, action):
    return db.session.scalars(select(HistoryEvent).where(
        HistoryEvent.application_id == application.id, HistoryEvent.action == action)
        .order_by(HistoryEvent.id)).all()


@pytest.fixture
def acting_at(monkeypatch):
    """Officers act at a chosen moment (the engine's clock)."""

    def at(moment):
        monkeypatch.setattr(engine, "utcnow", lambda: moment)

    return at


def reopen(application, reason=REOPENING):
    apply_action(application.id, "buka_kembali", user("frontoffice"),
                 MultiDict({"alasan": reason}))
    return reload(application)


def lapsed(application):
    """Run the pass the day after the file's deadline: it lapses."""
    run_due(morning(application.correction_due_on + timedelta(days=1)))
    return reload(application)


def test_a_return_sets_the_deadline_the_applicant_is_told_and_a_resubmission_clears_it():
    application = returned_pkkpr()
    due = working_day_after(returned_on(application), 14)
    assert application.status == "perlu_perbaikan" and application.correction_due_on == due
    assert history(application, "kembalikan")[0].data == {"batas_perbaikan": due.isoformat()}
    told = messages("status_pemohon", application.id)[-1].body
    assert "Perlu Perbaikan" in told and f"paling lambat {tanggal(due)}" in told
    apply_action(application.id, "ajukan", user("pemohon"), MultiDict())
    application = reload(application)
    assert application.status == "diajukan" and application.correction_due_on is None
    assert run_due(morning(due + timedelta(days=1))) == []


def test_the_applicant_is_reminded_at_half_time_and_two_days_before_each_once():
    application = returned_pkkpr()
    due = application.correction_due_on
    assert run_due(days_before(due, 8)) == []
    half_time = run_due(days_before(due, 7))
    assert [d.registration_number for d in half_time] == [application.registration_number]
    sent = messages("pengingat_perbaikan", application.id)
    assert len(sent) == 1
    body = sent[0].body
    assert REASON in body and tanggal(due) in body and "7 hari kerja lagi" in body
    assert f"/permohonan/{application.id}" in body
    assert run_due(days_before(due, 7)) == []  # the same pass again: nothing more
    assert run_due(days_before(due, 3)) == []  # the half-time reminder is taken
    assert len(run_due(days_before(due, 2))) == 1
    assert run_due(days_before(due, 2)) == []
    assert run_due(days_before(due, 1)) == []
    assert run_due(morning(due)) == []  # the last day: no lapse yet, no reminder
    sent = messages("pengingat_perbaikan", application.id)
    assert ["2 hari kerja lagi" in m.body for m in sent] == [False, True]
    assert reload(application).status == "perlu_perbaikan"


def test_the_day_after_the_deadline_the_file_lapses_and_the_applicant_is_told():
    application = returned_pkkpr()
    due = application.correction_due_on
    taken = run_due(morning(due + timedelta(days=1)))
    assert [d.job for d in taken] == ["lapsed_deadlines"]
    application = reload(application)
    assert application.status == "gugur_perbaikan" and application.correction_due_on is None
    assert application.finished_at is not None  # closed: the clock stopped
    event = history(application, "perbaikan_lewat_tempo")[0]
    assert event.actor_id is None and event.actor_role == "Sistem (tenggat)"
    assert event.data == {"tenggat": due.isoformat()}
    told = messages("status_pemohon", application.id)[-1].body
    reopen_until = working_day_after(clock.office_date(application.status_changed_at), 30)
    assert "Gugur: tidak diperbaiki" in told and f"sampai {tanggal(due)}" in told
    assert f"paling lambat {tanggal(reopen_until)}" in told
    assert run_due(morning(due + timedelta(days=2))) == []  # taken once
    with pytest.raises(NotFound):  # nobody lapses a file by hand
        apply_action(application.id, "perbaikan_lewat_tempo", user("frontoffice"),
                     MultiDict())


def test_an_asset_use_file_lapses_too_and_a_booking_it_holds_is_released():
    """A booking is made at the recommendation, after the last return; should a file
    hold one all the same, its lapse frees the period for another applicant."""
    start = TODAY + timedelta(days=60)
    application = returned(make_asset_use("diterima_fo", start=start,
                                          end=start + timedelta(days=1),
                                          booking="eksklusif", fee=3000000))
    due = application.correction_due_on
    assert due == working_day_after(returned_on(application), 14)
    application = lapsed(application)
    assert application.status == "gugur_perbaikan" and application.asset_use.booking is None
    event = history(application, "perbaikan_lewat_tempo")[0]
    assert event.data["tenggat"] == due.isoformat()
    assert event.data["pemesanan_dilepas"]["mulai"] == start.isoformat()
    assert "Gugur: tidak diperbaiki" in messages("status_pemohon", application.id)[-1].body
    assert recommend_the_same_period(application).status == "menunggu_pembayaran"


def test_the_front_office_reopens_a_lapsed_file_with_a_reason_within_the_window(acting_at):
    application = lapsed(returned_pkkpr())
    last_day = working_day_after(clock.office_date(application.status_changed_at), 30)
    acting_at(morning(last_day))
    with pytest.raises(InvalidInput) as no_reason:
        reopen(application, reason="")
    assert "alasan" in no_reason.value.field_errors
    application = reopen(application)
    new_due = working_day_after(last_day, 14)
    assert application.status == "perlu_perbaikan" and application.correction_due_on == new_due
    assert application.finished_at is None  # open again
    event = history(application, "buka_kembali")[0]
    assert event.comment == REOPENING and event.data == {"batas_perbaikan": new_due.isoformat()}
    assert event.actor_id == user("frontoffice").id
    told = messages("status_pemohon", application.id)[-1].body
    assert "Perlu Perbaikan" in told and f"paling lambat {tanggal(new_due)}" in told
    # The reminders follow the new deadline; the reason is still the return's.
    assert len(run_due(days_before(new_due, 7))) == 1
    assert REASON in messages("pengingat_perbaikan", application.id)[-1].body


def test_after_the_window_the_file_can_no_longer_be_reopened(acting_at):
    application = lapsed(returned_pkkpr())
    lapsed_on = clock.office_date(application.status_changed_at)
    last_day = working_day_after(lapsed_on, 30)
    acting_at(morning(last_day + timedelta(days=1)))
    with pytest.raises(InvalidInput) as refused:
        reopen(application)
    message = str(refused.value.message)
    assert "tidak dapat dibuka kembali" in message and tanggal(last_day) in message
    assert tanggal(lapsed_on) in message
    assert reload(application).status == "gugur_perbaikan"


def test_the_applicant_and_other_officers_cannot_reopen():
    application = lapsed(returned_pkkpr())
    for username in ("pemohon", "pemeriksa", "admin"):
        with pytest.raises(SiapError):
            apply_action(application.id, "buka_kembali", user(username),
                         action_input("buka_kembali"))
    assert reload(application).status == "gugur_perbaikan"


def test_a_withdrawn_file_waits_for_no_correction():
    application = returned_pkkpr()
    due = application.correction_due_on
    apply_action(application.id, "tarik_permohonan", user("pemohon"),
                 action_input("tarik_permohonan"))
    application = reload(application)
    assert application.status == "ditarik" and application.correction_due_on is None
    assert run_due(days_before(due, 2)) == [] and run_due(morning(due + timedelta(days=1))) == []


def test_the_permit_types_settings_change_the_numbers(acting_at, deadline_settings):
    deadline_settings("PKKPR-NB", correction_days=5, correction_reminder_days="1",
                      reopen_days=2)
    application = returned_pkkpr()
    due = application.correction_due_on
    assert due == working_day_after(returned_on(application), 5)
    assert run_due(days_before(due, 2)) == []  # neither half-time nor 2 days before
    assert len(run_due(days_before(due, 1))) == 1
    application = lapsed(application)
    last_day = working_day_after(clock.office_date(application.status_changed_at), 2)
    acting_at(morning(last_day + timedelta(days=1)))
    with pytest.raises(InvalidInput):
        reopen(application)
    acting_at(morning(last_day))
    assert reopen(application).correction_due_on == working_day_after(last_day, 5)


def test_a_dry_run_lists_the_reminder_and_the_lapse_and_changes_nothing():
    application = returned_pkkpr()
    due = application.correction_due_on
    reminder = run_due(days_before(due, 7), dry_run=True)
    assert len(reminder) == 1 and application.registration_number in reminder[0].line()
    assert f"pengingat perbaikan berkas, batas {tanggal(due)}" in reminder[0].summary
    lapse = run_due(morning(due + timedelta(days=1)), dry_run=True)
    assert [d.summary for d in lapse] == [
        f"tenggat {tanggal(due)} lewat: Tidak diperbaiki sampai batas waktu"]
    application = reload(application)
    assert application.status == "perlu_perbaikan" and application.correction_due_on == due
    assert messages("pengingat_perbaikan") == []
    assert db.session.scalar(select(func.count()).select_from(JobAction)) == 0


class Two(StrEnum):
    A = "a"
    B = "b"
    C = "c"
    D = "d"


def test_each_deadline_of_a_state_lapses_by_its_own_transition():
    flow = Workflow(
        kind="two", states=Two, initial=Two.A, terminal=frozenset({Two.C, Two.D}),
        state_labels={s: s.value for s in Two},
        deadline_states={"first_due_on": Two.B, "second_due_on": Two.B},
        transitions=(Transition("go", (Two.A,), Two.B, "go"),
                     Transition("first", (Two.B,), Two.C, "1", by_system=True,
                                deadline="first_due_on"),
                     Transition("second", (Two.B,), Two.D, "2", by_system=True,
                                deadline="second_due_on")))
    assert _lapse_of(flow, "first_due_on", Two.B).action == "first"
    assert _lapse_of(flow, "second_due_on", Two.B).action == "second"
