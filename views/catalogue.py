"""Admin screens for the permit catalogue."""

from datetime import date

from flask_appbuilder.models.sqla.filters import FilterEqual, FilterNotEqual
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms.validators import NumberRange, Optional, Regexp, ValidationError

from app.geo import KECAMATAN_BLITAR
from app.security import roles
from app.workflow import deadline_settings
from app.workflow.numbering import check_format, render_number
from app.workflow.registry import current_workflows, find
from models import Agency, Asset, PermitCategory, PermitType, Requirement, WorkflowKind
from models.asset import TARIFF_UNITS, USE_FORMS
from models.catalogue import UPLOAD_TYPES
from models.choices import Choices
from views.admin import CatalogueModelView, GuardedInterface

# Place names, not codes: offered as a list, not constrained in the database.
KECAMATAN = Choices({name: name for name in KECAMATAN_BLITAR})
ONLY_ACTIVE = [["active", FilterEqual, True]]


def accepted_types_validator(form, field):
    types = [t.strip().lower() for t in (field.data or "").split(",") if t.strip()]
    unknown = [t for t in types if t not in UPLOAD_TYPES]
    if not types or unknown:
        raise ValidationError(
            _l("List file types separated by commas, chosen from: %(types)s.",
               types=", ".join(UPLOAD_TYPES))
        )
    field.data = ",".join(dict.fromkeys(types))


def number_format_validator(form, field):
    unknown = check_format(field.data or "")
    if unknown:
        raise ValidationError(
            _l("Unknown or missing placeholders: %(names)s. Use {seq} with {year}, {month}, "
               "{roman_month} or {code}, e.g. 503/{seq:03d}/409.110/{year}.",
               names=", ".join(unknown))
        )
    try:
        render_number(field.data, 1, "KODE", date(2026, 1, 1))
    except (ValueError, IndexError, KeyError):
        raise ValidationError(_l("The number format cannot be rendered.")) from None


def asset_terms_validator(form, field):
    """An asset type needs its agency, use form, tariff and unit."""
    if form.workflow_kind.data != WorkflowKind.ASET.value:
        return
    if field.data is None or field.data < 0:
        raise ValidationError(_l("An asset type needs a tariff of 0 or more."))
    missing = [name for name in ("agency", "use_form", "tariff_unit") if not form[name].data]
    if missing:
        raise ValidationError(_l("An asset type also needs its managing agency, use form "
                                 "and tariff unit."))


class WorkflowChoices:
    """The workflows a permit type may run on: the built-in ones and every published
    process, read when the form is shown (a process published meanwhile is offered)."""

    @property
    def labels(self):
        return {workflow.kind: workflow.title for workflow in current_workflows()}

    def label(self, value):
        return self.labels.get(value, value)


def initialling_roles_may_initial(form, field):
    """A role named for the initials must hold the permission to initial (paraf) in the
    permit type's workflow, or the file would wait for it forever."""
    workflow = find(form.workflow_kind.data)
    if workflow is None or not field.data:
        return
    wanted = ("paraf", workflow.permission_view)
    missing = [role.name for role in field.data
               if wanted not in {(pv.permission.name, pv.view_menu.name)
                                 for pv in role.permissions if pv.permission and pv.view_menu}]
    if missing:
        raise ValidationError(
            _l("These roles do not hold the permission to initial decrees in this workflow: "
               "%(roles)s. Grant them “%(action)s” under Security → List Roles first.",
               roles=", ".join(missing), action=f"{workflow.permission_label('paraf')} — "
                                                f"{workflow.title}"))


def reminders_validator(form, field):
    """A list of reminders (app/workflow/deadline_settings.py), written back tidily; a
    correction reminder in days must come after the file is returned."""
    if not (field.data or "").strip():
        field.data = None
        return
    spec = deadline_settings.BY_NAME[field.name]
    try:
        reminders = deadline_settings.parse_reminders(field.data, spec.shares)
    except ValueError as error:
        # FAB's form template translates each error again (`_(error)`), formatting it
        # with %: the rule's "50%" must reach it as "50%%".
        raise ValidationError(str(error).replace("%", "%%")) from None
    field.data = deadline_settings.as_text(reminders)
    if field.name == "correction_reminder_days":
        period = form.correction_days.data or deadline_settings.default("correction_days")
        too_early = [day for day in reminders if isinstance(day, int) and day >= period]
        if too_early:
            raise ValidationError(_l(
                "A reminder must come before the correction period ends: use fewer working "
                "days than the period (%(period)d).", period=period))


