"""Flask-AppBuilder views. `register_views` adds every view and menu entry; the
default grants of the menus and lists sit beside them."""

from flask import current_app, g
from flask_babel import lazy_gettext as _l

from app.security import roles
from app.security.roles import extend_default_grants
from app.workflow import delegation
from app.workflow.artifact_display import artifact_label, artifact_lines
from app.workflow.registry import WORKFLOWS, staff_roles
from views.agency_settings import AgencySkrdSettingsView
from views.applications import ApplicationView
from views.assets import AvailabilityView
from views.audit import AuditLogView
from views.catalogue import (
    AgencyView,
    AssetView,
    PermitCategoryView,
    PermitTypeView,
    RequirementView,
)
from views.columns import return_to_their_lists, show_values_readably
from views.dashboard import DashboardView, staff_home
from views.delegations import SigningDelegationView
from views.document_templates import DocumentTemplateView, LetterheadView
from views.lists import (
    AllApplicationsView,
    InboxView,
    MyApplicationsView,
    ProcessFilesView,
    ProcessInboxView,
    kind_lists,
    provide_process_menus,
)
from views.navbar import provide_navbar_menu
from views.notifications import (
    MessageTemplateView,
    MyNotificationsView,
    OutboxView,
    TwilioCallbackView,
)
from views.password_reset import PasswordResetView, limit_password_reset
from views.privacy import PersonalDataView, PrivacyNoticeView
from views.processes import ProcessDesignerView
from views.public import RequirementsCatalogueView
from views.register import DecreeRegisterView
from views.search import SEARCH_VIEW, StaffSearchView, provide_search_box
from views.service_standards import HolidayView, StageTargetView
from views.signing import SigningView
from views.site_map import provide_site_maps
from views.statistics import StatisticsView
from views.tracking import TrackingView, limit_tracking
from views.verification import VerificationView
from views.walk_in import WalkInView
from views.workload import WORKLOAD_VIEW, WorkloadView

CATALOGUE_MENU = "Catalogue"
APPLICATIONS_MENU = "Applications"
NEW_APPLICATION = "New application"

_PAGES = [("can_read", "Application"), ("can_write", "Application"),
          ("menu_access", APPLICATIONS_MENU), ("can_read", "Notifications"),
          ("menu_access", "Notifications")]
_APPLICANT = [("can_list", "MyApplicationsView"), ("menu_access", "My applications"),
              ("menu_access", NEW_APPLICATION), ("menu_access", "My dashboard")]
_STAFF = [("can_list", "InboxView"), ("can_list", "AllApplicationsView")]
_PUBLIC = [("menu_access", "Persyaratan"), ("menu_access", "Lacak")]
_SIGNING = [("can_read", "Signing"), ("can_write", "Signing"), ("menu_access", "Signature")]
_STATISTICS = [("can_read", "Statistics"), ("menu_access", "Statistics")]
# The head of office appoints their Plt./Plh. (an admin too; changing one is the admin's).
_APPOINTING = [(permission, delegation.APPOINTMENT_VIEW)
               for permission in ("can_list", "can_show", "can_add")] + [
    ("menu_access", delegation.APPOINTMENT_MENU), ("menu_access", "Security")]
extend_default_grants({role: _STATISTICS for role in roles.STAFF_ROLES})
# Every officer's home page (what waits for them) and the search box of the navbar.
OFFICER_HOME_MENU = "Officer home"
_OFFICER_HOME = [("can_read", WORKLOAD_VIEW), ("menu_access", OFFICER_HOME_MENU),
                 ("can_read", SEARCH_VIEW)]
extend_default_grants({role: _OFFICER_HOME for role in roles.STAFF_ROLES})
# The decree register: who numbers and who signs decrees (an admin sees it too).
_REGISTER = [("can_read", "DecreeRegister"), ("menu_access", "Decree register")]
extend_default_grants({roles.BACK_OFFICE: _REGISTER, roles.KEPALA_DINAS: _REGISTER})

# One menu group per permit kind, with its inbox and file list, for the roles working on it.
KIND_LISTS = {kind: kind_lists(kind) for kind in WORKFLOWS}
for _kind, (_inbox, _every) in KIND_LISTS.items():
    extend_default_grants({role: [
        ("can_list", _inbox.__name__), ("menu_access", f"Inbox {_kind}"),
        ("can_list", _every.__name__), ("menu_access", f"All files {_kind}"),
        ("menu_access", f"Files {_kind}"),
    ] for role in staff_roles(_kind)})
extend_default_grants(
    {
        roles.PUBLIC: _PUBLIC,
        roles.PEMOHON: _PUBLIC + _PAGES + _APPLICANT,
        roles.FRONT_OFFICE: _PUBLIC + _PAGES + _APPLICANT + _STAFF,
        **{role: _PUBLIC + _PAGES + _STAFF
           for role in roles.STAFF_ROLES if role not in (roles.FRONT_OFFICE, roles.KEPALA_DINAS)},
        roles.KEPALA_DINAS: _PUBLIC + _PAGES + _STAFF + _SIGNING + _APPOINTING,
    }
)


