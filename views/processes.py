"""The process designer (alur proses): an admin builds a permit process from lists — the
application form, the requirements, the steps of the palette with their roles,
conditions and fees, the decree — tries it with a dry run, publishes it, gives it a
permit type, and compares or republishes versions. Every change goes through
app/services/process_design.py and app/services/processes.py."""

from flask import current_app, flash, g, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents.placeholders import ANSWERS, described_common
from app.documents.template_form import TEMPLATE_FORMS
from app.errors import InvalidInput, NotFound, SiapError
from app.extensions import db
from app.security.roles import ADMIN, PEMOHON, PUBLIC
from app.services import dry_run, process_design, processes
from app.workflow.configured import OPERATORS, PALETTE, TARIFF_BASES
from app.workflow.field_sets import FIELD_TYPES
from models import PermitCategory, PermitType, Process, ProcessVersion
from views import process_diagram
from views.process_forms import (
    FieldForm,
    FormFieldForm,
    HeaderForm,
    ImportForm,
    NewProcessForm,
    RequirementForm,
    StepForm,
)
from views.support import attach_errors, engine_errors_as_http, request_formdata

PIECE_FORMS = {"form": FormFieldForm, "requirements": RequirementForm, "steps": StepForm}
PLACE_TITLES = {"form": _l("Application form field"), "requirements": _l("Requirement"),
                "steps": _l("Step")}


def _acting_roles():
    """Roles a step may name: every role but the public's, the applicants' and the
    admin's."""
    names = sorted(role.name for role in current_app.appbuilder.sm.get_all_roles())
    return [name for name in names if name not in (PUBLIC, PEMOHON, ADMIN)]


