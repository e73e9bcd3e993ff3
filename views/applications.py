"""The application pages every role works in: create and edit a draft, the file page,
document upload and verdicts, workflow actions, downloads and the print view.

Each endpoint parses input, calls app.services / app.workflow.engine, and presents the
result; row visibility and permissions are checked there."""

from flask import flash, jsonify, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import joinedload, selectinload

from app import office_time
from app.downloads import SHOWN_IN_PAGE, send_decree, send_stored_file, show_stored_file
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, SiapError
from app.extensions import db
from app.security.roles import is_staff
from app.services import applications as service
from app.services import correction_notices, renewal, revocation, tracking
from app.services import survey as surveys
from app.services.catalogue import categories_open_to
from app.workflow import clock, decrees, issued_documents, validity, withdrawal
from app.workflow.access import available_transitions, holds
from app.workflow.engine import ready_action, take_action
from app.workflow.field_sets import answers_seen
from app.workflow.files import load_visible
from app.workflow.numbering import propose_number
from app.workflow.registry import workflow_of
from models import Application, ApplicationDocument, HistoryEvent, Register
from models.application import VERDICTS
from views.support import (
    asks_for_json,
    attach_errors,
    current_user,
    engine_errors_as_http,
    flash_error,
    request_formdata,
)

# What the file page shows, loaded in a fixed number of queries.
WHOLE_FILE = (
    selectinload(Application.events).joinedload(HistoryEvent.actor),
    selectinload(Application.documents).joinedload(ApplicationDocument.requirement),
    selectinload(Application.documents).joinedload(ApplicationDocument.versions),
    selectinload(Application.issued_documents),
    # A file has at most one of each, and few requirements and artifacts: read with the
    # file itself (a few rows, one query less each).
    joinedload(Application.requirement_set),
    joinedload(Application.artifacts),
    joinedload(Application.permit_type),
    joinedload(Application.pkkpr),
    joinedload(Application.asset_use),
    joinedload(Application.decree),
    joinedload(Application.rejection),
)


def visible_document(application_id, document_id):
    """One of the documents of a file this user may see (None when it is not one)."""
    application = load_visible(application_id, current_user())
    return next((d for d in application.documents if d.id == document_id), None)


def remaining_text(count):
    if not count:
        return str(_l("Every document has a verdict."))
    return ngettext("%(num)s document waits for a verdict.",
                    "%(num)s documents wait for a verdict.", count)


def verdict_json(document):
    """What the page's script shows in the document's row after its verdict."""
    remaining = len(service.documents_to_review(document.application))
    return {"document_id": document.id, "verdict": document.verdict,
            "label": str(VERDICTS.label(document.verdict)), "reason": document.verdict_reason,
            "remaining": remaining, "remaining_text": remaining_text(remaining)}


def error_json(error):
    return {"message": attach_errors(None, error) if isinstance(error, InvalidInput)
            else str(error.message),
            "field_errors": {name: str(text) for name, text in error.field_errors.items()}}


