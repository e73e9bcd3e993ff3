"""Lists of applications (Flask-AppBuilder list screens: search, sort, pages).

Each list is filtered in the database by the same clauses the engine uses, so a
user never sees a row they may not open. Rows link to the file page."""

from flask import current_app, g
from flask_appbuilder import ModelView
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import and_, or_

from app.services import clock
from app.workflow.access import inbox_clause, inbox_counts, visibility_clause
from app.workflow.registry import current, workflow_of
from models import Application
from views.columns import PresentedInterface


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
        "file_link": file_link, "status_text": status_text, "clock_badge": clock_badge})
    base_permissions = ["can_list"]
    list_columns = ["file_link", "permit_type.name", "applicant_name", "status_text",
                    "status_changed_at", "clock_badge"]
    search_columns = ["registration_number", "applicant_name", "status", "permit_type"]
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
    base_filters = [["id", WhereClause, lambda: or_(Application.owner_id == g.user.id,
                                                    Application.created_by_id == g.user.id)]]


class InboxView(ApplicationListView):
    """Files waiting for an action of the signed-in officer's roles."""

    list_title = _l("Inbox")
    base_order = ("status_changed_at", "asc")
    base_filters = [["id", WhereClause, lambda: inbox_clause(g.user)]]


class AllApplicationsView(ApplicationListView):
    """Every file the user may view (read-only)."""

    list_title = _l("All files")
    base_filters = [["id", WhereClause, lambda: visibility_clause(g.user)]]


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
                          lambda: and_(Application.kind == kind, visibility_clause(g.user))]],
    })
    return inbox, every


def provide_inbox_counts():
    """`inbox_count(menu name)` for the navbar: files waiting in a kind's inbox, counted
    once per page for the signed-in user."""

    def inbox_count(menu_name):
        if not menu_name.startswith("Inbox ") or not g.user.is_authenticated:
            return 0
        if "_siap_inbox_counts" not in g:
            g._siap_inbox_counts = inbox_counts(g.user)
        return g._siap_inbox_counts.get(menu_name.removeprefix("Inbox "), 0)

    current_app.context_processor(lambda: {"inbox_count": inbox_count})
