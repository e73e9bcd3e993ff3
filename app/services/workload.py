"""An officer's home page: the files waiting for each action they hold — the inbox's rule
(app.workflow.access), split by action — late files first with the working days past
their target, the walk-in files they registered that wait for them, and what they
finished today (WIB).

Read in a fixed number of queries however many files wait: one for the waiting files
(each labelled in SQL with the action it waits for), one for their permit types and
process versions, one for the walk-in files, one for today's history."""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, literal, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from app.extensions import db
from app.office_time import day_starts_at, today
from app.workflow import clock
from app.workflow.access import available_transitions, holds, inbox_clause, waiting_by_action
from app.workflow.files import own_clause, visible_clause
from app.workflow.issued_documents import SIGNED_EVENTS
from app.workflow.registry import all_workflows, files_of, workflow_of
from models import Application, HistoryEvent

# What the page loads with each file it lists.
_LISTED = (selectinload(Application.permit_type), selectinload(Application.process_version))


@dataclass(frozen=True)
class WaitingFile:
    application: Application
    reading: clock.ClockReading

    @property
    def days_late(self):
        return self.reading.days_late


@dataclass
class ActionQueue:
    """The files waiting for one action of one permit kind."""

    kind: str
    action: str
    kind_title: object
    label: object
    files: list = field(default_factory=list)

    @property
    def late(self):
        return sum(1 for item in self.files if item.days_late)


def _late_first(files):
    return sorted(files, key=lambda item: (-item.days_late,
                                           item.application.status_changed_at,
                                           item.application.id))


def waiting(user, now=None):
    """[ActionQueue] of the actions the user holds, in the workflows' order, each with
    its files late first (most working days past a target, then longest waiting)."""
    parts = waiting_by_action(user)
    if not parts:
        return []
    queues, part_queue = {}, []
    for workflow, transition, _ in parts:
        key = (workflow.kind, transition.action)
        if key not in queues:  # versions of a configured process share their queue
            queues[key] = ActionQueue(workflow.kind, transition.action, workflow.title,
                                      transition.label)
        part_queue.append(queues[key])
    which = case(*((condition, literal(index)) for index, (_, _, condition)
                   in enumerate(parts)), else_=literal(-1)).label("part")
    rows = db.session.execute(
        select(Application, which).where(inbox_clause(user)).options(*_LISTED)
        .order_by(Application.status_changed_at, Application.id)).all()
    for application, index in rows:
        if index < 0:
            continue  # cannot happen: every inbox file matches one of the parts
        reading = clock.read(application, workflow_of(application), now)
        part_queue[index].files.append(WaitingFile(application, reading))
    for queue in queues.values():
        queue.files = _late_first(queue.files)
    return list(queues.values())


def walk_in_waiting(user):
    """[(file, [transitions])]: the files the user registered for walk-in applicants
    that wait for the applicant's move, which the user takes for them (submit, pay).
    The same rule as the applicant's dashboard (`available_transitions`), read only in
    the states such a move leaves."""
    states = []
    for workflow in all_workflows():
        sources = sorted({source.value for t in workflow.transitions
                          if t.by_applicant and t.advances and holds(user, workflow, t.action)
                          for source in t.sources})
        if sources:
            states.append(and_(files_of(workflow), Application.status.in_(sources)))
    if not states:
        return []
    files = db.session.scalars(
        select(Application)
        .where(own_clause(user), or_(*states))
        .options(*_LISTED).order_by(Application.status_changed_at, Application.id)).all()
    found = []
    for application in files:
        moves = [t for t in available_transitions(application, user)
                 if t.by_applicant and t.advances]
        if moves:
            found.append((application, moves))
    return found


@dataclass
class FinishedFile:
    """A file the officer acted on today: what they did (in order) and when last."""

    application: Application
    labels: list
    last_at: object


def _finished_actions():
    """The history entries that are an officer's finished step: a workflow action, or
    the signature of a rejection letter or revocation decree."""
    names = {t.action for workflow in all_workflows() for t in workflow.transitions}
    return sorted(names | set(SIGNED_EVENTS.values()))


def finished_today(user):
    """[FinishedFile] the user acted on since 00.00 WIB, latest first (files they still
    see)."""
    events = db.session.scalars(
        select(HistoryEvent)
        .join(HistoryEvent.application)
        .where(HistoryEvent.actor_id == user.id,
               HistoryEvent.created_at >= day_starts_at(today()),
               HistoryEvent.action.in_(_finished_actions()),
               visible_clause(user))
        .options(contains_eager(HistoryEvent.application).selectinload(
            Application.permit_type),
            contains_eager(HistoryEvent.application).selectinload(
            Application.process_version))
        .order_by(HistoryEvent.id)).all()
    by_file = {}
    for event in events:
        application = event.application
        entry = by_file.setdefault(application.id, FinishedFile(application, [], None))
        label = workflow_of(application).event_label(event.action)
        if label not in entry.labels:
            entry.labels.append(label)
        entry.last_at = event.created_at
    return sorted(by_file.values(), key=lambda entry: entry.last_at, reverse=True)
