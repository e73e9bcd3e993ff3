"""Roles are database rows seeded with default grants that an admin may change."""

from app.cli import sync_permissions
from app.security import roles


def role_permissions(sm, name):
    return {(pv.permission.name, pv.view_menu.name) for pv in sm.find_role(name).permissions}


def test_every_role_of_the_design_exists(app):
    sm = app.appbuilder.sm
    for name in (roles.ADMIN, roles.PUBLIC, *roles.WORK_ROLES):
        assert sm.find_role(name) is not None, name


def test_every_work_role_has_its_default_grants(app):
    sm = app.appbuilder.sm
    for role_name, pairs in roles.DEFAULT_GRANTS.items():
        assert set(pairs) <= role_permissions(sm, role_name), role_name


def test_seeding_roles_again_keeps_grants_an_admin_added_and_restores_none_removed(app):
    sm = app.appbuilder.sm
    pemohon = sm.find_role(roles.PEMOHON)
    extra = sm.find_permission_view_menu("can_list", "PermitCategoryView")
    sm.add_permission_role(pemohon, extra)
    sync_permissions()
    assert ("can_list", "PermitCategoryView") in role_permissions(sm, roles.PEMOHON)


def test_a_grant_added_in_the_security_screens_takes_effect(app, login_as):
    sm = app.appbuilder.sm
    client = login_as("pemohon")
    assert client.get("/permitcategoryview/list/").status_code == 403
    sm.add_permission_role(
        sm.find_role(roles.PEMOHON), sm.find_permission_view_menu("can_list", "PermitCategoryView")
    )
    assert client.get("/permitcategoryview/list/").status_code == 200
