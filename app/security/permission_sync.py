"""Flask-AppBuilder's permission sync and the roles' default grants, in a few statements.

FAB's own sync (`appbuilder.add_permissions(update_perms=True)`) asks and writes one row
at a time — about 5,000 statements for this app, most of a test session's start-up.
Here: what every registered view and menu entry needs, and what every role is granted
by default (app/security/roles.py), read once and the missing rows inserted in one
statement per table. It never takes a grant away;
permissions a view no longer has stay until `flask fab security-cleanup`."""

from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from sqlalchemy import insert, select

from app.extensions import db
from app.security import roles
from app.security.roles import ADMIN, PUBLIC, is_workflow_permission


def screen_permissions(appbuilder):
    """{(permission, view menu)} of every registered view and menu entry (FAB's sync
    grants all of them to Admin)."""
    pairs = {(permission, view.class_permission_name)
             for view in appbuilder.baseviews for permission in view.base_permissions or ()}
    for category in appbuilder.menu.get_list():
        names = [category.name, *(item.name for item in category.childs if item.name != "-")]
        pairs |= {("menu_access", name) for name in names}
    return pairs


def wanted_grants(appbuilder):
    """{role name: {(permission, view menu)}}: the defaults; Admin also every screen and
    every default grant but the workflows' actions (roles.py: separation of duties)."""
    wanted = {role: set(pairs) for role, pairs in roles.DEFAULT_GRANTS.items()}
    wanted.setdefault(PUBLIC, set())
    admin = wanted.setdefault(ADMIN, set())
    admin |= screen_permissions(appbuilder)
    admin |= {pair for pairs in roles.DEFAULT_GRANTS.values() for pair in pairs
              if not is_workflow_permission(pair[1])}
    return wanted


def _ensure_names(model, names):
    """{name: id} of `model` (Permission, ViewMenu or Role) rows, the missing inserted."""
    known = dict(db.session.execute(select(model.name, model.id)).all())
    missing = sorted(set(names) - known.keys())
    if missing:
        db.session.execute(insert(model), [{"name": name} for name in missing])
        known = dict(db.session.execute(select(model.name, model.id)).all())
    return known


def sync_permissions(appbuilder):
    """Create the permissions of every registered view, the roles and their default
    grants. Returns the number of grants added to roles other than Admin."""
    wanted = wanted_grants(appbuilder)
    pairs = set().union(*wanted.values())
    permission_ids = _ensure_names(Permission, {permission for permission, _ in pairs})
    view_ids = _ensure_names(ViewMenu, {view for _, view in pairs})
    role_ids = _ensure_names(Role, wanted)

    def permission_views():
        return {(permission_id, view_id): pv_id for pv_id, permission_id, view_id in
                db.session.execute(select(PermissionView.id, PermissionView.permission_id,
                                          PermissionView.view_menu_id))}

    known = permission_views()
    missing = sorted({(permission_ids[p], view_ids[v]) for p, v in pairs} - known.keys())
    if missing:
        db.session.execute(insert(PermissionView), [
            {"permission_id": permission_id, "view_menu_id": view_id}
            for permission_id, view_id in missing])
        known = permission_views()

    granted = set(db.session.execute(select(assoc_permissionview_role.c.role_id,
                                            assoc_permissionview_role.c.permission_view_id)))
    new_grants = sorted({(role_ids[role], known[permission_ids[p], view_ids[v]])
                         for role, role_pairs in wanted.items() for p, v in role_pairs}
                        - granted)
    if new_grants:
        db.session.execute(insert(assoc_permissionview_role), [
            {"role_id": role_id, "permission_view_id": pv_id} for role_id, pv_id in new_grants])
    db.session.commit()
    return sum(role_id != role_ids[ADMIN] for role_id, _ in new_grants)
