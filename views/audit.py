"""Keamanan → Log Audit: the audit log (app/audit) for the Admin, to read, filter and
export as CSV or XLSX. Nothing here adds, edits or deletes an entry: the view has no
such routes and no such permissions (`include_route_methods`), and an export is itself
an entry of the log."""

import json
from datetime import date, timedelta

from flask import request
from flask_appbuilder import ModelView, expose
from flask_appbuilder.fieldwidgets import DatePickerWidget
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.urltools import get_filter_args
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import false
from wtforms import DateField
from wtforms.validators import Optional

from app import audit
from app.forms import ChoiceColumns
from app.i18n import local_time
from app.office_time import day_starts_at
from models import AuditEntry
from views.columns import PresentedInterface
from views.exports import csv_response, safe_cell, xlsx_response

EXPORT_CHUNK = 500
EXPORT_HEADER = (
    _l("No."), _l("Time (WIB)"), _l("Time (UTC)"), _l("Event"), _l("Event code"),
    _l("User ID"), _l("User name"), _l("Client address"), _l("Object type"),
    _l("Object ID"), _l("Object"), _l("Details"),
)


def _day(value):
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


class OnOrAfterDay(BaseFilter):
    """Entries from the start of an office day (WIB), stored times being UTC."""

    name = _l("From date (WIB)")

    def apply(self, query, value):
        day = _day(value)
        column = getattr(self.model, self.column_name)
        return query.filter(column >= day_starts_at(day)) if day else query.filter(false())


class OnOrBeforeDay(BaseFilter):
    """Entries up to the end of an office day (WIB)."""

    name = _l("Until date (WIB)")

    def apply(self, query, value):
        day = _day(value)
        column = getattr(self.model, self.column_name)
        return query.filter(column < day_starts_at(day + timedelta(days=1))) if day \
            else query.filter(false())


class AuditFilterConverter(SQLAFilterConverter):
    """The entry's time is filtered by office days; every other column as usual."""

    conversion_table = (("is_datetime", [OnOrAfterDay, OnOrBeforeDay]),
                        *SQLAFilterConverter.conversion_table)


class AuditLogInterface(PresentedInterface):
    filter_converter_class = AuditFilterConverter


def actor_of(entry):
    return f"{entry.actor_name} (#{entry.actor_id})" if entry.actor_id else "—"


def object_of(entry):
    if not entry.object_type:
        return "—"
    kind = audit.OBJECT_TYPES.label(entry.object_type)
    number = f" #{entry.object_id}" if entry.object_id is not None else ""
    return f"{entry.object_label or ''} ({kind}{number})".strip()


def details_text(details):
    return json.dumps(details, ensure_ascii=False, indent=2, sort_keys=True) \
        if details else ""


def details_block(details):
    return Markup("<pre class='audit-details'>{}</pre>").format(details_text(details)) \
        if details else "—"


def export_lines(entries):
    """The export's lines: the header, then each entry (times in WIB and in UTC)."""
    yield [str(title) for title in EXPORT_HEADER]
    for entry in entries:
        yield [entry.id, local_time(entry.created_at), entry.created_at.isoformat(" "),
               str(audit.EVENTS.label(entry.event)), safe_cell(entry.event),
               entry.actor_id, safe_cell(entry.actor_name), safe_cell(entry.address),
               safe_cell(entry.object_type), entry.object_id, safe_cell(entry.object_label),
               safe_cell(details_text(entry.details))]


class AuditLogView(ChoiceColumns, ModelView):
    route_base = "/log-audit"
    class_permission_name = "AuditLog"
    # Only these routes exist, and only their permissions are created (can_list,
    # can_show, can_export): no add, edit, delete, action or download.
    include_route_methods = {"list", "show", "export"}
    datamodel = AuditLogInterface(AuditEntry, presented={"actor": actor_of,
                                                         "object": object_of})
    list_template = "audit/list.html"
    list_title = _l("Audit log")
    show_title = _l("Audit log entry")
    base_order = ("id", "desc")
    list_columns = ["created_at", "event", "actor", "address", "object"]
    show_columns = ["created_at", "event", "actor_name", "actor_id", "address",
                    "object_type", "object_id", "object_label", "details"]
    search_columns = ["event", "created_at", "actor_name", "actor_id", "object_type",
                      "object_id", "object_label", "address"]
    order_columns = ["created_at"]
    choice_columns = {"event": audit.EVENTS, "object_type": audit.OBJECT_TYPES}
    search_form_extra_fields = {
        "created_at": DateField(_l("Time (WIB)"), validators=[Optional()],
                                widget=DatePickerWidget()),
    }
    formatters_columns = {"created_at": local_time, "details": details_block}
    label_columns = {
        "created_at": _l("Time (WIB)"), "event": _l("Event"), "actor": _l("User"),
        "actor_name": _l("User name"), "actor_id": _l("User ID"),
        "address": _l("Client address"), "object": _l("Object"),
        "object_type": _l("Object type"), "object_id": _l("Object ID"),
        "object_label": _l("Object"), "details": _l("Details"),
    }
    description_columns = {
        "address": _l("As the server saw it, or as the trusted proxies forwarded it."),
    }

    @expose("/unduh.<any(csv, xlsx):fmt>")
    @has_access
    def export(self, fmt):
        """The entries the list's filters select, newest first, in full."""
        get_filter_args(self._filters)
        filters = self._filters.get_joined_filters(self._base_filters)
        query = self.datamodel.apply_all(self.datamodel.session.query(AuditEntry), filters,
                                         "id", "desc")
        audit.record_now(audit.EXPORTED, details={
            "what": "audit_log", "format": fmt,
            "filters": {key: request.args.getlist(key) for key in request.args
                        if key.startswith("_flt_")}})
        lines = export_lines(query.yield_per(EXPORT_CHUNK))
        filename = f"log-audit.{fmt}"
        if fmt == "csv":
            return csv_response(lines, filename)
        return xlsx_response([(str(_l("Audit log")), lines)], filename)
