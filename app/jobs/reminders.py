"""Reminders before a deadline: the PNBP billing and the SKRD to pay, the correction of
a file returned to its applicant, and a permit's validity ending. Thresholds are
working days on the service clock's calendar, each permit type's deadline settings
(app/workflow/deadline_settings.py); a threshold may be derived from the deadline's
period ("50%": half-time, for the correction).

A reminder is due once the deadline is at most that many working days away (and not
past): a pass that did not run on the day itself still reminds, and when several
thresholds have been reached only the nearest is sent (the key names the threshold
and the deadline, so a new deadline starts the reminders afresh)."""

from dataclasses import dataclass
from datetime import timedelta
from fnmatch import fnmatch

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.documents.formatting import rupiah_text, tanggal
from app.extensions import db
from app.jobs.base import Due
from app.notifications.outbox import queue_for_applicant
from app.workflow import clock, correction
from app.workflow.deadline_settings import farthest_reminder, reminder_days
from app.workflow.registry import all_workflows, files_of
from models import Application, Decree
from models.decree import DecreeStatus


@dataclass(frozen=True)
class PaymentDeadline:
    """What a reminder to pay says: the number and amount of the artifact to pay."""

    setting: str  # app/workflow/deadline_settings.py
    message: str
    artifacts: tuple  # patterns of the kinds of artifact to pay (fnmatch), latest first
    code_field: str | None  # in the artifact's data; None: the artifact's number
    what: str  # for the summary

    def values(self, application):
        artifact = next((a for a in reversed(application.artifacts)
                         if any(fnmatch(a.kind, kind) for kind in self.artifacts)), None)
        data = (artifact.data if artifact else None) or {}
        code = data.get(self.code_field) if self.code_field else \
            (artifact.number if artifact else None)
        return {"jumlah": rupiah_text(data.get("jumlah")), "kode": code or "-"}

    def summary(self, values):
        return f"{self.what} {values['kode']} {values['jumlah']}"


@dataclass(frozen=True)
class CorrectionDeadline:
    """What a reminder to correct says: why the file was returned."""

    setting: str = "correction_reminder_days"
    message: str = "pengingat_perbaikan"

    def values(self, application):
        return {"alasan": correction.return_reason(application) or "-"}

    def summary(self, values):
        return "pengingat perbaikan berkas"


# A deadline column of the application (Workflow.deadline_states) → its reminders.
DEADLINE_REMINDERS = {
    "billing_expires_on": PaymentDeadline("billing_reminder_days", "pengingat_pnbp", ("sps",),
                                          "kode_billing", "pengingat pembayaran PNBP"),
    # An asset use's SKRD, or the invoice of a configured process's fee step (tagihan_…).
    "payment_due_on": PaymentDeadline("skrd_reminder_days", "pengingat_retribusi",
                                      ("skrd", "tagihan_*"), None,
                                      "pengingat pembayaran retribusi (SKRD)"),
    correction.COLUMN: CorrectionDeadline(),
}


def _threshold(days_left, thresholds):
    """The nearest threshold reached, or None while none is (or the day is past)."""
    reached = [t for t in thresholds if 0 < days_left <= t]
    return min(reached) if reached else None


def _horizon(today, farthest):
    """A calendar date past which no threshold can be reached (working days are fewer
    than calendar days: twice as many, plus a fortnight of holidays); None: no bound."""
    return None if farthest is None else today + timedelta(days=2 * farthest + 14)


def deadline_reminders(now):
    """The applicant is reminded to pay before the billing code expires (PKKPR) or the
    SKRD falls due (asset use), and to correct a returned file before its deadline."""
    today = clock.office_date(now)
    calendar = clock.working_calendar()
    for workflow in all_workflows():
        for column, states in workflow.deadline_states.items():
            reminder = DEADLINE_REMINDERS.get(column)
            if reminder is None:
                continue
            due_column = getattr(Application, column)
            horizon = _horizon(today, farthest_reminder(reminder.setting))
            files = db.session.scalars(
                select(Application)
                .where(files_of(workflow), Application.status.in_([s.value for s in states]),
                       due_column > today,
                       *([due_column <= horizon] if horizon is not None else []))
                .options(joinedload(Application.permit_type))
                .order_by(due_column, Application.id))
            for application in files:
                due_on = getattr(application, column)
                days_left = calendar.days_between(today, due_on)
                # The deadline's period: from the day the file entered the state.
                period = calendar.days_between(
                    clock.office_date(application.status_changed_at), due_on)
                threshold = _threshold(days_left, reminder_days(
                    application.permit_type, reminder.setting, period))
                if threshold is not None:
                    yield _reminder(application, column, reminder, due_on, days_left,
                                    threshold)


def _reminder(application, column, reminder, due_on, days_left, threshold):
    values = {**reminder.values(application), "batas": tanggal(due_on), "sisa": days_left}

    def act():
        queue_for_applicant(application, reminder.message, values)

    return Due(
        job="deadline_reminders",
        key=f"{column}:{application.id}:{due_on.isoformat()}:{threshold}",
        summary=f"{reminder.summary(values)}, batas {values['batas']} "
                f"({days_left} hari kerja lagi)",
        act=act, application_id=application.id,
        registration_number=application.registration_number)


def validity_reminders(now):
    """The holder of a permit in force is reminded before its validity ends."""
    today = clock.office_date(now)
    calendar = clock.working_calendar()
    horizon = _horizon(today, farthest_reminder("validity_reminder_days"))
    decrees = db.session.scalars(
        select(Decree)
        .where(Decree.status == DecreeStatus.BERLAKU.value, Decree.signed_at.is_not(None),
               Decree.valid_until > today, Decree.valid_until <= horizon)
        .options(joinedload(Decree.application).joinedload(Application.permit_type))
        .order_by(Decree.valid_until, Decree.id))
    for decree in decrees:
        application = decree.application
        days_left = calendar.days_between(today, decree.valid_until)
        threshold = _threshold(days_left, reminder_days(application.permit_type,
                                                        "validity_reminder_days"))
        if threshold is None:
            continue
        values = {"nomor_sk": application.sk_number, "batas": tanggal(decree.valid_until),
                  "sisa": days_left}
        yield Due(
            job="validity_reminders",
            key=f"valid_until:{decree.id}:{decree.valid_until.isoformat()}:{threshold}",
            summary=f"pengingat masa berlaku SK {application.sk_number}, berlaku sampai "
                    f"{values['batas']} ({days_left} hari kerja lagi)",
            act=lambda application=application, values=values: queue_for_applicant(
                application, "pengingat_masa_berlaku", values),
            application_id=application.id,
            registration_number=application.registration_number)
