"""The workflow engine: the only code that changes an application's status.

`apply_action` runs one action in one transaction: row visibility, permission, state,
optimistic version, the action's form, guards, effects, the new status and a history
event. Any error rolls everything back, files written on the way included."""

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.notifications.outbox import queue_for_transition, tell_applicant
from app.storage.files import remove_files, store_bytes
from app.workflow import clock, delegation, summaries
from app.workflow.access import holds, is_applicant
from app.workflow.files import load_visible
from app.workflow.registry import workflow_of
from models import Application, HistoryEvent
from models.application import utcnow

STATUS_WRITERS = "siap_status_writers"
# A dry run (app/services/dry_run.py) runs in a session bound to a transaction it rolls
# back: there every commit below only releases a savepoint. The files each successful
# unit of work wrote are listed under this key of the session's `info`, so that the dry
# run removes them at its end (a real session has no such list: its files stay).
DRY_RUN_FILES = "siap_dry_run_files"
# Stored files that a unit of work stops naming (an upload past its retention, an
# account's drafts): listed under this key of the session's `info` and deleted once the
# transaction commits — never before, so a rollback leaves every file its rows name. A
# deletion that fails after the commit leaves an unnamed file, which `flask siap storage
# check` removes.
REMOVE_AFTER_COMMIT = "siap_remove_after_commit"

log = logging.getLogger(__name__)
# The statistics' summaries follow every flush of the session (the hooks are set on import).
assert summaries.keep_summaries


@dataclass
class ActionContext:
    application: Application
    actor: object
    workflow: object
    transition: object
    form: object
    now: datetime
    session: Session
    written: list = field(default_factory=list)
    # What must be recorded even when the action fails (a wrong passphrase): run after
    # the rollback, each in a transaction of its own.
    after_rollback: list = field(default_factory=list)
    event_data: dict = field(default_factory=dict)
    comment: str | None = None
    role: str | None = None  # the actor's roles that hold the action, as history shows them

    def store(self, field_name):
        """Write the checked upload of a form field; removed again on rollback."""
        upload = self.form[field_name]
        content, extension = upload.checked
        return store_bytes(content, extension, upload.data.filename, self.written)


@contextmanager
def unit_of_work(written=None, after_rollback=()):
    """Commit on success, then delete the stored files it stopped naming
    (`remove_after_commit`); on any error roll back, remove the files written and run the
    `after_rollback` callables. In a dry run's session the commit releases a savepoint
    and the files written are handed to the dry run (DRY_RUN_FILES)."""
    written = written if written is not None else []
    try:
        yield written
        db.session.commit()
        doomed = db.session.info.pop(REMOVE_AFTER_COMMIT, [])
        dry_run_files = db.session.info.get(DRY_RUN_FILES)
        if dry_run_files is not None:
            dry_run_files.extend(written)  # the dry run's rollback names `doomed` again
        else:
            remove_files(doomed)  # a failure is logged; `storage check` removes leftovers
    except BaseException as error:
        db.session.info.pop(REMOVE_AFTER_COMMIT, None)
        db.session.rollback()
        remove_files(written)
        for record in after_rollback:
            record()
        if isinstance(error, StaleDataError):
            raise Conflict() from None
        raise
    finally:
        db.session.info.pop(STATUS_WRITERS, None)


def remove_after_commit(stored_names):
    """Delete these stored files when the current unit of work commits."""
    db.session.info.setdefault(REMOVE_AFTER_COMMIT, []).extend(
        name for name in stored_names if name)


def form_errors(form):
    return {name: str(errors[0]) for name, errors in form.errors.items() if errors}


def acting_roles(actor, workflow, permission):
    """The roles through which `actor` holds `permission`, as the history names them
    ("Plt. Kepala Dinas" for a delegate acting as head of office)."""
    view = workflow.permission_view
    names = ", ".join(
        role.name
        for role in actor.roles
        if any(pv.permission.name == permission and pv.view_menu.name == view
               for pv in role.permissions if pv.permission and pv.view_menu)
    )
    if not names and (permission, view) in delegation.delegated_permissions(actor):
        names = delegation.acting_title(delegation.active_delegation(actor))
    return names or None


def record_event(application, action, actor, *, from_status=None, to_status=None,
                 comment=None, data=None, role=None, when=None, working_days=None):
    db.session.add(
        HistoryEvent(
            application=application,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.id if actor else None,
            actor_role=role,
            comment=comment,
            data=data or {},
            created_at=when or utcnow(),
            working_days=working_days,
        )
    )


def keep_status(application):
    """An action that leaves the status as it is still writes the file's row, so its
    version moves on and a concurrent action on the same file loses."""
    db.session.info.setdefault(STATUS_WRITERS, set()).add(id(application))
    flag_modified(application, "status")


def set_status(application, new_status, when):
    """Change the status; allowed only inside the engine (see the flush guard)."""
    db.session.info.setdefault(STATUS_WRITERS, set()).add(id(application))
    application.status = new_status.value if hasattr(new_status, "value") else new_status
    application.status_changed_at = when


class ReadyAction(NamedTuple):
    """A file and the action a user may take on it now (`ready_action`)."""
    application: Application
    workflow: object
    transition: object


