"""What happens when a deadline passes: the file takes its workflow's system transition
of that deadline from the state the deadline runs in (Transition.by_system with its
`deadline`: for PKKPR the billing code expires and the land office issues a new SPS; a
file not corrected in time lapses). A deadline passes at the end of its day: the day
after it, in the office's dates."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.documents.formatting import tanggal
from app.extensions import db
from app.jobs.base import Due, in_indonesian
from app.workflow import clock
from app.workflow.engine import take_system_transition
from app.workflow.registry import all_workflows, files_of
from models import Application


def _lapse_of(workflow, column, state):
    """The system transition the passing of deadline `column` takes from `state`."""
    return next((t for t in workflow.transitions_from(state)
                 if t.by_system and t.deadline == column), None)


def lapsed_deadlines(now):
    today = clock.office_date(now)
    for workflow in all_workflows():
        for column, states in workflow.deadline_states.items():
            for state in states:
                yield from _lapsed_in(workflow, column, state, today, now)


def _lapsed_in(workflow, column, state, today, now):
    transition = _lapse_of(workflow, column, state)
    if transition is None:
        return
    due_column = getattr(Application, column)
    files = db.session.scalars(
        select(Application)
        .where(files_of(workflow), Application.status == state.value, due_column < today)
        .options(joinedload(Application.permit_type))
        .order_by(due_column, Application.id))
    for application in files:
        yield _lapse(application, transition, column, getattr(application, column), now)


def _lapse(application, transition, column, deadline, now):
    application_id = application.id

    def act():
        # Read again in the action's own transaction: another pass may have moved it.
        current = db.session.get(Application, application_id)
        take_system_transition(current, transition.action, now)

    return Due(
        job="lapsed_deadlines", key=f"lapse:{column}:{application_id}:{deadline.isoformat()}",
        summary=f"tenggat {tanggal(deadline)} lewat: {in_indonesian(transition.label)}",
        act=act, application_id=application_id,
        registration_number=application.registration_number)
