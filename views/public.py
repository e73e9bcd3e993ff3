"""Public pages that need no login."""

from flask_appbuilder import BaseView, expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from models import PermitCategory, PermitType


def active_catalogue():
    """Categories in display order, each with its active permit types and their
    requirements loaded (three queries, whatever the size of the catalogue)."""
    categories = db.session.scalars(
        select(PermitCategory)
        .order_by(PermitCategory.position, PermitCategory.name)
        .options(
            selectinload(PermitCategory.permit_types).selectinload(PermitType.requirements)
        )
    ).all()
    grouped = []
    for category in categories:
        permit_types = [t for t in category.permit_types if t.active]
        if permit_types:
            grouped.append((category, permit_types))
    return grouped


class RequirementsCatalogueView(BaseView):
    """'Lihat Persyaratan': every active permit type grouped by category."""

    route_base = "/persyaratan"
    default_view = "index"

    @expose("/")
    def index(self):
        return self.render_template("catalogue/requirements.html", catalogue=active_catalogue())
