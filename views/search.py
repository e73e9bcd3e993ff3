"""The staff's search box: one match opens the file, several are listed, none is said
so. Only files the officer may see are found (app/services/staff_search.py)."""

from flask import current_app, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from app.services import staff_search
from app.workflow.access import staff_actions
from app.workflow.registry import workflow_of

SEARCH_VIEW = "StaffSearch"


def provide_search_box(appbuilder):
    """`staff_search_box()` for the navbar: for officers who may search and work on
    files (the admin, who sees no file, has no box)."""

    def staff_search_box():
        return (g.user.is_authenticated and appbuilder.sm.has_access("can_read", SEARCH_VIEW)
                and bool(staff_actions(g.user)))

    current_app.context_processor(lambda: {"staff_search_box": staff_search_box})


class StaffSearchView(BaseView):
    route_base = "/cari"
    default_view = "index"
    class_permission_name = SEARCH_VIEW
    method_permission_name = {"index": "read"}

    @expose("/")
    @has_access
    def index(self):
        text = staff_search.normalised(request.args.get("q", ""))
        found = staff_search.find_files(g.user, text)
        if len(found) == 1:
            return redirect(url_for("ApplicationView.detail", application_id=found[0].id))
        return self.render_template(
            "search/index.html", q=text, files=found[:staff_search.MAX_RESULTS],
            more=len(found) > staff_search.MAX_RESULTS, workflow_of=workflow_of)
