"""The decree register (Buku Register SK) for the back office: a year's numbers, page by
page, and the whole year as XLSX (one sheet per section). The rows come from
app.services.register, limited to the files the user may see."""

from flask import g, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from app import audit
from app.security.input_guard import MAX_ID
from app.services import register as book
from app.workflow import clock
from app.workflow.fields import SiapForm
from views.exports import safe_cell, xlsx_response

EXPORT_HEADER = (
    _l("No."), _l("Number"), _l("Date"), _l("Kind"), _l("Permit type"),
    _l("Holder or applicant"), _l("Registration number"), _l("Status"), _l("Remarks"),
)


class RegisterFilterForm(SiapForm):
    tahun = IntegerField(_l("Year"), validators=[Optional(), NumberRange(2000, 2100)])
    bagian = SelectField(_l("Number register"), default=book.Section.SK.value,
                         choices=[(s.value, label) for s, label in book.SECTION_LABELS.items()],
                         validators=[Optional()])
    setelah = IntegerField(validators=[Optional(), NumberRange(1, MAX_ID)])


def filter_form():
    """The querystring's year, section and page key; invalid ones are reported and left
    out (this year, the decrees, the first page)."""
    form = RegisterFilterForm(formdata=request.args)
    form.validate()

    def valid(name, default=None):
        return default if form[name].errors or form[name].data in (None, "") \
            else form[name].data

    return (form, valid("tahun", clock.today().year),
            book.Section(valid("bagian", book.Section.SK.value)), valid("setelah"))


def _lines(rows):
    yield [str(title) for title in EXPORT_HEADER]
    for row in rows:
        yield [row.seq, safe_cell(row.number), row.dated, str(row.register_label),
               safe_cell(row.permit_type), safe_cell(row.holder),
               safe_cell(row.registration_number or ""), str(row.status_label),
               safe_cell(row.note)]


class DecreeRegisterView(BaseView):
    route_base = "/register-sk"
    default_view = "index"
    class_permission_name = "DecreeRegister"
    method_permission_name = {"index": "read", "export": "read"}

    @expose("/")
    @has_access
    def index(self):
        form, year, section, after = filter_form()
        rows = book.page(g.user, year, section, after)
        return self.render_template(
            "register/index.html", form=form, year=year, section=section, rows=rows,
            years=sorted({*book.years(g.user), year}, reverse=True),
            sections=book.SECTION_LABELS,
            next_after=rows[-1].entry_id if len(rows) == book.PAGE_SIZE else None,
        )

    @expose("/unduh.xlsx")
    @has_access
    def export(self):
        _, year, _, _ = filter_form()
        audit.record_now(audit.EXPORTED, details={"what": "decree_register", "format": "xlsx",
                                                  "year": year})
        sheets = [(str(label), _lines(book.every_row(g.user, year, section)))
                  for section, label in book.SECTION_LABELS.items()]
        return xlsx_response(sheets, f"register-sk-{year}.xlsx")
