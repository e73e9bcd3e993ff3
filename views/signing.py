"""The head of office's signing page: mobile first, files in Siap DS with their key
data and a preview, then the rejection letters and revocation decrees waiting for the
signature; sign one or several with one passphrase. Only for those who hold the
signature (the Admin reaches every screen, but signs nothing)."""

from flask import abort, flash, g, jsonify, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.errors import SiapError
from app.extensions import db
from app.security import lockout
from app.services import issued_pdf, issued_signing, signing_queue
from app.services.issued_signing import sign_all, sign_one
from app.workflow.access import holds_in_some_workflow
from app.workflow.decrees import stops_the_batch
from models import Application, AssetUse, IssuedDocument
from views.support import engine_errors_as_http


def _ids(name):
    return [int(i) for i in request.form.getlist(name) if i.isdigit()]


def _label(key):
    """How a flash message names a file or a document of the batch."""
    kind, key_id = key
    if kind == "application":
        found = db.session.get(Application, key_id)
        return found.registration_number if found else f"#{key_id}"
    found = db.session.get(IssuedDocument, key_id)
    return f"{found.kind_label} {found.number}" if found else f"#{key_id}"


def _wants_json():
    """The signing page's script signs one file per request and asks for JSON."""
    return request.accept_mimetypes.best == "application/json"


class SigningView(BaseView):
    route_base = "/tandatangan"
    default_view = "index"
    class_permission_name = "Signing"
    method_permission_name = {"index": "read", "sign": "write", "preview_issued": "read"}

    @staticmethod
    def signs_decrees():
        return holds_in_some_workflow(g.user, "tandatangani")

    @expose("/")
    @has_access
    def index(self):
        if not self.signs_decrees():
            abort(403)
        files = db.session.scalars(
            signing_queue.decrees_waiting(g.user)
            .options(selectinload(Application.pkkpr), selectinload(Application.permit_type),
                     selectinload(Application.asset_use).selectinload(AssetUse.asset))
            .order_by(Application.status_changed_at)
        ).all()
        attempts_left, wait_minutes = lockout.passphrase_attempts(g.user)
        return self.render_template("signing/index.html", files=files,
                                    documents=issued_signing.awaiting_signature(g.user),
                                    attempts_left=attempts_left, wait_minutes=wait_minutes)

    @expose("/terbitan/<int:issued_id>/pratinjau")
    @has_access
    @engine_errors_as_http
    def preview_issued(self, issued_id):
        """A rejection letter or revocation decree as it will be signed, marked DRAFT;
        once signed, its signed file."""
        if not self.signs_decrees():
            abort(403)
        document = issued_signing.document_for_signer(issued_id, g.user)
        if document.is_signed:
            return redirect(url_for("ApplicationView.download_issued",
                                    application_id=document.application_id,
                                    issued_id=document.id))
        rendered, _ = issued_pdf.render(document, signer=g.user, draft=True)
        response = make_response(rendered.pdf)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = "inline; filename=draf.pdf"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/", methods=["POST"])
    @has_access
    def sign(self):
        if not self.signs_decrees():
            abort(403)
        application_ids, document_ids = _ids("application_id"), _ids("document_id")
        passphrase = request.form.get("passphrase", "")
        if _wants_json():
            return self._sign_one(application_ids, document_ids, passphrase)
        if not application_ids and not document_ids:
            flash(str(_l("Choose at least one file to sign.")), "warning")
            return redirect(url_for(".index"))
        if not passphrase:
            flash(str(_l("Type your signing passphrase.")), "warning")
            return redirect(url_for(".index"))
        results = sign_all(application_ids, document_ids, g.user, passphrase)
        signed = sum(1 for _, outcome, _ in results if outcome == "signed")
        if signed:
            flash(str(_l("%(count)d file(s) signed.", count=signed)), "success")
        for key, outcome, message in results:
            if outcome != "signed":
                flash(f"{_label(key)}: {message}", "danger")
        return redirect(url_for(".index"))

    @staticmethod
    def _sign_one(application_ids, document_ids, passphrase):
        """One file or document of the page's batch (its script sends them one by one to
        show the progress): how it went, and whether the rest should stop (a wrong
        passphrase, an unreachable signing service)."""
        keys = [("application", i) for i in application_ids] + \
            [("document", i) for i in document_ids]
        if len(keys) != 1 or not passphrase:
            return jsonify(outcome="failed", stop=True, label=None, message=str(
                _l("Choose one file and type your signing passphrase."))), 400
        key = keys[0]
        try:
            sign_one(key, g.user, passphrase)
        except SiapError as error:
            return jsonify(outcome="failed", message=str(error.message),
                           stop=stops_the_batch(error), label=_label(key))
        return jsonify(outcome="signed", message=None, stop=False, label=_label(key))