def register_views(appbuilder):
    appbuilder.add_view_no_menu(RequirementsCatalogueView)
    appbuilder.add_link(
        "Persyaratan", label=_l("Requirements"), href="/persyaratan/", icon="fa-list-check"
    )
    limit_tracking(appbuilder, appbuilder.add_view_no_menu(TrackingView))
    limit_password_reset(appbuilder, appbuilder.add_view_no_menu(PasswordResetView))
    appbuilder.add_link("Lacak", label=_l("Track"), href="/lacak/",
                        icon="fa-magnifying-glass-location")
    appbuilder.add_view_no_menu(ApplicationView)
    appbuilder.add_view_no_menu(PrivacyNoticeView)
    appbuilder.add_view_no_menu(PersonalDataView)
    provide_site_maps(current_app)
    # An issued artifact's name and data in words, on the file page and the print view.
    current_app.jinja_env.globals.update(artifact_label=artifact_label,
                                         artifact_lines=artifact_lines)
    appbuilder.add_view_no_menu(AvailabilityView)
    appbuilder.add_view_no_menu(VerificationView)
    appbuilder.add_view_no_menu(WalkInView)
    appbuilder.add_view(WorkloadView, OFFICER_HOME_MENU, label=_l("Officer home"),
                        icon="fa-house-user", category=APPLICATIONS_MENU,
                        category_label=_l("Applications"), category_icon="fa-folder-open")
    appbuilder.add_view_no_menu(StaffSearchView)
    provide_search_box(appbuilder)
    appbuilder.add_view(SigningView, "Signature", label=_l("Signature"), icon="fa-signature",
                        category=APPLICATIONS_MENU,
                        menu_cond=lambda: g.user.is_authenticated and SigningView.signs_decrees())
    provide_navbar_menu()
    appbuilder.add_link(
        NEW_APPLICATION, label=_l("New application"), href="/permohonan/baru",
        icon="fa-file-circle-plus", category=APPLICATIONS_MENU,
        category_label=_l("Applications"), category_icon="fa-folder-open",
    )
    appbuilder.add_view(DashboardView, "My dashboard", label=_l("My dashboard"),
                        icon="fa-gauge", category=APPLICATIONS_MENU,
                        menu_cond=lambda: not staff_home(appbuilder))
    appbuilder.add_view(MyApplicationsView, "My applications", label=_l("My applications"),
                        icon="fa-folder", category=APPLICATIONS_MENU)
    appbuilder.add_view_no_menu(InboxView)  # every kind at once (links, tests)
    appbuilder.add_view_no_menu(AllApplicationsView)
    for kind, (inbox, every) in KIND_LISTS.items():
        appbuilder.add_view(inbox, f"Inbox {kind}", label=_l("Inbox"), icon="fa-inbox",
                            category=f"Files {kind}", category_label=WORKFLOWS[kind].title,
                            category_icon="fa-folder-open")
        appbuilder.add_view(every, f"All files {kind}", label=_l("All files"),
                            icon="fa-folder-tree", category=f"Files {kind}")
    # The configured processes' groups: one pair of lists, a group each from the registry.
    appbuilder.add_view_no_menu(ProcessInboxView)
    appbuilder.add_view_no_menu(ProcessFilesView)
    provide_process_menus(appbuilder)
    appbuilder.add_view(StatisticsView, "Statistics", label=_l("Statistics"),
                        icon="fa-chart-bar", category=APPLICATIONS_MENU)
    appbuilder.add_view(DecreeRegisterView, "Decree register", label=_l("Decree register"),
                        icon="fa-book", category=APPLICATIONS_MENU)

    appbuilder.add_view(MyNotificationsView, "Notifications", label=_l("Notifications"),
                        icon="fa-bell", category=APPLICATIONS_MENU)
    appbuilder.add_view_no_menu(TwilioCallbackView)
    # "WhatsApp outbox" stays the menu permission's name; the outbox has every channel now.
    appbuilder.add_view(OutboxView, "WhatsApp outbox", label=_l("Outbox"),
                        icon="fa-paper-plane", category="Notifications admin",
                        category_label=_l("Notifications"), category_icon="fa-bell")
    appbuilder.add_view(MessageTemplateView, "Message templates",
                        label=_l("Message templates"), icon="fa-comment",
                        category="Notifications admin")

    appbuilder.add_view(SigningDelegationView, delegation.APPOINTMENT_MENU,
                        label=_l("Plt./Plh. appointments"), icon="fa-user-clock",
                        category="Security")
    # The Admin's only (granted to no other role by default).
    appbuilder.add_view(AuditLogView, "Audit log", label=_l("Audit log"),
                        icon="fa-clipboard-list", category="Security")

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
    appbuilder.add_view(ProcessDesignerView, "Processes", label=_l("Processes"),
                        icon="fa-diagram-project", category=CATALOGUE_MENU)
    appbuilder.add_view(HolidayView, "Days off", label=_l("Days off"),
                        icon="fa-calendar-xmark", category=CATALOGUE_MENU)
    appbuilder.add_view(StageTargetView, "Stage targets", label=_l("Stage targets"),
                        icon="fa-stopwatch", category=CATALOGUE_MENU)
    appbuilder.add_view(DocumentTemplateView, "Document templates",
                        label=_l("Document templates"), icon="fa-file-lines",
                        category=CATALOGUE_MENU)
    appbuilder.add_view(LetterheadView, "Letterhead", label=_l("Letterhead"),
                        icon="fa-landmark", category=CATALOGUE_MENU)
    appbuilder.add_view(AgencySkrdSettingsView, "SKRD settings", label=_l("SKRD settings"),
                        icon="fa-file-invoice-dollar", category=CATALOGUE_MENU)
    show_values_readably(appbuilder)
    return_to_their_lists(appbuilder)