def _default_of(name):
    """'Empty: the default, 3, 1.' — read from the configuration when shown."""

    def text():
        value = deadline_settings.default(name)
        shown = deadline_settings.as_text(value) if isinstance(value, tuple) else value
        return _("Leave empty for the default: %(value)s.", value=shown)

    return LazyString(text)


DAYS = [NumberRange(min=1, max=deadline_settings.MAX_DAYS, message=_l(
    "Enter a whole number of working days from 1 to %(max)d.",
    max=deadline_settings.MAX_DAYS))]
SETTING_NAMES = [setting.name for setting in deadline_settings.SETTINGS]

# Roles that never initial a decree: not offered.
NOT_INITIALLING = [["name", FilterNotEqual, name]
                   for name in (roles.ADMIN, roles.PUBLIC, roles.PEMOHON)]


class RequirementView(CatalogueModelView):
    datamodel = GuardedInterface(Requirement)
    list_title = _l("Requirements")
    show_title = add_title = edit_title = _l("Requirement")
    list_columns = ["position", "name", "mandatory", "accepted_types", "max_size_mb", "active"]
    add_columns = edit_columns = [
        "permit_type", "name", "description", "mandatory", "accepted_types",
        "max_size_mb", "position", "active",
    ]
    show_columns = add_columns
    order_columns = ["position", "name"]
    base_order = ("position", "asc")
    label_columns = {
        "permit_type": _l("Permit type"),
        "name": _l("Name"),
        "description": _l("Description"),
        "mandatory": _l("Mandatory"),
        "accepted_types": _l("Accepted file types"),
        "max_size_mb": _l("Maximum size (MB)"),
        "position": _l("Order"),
        "active": _l("Active"),
    }
    description_columns = {
        "accepted_types": _l("Comma-separated, from: pdf, jpg, png."),
        "mandatory": _l("Applies to files created from now on; files already created keep "
                        "the requirements they were created with."),
        "active": _l("An inactive requirement is not asked of new files; files that have "
                     "it keep it."),
    }
    validators_columns = {
        "accepted_types": [accepted_types_validator],
        "max_size_mb": [NumberRange(min=1, max=50)],
    }


class PermitTypeView(CatalogueModelView):
    datamodel = GuardedInterface(PermitType)
    related_views = [RequirementView]
    show_template = "appbuilder/general/model/show_cascade.html"
    list_title = _l("Permit Types")
    show_title = add_title = edit_title = _l("Permit Type")
    list_columns = ["category", "code", "name", "workflow_kind", "service_days", "active"]
    add_fieldsets = edit_fieldsets = show_fieldsets = [
        (_l("Permit type"), {"fields": [
            "category", "code", "name", "workflow_kind", "description", "service_days",
            "active", "renewable", "position", "registration_format", "sk_format",
            "agency", "use_form", "tariff_amount", "tariff_unit", "retribution_code",
            "exclusive", "initialling_roles",
        ]}),
        (_l("Deadlines (working days; leave empty for the default)"),
         {"fields": SETTING_NAMES, "expanded": False}),
    ]
    search_columns = ["category", "code", "name", "workflow_kind", "active"]
    base_order = ("position", "asc")
    label_columns = {
        "category": _l("Category"),
        "code": _l("Code"),
        "name": _l("Name"),
        "workflow_kind": _l("Workflow"),
        "description": _l("Description"),
        "service_days": _l("Service standard (working days)"),
        "active": _l("Active"),
        "renewable": _l("Renewable (perpanjangan)"),
        "position": _l("Order"),
        "registration_format": _l("Registration number format"),
        "sk_format": _l("SK number format"),
        "agency": _l("Managing agency (asset types)"),
        "use_form": _l("Use form"),
        "tariff_amount": _l("Tariff (Rp)"),
        "tariff_unit": _l("Tariff unit"),
        "retribution_code": _l("Retribution account code (kode rekening)"),
        "exclusive": _l("Exclusive (no overlapping use)"),
        "initialling_roles": _l("Initials before the signature (paraf koordinasi)"),
        **{setting.name: setting.label for setting in deadline_settings.SETTINGS},
    }
    description_columns = {
        **{name: _default_of(name) for name in SETTING_NAMES},
        "renewable": _l("The holder of a signed permit of this type may apply for its "
                        "renewal from the file page: a new application filled in from the "
                        "old one, whose decree cites the previous decree."),
        "initialling_roles": _l("After the SK number the file waits until a holder of each "
                                "role named here has initialled the decree, then goes to "
                                "the head of office for signature. Leave empty to go "
                                "straight to the signature."),
        "registration_format": _l("Placeholders: {seq} (required), {year}, {month}, "
                                  "{roman_month}, {code}. The sequence restarts every year."),
        "sk_format": _l("For example 503/{seq:03d}/409.110/{year}."),
        "retribution_code": _l("Printed on the SKRD of asset types with a fee, for example "
                               "4.1.02.02.01."),
    }
    choice_columns = {"workflow_kind": WorkflowChoices(), "use_form": USE_FORMS,
                      "tariff_unit": TARIFF_UNITS}
    add_form_query_rel_fields = {"agency": ONLY_ACTIVE, "initialling_roles": NOT_INITIALLING}
    edit_form_query_rel_fields = {"initialling_roles": NOT_INITIALLING}
    validators_columns = {
        "initialling_roles": [initialling_roles_may_initial],
        "code": [Regexp(r"^[A-Z0-9-]{2,30}$",
                        message=_l("Use capital letters, digits and dashes (2 to 30)."))],
        "service_days": [NumberRange(min=1, max=365)],
        "registration_format": [number_format_validator],
        "sk_format": [number_format_validator],
        "tariff_amount": [asset_terms_validator],
        "retribution_code": [Optional(), Regexp(
            r"^\d+(\.\d+)*$", message=_l("Numbers separated by dots, e.g. 4.1.02.02.01."))],
        "billing_reminder_days": [reminders_validator],
        "skrd_reminder_days": [reminders_validator],
        "correction_days": [Optional(), *DAYS],
        "correction_reminder_days": [reminders_validator],
        "reopen_days": [Optional(), *DAYS],
        "validity_reminder_days": [reminders_validator],
    }


