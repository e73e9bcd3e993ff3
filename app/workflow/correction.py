"""The correction deadline: a file returned to its applicant (perlu_perbaikan) must be
corrected and submitted again within the permit type's correction period; reminders go
out before it (app/jobs/reminders.py); the day after it the file lapses (app/jobs/
deadlines.py: `perbaikan_lewat_tempo` → gugur_perbaikan, final). Within the reopening
window after the lapse the front office may reopen it with a reason (`buka_kembali`),
with a new correction period. All days are working days on the service clock's
calendar; the numbers are the permit type's deadline settings."""

from datetime import date

from flask_babel import lazy_gettext as _l

from app.documents.formatting import tanggal
from app.errors import InvalidInput
from app.workflow import clock
from app.workflow.deadline_settings import setting

COLUMN = "correction_due_on"
RETURN_ACTION = "kembalikan"
LAPSE_ACTION = "perbaikan_lewat_tempo"
REOPEN_ACTION = "buka_kembali"


# --- effects and the guard of the workflow's actions ---------------------------------


def set_deadline(ctx):
    """Effect of returning a file for correction (and of reopening a lapsed one): the
    applicant has the permit type's correction period from today; the history keeps the
    date."""
    application = ctx.application
    days = setting(application.permit_type, "correction_days")
    due = clock.working_calendar().add(clock.office_date(ctx.now), days)
    application.correction_due_on = due
    ctx.event_data["batas_perbaikan"] = due.isoformat()


def clear_deadline(ctx):
    """Effect of submitting again (and of withdrawing): no correction is awaited."""
    ctx.application.correction_due_on = None


def reopen_until(application):
    """The last day a lapsed file may be reopened: the permit type's reopening window,
    counted from the day it lapsed (it has not moved since)."""
    lapsed_on = clock.office_date(application.status_changed_at)
    days = setting(application.permit_type, "reopen_days")
    return clock.working_calendar().add(lapsed_on, days)


def within_reopening_window(ctx):
    """Guard of `buka_kembali`: after the window the applicant applies again."""
    application = ctx.application
    last_day = reopen_until(application)
    if clock.office_date(ctx.now) > last_day:
        raise InvalidInput(message=_l(
            "This file lapsed on %(lapsed)s and could be reopened until %(last)s "
            "(%(days)s working days). It can no longer be reopened: the applicant must "
            "submit a new application.",
            lapsed=tanggal(clock.office_date(application.status_changed_at)),
            last=tanggal(last_day),
            days=setting(application.permit_type, "reopen_days")))


# --- what the applicant is told -------------------------------------------------------


def return_reason(application):
    """Why the file was last returned for correction (the officer's reason), or None."""
    returned = [e for e in application.events if e.action == RETURN_ACTION]
    return returned[-1].comment if returned else None


def lapsed_deadline(application):
    """The correction deadline the file missed (kept in the lapse's history), or None."""
    lapses = [e for e in application.events if e.action == LAPSE_ACTION]
    text = (lapses[-1].data or {}).get("tenggat") if lapses else None
    return date.fromisoformat(text) if text else None


def correction_step(application):
    """The next step of a file waiting for its correction, with the deadline."""
    if application.correction_due_on is None:
        return _l("Correct the data or upload again the documents marked rejected, then "
                  "submit again.")
    return _l("Correct the data or upload again the documents marked rejected, then submit "
              "again by %(deadline)s; otherwise the application lapses.",
              deadline=tanggal(application.correction_due_on))


def lapsed_step(application):
    """The next step of a file that lapsed uncorrected: why, and until when it may be
    reopened."""
    return _l("The application was not corrected by %(deadline)s and has lapsed. If you "
              "still need the permit, ask the DPMPTSP front office to reopen it by "
              "%(until)s; after that date, submit a new application.",
              deadline=tanggal(lapsed_deadline(application)),
              until=tanggal(reopen_until(application)))
