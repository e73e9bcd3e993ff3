"""Admin screen of each agency's SKRD settings: its letterhead with the emblem, the
official who signs its SKRD, and where the payer pays."""

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents.skrd_settings_form import AgencySkrdSettingsForm
from app.downloads import send_stored_file
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.workflow import skrd
from app.workflow.document_templates import own_letterhead
from models import Agency
from views.support import (
    attach_errors,
    engine_errors_as_http,
    request_formdata,
)


class AgencySkrdSettingsView(BaseView):
    route_base = "/pengaturan-skrd"
    default_view = "index"
    class_permission_name = "AgencySkrdSettings"
    method_permission_name = {"index": "read", "edit": "write", "emblem": "read"}

    def _agency(self, agency_id):
        agency = db.session.get(Agency, agency_id)
        if agency is None:
            raise NotFound()
        return agency

    @expose("/")
    @has_access
    def index(self):
        agencies = db.session.scalars(select(Agency).order_by(Agency.active.desc(),
                                                              Agency.name)).all()
        rows = [(agency, own_letterhead(agency), skrd.settings_of(agency),
                 skrd.missing_settings(agency)) for agency in agencies]
        return self.render_template("agency_settings/index.html", rows=rows,
                                    title=_l("SKRD settings"))

    @expose("/<int:agency_id>", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def edit(self, agency_id):
        agency = self._agency(agency_id)
        if request.method == "POST":
            form = AgencySkrdSettingsForm(request_formdata(request))
            if form.validate():
                try:
                    skrd.save_settings(agency, form, request.files.get("emblem"))
                except InvalidInput as error:
                    flash(attach_errors(form, error), "danger")
                else:
                    flash(str(_l("The SKRD settings of %(agency)s are saved; new SKRDs carry "
                                 "them.", agency=agency.name)), "success")
                    return redirect(url_for(".edit", agency_id=agency.id))
        else:
            form = AgencySkrdSettingsForm(data=skrd.settings_form_data(agency))
        return self.render_template(
            "agency_settings/edit.html", form=form, agency=agency,
            letterhead=own_letterhead(agency), missing=skrd.missing_settings(agency),
            title=_l("SKRD settings: %(agency)s", agency=agency.name))

    @expose("/<int:agency_id>/lambang")
    @has_access
    @engine_errors_as_http
    def emblem(self, agency_id):
        response = send_stored_file(own_letterhead(self._agency(agency_id)))
        response.headers["Content-Disposition"] = "inline"
        return response
