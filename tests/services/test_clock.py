"""The service-time clock in working days: worked examples with fixed dates."""

from datetime import date, datetime

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.workflow import clock, engine
from app.workflow.clock import WorkingCalendar
from app.workflow.engine import apply_action
from app.workflow.registry import WORKFLOWS
from models import Application, HistoryEvent, Holiday
from tests.support import make_pkkpr, user


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 11, 27), date(2026, 11, 27), 0),  # the same day
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday → Monday
        (date(2026, 11, 23), date(2026, 11, 27), 4),  # Monday → Friday
        (date(2026, 12, 23), date(2026, 12, 28), 1),  # cuti bersama 24th, Christmas 25th
        (date(2026, 3, 17), date(2026, 3, 25), 1),  # Nyepi and Idul Fitri with cuti bersama
        (date(2026, 8, 14), date(2026, 8, 18), 1),  # Independence Day on Monday 17th
    ],
)
def test_working_days_skip_weekends_national_holidays_and_collective_leave(start, end, days):
    assert WorkingCalendar().days_between(start, end) == days


def test_a_day_off_added_by_an_admin_is_not_a_working_day():
    regional = WorkingCalendar([date(2026, 12, 28)])  # e.g. Hari Jadi Kabupaten Blitar
    assert regional.days_between(date(2026, 12, 23), date(2026, 12, 28)) == 0
    assert regional.add(date(2026, 12, 23), 1) == date(2026, 12, 29)


def at(day, hour=9):
    """A stored UTC moment for `hour` o'clock WIB on `day`."""
    return datetime(2026, 11, day, hour - 7)


def test_the_clock_pauses_while_the_file_is_returned_and_every_pause_is_recorded(monkeypatch):
    application = make_pkkpr("draft")
    moments = iter([at(2), at(3), at(4), at(5), at(16), at(17)])
    monkeypatch.setattr(engine, "utcnow", lambda: next(moments))
    steps = [("ajukan", "pemohon", {}), ("terima", "frontoffice", {}),
             ("teruskan_pemeriksa", "frontoffice", {}),
             ("kembalikan", "pemeriksa", {"alasan": "KTP buram"}),
             ("ajukan", "pemohon", {}), ("terima", "frontoffice", {})]
    for action, username, data in steps:
        apply_action(application.id, action, user(username), MultiDict(data))
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    # Mon 2 → Thu 5: three days running; paused Thu 5 → Mon 16; Mon 16 → Tue 17: one.
    assert application.clock_days == 4
    reading = clock.read(application, WORKFLOWS["pkkpr_nb"], now=at(20, 15))
    assert reading.state == "running" and reading.days_used == 4 + 3
    assert reading.stage_days == 3 and reading.target == application.permit_type.service_days
    events = db.session.scalars(select(HistoryEvent).where(
        HistoryEvent.application_id == application.id).order_by(HistoryEvent.id)).all()
    actions = [e.action for e in events]
    assert actions == ["buat", "ajukan", "terima", "teruskan_pemeriksa", "kembalikan",
                       "jam_dijeda", "ajukan", "jam_dilanjutkan", "terima"]
    returned = events[actions.index("kembalikan")]
    assert returned.working_days == 1  # Wednesday → Thursday with the examiner
    assert events[actions.index("jam_dilanjutkan") - 1].working_days == 7  # with the applicant


def test_the_clock_pauses_during_payment_and_stops_when_finished(monkeypatch):
    application = make_pkkpr("krk_terbit")
    moments = iter([at(2), at(9), at(10), at(11)])
    monkeypatch.setattr(engine, "utcnow", lambda: next(moments))
    application.clock_running_since = application.submitted_at = at(2)
    db.session.commit()
    from tests.support import action_input

    apply_action(application.id, "terbitkan_sps", user("atrbpn"), action_input("terbitkan_sps"))
    reading = clock.read(db.session.get(Application, application.id), WORKFLOWS["pkkpr_nb"],
                         now=at(6))
    assert reading.state == "paused" and reading.days_used == 0
    apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                 action_input("unggah_bukti_bayar"))
    apply_action(application.id, "tolak_bukti_bayar", user("atrbpn"),
                 MultiDict({"alasan": "NTPN salah"}))
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.clock_days == 1  # Mon 9 → Tue 10 while the land office checked
    assert application.status == "menunggu_pembayaran"
    assert application.clock_running_since is None


def test_the_admin_days_off_come_from_the_database(app):
    db.session.add(Holiday(date=date(2026, 12, 28), name="Cuti bersama tambahan"))
    db.session.commit()
    with app.test_request_context():
        assert not clock.working_calendar().is_working_day(date(2026, 12, 28))


def test_the_admin_adds_a_day_off_and_a_stage_target_and_the_inbox_shows_a_late_file(
    login_as, monkeypatch
):
    from datetime import timedelta

    from models.application import utcnow

    admin = login_as("admin")
    response = admin.post("/holidayview/add", data={"date": "2026-12-28",
                                                    "name": "Cuti bersama tambahan"})
    assert response.status_code == 302
    assert db.session.scalar(select(Holiday).where(Holiday.date == date(2026, 12, 28)))
    application = make_pkkpr("diajukan")
    response = admin.post("/stagetargetview/add", data={
        "permit_type": str(application.permit_type_id), "status": "diajukan", "days": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    refused = admin.post("/stagetargetview/add", data={
        "permit_type": str(application.permit_type_id), "status": "krk_terbit_x",
        "days": "1"})
    assert refused.status_code == 200
    application.status_changed_at = utcnow() - timedelta(days=10)
    db.session.commit()
    inbox = login_as("frontoffice").get("/inboxview/list/").get_data(as_text=True)
    assert "label-danger" in inbox and "tahap terlambat" in inbox


def test_counting_by_weeks_agrees_with_counting_day_by_day():
    import random
    from datetime import timedelta

    # an extra day off on a Saturday (2026-12-26) changes nothing
    calendar = WorkingCalendar([date(2026, 12, 28), date(2025, 7, 1), date(2026, 12, 26)])
    rng = random.Random(1)
    for _ in range(500):
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1000))
        end = start + timedelta(days=rng.randint(-5, 800))
        one_by_one = sum(calendar.is_working_day(start + timedelta(days=n))
                         for n in range(1, (end - start).days + 1))
        assert calendar.days_between(start, end) == one_by_one, (start, end)