class PermitCategoryView(CatalogueModelView):
    datamodel = GuardedInterface(PermitCategory)
    related_views = [PermitTypeView]
    show_template = "appbuilder/general/model/show_cascade.html"
    list_title = _l("Permit Categories")
    show_title = add_title = edit_title = _l("Permit Category")
    list_columns = ["position", "name", "icon"]
    add_columns = edit_columns = show_columns = ["name", "description", "icon", "position"]
    base_order = ("position", "asc")
    label_columns = {
        "name": _l("Name"),
        "description": _l("Description"),
        "icon": _l("Icon"),
        "position": _l("Order"),
    }
    description_columns = {"icon": _l("A Font Awesome icon name, e.g. fa-map.")}
    validators_columns = {
        "icon": [Regexp(r"^fa-[a-z0-9-]+$", message=_l("Use a Font Awesome name such as fa-map."))]
    }


class AgencyView(CatalogueModelView):
    """Asset-managing agencies (OPD); assign officers to one in the user screens."""

    datamodel = GuardedInterface(Agency)
    list_title = _l("Agencies")
    show_title = add_title = edit_title = _l("Agency")
    list_columns = ["code", "name", "active"]
    add_columns = edit_columns = show_columns = ["code", "name", "active"]
    label_columns = {"code": _l("Code"), "name": _l("Name"), "active": _l("Active")}
    description_columns = {
        "active": _l("An inactive agency is no longer offered for asset types and "
                     "officers; those that have it keep it."),
    }
    validators_columns = {
        "code": [Regexp(r"^[A-Z0-9-]{2,20}$",
                        message=_l("Use capital letters, digits and dashes (2 to 20)."))],
    }


class AssetView(CatalogueModelView):
    datamodel = GuardedInterface(Asset)
    list_title = _l("Regional assets")
    show_title = add_title = edit_title = _l("Asset")
    list_columns = ["kode_barang", "name", "asset_type", "kecamatan", "area_m2", "active"]
    add_columns = edit_columns = show_columns = [
        "kode_barang", "name", "asset_type", "address", "kecamatan", "area_m2",
        "certificate_number", "notes", "active",
    ]
    search_columns = ["kode_barang", "name", "asset_type", "kecamatan", "active"]
    label_columns = {
        "kode_barang": _l("Asset code (kode barang)"), "name": _l("Name"),
        "asset_type": _l("Asset type"), "address": _l("Address"),
        "kecamatan": _l("District (kecamatan)"), "area_m2": _l("Area (m²)"),
        "certificate_number": _l("Certificate number"), "notes": _l("Notes"),
        "active": _l("Active"),
    }
    choice_columns = {"kecamatan": KECAMATAN}
    add_form_query_rel_fields = {
        "asset_type": [["workflow_kind", FilterEqual, WorkflowKind.ASET.value], *ONLY_ACTIVE],
    }
    edit_form_query_rel_fields = {
        "asset_type": [["workflow_kind", FilterEqual, WorkflowKind.ASET.value]],
    }
