"""Flask-AppBuilder views. `register_views` adds every view and menu entry."""

from flask_babel import lazy_gettext as _l

from views.catalogue import PermitCategoryView, PermitTypeView, RequirementView
from views.public import RequirementsCatalogueView

CATALOGUE_MENU = "Catalogue"


def register_views(appbuilder):
    appbuilder.add_view_no_menu(RequirementsCatalogueView)
    appbuilder.add_link(
        "Persyaratan",
        label=_l("Requirements"),
        href="/persyaratan/",
        icon="fa-list-check",
    )
    appbuilder.add_view_no_menu(RequirementView)
    appbuilder.add_view(
        PermitCategoryView,
        "Permit Categories",
        label=_l("Permit Categories"),
        icon="fa-folder-open",
        category=CATALOGUE_MENU,
        category_label=_l("Permit Catalogue"),
        category_icon="fa-book",
    )
    appbuilder.add_view(
        PermitTypeView,
        "Permit Types",
        label=_l("Permit Types"),
        icon="fa-file-signature",
        category=CATALOGUE_MENU,
    )
