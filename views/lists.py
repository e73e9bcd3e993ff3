"""Lists of applications (Flask-AppBuilder list screens: search, sort, pages).

Each list is filtered in the database by the same clauses the engine uses, so a
user never sees a row they may not open. Rows link to the file page."""

from flask import abort, current_app, flash, g, redirect, request
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.exceptions import FABException
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.menu import MenuItem
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import and_
from sqlalchemy.orm import joinedload
from wtforms.validators import Optional

from app.i18n import local_time
from app.security.roles import PROCESS_FILES_VIEW, PROCESS_INBOX_VIEW, kind_menus
from app.services.catalogue import permit_type_options
from app.workflow import clock
from app.workflow.access import inbox_clause
from app.workflow.files import own_clause, visible_clause
from app.workflow.registry import WORKFLOWS, current, current_workflows, find, workflow_of
from models import Application
from views.columns import PresentedInterface
from views.keyset import KeysetListMixin


class WhereClause(BaseFilter):
    """A base filter whose value is a function returning a SQL condition."""

    name = "where"
    arg_name = "where"

    def apply(self, query, clause_factory):
        return query.filter(clause_factory())


def file_link(application):
    text = application.registration_number or gettext("Draft #%(id)s", id=application.id)
    return Markup(f'<a href="/permohonan/{application.id}">{escape(text)}</a>')


def status_text(application):
    return workflow_of(application).label(application.status)


def clock_badge(application):
    """Working days used of the service standard; red when past a target."""
    reading = clock.read(application, workflow_of(application))
    if reading.state == "not_started":
        return ""
    style = "danger" if reading.late else {"paused": "warning", "stopped": "default"}.get(
        reading.state, "success")
    text = gettext("%(used)d of %(target)d working days", used=reading.days_used,
                   target=reading.target)
    if reading.state == "paused":
        text += " · " + gettext("paused")
    if reading.over_stage_target:
        text += " · " + gettext("stage late")
    return Markup(f'<span class="label label-{style}">{escape(text)}</span>')


class ApplicationListView(ModelView):
    datamodel = PresentedInterface(Application, presented={
        "file_link": file_link, "status_text": status_text, "clock_badge": clock_badge},
        loaded=(joinedload(Application.permit_type),))  # its name and service standard
    base_permissions = ["can_list"]
    list_columns = ["file_link", "permit_type.name", "applicant_name", "status_text",
                    "status_changed_at", "clock_badge"]
    formatters_columns = {"status_changed_at": local_time}
    search_columns = ["registration_number", "applicant_name", "status", "permit_type"]
    # The permit types offered come from the process's copy of the catalogue, not from a
    # count and a read of the table on every page (Flask-AppBuilder's default).
    search_form_extra_fields = {"permit_type": QuerySelectField(
        _l("Permit type"), query_func=permit_type_options,
        get_pk_func=lambda option: option.id, allow_blank=True, validators=[Optional()],
        widget=Select2Widget())}
    order_columns = ["status_changed_at", "applicant_name"]
    base_order = ("status_changed_at", "desc")
    page_size = 25
    label_columns = {
        "file_link": _l("Registration number"),
        "registration_number": _l("Registration number"),
        "permit_type": _l("Permit type"),
        "permit_type.name": _l("Permit type"),
        "applicant_name": _l("Applicant name"),
        "status": _l("Status"),
        "status_text": _l("Status"),
        "status_changed_at": _l("Since"),
        "clock_badge": _l("Service time"),
    }


class MyApplicationsView(ApplicationListView):
    """'Permohonan Saya': the applicant's own files, and the walk-in files an officer
    registered."""

    list_title = _l("My applications")
    base_filters = [["id", WhereClause, lambda: own_clause(g.user)]]


class InboxView(ApplicationListView):
    """Files waiting for an action of the signed-in officer's roles."""

    list_title = _l("Inbox")
    base_order = ("status_changed_at", "asc")
    base_filters = [["id", WhereClause, lambda: inbox_clause(g.user)]]


class AllApplicationsView(KeysetListMixin, ApplicationListView):
    """Every file the user may view (read-only), paged by key (views/keyset.py)."""

    list_title = _l("All files")
    base_filters = [["id", WhereClause, lambda: visible_clause(g.user)]]


def kind_lists(kind):
    """The inbox and the file list of one permit kind, each a view of its own (its own
    permission and menu entry), for the kind's menu group."""
    name = "".join(part.title() for part in kind.split("_"))
    title = current(kind).title
    inbox = type(f"Inbox{name}View", (InboxView,), {
        "list_title": _l("Inbox: %(kind)s", kind=title),
        "base_filters": [["id", WhereClause,
                          lambda: and_(Application.kind == kind, inbox_clause(g.user))]],
    })
    every = type(f"AllFiles{name}View", (AllApplicationsView,), {
        "list_title": _l("All files: %(kind)s", kind=title),
        "base_filters": [["id", WhereClause,
                          lambda: and_(Application.kind == kind, visible_clause(g.user))]],
    })
    return inbox, every