class ProcessDesignerView(BaseView):
    route_base = "/alur-proses"
    default_view = "index"
    class_permission_name = "Processes"
    method_permission_name = {
        "index": "read", "design": "read", "export": "read", "compare": "read",
        "create": "write", "import_yaml": "write", "header": "write", "put": "write",
        "remove": "write", "move": "write", "decree": "write", "trial": "write",
        "publish": "write", "republish": "write", "permit_type": "write",
    }

    def _process(self, process_id):
        process = db.session.get(Process, process_id)
        if process is None:
            raise NotFound()
        return process

    def _back(self, process, anchor=""):
        return redirect(url_for(".design", process_id=process.id) + anchor)

    # --- the list -------------------------------------------------------------------

    @expose("/")
    @has_access
    def index(self):
        found = db.session.scalars(select(Process).order_by(Process.name)).all()
        counts = dict(db.session.execute(
            select(PermitType.workflow_kind, db.func.count()).group_by(
                PermitType.workflow_kind)).all())
        return self.render_template(
            "processes/index.html", processes=found, counts=counts,
            new_form=NewProcessForm(), import_form=ImportForm(), title=_l("Processes"))

    @expose("/baru", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def create(self):
        form = NewProcessForm(request_formdata(request))
        if form.validate():
            try:
                process = processes.create_process(form.code.data, form.name.data.strip(),
                                                   g.user)
            except InvalidInput as error:
                flash(attach_errors(form, error), "danger")
            else:
                flash(gettext("The process is created with a first step. Add its form, "
                              "requirements and steps, try it, then publish it."), "success")
                return self._back(process)
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for(".index"))

    @expose("/impor", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def import_yaml(self):
        form = ImportForm(request_formdata(request))
        upload = request.files.get("file")
        if not form.validate() or upload is None:
            flash(gettext("Choose a YAML file."), "danger")
            return redirect(url_for(".index"))
        try:
            text = upload.read(1_000_000).decode("utf-8")
            process = processes.import_process(text, g.user, publish_now=False)
        except UnicodeDecodeError:
            flash(gettext("The file is not UTF-8 text."), "danger")
        except processes.PublishRefused as error:
            return self._refused(error, url_for(".index"))
        except InvalidInput as error:
            flash(attach_errors(None, error), "danger")
        else:
            flash(gettext("Imported as a draft. Try it, then publish it."), "success")
            return self._back(process)
        return redirect(url_for(".index"))

    # --- the designer page ------------------------------------------------------------

    @expose("/<int:process_id>")
    @has_access
    @engine_errors_as_http
    def design(self, process_id, trial=None):
        process = self._process(process_id)
        draft = process.draft
        spec = (draft or process.published).spec
        header = HeaderForm(data={
            "name": spec.get("name"), "description": spec.get("description"),
            "scoped_by_agency": spec.get("scoped_by_agency", False),
            **{key: (spec.get("decree") or {}).get(key) for key in ("numbering_role",
                                                                     "signing_role")}})
        self._offer_roles(header)
        drawn = process_diagram.boxes(spec)
        return self.render_template(
            "processes/design.html", process=process, draft=draft, spec=spec,
            problems=processes.problems_of(spec) if draft else [],
            header=header, diagram=drawn, diagram_height=process_diagram.height(drawn),
            layout=process_diagram.LAYOUT, field_types=FIELD_TYPES, palette=PALETTE,
            operators=OPERATORS, tariff_bases=TARIFF_BASES,
            versions=sorted(process.versions, key=lambda v: -v.number),
            permit_types=processes.permit_types_of(process.code),
            categories=db.session.scalars(select(PermitCategory).order_by(
                PermitCategory.position)).all(),
            trial=trial, title=_l("Process: %(name)s", name=process.name))

    def _offer_roles(self, header):
        names = _acting_roles()
        for field in (header.numbering_role, header.signing_role):
            field.choices = [(name, name) for name in names]
            if field.data and field.data not in names:
                field.choices.append((field.data, field.data))

    @expose("/<int:process_id>/identitas", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def header(self, process_id):
        process = self._process(process_id)
        form = HeaderForm(request_formdata(request))
        self._offer_roles(form)
        if form.validate():
            process_design.save_header(process, g.user, **form.piece())
            flash(gettext("Saved in the draft."), "success")
        else:
            flash(" ".join(str(e) for errors in form.errors.values() for e in errors),
                  "danger")
        return self._back(process)

    # --- pieces: fields, requirements, steps ---------------------------------------------

    def _piece_form(self, place, spec, formdata=None, data=None):
        form_class = PIECE_FORMS.get(place) or (FieldForm if place.startswith("step:")
                                                else None)
        if form_class is None:
            raise NotFound()
        form = form_class(formdata, data=data)
        if isinstance(form, StepForm):
            form.offer(_acting_roles(), {
                name: f"{label} ({name})" for name, label in
                process_design.fields_offered(spec).items()})
        return form

    @expose("/<int:process_id>/bagian/<place>", methods=["GET", "POST"])
    @expose("/<int:process_id>/bagian/<place>/<int:position>", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def put(self, process_id, place, position=None):
        """Add a piece to a place, or change the one at `position` (counted from 1)."""
        process = self._process(process_id)
        index = position - 1 if position else None
        spec = (process.draft or process.published).spec
        if request.method == "POST":
            form = self._piece_form(place, spec, request_formdata(request))
            if form.validate():
                try:
                    process_design.put_piece(process, place, form.piece(), g.user, index)
                except InvalidInput as error:
                    flash(attach_errors(form, error), "danger")
                else:
                    flash(gettext("Saved in the draft."), "success")
                    return self._back(process, "#" + place.split(":")[0])
        else:
            data = None
            if index is not None:
                current = process_design.piece(process, place, index)
                data = PIECE_FORMS.get(place, FieldForm).data_of(current)
            form = self._piece_form(place, spec, data=data)
        title = PLACE_TITLES.get(place) or _l("Field of the step %(code)s",
                                              code=place.removeprefix("step:"))
        return self.render_template("processes/piece.html", process=process, form=form,
                                    place=place, position=position, title=title)

    @expose("/<int:process_id>/bagian/<place>/<int:position>/hapus", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def remove(self, process_id, place, position):
        process = self._process(process_id)
        process_design.remove_piece(process, place, position - 1, g.user)
        flash(gettext("Removed from the draft."), "success")
        return self._back(process, "#" + place.split(":")[0])

    @expose("/<int:process_id>/bagian/<place>/<int:position>/geser", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def move(self, process_id, place, position):
        process = self._process(process_id)
        offset = -1 if request.form.get("arah") == "naik" else 1
        process_design.move_piece(process, place, position - 1, offset, g.user)
        return self._back(process, "#" + place.split(":")[0])

    # --- decree, trial, publication ---------------------------------------------------

    @expose("/<int:process_id>/keputusan", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def decree(self, process_id):
        process = self._process(process_id)
        form_class, content_from, form_data = TEMPLATE_FORMS["keputusan"]
        if request.method == "POST":
            form = form_class(request_formdata(request))
            if request.form.get("generic"):
                process_design.save_decree_template(process, None, g.user)
                flash(gettext("The draft uses the generic decree again."), "success")
                return self._back(process, "#decree")
            if form.validate():
                try:
                    process_design.save_decree_template(process, content_from(form), g.user)
                except InvalidInput as error:
                    flash(attach_errors(form, error), "danger")
                else:
                    flash(gettext("The decree template is saved in the draft."), "success")
                    return self._back(process, "#decree")
        else:
            content = process_design.decree_template_of(process)
            form = form_class(data=form_data(content) if content else None)
        spec = processes.draft_of(process).spec
        answers = [(f"{ANSWERS}.{name}", label)
                   for name, label in process_design.fields_offered(spec).items()]
        return self.render_template(
            "processes/decree.html", process=process, form=form,
            placeholders=[(gettext("Answers of this process"), answers),
                          *described_common()],
            title=_l("Decree of %(name)s", name=process.name))

    @expose("/<int:process_id>/uji-coba", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def trial(self, process_id):
        """The dry run of the draft, shown on the designer page (nothing of it is kept)."""
        process = self._process(process_id)
        report = dry_run.dry_run(process, g.user)
        return self.design(process_id, trial=report)

    @expose("/<int:process_id>/terbitkan", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def publish(self, process_id):
        process = self._process(process_id)
        try:
            version = processes.publish(process, g.user, note=request.form.get("note"))
        except processes.PublishRefused as error:
            return self._refused(error, url_for(".design", process_id=process.id))
        except SiapError as error:
            flash(str(error.message), "danger")
        else:
            flash(gettext("Version %(number)d is published: new files follow it; files in "
                          "progress finish on their own version.", number=version.number),
                  "success")
        return self._back(process)

    def _refused(self, error, back):
        flash(gettext("Not published. Put these right first:"), "danger")
        for problem in error.problems:
            flash(problem, "warning")
        return redirect(back)

    @expose("/<int:process_id>/versi/<int:number>/terbitkan-ulang", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def republish(self, process_id, number):
        process = self._process(process_id)
        version = self._version(process, number)
        try:
            published = processes.republish(process, version, g.user)
        except processes.PublishRefused as error:
            return self._refused(error, url_for(".design", process_id=process.id))
        flash(gettext("Version %(old)d is published again as version %(new)d.",
                      old=number, new=published.number), "success")
        return self._back(process, "#versions")

    def _version(self, process, number):
        version = db.session.scalar(select(ProcessVersion).where(
            ProcessVersion.process_id == process.id, ProcessVersion.number == number))
        if version is None:
            raise NotFound()
        return version

    @expose("/<int:process_id>/yaml")
    @has_access
    @engine_errors_as_http
    def export(self, process_id):
        process = self._process(process_id)
        number = request.args.get("versi", "")
        version = self._version(process, int(number)) if number.isdigit() else (
            process.draft or process.published)
        response = make_response(processes.to_yaml(version.spec))
        response.headers["Content-Type"] = "application/x-yaml; charset=utf-8"
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{process.code}-v{version.number}.yaml"')
        return response

    @expose("/<int:process_id>/beda")
    @has_access
    @engine_errors_as_http
    def compare(self, process_id):
        process = self._process(process_id)
        try:
            older = self._version(process, int(request.args.get("dari", "")))
            newer = self._version(process, int(request.args.get("ke", "")))
        except ValueError:
            raise NotFound() from None
        return self.render_template(
            "processes/diff.html", process=process, older=older, newer=newer,
            lines=processes.diff(older, newer),
            title=_l("Version %(old)s and version %(new)s", old=older.number,
                     new=newer.number))

    @expose("/<int:process_id>/jenis-izin", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def permit_type(self, process_id):
        process = self._process(process_id)
        try:
            permit_type = process_design.add_permit_type(
                process, code=request.form.get("code"), name=request.form.get("name"),
                category_id=request.form.get("category"),
                service_days=request.form.get("service_days"))
        except InvalidInput as error:
            flash(attach_errors(None, error), "danger")
        else:
            flash(gettext("The permit type %(name)s is open for applications.",
                          name=permit_type.name),
                  "success")
        return self._back(process, "#permit-types")
