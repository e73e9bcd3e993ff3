"""Public pages that need no login."""

from flask import g
from flask_appbuilder import BaseView, expose

from app.services.applications import may_create
from app.services.catalogue import active_catalogue
from app.workflow.registry import current_workflows


class RequirementsCatalogueView(BaseView):
    """'Lihat Persyaratan': every active permit type grouped by category."""

    route_base = "/persyaratan"
    default_view = "index"

    @expose("/")
    def index(self):
        user = g.user
        open_kinds = (
            {w.kind for w in current_workflows() if may_create(user, w.kind)}
            if user.is_authenticated else set()
        )
        return self.render_template("catalogue/requirements.html",
                                    catalogue=active_catalogue(), open_kinds=open_kinds)
