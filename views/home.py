"""The landing page, and the icon browsers ask every site for."""

from flask import current_app, send_from_directory
from flask_appbuilder import IndexView, expose


class HomeView(IndexView):
    index_template = "home.html"

    @expose("/favicon.ico")
    def favicon(self):
        """Asked by browsers at /favicon.ico whatever the page links (no 404 per page)."""
        return send_from_directory(current_app.static_folder, "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon", max_age=86400)
