"""The role editor (Keamanan → Daftar Peran): Flask-AppBuilder's role screens with the
permissions named for people and grouped by workflow and by screen
(app/security/permission_names.py)."""

from flask import current_app
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.security.sqla.models import PermissionView
from flask_appbuilder.security.views import RoleModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms.fields.choices import Choice

from app.extensions import db
from app.security.permission_names import PermissionNames


def _names():
    return PermissionNames(current_app.appbuilder)


class GroupedPermissionsField(QuerySelectMultipleField):
    """FAB's select of permissions, its options in optgroups with human names."""

    def has_groups(self):
        return True

    def iter_groups(self):
        chosen = {pv.id for pv in self.data or []}
        objects = [obj for _, obj in self._get_object_list()]
        for group, entries in _names().grouped(objects):
            yield group, [Choice(value=str(pv.id), label=label, selected=pv.id in chosen,
                                 render_kw={})
                          for pv, label in entries]


def permissions_field():
    return GroupedPermissionsField(
        _l("Permissions"),
        query_func=lambda: db.session.scalars(select(PermissionView)).unique().all(),
        get_pk_func=lambda permission_view: permission_view.id,
        widget=Select2ManyWidget(),
    )


def permissions_by_group(permission_views):
    """The show page: each group's permissions as a list under its name."""
    parts = []
    for group, entries in _names().grouped(permission_views or []):
        items = "".join(f"<li>{escape(label)}</li>" for _, label in entries)
        parts.append(f"<strong>{escape(group)}</strong><ul>{items}</ul>")
    return Markup("".join(parts))


def permission_count(permission_views):
    return gettext("%(count)d permissions", count=len(permission_views or []))


class SiapRoleModelView(RoleModelView):
    """Set as the security manager's `rolemodelview`. The list counts each role's
    permissions; the show page and the add, edit and search forms name and group them."""

    class_permission_name = "RoleModelView"  # the grants roles already hold
    list_widget = ListWidget  # FAB's role widgets print the raw names, formatters unused
    show_widget = ShowWidget
    add_form_extra_fields = {"permissions": permissions_field()}
    edit_form_extra_fields = {"permissions": permissions_field()}
    search_form_extra_fields = {"permissions": permissions_field()}
    formatters_columns = {"permissions": permissions_by_group}

    def _get_list_widget(self, **kwargs):
        widgets = super()._get_list_widget(**kwargs)
        args = widgets["list"].template_args
        args["formatters_columns"] = {**args["formatters_columns"],
                                      "permissions": permission_count}
        return widgets
