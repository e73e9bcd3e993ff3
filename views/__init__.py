"""Flask-AppBuilder views. `register_views` adds every view and menu entry; the
default grants of the menus and lists sit beside them."""

from flask_babel import lazy_gettext as _l

from app.security import roles
from app.security.roles import extend_default_grants
from views.applications import ApplicationView
from views.assets import AvailabilityView
from views.catalogue import (
    AgencyView,
    AssetView,
    PermitCategoryView,
    PermitTypeView,
    RequirementView,
)
from views.lists import AllApplicationsView, InboxView, MyApplicationsView
from views.notifications import (
    MessageTemplateView,
    MyNotificationsView,
    OutboxView,
    TwilioCallbackView,
)
from views.public import RequirementsCatalogueView
from views.signing import SigningView
from views.verification import VerificationView

CATALOGUE_MENU = "Catalogue"
APPLICATIONS_MENU = "Applications"
NEW_APPLICATION = "New application"

_PAGES = [("can_read", "Application"), ("can_write", "Application"),
          ("menu_access", APPLICATIONS_MENU), ("can_read", "Notifications"),
          ("menu_access", "Notifications")]
_APPLICANT = [("can_list", "MyApplicationsView"), ("menu_access", "My applications"),
              ("menu_access", NEW_APPLICATION)]
_STAFF = [("can_list", "InboxView"), ("menu_access", "Inbox"),
          ("can_list", "AllApplicationsView"), ("menu_access", "All files")]
_PUBLIC = [("menu_access", "Persyaratan")]
_SIGNING = [("can_read", "Signing"), ("can_write", "Signing"), ("menu_access", "Signature")]
extend_default_grants(
    {
        roles.PUBLIC: _PUBLIC,
        roles.PEMOHON: _PUBLIC + _PAGES + _APPLICANT,
        roles.FRONT_OFFICE: _PUBLIC + _PAGES + _APPLICANT + _STAFF,
        **{role: _PUBLIC + _PAGES + _STAFF
           for role in roles.STAFF_ROLES if role not in (roles.FRONT_OFFICE, roles.KEPALA_DINAS)},
        roles.KEPALA_DINAS: _PUBLIC + _PAGES + _STAFF + _SIGNING,
    }
)


def register_views(appbuilder):
    appbuilder.add_view_no_menu(RequirementsCatalogueView)
    appbuilder.add_link(
        "Persyaratan", label=_l("Requirements"), href="/persyaratan/", icon="fa-list-check"
    )
    appbuilder.add_view_no_menu(ApplicationView)
    appbuilder.add_view_no_menu(AvailabilityView)
    appbuilder.add_view_no_menu(VerificationView)
    appbuilder.add_view(SigningView, "Signature", label=_l("Signature"), icon="fa-signature",
                        category=APPLICATIONS_MENU)
    appbuilder.add_link(
        NEW_APPLICATION, label=_l("New application"), href="/permohonan/baru",
        icon="fa-file-circle-plus", category=APPLICATIONS_MENU,
        category_label=_l("Applications"), category_icon="fa-folder-open",
    )
    appbuilder.add_view(MyApplicationsView, "My applications", label=_l("My applications"),
                        icon="fa-folder", category=APPLICATIONS_MENU)
    appbuilder.add_view(InboxView, "Inbox", label=_l("Inbox"), icon="fa-inbox",
                        category=APPLICATIONS_MENU)
    appbuilder.add_view(AllApplicationsView, "All files", label=_l("All files"),
                        icon="fa-folder-tree", category=APPLICATIONS_MENU)

    appbuilder.add_view(MyNotificationsView, "Notifications", label=_l("Notifications"),
                        icon="fa-bell", category=APPLICATIONS_MENU)
    appbuilder.add_view_no_menu(TwilioCallbackView)
    appbuilder.add_view(OutboxView, "WhatsApp outbox", label=_l("WhatsApp outbox"),
                        icon="fa-paper-plane", category="Notifications admin",
                        category_label=_l("Notifications"), category_icon="fa-bell")
    appbuilder.add_view(MessageTemplateView, "Message templates",
                        label=_l("Message templates"), icon="fa-comment",
                        category="Notifications admin")

    appbuilder.add_view_no_menu(RequirementView)
    appbuilder.add_view(
        PermitCategoryView, "Permit Categories", label=_l("Permit Categories"),
        icon="fa-folder-open", category=CATALOGUE_MENU, category_label=_l("Permit Catalogue"),
        category_icon="fa-book",
    )
    appbuilder.add_view(
        PermitTypeView, "Permit Types", label=_l("Permit Types"), icon="fa-file-signature",
        category=CATALOGUE_MENU,
    )
    appbuilder.add_view(AgencyView, "Agencies", label=_l("Agencies"), icon="fa-landmark",
                        category=CATALOGUE_MENU)
    appbuilder.add_view(AssetView, "Regional assets", label=_l("Regional assets"),
                        icon="fa-building", category=CATALOGUE_MENU)
