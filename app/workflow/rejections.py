"""Rejections after submission: the effect that records one (with the rejection letter's
number) when a file goes to `ditolak`, and the facts the rejection letter states.

The effect is part of the rejecting transitions (tolak, tolak_ds) of every workflow, so it
runs in their transaction: a rejection that fails leaves neither a status, nor a number,
nor a letter. The letter is opened unsigned there; whoever holds the signature signs it
later (app/services/issued_signing.py)."""

from dataclasses import dataclass
from datetime import date, datetime

from app.workflow import clock
from app.workflow.issued_documents import open_document
from app.workflow.numbering import take_register_number
from models import Register, Rejection


def record_rejection(ctx):
    """Effect: number the rejection letter and record the refusal. A file refused at
    signature keeps its SK number, which the register shows as cancelled."""
    application = ctx.application
    rejection = Rejection(
        application=application, action=ctx.transition.action,
        from_status=application.status, reasons=ctx.form.alasan.data.strip(),
        rejected_by_id=ctx.actor.id, rejected_by_role=ctx.role, rejected_at=ctx.now,
        cancelled_sk_number=application.sk_number,
        number=take_register_number(Register.SURAT_PENOLAKAN, application,
                                    clock.office_date(ctx.now)),
    )
    ctx.session.add(rejection)
    open_document(Register.SURAT_PENOLAKAN, application, rejection.number)
    ctx.event_data["rejection_number"] = rejection.number


@dataclass(frozen=True)
class RejectionFacts:
    """What the rejection letter states, for its template."""

    number: str
    dated: date  # the office date of the rejection
    reasons: str
    at_signature: bool  # refused by the head of office instead of signing
    from_status: str  # the stage it was refused at (a status code of its workflow)
    rejected_by: str  # the officer's name
    rejected_by_role: str | None
    cancelled_sk_number: str | None
    permit_type: str
    workflow_kind: str  # pkkpr_nb or aset: the letter cites its own legal bases
    agency: str | None  # the agency managing the asset, for an asset use
    registration_number: str
    submitted_on: date | None
    applicant_name: str
    applicant_address: str
    organisation_name: str | None  # when the applicant acted for an organisation


def rejection_facts(rejection):
    application = rejection.application
    submitted = application.submitted_at
    return RejectionFacts(
        number=rejection.number,
        dated=clock.office_date(rejection.rejected_at),
        reasons=rejection.reasons,
        at_signature=rejection.action == "tolak_ds",
        from_status=rejection.from_status,
        rejected_by=rejection.rejected_by.full_name,
        rejected_by_role=rejection.rejected_by_role,
        cancelled_sk_number=rejection.cancelled_sk_number,
        permit_type=application.permit_type.name,
        workflow_kind=application.kind,
        agency=application.permit_type.agency.name if application.permit_type.agency
        else None,
        registration_number=application.registration_number,
        submitted_on=clock.office_date(submitted) if isinstance(submitted, datetime) else None,
        applicant_name=application.applicant_name,
        applicant_address=application.applicant_address,
        organisation_name=application.organisation_name
        if application.acts_for_organisation else None,
    )
