"""Human names for Flask-AppBuilder's permissions, for the role editor: "Terbitkan SPS
PNBP — PKKPR Non Berusaha" instead of "terbitkan sps on Workflow pkkpr_nb", "Ubah profil
sendiri (buka formulir)" instead of "can this form get on UserInfoEditView".

A workflow's permissions are named by its definition (the action's label) and grouped
by workflow; every other permission by its screen (the menu label or title of the view
that holds it) and what it allows there, grouped by screen."""

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.workflow.registry import current_workflows

# What each permission allows on its screen, in the order they are listed.
VERBS = {
    "menu_access": _l("menu entry"),
    "can_list": _l("list"),
    "can_show": _l("view details"),
    "can_read": _l("open"),
    "can_add": _l("add"),
    "can_edit": _l("edit"),
    "can_write": _l("act"),
    "can_delete": _l("delete"),
    "can_download": _l("download"),
    "can_this_form_get": _l("open the form"),
    "can_this_form_post": _l("submit the form"),
    "can_userinfo": _l("own profile page"),
    "userinfoedit": _l("edit own profile"),
    "resetmypassword": _l("change own password"),
    "resetpasswords": _l("reset users' passwords"),
    "can_chart": _l("chart"),
    "can_get": _l("read through the API"),
    "can_info": _l("describe through the API"),
    "can_post": _l("create through the API"),
    "can_put": _l("change through the API"),
}

# Screens whose view has no menu entry and no title to name it by.
SCREEN_LABELS = {
    "Application": _l("Application files"),
    "Signing": _l("Digital signature"),
    "Statistics": _l("Statistics"),
    "Notifications": _l("My notifications"),
    "UserInfoEditView": _l("Edit own profile"),
    "ResetMyPasswordView": _l("Change own password"),
    "ResetPasswordView": _l("Reset a user's password"),
    "MenuApi": _l("Menu (API)"),
    "PersonalData": _l("My personal data"),
}
MENUS = _l("Menu groups and links")


@dataclass(frozen=True)
class PermissionName:
    group: str
    label: str
    order: tuple  # (group rank, group, rank within the group, label)


class PermissionNames:
    """Names for the permissions of one app: built from its views and menu."""

    def __init__(self, appbuilder):
        self.screens, self.actions = {}, {}
        for view in appbuilder.baseviews:
            name = view.class_permission_name
            title = getattr(view, "list_title", None) or getattr(view, "form_title", None)
            if title and name not in self.screens:
                self.screens[name] = title
            for action_name, item in (getattr(view, "actions", None) or {}).items():
                self.actions[(name, action_name)] = item.text
        self.menus = {}  # menu item name → (label, screen of its view or None)
        self._read_menu(appbuilder.menu.get_list())

    def _read_menu(self, items, parent=None):
        for item in items:
            screen = item.baseview.class_permission_name if item.baseview else None
            label = gettext(str(item.label or item.name))  # FAB's menus translate so too
            # "PKKPR Non Berusaha › Kotak Masuk": the path people see, never ambiguous.
            self.menus[item.name] = (f"{parent} › {label}" if parent else label, screen)
            if screen and screen not in self.screens:
                self.screens[screen] = item.label
            self._read_menu(item.childs, label)

    def screen(self, view_name):
        label = SCREEN_LABELS.get(view_name) or self.screens.get(view_name) or view_name
        return gettext(str(label))  # FAB's own titles are msgids of the catalog

    def verb(self, permission, view_name):
        verb = VERBS.get(permission) or self.actions.get((view_name, permission))
        return str(verb) if verb else permission.removeprefix("can_").replace("_", " ")

    def describe(self, permission_view):
        permission = permission_view.permission.name
        view_name = permission_view.view_menu.name
        workflow = next((w for w in current_workflows() if w.permission_view == view_name),
                        None)
        if workflow is not None:
            kind = str(workflow.title)
            permissions = [t.action for t in workflow.transitions] + list(
                workflow.extra_permissions)
            rank = permissions.index(permission) if permission in permissions else 999
            return PermissionName(
                group=gettext("Workflow: %(name)s", name=kind),
                label=f"{workflow.permission_label(permission)} — {kind}",
                order=(0, kind, rank, ""))
        if permission == "menu_access":
            label, screen = self.menus.get(view_name, (view_name, None))
            group = self.screen(screen) if screen else str(MENUS)
            return PermissionName(
                group=group, label=f"{label} ({self.verb(permission, view_name)})",
                order=(2 if screen is None else 1, group, 0, label))
        group = self.screen(view_name)
        ranks = list(VERBS)
        return PermissionName(
            group=group, label=f"{group} ({self.verb(permission, view_name)})",
            order=(1, group, ranks.index(permission) if permission in ranks else len(ranks),
                   permission))

    def grouped(self, permission_views):
        """[(group, [(permission_view, label)])] in display order."""
        named = sorted(((self.describe(pv), pv) for pv in permission_views),
                       key=lambda pair: pair[0].order)
        groups = {}
        for name, permission_view in named:
            groups.setdefault(name.group, []).append((permission_view, name.label))
        return list(groups.items())