def ready_action(application_id, action, actor):
    """The file, its workflow and the transition, once this user may take `action` on it
    now: the file is visible, the action exists, its permission is held, the applicant
    takes the applicant's actions, the file is in a state the action leaves, and the
    user is among the action's audience on this file. The same checks decide whether
    the action's form is shown at all."""
    application = load_visible(application_id, actor)
    workflow = workflow_of(application)
    transition = workflow.transition(action)
    if transition is None or transition.by_system:
        raise NotFound(_l("This action does not exist."))
    if not holds(actor, workflow, action):
        raise Forbidden()
    if transition.by_applicant and not is_applicant(actor, application):
        raise Forbidden(_l("Only the applicant of this file can do this."))
    if workflow.states(application.status) not in transition.sources:
        raise Conflict(
            _l("This action is not possible while the file is in status “%(status)s”.",
               status=workflow.label(application.status))
        )
    refusal = transition.audience.refusal(actor, application) if transition.audience else None
    if refusal is not None:
        raise Forbidden(refusal)
    return ReadyAction(application, workflow, transition)


def apply_action(application_id, action, actor, formdata=None, expected_version=None):
    """Run one workflow action. Raises NotFound, Forbidden, Conflict or InvalidInput;
    returns the application in its new state."""
    ready = ready_action(application_id, action, actor)
    form = ready.transition.form(formdata=formdata) if ready.transition.form else None
    return take_action(ready, actor, form, expected_version)


def take_action(ready, actor, form=None, expected_version=None):
    """Run the action `ready_action` found possible, with its form bound to the posted
    data: a screen loads the file and builds the form once, and shows the errors this
    form collected."""
    application, workflow, transition = ready
    action = transition.action
    current = workflow.states(application.status)
    if expected_version not in (None, "") and str(expected_version) != str(application.version):
        raise Conflict()
    if form is not None and not form.validate():
        raise InvalidInput(form_errors(form))
    ctx = ActionContext(
        application=application, actor=actor, workflow=workflow, transition=transition,
        form=form, now=utcnow(), session=db.session,
        role=acting_roles(actor, workflow, action),
    )
    with unit_of_work(ctx.written, ctx.after_rollback):
        for guard in transition.guards:
            guard(ctx)
        for effect in transition.effects:
            effect(ctx)
        target = transition.route(ctx) if transition.route else transition.target
        if target not in transition.targets:
            raise RuntimeError(f"{action}: route chose {target}, not one of its targets")
        if target == current:
            # The file stays where it is (an initial among several): the action is on
            # record, the status, its clock and the queues are as they were.
            keep_status(application)
            record_event(application, action, actor, comment=ctx.comment,
                         data=ctx.event_data, role=ctx.role, when=ctx.now)
            if transition.notice:  # what changed for the applicant (a new due date)
                tell_applicant(application, workflow, current, transition, ctx.comment)
            return application
        spent, pause = clock.advance(application, workflow, target, ctx.now)
        set_status(application, target, ctx.now)
        record_event(
            application, action, actor, from_status=current.value,
            to_status=target.value, comment=ctx.comment, data=ctx.event_data,
            role=ctx.role, when=ctx.now, working_days=spent,
        )
        if pause:
            record_event(application, pause, None, when=ctx.now)
        queue_for_transition(application, workflow, target, transition, ctx.comment)
    return application


# How the history names the actor of a transition the scheduled jobs took.
SYSTEM_ROLE = "Sistem (tenggat)"


def take_system_transition(application, action, now, comment=None, data=None):
    """A transition a scheduled job takes when a deadline passes (Transition.by_system),
    in the caller's transaction: its effects, the status, the clock, the history (no
    actor) and the outbox, as for any action."""
    workflow = workflow_of(application)
    transition = workflow.transition(action)
    current = workflow.states(application.status)
    if transition is None or not transition.by_system or current not in transition.sources:
        raise Conflict()
    ctx = ActionContext(application=application, actor=None, workflow=workflow,
                        transition=transition, form=None, now=now, session=db.session,
                        comment=comment, event_data=dict(data or {}), role=SYSTEM_ROLE)
    for effect in transition.effects:
        effect(ctx)
    spent, pause = clock.advance(application, workflow, transition.target, now)
    set_status(application, transition.target, now)
    record_event(application, action, None, from_status=current.value,
                 to_status=transition.target.value, comment=ctx.comment,
                 data=ctx.event_data, role=ctx.role, when=now, working_days=spent)
    if pause:
        record_event(application, pause, None, when=now)
    queue_for_transition(application, workflow, transition.target, transition, ctx.comment)
    return application


def start_application(application, actor, when=None):
    """Put a new application in its workflow's initial state and record its creation."""
    workflow = workflow_of(application)
    when = when or utcnow()
    set_status(application, workflow.initial, when)
    application.created_at = when
    record_event(application, "buat", actor, to_status=workflow.initial.value, when=when,
                 role=acting_roles(actor, workflow, "ajukan"))


@event.listens_for(Session, "before_flush")
def _status_is_written_only_by_the_engine(session, flush_context, instances):
    allowed = session.info.get(STATUS_WRITERS, set())
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Application):
            continue
        if inspect(obj).attrs.status.history.has_changes() and id(obj) not in allowed:
            raise RuntimeError(
                "Application.status changes only through app.workflow.engine.apply_action"
            )

