"""Reminders before a deadline: the PNBP billing and the SKRD to pay, and a permit's
validity ending. Thresholds are working days on the service clock's calendar
(config: BILLING_REMINDER_DAYS, SKRD_REMINDER_DAYS, VALIDITY_REMINDER_DAYS).

A reminder is due once the deadline is at most that many working days away (and not
past): a pass that did not run on the day itself still reminds, and when several
thresholds have been reached only the nearest is sent (the key names the threshold
and the deadline, so a new deadline starts the reminders afresh)."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.documents.formatting import rupiah_text, tanggal
from app.extensions import db
from app.jobs.base import Due
from app.notifications.outbox import queue_for_applicant
from app.services import clock
from app.workflow.registry import WORKFLOWS
from models import Application, Decree
from models.decree import DecreeStatus


@dataclass(frozen=True)
class PaymentDeadline:
    """A deadline column, the setting with its thresholds, the message, and the
    artifact whose number and amount the message gives."""

    setting: str
    message: str
    artifact: str
    code_field: str | None  # in the artifact's data; None: the artifact's number
    what: str  # for the summary


PAYMENT_DEADLINES = {
    "billing_expires_on": PaymentDeadline("BILLING_REMINDER_DAYS", "pengingat_pnbp", "sps",
                                          "kode_billing", "pengingat pembayaran PNBP"),
    "payment_due_on": PaymentDeadline("SKRD_REMINDER_DAYS", "pengingat_retribusi", "skrd",
                                      None, "pengingat pembayaran retribusi (SKRD)"),
}


def _threshold(days_left, thresholds):
    """The nearest threshold reached, or None while none is (or the day is past)."""
    reached = [t for t in thresholds if 0 < days_left <= t]
    return min(reached) if reached else None


def _horizon(today, thresholds):
    """A calendar date past which no threshold can be reached (working days are fewer
    than calendar days: twice as many, plus a fortnight of holidays)."""
    return today + timedelta(days=2 * max(thresholds) + 14)


def _artifact(application, kind):
    return next((a for a in reversed(application.artifacts) if a.kind == kind), None)


def payment_reminders(now):
    """The applicant is reminded to pay before the billing code expires (PKKPR) or the
    SKRD falls due (asset use)."""
    today = clock.office_date(now)
    calendar = clock.working_calendar()
    for workflow in WORKFLOWS.values():
        for column, state in workflow.deadline_states.items():
            deadline = PAYMENT_DEADLINES.get(column)
            if deadline is None:
                continue
            thresholds = current_app.config[deadline.setting]
            due_column = getattr(Application, column)
            files = db.session.scalars(
                select(Application)
                .where(Application.kind == workflow.kind, Application.status == state.value,
                       due_column > today, due_column <= _horizon(today, thresholds))
                .options(joinedload(Application.permit_type))
                .order_by(due_column, Application.id))
            for application in files:
                due_on = getattr(application, column)
                days_left = calendar.days_between(today, due_on)
                threshold = _threshold(days_left, thresholds)
                if threshold is not None:
                    yield _payment_reminder(application, column, deadline, due_on, days_left,
                                            threshold)


def _payment_reminder(application, column, deadline, due_on, days_left, threshold):
    artifact = _artifact(application, deadline.artifact)
    data = (artifact.data if artifact else None) or {}
    code = data.get(deadline.code_field) if deadline.code_field else \
        (artifact.number if artifact else None)
    values = {"jumlah": rupiah_text(data.get("jumlah")), "kode": code or "-",
              "batas": tanggal(due_on), "sisa": days_left}

    def act():
        queue_for_applicant(application, deadline.message, values)

    return Due(
        job="payment_reminders",
        key=f"{column}:{application.id}:{due_on.isoformat()}:{threshold}",
        summary=f"{deadline.what} {values['kode']} {values['jumlah']}, batas {values['batas']} "
                f"({days_left} hari kerja lagi)",
        act=act, application_id=application.id,
        registration_number=application.registration_number)


def validity_reminders(now):
    """The holder of a permit in force is reminded before its validity ends."""
    today = clock.office_date(now)
    calendar = clock.working_calendar()
    thresholds = current_app.config["VALIDITY_REMINDER_DAYS"]
    decrees = db.session.scalars(
        select(Decree)
        .where(Decree.status == DecreeStatus.BERLAKU.value, Decree.signed_at.is_not(None),
               Decree.valid_until > today, Decree.valid_until <= _horizon(today, thresholds))
        .options(joinedload(Decree.application).joinedload(Application.permit_type))
        .order_by(Decree.valid_until, Decree.id))
    for decree in decrees:
        days_left = calendar.days_between(today, decree.valid_until)
        threshold = _threshold(days_left, thresholds)
        if threshold is None:
            continue
        application = decree.application
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
