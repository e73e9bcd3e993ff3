"""What each role grants, as (permission, view menu) pairs: in a request, every role's
grants read in one query and kept per process until a grant changes
(app/process_cache.py); outside a request, from the role's own rows.

The signed-in user and their roles are read in one query with the cache's counter
(`load_user_with_roles`); the roles' grants come from here, so a page asks the database
nothing more about permissions — neither for a signed-in user nor for the public."""

from flask import current_app, has_request_context
from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.process_cache import generation_column, kept, note_generation
from models import SiapUser, UserSession


def _every_roles_grants(reader):
    grants = {}
    rows = reader.execute(
        select(Role.name, Permission.name, ViewMenu.name).select_from(Role)
        .outerjoin(Role.permissions).outerjoin(PermissionView.permission)
        .outerjoin(PermissionView.view_menu))
    for role, permission, view in rows:
        pairs = grants.setdefault(role, set())
        if permission and view:
            pairs.add((permission, view))
    return {role: frozenset(pairs) for role, pairs in grants.items()}


def grants_by_role():
    """{role name: frozenset of (permission, view menu)} of every role."""
    return kept("grants_by_role", _every_roles_grants)


def role_grants(role):
    """frozenset of (permission, view menu) that `role` grants."""
    if has_request_context():
        return grants_by_role().get(role.name, frozenset())
    return frozenset((pv.permission.name, pv.view_menu.name) for pv in role.permissions
                     if pv.permission and pv.view_menu)


def named_role_grants(name):
    """The grants of the role called `name` (none when there is no such role)."""
    if has_request_context():
        return grants_by_role().get(name, frozenset())
    role = current_app.appbuilder.sm.find_role(name)
    return role_grants(role) if role is not None else frozenset()


def public_grants():
    """What anybody may do without signing in."""
    return named_role_grants(current_app.appbuilder.sm.auth_role_public)


def holders_by_permission(view_name):
    """{permission: {role names}} of one view menu, e.g. a workflow's."""
    holders = {}
    for role, pairs in grants_by_role().items():
        for permission, view in pairs:
            if view == view_name:
                holders.setdefault(permission, set()).add(role)
    return holders


def _user_query(user_id):
    return (select(SiapUser, generation_column()).where(SiapUser.id == user_id)
            .options(joinedload(SiapUser.roles)))


def load_user_with_roles(user_id):
    """The user with their roles, in one query that also reads the cache's counter."""
    row = db.session.execute(_user_query(user_id)).unique().first()
    if row is None:
        return None
    note_generation(row[1])
    return row[0]


def load_user_in_session(user_id, key_hash):
    """(user with roles, their live session row of `key_hash` or None), one query."""
    row = db.session.execute(
        _user_query(user_id).add_columns(UserSession)
        .outerjoin(UserSession, and_(UserSession.user_id == SiapUser.id,
                                     UserSession.key_hash == key_hash,
                                     UserSession.ended_at.is_(None)))
    ).unique().first()
    if row is None:
        return None, None
    note_generation(row[1])
    return row[0], row[2]
