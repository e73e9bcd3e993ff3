"""Which actions a user holds, and which files wait for them.

Who may see which file is read through app.workflow.files, on top of these rules."""

from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, has_request_context
from sqlalchemy import and_, false, func, or_, select, true

from app.process_cache import kept_derived
from app.security.grants import holders_by_permission, role_grants
from app.security.roles import is_staff
from app.workflow import delegation
from app.workflow.registry import (
    all_workflows,
    current_workflows,
    files_of,
    published_stamp,
    workflow_of,
)
from models import Application, PermitType


def role_permissions(user):
    """{(permission, view menu)} the user's own roles grant."""
    return frozenset().union(*(role_grants(role) for role in user.roles))


# Each user's permissions, read once inside `remembered_permissions` (None outside it).
_REMEMBERED = ContextVar("siap_remembered_permissions", default=None)


@contextmanager
def remembered_permissions():
    """Read each user's permissions once within: a scheduled pass asks about many users
    and files outside any request (app/jobs/digests.py)."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def user_permissions(user):
    """{(permission, view menu)} of the user's roles, and of the head of office's role
    while the user is its Plt./Plh. (app.workflow.delegation); cached for the request.
    Every check reads this: screens, menus, the API, the engine, inboxes."""
    remembered = _REMEMBERED.get()
    if remembered is not None and user.id in remembered:
        return remembered[user.id]
    cache = getattr(g, "_siap_permissions", None) if has_request_context() else None
    if cache is not None and cache[0] == user.id:
        return cache[1]
    permissions = role_permissions(user) | delegation.delegated_permissions(user)
    if has_request_context():
        g._siap_permissions = (user.id, permissions)
    if remembered is not None:
        remembered[user.id] = permissions
    return permissions


def holds(user, workflow, permission):
    return (permission, workflow.permission_view) in user_permissions(user)


def holds_in_some_workflow(user, permission):
    """E.g. whether the user signs decrees at all (the signing page)."""
    return any(holds(user, workflow, permission) for workflow in current_workflows())


def _waiting_moves(user, workflow):
    """The staff actions that move a file on and that this user holds."""
    return [t for t in workflow.transitions
            if t.advances and not t.by_applicant and holds(user, workflow, t.action)]


def staff_actions(user):
    """The names of the staff actions that move files on which this user holds, in any
    current workflow: empty for applicants and the admin."""
    return {t.action for workflow in current_workflows()
            for t in _waiting_moves(user, workflow)}


def inbox_statuses(user, workflow):
    """States in which a file may wait for this user's staff action (for an action with
    an audience, only the files awaiting this user: see `inbox_clause`)."""
    return sorted({source.value for t in _waiting_moves(user, workflow)
                   for source in t.sources if source != workflow.initial})


def _inbox_condition(user, workflow):
    """The files of `workflow` waiting for this user, or None when none can."""
    moves = _waiting_moves(user, workflow)
    plain = sorted({source.value for t in moves if t.audience is None
                    for source in t.sources if source != workflow.initial})
    conditions = [Application.status.in_(plain)] if plain else []
    conditions += [and_(Application.status.in_([source.value for source in t.sources]),
                        t.audience.clause(user))
                   for t in moves if t.audience is not None]
    if not conditions:
        return None
    # A file waiting for an action is never finished (clock.py clears finished_at on
    # every move to a state that is not final): saying so lets the database read only
    # the files in process (the partial indexes ix_application_waiting*).
    return and_(Application.finished_at.is_(None), files_of(workflow), or_(*conditions),
                agency_clause(user, workflow))


def waiting_by_action(user):
    """[(workflow, transition, SQL condition)]: the inbox split by the action each file
    waits for — the same rule as `inbox_clause`, one part per staff action the user
    holds (the officer's home page counts and lists them by action)."""
    parts = []
    for workflow in all_workflows():
        for t in _waiting_moves(user, workflow):
            sources = [source.value for source in t.sources if source != workflow.initial]
            if not sources:
                continue
            condition = Application.status.in_(sources)
            if t.audience is not None:
                condition = and_(condition, t.audience.clause(user))
            parts.append((workflow, t, and_(files_of(workflow), condition,
                                            agency_clause(user, workflow))))
    return parts


def inbox_counts_query(user):
    """SELECT (kind, number of files waiting for this user)."""
    return (select(Application.kind, func.count(Application.id))
            .where(inbox_clause(user)).group_by(Application.kind))


def inbox_counts(user):
    """{kind: number of files waiting for this user}, in one query."""
    from app.extensions import db

    return dict(db.session.execute(inbox_counts_query(user)).all())


def limited_to_agency(user, workflow):
    return workflow.scoped_by_agency and not holds(user, workflow, "lihat_semua")


def agency_clause(user, workflow, on=Application):
    """True for files of this workflow the user may work on as far as agencies go (on
    Application, or a statistics summary with its permit_type_id)."""
    if not limited_to_agency(user, workflow):
        return true()
    if user.agency_id is None:
        return false()
    return on.permit_type_id.in_(
        select(PermitType.id).where(PermitType.agency_id == user.agency_id)
    )


def in_agency_scope(user, application):
    """The same rule as `agency_clause`, for one loaded file."""
    workflow = workflow_of(application)
    if not limited_to_agency(user, workflow):
        return True
    return user.agency_id is not None and user.agency_id == application.permit_type.agency_id


def kept_for_user(name, user, build):
    """`build(user)`, a SQL condition or statement for this user, built once per process
    for each officer as they are — roles, permissions, agency — and the published
    processes. An applicant's is built each time: quick to build (their own files), and
    applicants are many."""
    if not is_staff(user):
        return build(user)
    key = (name, user.id, tuple(sorted(role.id for role in user.roles)), user.agency_id,
           user_permissions(user), published_stamp())
    return kept_derived(key, lambda: build(user))


def inbox_clause(user):
    """The files waiting for this user's action, in every workflow: the menu's counts,
    the inbox's count and its page all filter by it (kept: it names the user and their
    roles, an initial awaited from one of them)."""
    return kept_for_user("inbox", user, _built_inbox_clause)


def _built_inbox_clause(user):
    clauses = [condition for workflow in all_workflows()
               if (condition := _inbox_condition(user, workflow)) is not None]
    return or_(*clauses) if clauses else false()


def roles_by_action(workflow):
    """{action: {role names}} of this workflow's permissions."""
    return holders_by_permission(workflow.permission_view)


def users_holding(workflow, actions):
    """Active users holding any of `actions` through their roles, or as the head of
    office's Plt./Plh. today: the officers to notify, or who can sign. A few queries,
    however many applicants have accounts."""
    from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu

    from app.extensions import db
    from models import SiapUser

    holders = db.session.scalars(
        select(SiapUser)
        .join(SiapUser.roles).join(Role.permissions)
        .join(PermissionView.permission).join(PermissionView.view_menu)
        .where(SiapUser.active.is_(True),
               ViewMenu.name == workflow.permission_view, Permission.name.in_(list(actions)))
        .distinct().order_by(SiapUser.id)
    ).all()
    head_of_office = delegation.head_of_office_permissions()
    if any((action, workflow.permission_view) in head_of_office for action in actions):
        known = {user.id for user in holders}
        holders += [user for user in delegation.active_delegates() if user.id not in known]
        holders.sort(key=lambda user: user.id)
    return holders


def is_applicant(user, application):
    """The applicant's account, or the officer who registered a walk-in applicant."""
    return application.belongs_to(user.id)


def among_audience(transition, user, application):
    """Whether `user` is among those who may take `transition` on this file (everyone
    holding its permission, unless it has an audience)."""
    return transition.audience is None or transition.audience.refusal(user, application) is None


def available_transitions(application, user):
    """The actions this user may try on this file now (guards are checked on use)."""
    workflow = workflow_of(application)
    return [
        t
        for t in workflow.transitions_from(workflow.states(application.status))
        if holds(user, workflow, t.action)
        and (not t.by_applicant or is_applicant(user, application))
        and among_audience(t, user, application)
    ]
