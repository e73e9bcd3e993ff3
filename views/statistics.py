"""The staff statistics page (/statistik) and the export of its underlying table.

The numbers come from app.services.statistics, limited to the files the user may see;
charts are inline SVG drawn by the template, so the page loads nothing from the
internet."""

import threading
from collections import namedtuple

from cachetools import LRUCache
from flask import current_app, g, render_template, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from app import audit
from app.services import statistics as stats
from app.workflow.clock import today
from app.workflow.fields import SiapForm
from views.exports import csv_response, safe_cell, xlsx_response

EXPORT_HEADER = (
    _l("Registration number"), _l("Permit type"), _l("Permit kind"), _l("Status"),
    _l("Submitted on"), _l("Finished on"), _l("Working days used"),
    _l("Service standard (working days)"), _l("Within the service standard"),
)

Bar = namedtuple("Bar", "label value text highlight", defaults=(False,))


class StatisticsFilterForm(SiapForm):
    start = DateField(_l("Submitted from"), validators=[Optional()])
    end = DateField(_l("Submitted until"), validators=[Optional()])
    permit_type = SelectField(_l("Permit type"), choices=[], validators=[Optional()])
    ikm_period = SelectField(_l("IKM per"), default="month",
                             choices=[("month", _l("Month")), ("quarter", _l("Quarter"))],
                             validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


def filter_form():
    """The querystring's filter; invalid fields are reported and left out."""
    form = StatisticsFilterForm(formdata=request.args)
    form.permit_type.choices = [("", _l("All permit types")), *stats.permit_type_choices()]
    form.validate()

    def valid(name):
        return None if form[name].errors else form[name].data or None

    filters = stats.StatisticsFilter(start=valid("start"), end=valid("end"),
                                     permit_type_code=valid("permit_type"))
    return form, filters, valid("ikm_period") or "month"


def _table(rows):
    """The export's lines: the header, then the cells of each row."""
    yield [str(title) for title in EXPORT_HEADER]
    verdicts = {True: str(_l("Yes")), False: str(_l("No")), None: ""}
    for row in rows:
        yield [safe_cell(row.registration_number), safe_cell(row.permit_type),
               row.kind_label, row.status_label, row.submitted, row.finished, row.days_used,
               row.service_days, verdicts[row.within_standard]]


def charts(type_counts, months, stages):
    """The bars of the page's three charts."""
    return {
        "types": [Bar(c.permit_type, c.total, str(c.total)) for c in type_counts],
        "months": [Bar(m.month, m.total, str(m.total)) for m in months],
        "stages": [Bar(f"{s.label} ({s.kind_label})", s.mean, format_decimal(s.mean, "0.0#"),
                       s.waits_on_applicant) for s in stages],
    }


# The last renderings of the figures, per process: the same rows read from the summaries
# give the same figures and, in the same language, the same HTML, so a reload whose rows
# did not change is neither computed nor rendered again.
KEPT_RENDERINGS = 32
_RENDERINGS = "siap_statistics_renderings"


class _Renderings:
    def __init__(self):
        self.lock = threading.Lock()
        self.html = LRUCache(maxsize=KEPT_RENDERINGS)


def rendered_figures(rows, ikm_period):
    """The HTML of the page's figures (statistics/figures.html) made of the summaries'
    `rows` (stats.read_figures)."""
    key = (str(get_locale()), ikm_period, rows)
    kept = current_app.extensions.setdefault(_RENDERINGS, _Renderings())
    with kept.lock:
        html = kept.html.get(key)  # marks it as the most recently used
    if html is not None:
        return html
    figures = stats.figures_from(rows, ikm_period)
    type_counts = figures["type_counts"]
    html = Markup(render_template(
        "statistics/figures.html", **figures,
        charts=charts(type_counts, figures["months"], figures["stages"]),
        elements=stats.ELEMENT_LABELS, total=sum(c.total for c in type_counts),
        finished=sum(c.granted for c in type_counts),
        number=format_decimal, percent=format_percent))
    with kept.lock:
        kept.html[key] = html  # the least recently used goes beyond KEPT_RENDERINGS
    return html


def _export_query():
    """The filter's querystring, for the export links."""
    return {name: request.args[name] for name in ("start", "end", "permit_type")
            if request.args.get(name)}


class StatisticsView(BaseView):
    route_base = "/statistik"
    default_view = "index"
    class_permission_name = "Statistics"
    method_permission_name = {"index": "read", "export": "read"}

    @expose("/")
    @has_access
    def index(self):
        form, filters, period = filter_form()
        figures = rendered_figures(stats.read_figures(g.user, filters), period)
        return self.render_template("statistics/index.html", form=form, figures=figures,
                                    query=_export_query())

    @expose("/unduh.<any(csv, xlsx):fmt>")
    @has_access
    def export(self, fmt):
        _, filters, _ = filter_form()
        rows = stats.export_rows(g.user, filters)
        filename = f"statistik-{today():%Y%m%d}.{fmt}"
        audit.record_now(audit.EXPORTED, details={"what": "statistics", "format": fmt,
                                                  "filters": _export_query()})
        if fmt == "csv":
            return csv_response(_table(rows), filename)
        return xlsx_response([(str(_l("Statistics")), _table(rows))], filename)
