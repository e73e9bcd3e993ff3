"""Public tracking: where a file is, who holds it, since when, what comes next and the
service clock — found by its registration number and the last four digits of the
applicant's WhatsApp number, and showing nothing personal."""

import hmac
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.security import roles
from app.workflow import clock
from app.workflow.access import roles_by_action
from app.workflow.registry import workflow_of
from app.workflow.shared import APPLICANT_OFFICE, ROLE_OFFICES
from models import Application, HistoryEvent, PermitType

SUFFIX = re.compile(r"^\d{4}$")
# What the screen and the API say for any mismatch, so a guess learns nothing.
NOT_FOUND = _l("No file matches this registration number and these four digits. Check "
               "both and try again.")


def find(number, phone_suffix):
    """The file, or None for any mismatch (the caller says the same thing either way)."""
    number = (number or "").strip().upper()
    phone_suffix = (phone_suffix or "").strip()
    if not number or not SUFFIX.match(phone_suffix):
        return None
    application = db.session.scalar(
        select(Application).where(Application.registration_number == number)
        .options(joinedload(Application.permit_type).joinedload(PermitType.agency))
    )
    if application is None:
        return None
    actual = (application.applicant_whatsapp or "")[-4:]
    return application if hmac.compare_digest(actual, phone_suffix) else None


def office_name(application, status):
    """Who holds the file in `status`: the applicant when only they can move it on,
    otherwise the offices of the roles holding its next actions as an admin granted them
    (the asset's managing agency by name); None once the file is finished."""
    workflow = workflow_of(application)
    moves = [t for t in workflow.transitions_from(workflow.states(status))
             if t.advances and not t.by_system]  # a deadline passing is nobody's move
    if not moves:
        return None
    if all(t.by_applicant for t in moves):
        return str(APPLICANT_OFFICE)
    holders = roles_by_action(workflow)
    role_names = sorted({role for t in moves if not t.by_applicant
                         for role in _awaited_roles(t, application, status, holders)})
    offices = []
    for role in role_names:
        if role == roles.PENGELOLA_ASET and application.permit_type.agency is not None:
            office = application.permit_type.agency.name
        else:
            office = str(ROLE_OFFICES.get(role, role))
        if office not in offices:
            offices.append(office)
    return ", ".join(offices) or None


def after_action(application, transition):
    """The message after an action: what happened, then what comes next: the applicant's
    own next step after their act, else who moves the file on."""
    workflow = workflow_of(application)
    done = _l("%(action)s: done. The file is now “%(status)s”.", action=transition.label,
              status=workflow.label(application.status))
    if transition.by_applicant:
        following = workflow.applicant_next_step(application, application.status)
    else:
        office = office_name(application, application.status)
        following = _l("Next: %(office)s.", office=office) if office else ""
    return f"{done} {following}".strip()


def _awaited_roles(transition, application, status, holders):
    """The roles holding `transition`; for one with an audience (initials), those the
    file awaits now, while it is in that status."""
    if transition.audience is not None and application.status == status:
        return transition.audience.roles(application)
    return holders.get(transition.action, ())


@dataclass(frozen=True)
class Stage:
    label: str
    office: str | None
    entered_at: object
    working_days: int | None  # spent there, once left
    current: bool = False
    # The officer's reason addressed to the applicant (a return, a refusal), only on the
    # applicant's own pages: never on the public tracking page.
    reason: str | None = None


@dataclass(frozen=True)
class Tracking:
    registration_number: str
    permit_type: str
    status_label: str
    office: str | None
    since: object
    finished: bool
    next_step: str
    clock: object
    stages: list


def stages_of(application, workflow, with_reasons=False):
    """Every status the file went through since submission, with its dates; with the
    reasons of returns and refusals (the actions whose notice tells the applicant) for
    the applicant's own eyes."""
    events = db.session.scalars(
        select(HistoryEvent)
        .where(HistoryEvent.application_id == application.id,
               HistoryEvent.to_status.is_not(None), HistoryEvent.from_status.is_not(None))
        .order_by(HistoryEvent.id)
    ).all()
    stages = []
    for index, event in enumerate(events):
        left = events[index + 1] if index + 1 < len(events) else None
        stages.append(Stage(
            label=str(workflow.label(event.to_status)),
            office=office_name(application, event.to_status),
            entered_at=event.created_at,
            working_days=left.working_days if left is not None else None,
            current=left is None,
            reason=_reason(workflow, event) if with_reasons else None,
        ))
    return stages


def _reason(workflow, event):
    transition = workflow.transition(event.action)
    return event.comment if transition is not None and transition.notice else None


def track(application, with_reasons=False):
    workflow = workflow_of(application)
    state = workflow.states(application.status)
    finished = state in workflow.terminal
    office = None if finished else office_name(application, application.status)
    if state in workflow.next_steps:
        next_step = workflow.applicant_next_step(application, state)
    else:
        next_step = str(_l("The file is being processed by %(office)s.", office=office))
    return Tracking(
        registration_number=application.registration_number,
        permit_type=application.permit_type.name,
        status_label=str(workflow.label(state)),
        office=office,
        since=application.status_changed_at,
        finished=finished,
        next_step=next_step,
        clock=clock.read(application, workflow),
        stages=stages_of(application, workflow, with_reasons),
    )
