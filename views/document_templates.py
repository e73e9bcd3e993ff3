"""Admin screens for the documents the office issues: the decree and letter templates
(edit a draft, preview it as PDF for a file or with sample data, publish it) and the
letterhead."""

from flask import flash, g, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import office_time
from app.documents.placeholders import described
from app.documents.template_form import TEMPLATE_FORMS, LetterheadForm
from app.errors import InvalidInput, NotFound, SiapError
from app.extensions import db
from app.services import issued_pdf
from app.workflow import decree_pdf, skrd, step_documents
from app.workflow import document_templates as templates
from app.workflow.decrees import ensure_decree, verification_url
from models import Application, DocumentTemplate, DocumentTemplateVersion
from views.support import attach_errors, engine_errors_as_http, request_formdata


def _pdf(content, name):
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _decree_preview(application, template, version):
    if application is None or templates.decree_template_key(application) != template.key:
        raise NotFound(_l("No file of this template has that registration number."))
    rendered, _ = decree_pdf.render(application, verification_url(ensure_decree(application)),
                                    draft=True, version=version)
    db.session.rollback()  # a preview gives no verification token
    return rendered.pdf


def _letter_preview(application, template, version):
    if application is None or application.kind != template.scope:
        raise NotFound(_l("No file of this template has that registration number."))
    return step_documents.draw(version, application, step_documents.SAMPLE_NUMBER,
                               office_time.today(), None, draft=True).pdf


def _with_fee(application):
    """An asset-use file whose recommended fee is above 0: it has (or will have) an SKRD."""
    use = application.asset_use if application is not None else None
    if use is None or not use.fee or use.approved_start is None:
        raise NotFound(_l("No file with a retribution to pay has that registration number."))
    return application


class DocumentTemplateView(BaseView):
    route_base = "/templat-dokumen"
    default_view = "index"
    class_permission_name = "DocumentTemplates"
    method_permission_name = {"index": "read", "edit": "write", "preview": "read",
                              "publish": "write"}

    def _template(self, template_id):
        template = db.session.get(DocumentTemplate, template_id)
        if template is None:
            raise NotFound()
        return template

    @expose("/")
    @has_access
    def index(self):
        found = db.session.scalars(select(DocumentTemplate).order_by(DocumentTemplate.name))
        rows = [(t, templates.published_version(t), templates.draft_of(t)) for t in found]
        return self.render_template("document_templates/index.html", rows=rows)

    @expose("/<int:template_id>", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def edit(self, template_id):
        template = self._template(template_id)
        draft = templates.draft_of(template)
        current = draft or templates.published_version(template)
        form_class, content_from, form_data = TEMPLATE_FORMS[template.kind]
        if request.method == "POST":
            form = form_class(request_formdata(request))
            if form.validate():
                try:
                    templates.save_draft(template, content_from(form), g.user, form.note.data)
                except InvalidInput as error:
                    flash(attach_errors(form, error), "danger")
                else:
                    flash(str(_l("The draft is saved. Preview it, then publish it.")),
                          "success")
                    return redirect(url_for(".edit", template_id=template.id))
        else:
            form = form_class(data=form_data(current.content))
        return self.render_template(
            "document_templates/edit.html", document_template=template, form=form, draft=draft,
            versions=list(reversed(template.versions)), placeholders=described(template.scope),
            title=_l("Template: %(name)s", name=template.name))

    @expose("/<int:template_id>/pratinjau")
    @has_access
    @engine_errors_as_http
    def preview(self, template_id):
        """The draft (or the version asked for) as PDF: for the file whose registration
        number is given, else with sample data."""
        template = self._template(template_id)
        version = templates.draft_of(template) or templates.published_version(template)
        if request.args.get("versi", "").isdigit():
            version = db.session.scalar(select(DocumentTemplateVersion).where(
                DocumentTemplateVersion.template_id == template.id,
                DocumentTemplateVersion.number == int(request.args["versi"])))
            if version is None:
                raise NotFound()
        number = (request.args.get("berkas") or "").strip()
        if template.key in issued_pdf.TEMPLATE_KINDS:
            return self._preview_issued(template, version, number)
        application = None
        if number:
            application = db.session.scalar(select(Application).where(
                Application.registration_number == number.upper()))
        try:
            if template.kind == "surat":  # the letter a configured process's step draws
                content = _letter_preview(application, template, version) if number \
                    else step_documents.draw_sample(version).pdf
            elif number and template.kind == "skrd":
                content = skrd.render_preview(_with_fee(application), version)
            elif template.kind == "skrd":
                content = skrd.render_sample(version)
            elif number:
                content = _decree_preview(application, template, version)
            else:
                content = decree_pdf.render_sample(version, "https://contoh/verifikasi/x").pdf
        except SiapError as error:
            flash(str(error.message), "danger")
            return redirect(url_for(".edit", template_id=template.id))
        return _pdf(content, f"pratinjau-{template.key}-v{version.number}.pdf")

    def _preview_issued(self, template, version, number):
        """A rejection letter's or revocation decree's template: for the file's document,
        else with sample data."""
        try:
            if number:
                application = db.session.scalar(select(Application).where(
                    Application.registration_number == number.upper()))
                if application is None:
                    raise NotFound(_l("No file of this template has that registration "
                                      "number."))
                rendered = issued_pdf.render_for_file(template, version, application)
            else:
                rendered = issued_pdf.render_sample(template, version)
        except SiapError as error:
            flash(str(error.message), "danger")
            return redirect(url_for(".edit", template_id=template.id))
        return _pdf(rendered.pdf, f"pratinjau-{template.key}-v{version.number}.pdf")

    @expose("/<int:template_id>/terbitkan", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def publish(self, template_id):
        template = self._template(template_id)
        try:
            version = templates.publish(template, g.user)
        except SiapError as error:
            flash(str(error.message), "danger")
        else:
            flash(str(_l("Version %(number)d is published: new documents are made from it; "
                         "documents already issued keep theirs.", number=version.number)),
                  "success")
        return redirect(url_for(".edit", template_id=template.id))


class LetterheadView(BaseView):
    """The office's letterhead: name, address, contacts and the regency's emblem."""

    route_base = "/kop-surat"
    default_view = "edit"
    class_permission_name = "Letterhead"
    method_permission_name = {"edit": "write", "emblem": "read"}

    @expose("/", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def edit(self):
        _, row = templates.letterhead()
        form = LetterheadForm(request_formdata(request) if request.method == "POST" else None,
                              obj=row)
        if request.method == "POST" and form.validate():
            try:
                templates.save_letterhead(form, request.files.get("emblem"))
            except InvalidInput as error:
                flash(attach_errors(form, error), "danger")
            else:
                flash(str(_l("The letterhead is saved; new documents carry it.")), "success")
                return redirect(url_for(".edit"))
        return self.render_template("document_templates/letterhead.html", form=form, row=row,
                                    title=_l("Letterhead"))

    @expose("/lambang")
    @has_access
    @engine_errors_as_http
    def emblem(self):
        from app.downloads import send_stored_file

        _, row = templates.letterhead()
        response = send_stored_file(row if row.id else None)
        response.headers["Content-Disposition"] = "inline"
        return response
