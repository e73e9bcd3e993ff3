"""What the applicant is told while their file waits for a correction: the officer's
reason for returning it and each rejected document with its reason, shown at the top of
the file page and on the dashboard. Read for many files in two queries whatever their
number (the dashboard lists up to a hundred files)."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.workflow import correction
from app.workflow.registry import workflow_of
from models import ApplicationDocument, HistoryEvent, Requirement
from models.application import Verdict


@dataclass(frozen=True)
class CorrectionNotice:
    return_reason: str | None
    # ((requirement name, the officer's reason), ...) in the catalogue's order
    rejected_documents: tuple = ()


def awaits_correction(application):
    """Whether the file is back with its applicant for a correction (editable, past its
    initial state: a draft was never returned)."""
    workflow = workflow_of(application)
    return (workflow.is_in(application.status, "editable_states")
            and application.status != workflow.initial)


def notices_for(applications):
    """{application id: CorrectionNotice} of those of `applications` that await a
    correction."""
    ids = [application.id for application in applications if awaits_correction(application)]
    if not ids:
        return {}
    reasons = dict(db.session.execute(
        select(HistoryEvent.application_id, HistoryEvent.comment)
        .where(HistoryEvent.application_id.in_(ids),
               HistoryEvent.action == correction.RETURN_ACTION)
        .order_by(HistoryEvent.id)  # the latest return's reason is kept
    ).tuples().all())
    rejected = defaultdict(list)
    for application_id, name, reason in db.session.execute(
        select(ApplicationDocument.application_id, Requirement.name,
               ApplicationDocument.verdict_reason)
        .join(Requirement, ApplicationDocument.requirement_id == Requirement.id)
        .where(ApplicationDocument.application_id.in_(ids),
               ApplicationDocument.verdict == Verdict.REJECTED.value)
        .order_by(Requirement.position, Requirement.id)
    ):
        rejected[application_id].append((name, reason))
    return {application_id: CorrectionNotice(reasons.get(application_id),
                                             tuple(rejected[application_id]))
            for application_id in ids}


def notice_of(application):
    """The CorrectionNotice of one file, or None when it awaits no correction."""
    return notices_for([application]).get(application.id)
