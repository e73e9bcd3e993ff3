"""The service-time clock, counted in working days.

A working day is Monday to Friday, except Indonesia's national holidays and collective
leave (the `holidays` package) and the days an admin adds (cuti bersama it does not know
yet, regional days). Dates are the office's (WIB).

Counting: a stretch from moment A to moment B uses the working days after A's date up to
and including B's date — a file received on Friday and moved on Monday used one day; one
moved on the day it arrived used none.

The clock starts when a file is submitted, pauses while the file waits on the applicant
(correction, payment) and stops at a final status. Each transition closes the stretch of
the status it leaves: the engine stores the days on the history event, adds them to the
file's clock when the clock was running, and records every pause and resume."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import holidays
from sqlalchemy import select

from app.office_time import OFFICE_TIME_ZONE, office_date, today  # noqa: F401 (re-exported)
from app.process_cache import kept
from models import Holiday, StageTarget
from models.application import utcnow


@lru_cache(maxsize=64)
def national_days_off(year):
    calendar = holidays.Indonesia(years=year, categories=("public", "government"))
    return frozenset(calendar.keys())


class WorkingCalendar:
    def __init__(self, extra_days_off=()):
        self.extra_days_off = frozenset(extra_days_off)
        self._weekday_days_off = {}  # year → sorted weekday days off (national and extra)

    def is_working_day(self, day):
        return (day.weekday() < 5 and day not in national_days_off(day.year)
                and day not in self.extra_days_off)

    def _days_off_in(self, year):
        if year not in self._weekday_days_off:
            self._weekday_days_off[year] = sorted(
                day for day in national_days_off(year) | self.extra_days_off
                if day.year == year and day.weekday() < 5)
        return self._weekday_days_off[year]

    def days_between(self, start, end):
        """Working days after `start` up to and including `end` (dates): the weekdays,
        counted by whole weeks, less the weekday days off in between."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum(
            (start + timedelta(days=weeks * 7 + offset)).weekday() < 5
            for offset in range(1, rest + 1)
        )
        days_off = 0
        for year in range(start.year, end.year + 1):
            days = self._days_off_in(year)
            days_off += bisect_right(days, end) - bisect_right(days, start)
        return weekdays - days_off

    def elapsed(self, since, until):
        """Working days from one stored moment to another."""
        return self.days_between(office_date(since), office_date(until))

    def add(self, start, days):
        """The date `days` working days after `start`."""
        day = start
        while days > 0:
            day += timedelta(days=1)
            days -= self.is_working_day(day)
        return day


def _admins_days_off(reader):
    return frozenset(reader.scalars(select(Holiday.date)))


def working_calendar():
    """The calendar with the admin's days off (kept per process in a request)."""
    return WorkingCalendar(kept("days_off", _admins_days_off))


# --- the clock of a file ------------------------------------------------------------


def runs_in(workflow, status):
    state = workflow.states(status)
    return (state != workflow.initial and state not in workflow.terminal
            and state not in workflow.paused_states)


def advance(application, workflow, target, now):
    """Close the stretch of the current status; return (working days it took, the pause
    event to record or None). Called by the engine before the status changes."""
    calendar = working_calendar()
    spent = calendar.elapsed(application.status_changed_at, now)
    if application.clock_running_since is not None:
        application.clock_days = (application.clock_days or 0) + calendar.elapsed(
            application.clock_running_since, now)
    running = runs_in(workflow, target)
    application.clock_running_since = now if running else None
    # A final status stops the clock; a closed file reopened (Transition.reopens) is
    # open again.
    application.finished_at = now if target in workflow.terminal else None
    was_paused = workflow.states(application.status) in workflow.paused_states
    if target in workflow.paused_states and not was_paused:
        return spent, "jam_dijeda"
    if was_paused and running:
        return spent, "jam_dilanjutkan"
    return spent, None


@dataclass(frozen=True)
class ClockReading:
    days_used: int
    target: int | None  # the permit type's service standard
    stage_days: int  # in the current status
    stage_target: int | None
    state: str  # running, paused, stopped, not_started

    @property
    def over_target(self):
        return self.target is not None and self.days_used > self.target

    @property
    def over_stage_target(self):
        return self.stage_target is not None and self.stage_days > self.stage_target

    @property
    def late(self):
        return self.over_target or self.over_stage_target

    @property
    def days_past_stage(self):
        """Working days past the stage target (0 within it)."""
        return self.stage_days - self.stage_target if self.over_stage_target else 0

    @property
    def days_past_standard(self):
        """Working days past the permit type's service standard (0 within it)."""
        return self.days_used - self.target if self.over_target else 0

    @property
    def days_late(self):
        """Working days past whichever target is passed furthest (0 when on time)."""
        return max(self.days_past_stage, self.days_past_standard)


def _stage_targets(reader):
    return {(permit_type_id, status): days for permit_type_id, status, days in reader.execute(
        select(StageTarget.permit_type_id, StageTarget.status, StageTarget.days))}


def stage_targets():
    """{(permit type id, status): days} (kept per process in a request)."""
    return kept("stage_targets", _stage_targets)


def read(application, workflow, now=None, calendar=None, targets=None):
    """The file's clock at `now`. A pass over many files outside a request (the scheduled
    jobs) gives the calendar and the stage targets it read once: nothing caches them
    there."""
    now = now or utcnow()
    calendar = calendar or working_calendar()
    targets = stage_targets() if targets is None else targets
    used = application.clock_days or 0
    if application.clock_running_since is not None:
        used += calendar.elapsed(application.clock_running_since, now)
        state = "running"
    elif application.submitted_at is None:
        state = "not_started"
    elif workflow.states(application.status) in workflow.terminal:
        state = "stopped"
    else:
        state = "paused"
    stopped = state in ("stopped", "not_started")
    return ClockReading(
        days_used=used,
        target=application.permit_type.service_days,
        stage_days=0 if stopped else calendar.elapsed(application.status_changed_at, now),
        stage_target=None if stopped else targets.get(
            (application.permit_type_id, application.status)),
        state=state,
    )


def due_date(application, reading):
    """The date the service standard runs out, when the clock runs."""
    if reading.state != "running" or reading.target is None:
        return None
    return working_calendar().add(today(), max(reading.target - reading.days_used, 0))