class ApplicationView(BaseView):
    route_base = "/permohonan"
    default_view = "choose_permit_type"
    class_permission_name = "Application"
    method_permission_name = {
        "choose_permit_type": "write",
        "create": "write",
        "edit": "write",
        "upload": "write",
        "judge": "write",
        "accept_all": "write",
        "preview_document": "read",
        "action": "write",
        "detail": "read",
        "download_document": "read",
        "download_artifact": "read",
        "download_document_version": "read",
        "print_view": "read",
        "download_decree": "read",
        "download_issued": "read",
        "draft_decree": "read",
        "revoke": "write",
        "survey": "write",
        "renew": "write",
    }

    def _detail(self, application_id):
        return redirect(url_for(".detail", application_id=application_id))

    # --- drafts ---------------------------------------------------------------

    @expose("/baru")
    @has_access
    def choose_permit_type(self):
        user = current_user()
        return self.render_template(
            "application/choose.html",
            catalogue=categories_open_to(lambda kind: service.may_create(user, kind)),
        )

    @expose("/baru/<code>", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def create(self, code):
        permit_type = service.open_permit_type(code)
        user = current_user()
        form = service.application_form(
            permit_type, request_formdata(request) if request.method == "POST" else None,
            applicant=None if is_staff(user) else user)  # the counter's: a walk-in's
        if request.method == "POST":
            try:
                application = service.create_application(code, user,
                                                         request_formdata(request))
            except InvalidInput as error:
                flash(attach_errors(form, error), "danger")
            else:
                flash(str(_l("The draft is saved. Upload the requirement documents, then "
                             "submit.")), "success")
                return self._detail(application.id)
        return self.render_template(
            "application/form.html", form=form, permit_type=permit_type,
            applying=service.applying_of(permit_type.workflow_kind),
            title=_l("New application: %(name)s", name=permit_type.name),
        )

    @expose("/<int:application_id>/ubah", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def edit(self, application_id):
        user = current_user()
        try:
            application = service.editable_application(application_id, user)
        except Conflict as error:
            flash(str(error.message), "danger")
            return self._detail(application_id)
        if request.method == "POST":
            form = service.application_form(application.permit_type, request_formdata(request),
                                            application)
            try:
                service.update_application(application_id, user, request_formdata(request),
                                           request.form.get("expected_version"))
            except InvalidInput as error:
                flash(attach_errors(form, error), "danger")
            except SiapError as error:
                flash_error(error)
                return self._detail(application_id)
            else:
                flash(str(_l("The application data is saved.")), "success")
                return self._detail(application_id)
        else:
            form = service.application_form(application.permit_type, application=application)
        return self.render_template(
            "application/form.html", form=form, permit_type=application.permit_type,
            application=application, title=_l("Edit application data"),
            applying=service.applying_of(application.kind, application),
        )

    # --- the file page --------------------------------------------------------

    @expose("/<int:application_id>")
    @has_access
    @engine_errors_as_http
    def detail(self, application_id):
        user = current_user()
        application = load_visible(application_id, user, WHOLE_FILE)
        workflow = workflow_of(application)
        decree = application.decree
        documents = {d.requirement_id: d for d in application.documents}
        requirement_rows = [
            {
                "requirement": entry.requirement,
                "mandatory": entry.mandatory,
                "document": documents.get(entry.requirement_id),
                "can_upload": service.upload_rule(application, user,
                                                  entry.requirement_id) is None,
            }
            for entry in application.requirements
        ]
        withdrawn = withdrawal.withdrawal_of(application) \
            if workflow.is_in(application.status, "withdrawn_states") else None
        can_renew = renewal.may_renew(application, user)
        can_judge = service.may_judge(application, user)
        to_review = service.documents_to_review(application) if can_judge else []
        return self.render_template(
            "application/detail.html",
            application=application,
            workflow=workflow,
            answers=answers_seen(application, workflow, user),
            requirement_rows=requirement_rows,
            transitions=available_transitions(application, user),
            can_judge=can_judge,
            to_review=len(to_review),
            remaining_text=remaining_text(len(to_review)),
            correction=correction_notices.notice_of(application),
            shown_in_page=SHOWN_IN_PAGE,
            can_edit=user.id in (application.owner_id, application.created_by_id)
            and workflow.is_in(application.status, "editable_states"),
            can_revoke=holds(user, workflow, "cabut_izin"),
            can_see_draft=decrees.may_see_draft(application, user),
            decree_state=validity.state_of(decree) if decree and decree.is_signed else None,
            rejection=application.rejection,
            withdrawal=withdrawn,
            withdrawal_outcome=withdrawal.outcome(withdrawn) if withdrawn else [],
            rejection_letter=issued_documents.document_of(application,
                                                          Register.SURAT_PENOLAKAN),
            revocation_decree=issued_documents.document_of(application,
                                                           Register.SK_PENCABUTAN),
            clock=clock.read(application, workflow),
            office=None if application.status in {s.value for s in workflow.terminal}
            else tracking.office_name(application, application.status),
            can_survey=surveys.survey_rule(application, user) is None,
            survey_answered=surveys.answered_by(application, user),
            renews=renewal.previous_of(application, user),
            renewals=renewal.visible_renewals(application, user),
            can_renew=can_renew,
            renewal_period=renewal.suggested_period(application) if can_renew else None,
        )

    @expose("/<int:application_id>/dokumen/<int:requirement_id>", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def upload(self, application_id, requirement_id):
        try:
            service.upload_document(application_id, requirement_id, current_user(),
                                    request.files.get("file"))
        except (InvalidInput, Conflict) as error:
            flash_error(error)
        else:
            flash(str(_l("The document is uploaded.")), "success")
        return self._detail(application_id)

    @expose("/<int:application_id>/dokumen/<int:document_id>/verifikasi", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def judge(self, application_id, document_id):
        """One verdict: the page's script asks for JSON and updates the row in place; a
        plain form post (no script) comes back to the file page."""
        try:
            document = service.judge_document(application_id, document_id, current_user(),
                                              request.form.get("verdict"),
                                              request.form.get("reason"))
        except (InvalidInput, Conflict) as error:
            if asks_for_json(request):
                return jsonify(error_json(error)), error.status_code
            flash_error(error)
        else:
            if asks_for_json(request):
                return jsonify(verdict_json(document))
            flash(str(_l("The verdict is saved.")), "success")
        return self._detail(application_id)

    @expose("/<int:application_id>/dokumen/terima-semua", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def accept_all(self, application_id):
        """Accept every document not judged yet: GET is the confirmation (the page's
        dialog without a script), POST does it."""
        user = current_user()
        try:
            if request.method == "GET":
                return self._confirm_accept_all(service.judged_application(application_id, user))
            accepted = service.accept_unreviewed_documents(application_id, user)
        except Conflict as error:  # not in the document check
            flash_error(error)
            return self._detail(application_id)
        if accepted:
            flash(ngettext("%(num)s document is accepted.", "%(num)s documents are accepted.",
                           len(accepted)), "success")
        else:
            flash(str(_l("No document was waiting for a verdict.")), "info")
        return self._detail(application_id)

    def _confirm_accept_all(self, application):
        documents = service.documents_to_review(application)
        return self.render_template(
            "application/accept_all.html", application=application,
            workflow=workflow_of(application), documents=documents,
            remaining_text=remaining_text(len(documents)))

    # --- renewal (perpanjangan) --------------------------------------------------

    @expose("/<int:application_id>/perpanjang", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def renew(self, application_id):
        """A new draft renewing this file's permit; the applicant completes it there."""
        try:
            draft = renewal.renew(application_id, current_user(), request.form)
        except renewal.RenewalInProgress as error:
            flash(str(error.message), "warning")
            return self._detail(error.renewal.id)
        except (InvalidInput, Conflict) as error:
            flash_error(error)
            return self._detail(application_id)
        flash(str(_l("The renewal draft is ready, filled in from your permit. Check the "
                     "data, upload the requirement documents, then submit.")), "success")
        return self._detail(draft.id)

    # --- the satisfaction survey (SKM) ------------------------------------------

    @expose("/<int:application_id>/survei", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def survey(self, application_id):
        user = current_user()
        try:
            application = surveys.open_survey(application_id, user)
        except Conflict as error:  # not finished yet, or already answered
            flash_error(error)
            return self._detail(application_id)
        formdata = request_formdata(request) if request.method == "POST" else None
        form = surveys.SurveyForm(formdata)
        if request.method == "POST":
            try:
                surveys.submit_survey(application_id, user, formdata)
            except InvalidInput as error:
                flash(attach_errors(form, error), "danger")
            except Conflict as error:
                flash_error(error)
                return self._detail(application_id)
            else:
                flash(str(_l("Thank you for rating our service.")), "success")
                return self._detail(application_id)
        return self.render_template("application/survey.html", application=application,
                                    workflow=workflow_of(application), form=form)

    # --- workflow actions -----------------------------------------------------

    @expose("/<int:application_id>/aksi/<action>", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def action(self, application_id, action):
        user = current_user()
        try:
            ready = ready_action(application_id, action, user)
        except Conflict as error:  # not possible in the file's status
            flash(str(error.message), "danger")
            return self._detail(application_id)
        application, workflow, transition = ready
        formdata = request_formdata(request) if request.method == "POST" else None
        form = workflow.form_for(transition, application, formdata)
        if request.method == "POST":
            try:
                application = take_action(ready, user, form,
                                          request.form.get("expected_version"))
            except InvalidInput as error:
                message = attach_errors(form, error)
                flash(message, "danger")
                if form is None:
                    return self._detail(application_id)
            except (NotFound, Forbidden):
                raise
            except SiapError as error:  # wrong status, stale version, signing refused…
                flash(str(error.message), "danger")
                return self._detail(application_id)
            else:
                flash(tracking.after_action(application, transition), "success")
                return self._detail(application_id)
        return self.render_template(
            "application/action.html", application=application, workflow=workflow,
            transition=transition, form=form,
            proposed_sk=propose_number("sk", application.permit_type, office_time.today())
            if action == "input_nomor_sk" and not application.sk_number else None,
            consequences=withdrawal.consequences(transition, application)
            if action == "tarik_permohonan" else None,
        )

    # --- files ----------------------------------------------------------------

    @expose("/<int:application_id>/berkas/dokumen/<int:document_id>")
    @has_access
    @engine_errors_as_http
    def download_document(self, application_id, document_id):
        return send_stored_file(visible_document(application_id, document_id))

    @expose("/<int:application_id>/berkas/dokumen/<int:document_id>/lihat")
    @has_access
    @engine_errors_as_http
    def preview_document(self, application_id, document_id):
        """The same document as the download, inline, for the file page's viewer."""
        return show_stored_file(visible_document(application_id, document_id))

    @expose("/<int:application_id>/berkas/versi/<int:version_id>")
    @has_access
    @engine_errors_as_http
    def download_document_version(self, application_id, version_id):
        """A file a re-upload replaced, for whoever may see the application."""
        application = load_visible(application_id, current_user())
        return send_stored_file(service.earlier_version(application, version_id))

    @expose("/<int:application_id>/berkas/artefak/<int:artifact_id>")
    @has_access
    @engine_errors_as_http
    def download_artifact(self, application_id, artifact_id):
        application = load_visible(application_id, current_user())
        return send_stored_file(
            next((a for a in application.artifacts if a.id == artifact_id), None))

    @expose("/<int:application_id>/sk.pdf")
    @has_access
    @engine_errors_as_http
    def download_decree(self, application_id):
        application = load_visible(application_id, current_user())
        return send_decree(decrees.signed_decree_of(application))

    @expose("/<int:application_id>/berkas/terbitan/<int:issued_id>")
    @has_access
    @engine_errors_as_http
    def download_issued(self, application_id, issued_id):
        """The signed rejection letter or revocation decree, for whoever sees the file."""
        application = load_visible(application_id, current_user())
        return send_stored_file(issued_documents.signed_document(application, issued_id))

    @expose("/<int:application_id>/draf-sk.pdf")
    @has_access
    @engine_errors_as_http
    def draft_decree(self, application_id):
        """The decree as it will be signed, marked DRAFT (back office and head of office)."""
        application = load_visible(application_id, current_user())
        if not decrees.may_see_draft(application, current_user()):
            raise NotFound()
        pdf = decrees.render_draft(application)
        db.session.commit()  # keeps the verification token the preview printed
        response = make_response(pdf)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = "inline; filename=draf-sk.pdf"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/<int:application_id>/cabut", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def revoke(self, application_id):
        try:
            revocation.revoke(application_id, current_user(), request.form.get("alasan"))
        except (InvalidInput, Conflict) as error:
            flash_error(error)
        else:
            flash(str(_l("The permit is revoked; the holder is notified and the verification "
                         "page now says so.")), "warning")
        return self._detail(application_id)

    @expose("/<int:application_id>/cetak")
    @has_access
    @engine_errors_as_http
    def print_view(self, application_id):
        application = load_visible(application_id, current_user())
        return self.render_template(
            "application/print.html", application=application,
            workflow=workflow_of(application),
        )
