"""The public verification page behind the QR code of a signed decree, rejection letter
or revocation decree: what the document itself publishes (no NIK, phone or address),
and a check of an uploaded copy."""

from flask import request
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _l

from app.errors import NotFound
from app.services.register import holder_name
from app.workflow import decrees, issued_documents, validity
from models import Register
from views.support import engine_errors_as_http

MAX_CHECK_BYTES = 20 * 1024 * 1024
# An authentic file stays authentic after the permit expires or is revoked: it is still
# the decree as it was signed, and the page says what became of the permit.
_AUTHENTIC = _l("Authentic: this file is the decree signed by DPMPTSP Kabupaten Blitar, "
                "unchanged.")
AUTHENTIC = {
    validity.PublicState.BERLAKU: _AUTHENTIC,
    validity.PublicState.KEDALUWARSA: _l("Authentic: this file is the decree signed by "
                                         "DPMPTSP Kabupaten Blitar, unchanged. The permit "
                                         "it grants has expired."),
    validity.PublicState.DICABUT: _l("Authentic: this file is the decree signed by DPMPTSP "
                                     "Kabupaten Blitar, unchanged. The permit it grants "
                                     "has been revoked."),
}


def _checked_upload(record, authentic, not_authentic):
    """The outcome of checking the PDF posted in `file` against a signed record."""
    upload = request.files.get("file")
    content = upload.read(MAX_CHECK_BYTES + 1) if upload else b""
    if not content:
        return "warning", _l("Choose the PDF file to check.")
    if decrees.check_authenticity(record, content):
        return "success", authentic
    return "danger", not_authentic


def holder_of(application):
    return holder_name(application.applicant_name, application.acts_for_organisation,
                       application.organisation_name)


class VerificationView(BaseView):
    route_base = "/verifikasi"

    @expose("/<token>", methods=["GET", "POST"])
    @engine_errors_as_http
    def show(self, token):
        try:  # most codes scanned are decrees': looked up first
            decree = decrees.find_by_token(token)
        except NotFound:
            document = issued_documents.find_by_token(token)
            if document is not None:
                return self._document(document)
            return self.render_template("verification_unknown.html"), 404
        standing = validity.state_of(decree)
        outcome = None
        if request.method == "POST":
            outcome = _checked_upload(
                decree, AUTHENTIC[standing.state],
                _l("NOT authentic: this file is not the signed decree or it was changed "
                   "after signing."))
        application = decree.application
        return self.render_template(
            "verification.html", decree=decree, application=application,
            holder=holder_of(application),
            kecamatan=application.pkkpr.kecamatan if application.pkkpr else None,
            outcome=outcome, standing=standing,
            revocation_decree=issued_documents.document_of(application,
                                                           Register.SK_PENCABUTAN),
        )

    def _document(self, document):
        """A signed rejection letter or revocation decree."""
        outcome = None
        if request.method == "POST":
            outcome = _checked_upload(
                document, _l("Authentic: this file is the %(document)s signed by DPMPTSP "
                             "Kabupaten Blitar, unchanged.", document=document.kind_label),
                _l("NOT authentic: this file is not the signed document or it was changed "
                   "after signing."))
        application = document.application
        revoked = application.decree if document.kind == Register.SK_PENCABUTAN else None
        return self.render_template(
            "verification_document.html", document=document, application=application,
            addressee=holder_of(application), revoked=revoked, outcome=outcome)
