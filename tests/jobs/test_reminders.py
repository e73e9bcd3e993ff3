"""Reminders before a deadline, taken by `run_due` at chosen moments: the PNBP billing
(3 and 1 working days before it expires), the SKRD (before it falls due) and a permit's
validity (90 and 30 working days before it ends). Each is sent once, also when a pass
runs twice, and only while the file is still in the state the deadline belongs to."""

from datetime import datetime, time, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app import office_time
from app.extensions import db
from app.jobs import run_due
from app.jobs.cli import _moment
from app.workflow import clock
from app.workflow.engine import apply_action
from models import Application, JobAction, OutboxMessage
from tests.assets.test_skrd import recommend
from tests.decrees.support import signed_asset_use
from tests.support import action_input, make_pkkpr, user


def working_day_after(start, days):
    return clock.working_calendar().add(start, days)


def days_before(deadline, days):
    """Half past eight (WIB) on the last date `days` working days before `deadline`."""
    calendar = clock.working_calendar()
    day = deadline - timedelta(days=1)
    while calendar.days_between(day, deadline) < days:
        day -= timedelta(days=1)
    while calendar.days_between(day, deadline) > days:  # never: counted down to it
        day += timedelta(days=1)
    return _moment(datetime.combine(day, time(8, 30)).isoformat())


def messages(key, application_id=None):
    query = select(OutboxMessage).where(OutboxMessage.template_key == key)
    if application_id is not None:
        query = query.where(OutboxMessage.application_id == application_id)
    return db.session.scalars(query.order_by(OutboxMessage.id)).all()


def waiting_for_pnbp(expires_on):
    application = make_pkkpr("krk_terbit")
    data = action_input("terbitkan_sps")
    data["kedaluwarsa_billing"] = expires_on.isoformat()
    apply_action(application.id, "terbitkan_sps", user("atrbpn"), MultiDict(data))
    db.session.expire_all()
    return db.session.get(Application, application.id)


@pytest.fixture
def expiry():
    return working_day_after(office_time.today(), 10)


def test_the_billing_expiry_is_a_typed_column_set_by_the_sps(expiry):
    application = waiting_for_pnbp(expiry)
    assert application.status == "menunggu_pembayaran"
    assert application.billing_expires_on == expiry


def test_the_pnbp_reminders_go_out_three_and_one_working_days_before_once_each(expiry):
    application = waiting_for_pnbp(expiry)
    assert run_due(days_before(expiry, 4)) == []
    taken = run_due(days_before(expiry, 3))
    assert [due.registration_number for due in taken] == [application.registration_number]
    sent = messages("pengingat_pnbp", application.id)
    assert len(sent) == 1
    body = sent[0].body
    assert "Rp1.250.000" in body and "820260000012345" in body
    assert clock_date_words(expiry) in body and "3 hari kerja lagi" in body
    assert run_due(days_before(expiry, 3)) == []  # the same pass again: nothing more
    assert run_due(days_before(expiry, 2)) == []  # the 3-day reminder is taken
    assert len(run_due(days_before(expiry, 1))) == 1
    assert run_due(_moment(f"{expiry.isoformat()}T09:00")) == []  # the day itself
    assert len(messages("pengingat_pnbp", application.id)) == 2


def clock_date_words(day):
    from app.documents.formatting import tanggal

    return tanggal(day)


def test_a_pass_that_missed_days_sends_only_the_nearest_reminder(expiry):
    application = waiting_for_pnbp(expiry)
    assert len(run_due(days_before(expiry, 1))) == 1
    assert run_due(days_before(expiry, 1)) == []
    assert len(messages("pengingat_pnbp", application.id)) == 1
    assert "1 hari kerja lagi" in messages("pengingat_pnbp", application.id)[0].body


def test_no_reminder_once_the_payment_proof_is_uploaded(expiry):
    application = waiting_for_pnbp(expiry)
    apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                 MultiDict(action_input("unggah_bukti_bayar")))
    assert run_due(days_before(expiry, 1)) == []


