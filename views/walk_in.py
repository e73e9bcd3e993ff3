"""/berkas/<id>/<link>: the read-only page a walk-in applicant (no account) opens from
the signed link in their messages (app/workflow/walk_in.py), and the downloads of what
was signed for them. No login; nothing on it changes anything."""

from flask_appbuilder import BaseView, expose

from app.downloads import send_decree, send_stored_file
from app.errors import SiapError
from app.services import tracking
from app.workflow import decrees, issued_documents, validity, walk_in
from app.workflow.registry import workflow_of
from models import Register

# The link is a password to this page: never cached, indexed, or sent on as a referrer.
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow",
                   "Referrer-Policy": "no-referrer"}


def _private(response):
    response.headers.update(PRIVATE_HEADERS)
    return response


def _documents(application):
    """The requirements and what was uploaded for each, with the verdict and, for a
    rejected document, its reason (addressed to the applicant); no file is served here."""
    uploaded = {d.requirement_id: d for d in application.documents}
    return [(entry.requirement, entry.mandatory, uploaded.get(entry.requirement_id))
            for entry in application.requirements]


class WalkInView(BaseView):
    route_base = "/berkas"

    def _refusal(self, error):
        """A clear page for a link that is not valid (404), has expired (410), or leads
        to a document not signed yet (404)."""
        reason = "expired" if isinstance(error, walk_in.LinkExpired) else \
            "invalid" if isinstance(error, walk_in.LinkNotValid) else "unavailable"
        page = self.render_template("walk_in/refused.html", message=error.message,
                                    reason=reason)
        return page, error.status_code, PRIVATE_HEADERS

    @expose("/<int:application_id>/<link>")
    def show(self, application_id, link):
        try:
            application = walk_in.open_link(application_id, link)
        except SiapError as error:
            return self._refusal(error)
        decree = application.decree
        signed = decree if decree is not None and decree.is_signed else None
        page = self.render_template(
            "walk_in/show.html", application=application, link=link,
            workflow=workflow_of(application),
            found=tracking.track(application, with_reasons=True),
            documents=_documents(application),
            decree=signed, decree_state=validity.state_of(signed) if signed else None,
            rejection=application.rejection,
            rejection_letter=issued_documents.document_of(application,
                                                          Register.SURAT_PENOLAKAN),
            revocation_decree=issued_documents.document_of(application,
                                                           Register.SK_PENCABUTAN))
        return page, 200, PRIVATE_HEADERS

    @expose("/<int:application_id>/<link>/sk.pdf")
    def download_decree(self, application_id, link):
        """The signed decree (stamped DICABUT once revoked), as the applicant's own
        download gives it; nothing before the signature."""
        try:
            application = walk_in.open_link(application_id, link)
            return _private(send_decree(decrees.signed_decree_of(application)))
        except SiapError as error:
            return self._refusal(error)

    @expose("/<int:application_id>/<link>/terbitan/<int:issued_id>")
    def download_issued(self, application_id, link, issued_id):
        """The signed rejection letter or revocation decree of this file only."""
        try:
            application = walk_in.open_link(application_id, link)
            return _private(send_stored_file(
                issued_documents.signed_document(application, issued_id)))
        except SiapError as error:
            return self._refusal(error)

