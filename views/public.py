"""Public pages that need no login."""

from flask_appbuilder import BaseView, expose

from app.services.catalogue import active_catalogue


class RequirementsCatalogueView(BaseView):
    """'Lihat Persyaratan': every active permit type grouped by category."""

    route_base = "/persyaratan"
    default_view = "index"

    @expose("/")
    def index(self):
        return self.render_template("catalogue/requirements.html", catalogue=active_catalogue())
