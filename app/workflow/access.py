"""Who may see which application, and which actions a user holds.

Applied by the engine, every list, every custom endpoint and every download."""

from flask import g, has_request_context
from sqlalchemy import and_, false, func, or_, select, true

from app.workflow.registry import WORKFLOWS
from models import Application, PermitType


def user_permissions(user):
    """{(permission, view menu)} of the user's roles, cached for the request."""
    cache = getattr(g, "_siap_permissions", None) if has_request_context() else None
    if cache is not None and cache[0] == user.id:
        return cache[1]
    permissions = {
        (pv.permission.name, pv.view_menu.name)
        for role in user.roles
        for pv in role.permissions
        if pv.permission and pv.view_menu
    }
    if has_request_context():
        g._siap_permissions = (user.id, permissions)
    return permissions


def holds(user, workflow, permission):
    return (permission, workflow.permission_view) in user_permissions(user)


def inbox_statuses(user, workflow):
    """States in which a file waits for this user's staff action."""
    return sorted(
        {
            source.value
            for t in workflow.transitions
            if t.advances and not t.by_applicant and holds(user, workflow, t.action)
            for source in t.sources
            if source != workflow.initial
        }
    )


def inbox_counts(user):
    """{kind: number of files waiting for this user}, in one query."""
    from app.extensions import db

    rows = db.session.execute(
        select(Application.kind, func.count(Application.id))
        .where(inbox_clause(user)).group_by(Application.kind)
    )
    return dict(rows.all())


def limited_to_agency(user, workflow):
    return workflow.scoped_by_agency and not holds(user, workflow, "lihat_semua")


def agency_clause(user, workflow):
    """True for files of this workflow the user may work on as far as agencies go."""
    if not limited_to_agency(user, workflow):
        return true()
    if user.agency_id is None:
        return false()
    return Application.permit_type_id.in_(
        select(PermitType.id).where(PermitType.agency_id == user.agency_id)
    )


def in_agency_scope(user, application):
    """The same rule as `agency_clause`, for one loaded file."""
    workflow = WORKFLOWS[application.kind]
    if not limited_to_agency(user, workflow):
        return True
    return user.agency_id is not None and user.agency_id == application.permit_type.agency_id


def inbox_clause(user):
    clauses = [
        and_(Application.kind == workflow.kind, Application.status.in_(statuses),
             agency_clause(user, workflow))
        for workflow in WORKFLOWS.values()
        if (statuses := inbox_statuses(user, workflow))
    ]
    return or_(*clauses) if clauses else false()


def visibility_clause(user):
    """Own and walk-in files; for staff, every submitted file of a kind they may view
    (of their agency's permit types where the workflow is scoped by agency), and the
    files waiting in their inbox. Drafts stay private to their creator."""
    clauses = [Application.owner_id == user.id, Application.created_by_id == user.id]
    for workflow in WORKFLOWS.values():
        if holds(user, workflow, "lihat_semua") or (
            workflow.scoped_by_agency and holds(user, workflow, "lihat_instansi")
        ):
            clauses.append(
                and_(Application.kind == workflow.kind,
                     Application.status != workflow.initial.value,
                     agency_clause(user, workflow))
            )
    clauses.append(inbox_clause(user))
    return or_(*clauses)


def roles_by_action(workflow):
    """{action: {role names}} of this workflow's permissions, Admin aside (it holds
    everything); read once per request."""
    from flask import current_app
    from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu

    from app.extensions import db

    cache = g.setdefault("_siap_roles_by_action", {}) if has_request_context() else {}
    if workflow.kind not in cache:
        rows = db.session.execute(
            select(Permission.name, Role.name)
            .select_from(Role).join(Role.permissions)
            .join(PermissionView.permission).join(PermissionView.view_menu)
            .where(ViewMenu.name == workflow.permission_view,
                   Role.name != current_app.config["AUTH_ROLE_ADMIN"]))
        holders = {}
        for action, role in rows:
            holders.setdefault(action, set()).add(role)
        cache[workflow.kind] = holders
    return cache[workflow.kind]


def users_holding(workflow, actions):
    """Active users holding any of `actions` through a role other than Admin (which
    holds everything): the officers to notify, or who can sign. One query, however many
    applicants have accounts."""
    from flask import current_app
    from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu

    from app.extensions import db
    from models import SiapUser

    return db.session.scalars(
        select(SiapUser)
        .join(SiapUser.roles).join(Role.permissions)
        .join(PermissionView.permission).join(PermissionView.view_menu)
        .where(SiapUser.active.is_(True),
               Role.name != current_app.config["AUTH_ROLE_ADMIN"],
               ViewMenu.name == workflow.permission_view, Permission.name.in_(list(actions)))
        .distinct().order_by(SiapUser.id)
    ).all()


def is_applicant(user, application):
    """The applicant's account, or the officer who registered a walk-in applicant."""
    return user.id in (application.owner_id, application.created_by_id)


def available_transitions(application, user):
    """The actions this user may try on this file now (guards are checked on use)."""
    workflow = WORKFLOWS[application.kind]
    return [
        t
        for t in workflow.transitions_from(workflow.states(application.status))
        if holds(user, workflow, t.action)
        and (not t.by_applicant or is_applicant(user, application))
    ]
