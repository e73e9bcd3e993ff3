"""The landing page, and the icon browsers ask every site for. A signed-in officer
starts from their own home page instead (views/workload.py: `home_of`)."""

from flask import current_app, g, redirect, send_from_directory
from flask_appbuilder import IndexView, expose

from views.workload import home_of


class HomeView(IndexView):
    index_template = "home.html"

    @expose("/")
    def index(self):
        home = home_of(g.user, self.appbuilder)
        if home is not None:
            return redirect(home)
        return super().index()

    @expose("/favicon.ico")
    def favicon(self):
        """Asked by browsers at /favicon.ico whatever the page links (no 404 per page)."""
        return send_from_directory(current_app.static_folder, "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon", max_age=86400)