def test_a_dry_run_lists_the_reminders_and_changes_nothing(expiry):
    application = waiting_for_pnbp(expiry)
    moment = days_before(expiry, 3)
    listed = run_due(moment, dry_run=True)
    assert len(listed) == 1 and application.registration_number in listed[0].line()
    assert "pengingat pembayaran PNBP 820260000012345 Rp1.250.000" in listed[0].line()
    assert messages("pengingat_pnbp") == []
    assert db.session.scalar(select(func.count()).select_from(JobAction)) == 0
    assert len(run_due(moment)) == 1  # the real pass still takes it


@pytest.mark.usefixtures("app")
def test_the_skrd_reminder_goes_out_before_its_due_date(login_as):
    application, skrd = recommend(login_as)
    due_on = application.payment_due_on
    assert due_on is not None and due_on.isoformat() == skrd.data["jatuh_tempo"]
    assert len(run_due(days_before(due_on, 3))) == 1
    body = messages("pengingat_retribusi", application.id)[0].body
    assert skrd.number in body and "Rp3.000.000" in body and "3 hari kerja lagi" in body


def test_the_holder_is_reminded_90_and_30_working_days_before_the_validity_ends():
    start = working_day_after(office_time.today(), 200)
    application = signed_asset_use(start=start, end=start + timedelta(days=2))
    ends = application.decree.valid_until
    assert len(run_due(days_before(ends, 90))) == 1
    assert run_due(days_before(ends, 60)) == []
    assert len(run_due(days_before(ends, 30))) == 1
    sent = messages("pengingat_masa_berlaku", application.id)
    assert [("90 hari" in m.body, "30 hari" in m.body) for m in sent] == [(True, False),
                                                                          (False, True)]
    assert application.sk_number in sent[0].body


def test_the_command_runs_a_pass_as_of_the_given_moment_and_previews_it(app, expiry):
    application = waiting_for_pnbp(expiry)
    moment = days_before(expiry, 3).replace(microsecond=0)
    wib = (moment + timedelta(hours=7)).isoformat()
    runner = CliRunner()
    preview = runner.invoke(app.cli, ["siap", "jobs", "run-due", "--now", wib, "--dry-run"],
                            catch_exceptions=False)
    assert f"[dry-run] {application.registration_number}" in preview.output
    assert "1 action(s) would be taken" in preview.output
    assert messages("pengingat_pnbp") == []
    result = runner.invoke(app.cli, ["siap", "jobs", "run-due", "--now", wib],
                           catch_exceptions=False)
    assert "1 action(s) taken" in result.output
    again = runner.invoke(app.cli, ["siap", "jobs", "run-due", "--now", wib],
                          catch_exceptions=False)
    assert "0 action(s) taken" in again.output
    assert len(messages("pengingat_pnbp")) == 1


def test_a_moment_without_a_zone_is_the_offices():
    assert _moment("2026-12-01T08:00") == datetime(2026, 12, 1, 1, 0)
    assert _moment("2026-12-01T08:00+00:00") == datetime(2026, 12, 1, 8, 0)


def test_a_permit_types_own_reminder_days_replace_the_defaults(expiry, deadline_settings):
    deadline_settings("PKKPR-NB", billing_reminder_days="5")
    application = waiting_for_pnbp(expiry)
    assert run_due(days_before(expiry, 6)) == []
    assert len(run_due(days_before(expiry, 5))) == 1
    assert run_due(days_before(expiry, 3)) == [] and run_due(days_before(expiry, 1)) == []
    assert ["5 hari kerja lagi" in m.body for m in messages("pengingat_pnbp", application.id)] \
        == [True]


def test_a_permit_types_own_validity_reminders_replace_the_defaults(deadline_settings):
    deadline_settings("ASET-GEDUNG-PERTEMUAN", validity_reminder_days="120, 10")
    start = working_day_after(office_time.today(), 200)
    application = signed_asset_use(start=start, end=start + timedelta(days=2))
    ends = application.decree.valid_until
    assert len(run_due(days_before(ends, 120))) == 1
    assert run_due(days_before(ends, 90)) == [] and run_due(days_before(ends, 30)) == []
    assert len(run_due(days_before(ends, 10))) == 1