# --- configured processes: one pair of lists for all, a menu group each ----------------

def _listed_kind():
    return (request.view_args or {}).get("kind")


class _ProcessList:
    """A list of one configured process's files, the kind in the address
    (/<view>/list/<kind>/): its menu group links here. Open to whoever holds the menu
    entry of that process's list (granted at publication, moved in the role screen);
    the rows are filtered by the same clauses as every other list."""

    base_permissions = ["can_list"]
    menu_index = 1  # which of kind_menus(kind) opens this list

    @expose("/list/")
    @has_access
    def list(self):
        abort(404)  # every list is of one process: /list/<kind>/

    @expose("/list/<kind>/")
    @has_access
    @permission_name("list")
    def list_of_kind(self, kind):
        workflow = find(kind)
        if workflow is None or kind in WORKFLOWS:
            abort(404)  # the built-in kinds have lists of their own
        if not self.appbuilder.sm.has_access("menu_access", kind_menus(kind)[self.menu_index]):
            abort(403)
        self.update_redirect()
        try:
            widgets = self._list()
        except FABException as exc:
            flash(f"An error occurred: {exc}", "warning")
            return redirect(self.get_redirect())
        return self.render_template(self.list_template, widgets=widgets,
                                    title=self.title_of(workflow.title))


class ProcessInboxView(_ProcessList, InboxView):
    """Files of one configured process waiting for the signed-in officer."""

    class_permission_name = PROCESS_INBOX_VIEW
    route_base = "/processinboxview"
    list_title = _l("Inboxes of the configured processes")  # the role screen's name
    menu_index = 1
    base_filters = [["id", WhereClause,
                     lambda: and_(Application.kind == _listed_kind(), inbox_clause(g.user))]]

    @staticmethod
    def title_of(process):
        return gettext("Inbox: %(kind)s", kind=process)


class ProcessFilesView(_ProcessList, AllApplicationsView):
    """Every file of one configured process the user may view."""

    class_permission_name = PROCESS_FILES_VIEW
    route_base = "/processfilesview"
    list_title = _l("File lists of the configured processes")
    menu_index = 2
    base_filters = [["id", WhereClause, lambda: and_(Application.kind == _listed_kind(),
                                                     visible_clause(g.user))]]

    @staticmethod
    def title_of(process):
        return gettext("All files: %(kind)s", kind=process)


class ProcessMenus:
    """The menu groups of the configured processes, kept in step with the registry: one
    per published process, by name, after the built-in kinds' groups, each with its
    inbox (and the number of files waiting) and its file list. Each worker rebuilds them
    when the set of published processes it knows changes (the registry rechecks every
    PROCESS_RECHECK_SECONDS), so a process published elsewhere shows on the next request
    here; who sees a group is its `menu_access` permissions' business."""

    def __init__(self, appbuilder):
        self.appbuilder, self.shown = appbuilder, ()

    def wanted(self):
        return tuple(sorted(((w.kind, str(w.title)) for w in current_workflows()
                             if w.kind not in WORKFLOWS), key=lambda pair: pair[1]))

    def sync(self):
        wanted = self.wanted()
        if wanted == self.shown:
            return
        menu = self.appbuilder.menu
        kept = [item for item in menu.menu if not getattr(item, "siap_process", False)]
        built_in = {kind_menus(kind)[0] for kind in WORKFLOWS}
        after = max((i + 1 for i, item in enumerate(kept) if item.name in built_in),
                    default=len(kept))
        groups = [self.group(kind, title) for kind, title in wanted]
        menu.menu = kept[:after] + groups + kept[after:]  # one assignment: readers see
        self.shown = wanted                               # the old list or the new one

    @staticmethod
    def group(kind, title):
        group_name, inbox_name, files_name = kind_menus(kind)
        group = MenuItem(group_name, icon="fa-folder-open", label=title, childs=[
            MenuItem(inbox_name, href=f"{ProcessInboxView.route_base}/list/{kind}/",
                     icon="fa-inbox", label=_l("Inbox")),
            MenuItem(files_name, href=f"{ProcessFilesView.route_base}/list/{kind}/",
                     icon="fa-folder-tree", label=_l("All files")),
        ])
        group.siap_process = True
        return group


def provide_process_menus(appbuilder):
    """Keep the configured processes' menu groups in step before each page."""
    menus = ProcessMenus(appbuilder)

    def sync():
        if request.endpoint not in ("static", "appbuilder.static", "leaflet.static"):
            menus.sync()

    current_app.before_request(sync)
    return menus
