"""The public verification page behind the decree's QR code: what the permit itself
publishes (no NIK, phone or address), and a check of an uploaded copy."""

from flask import request
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _l

from app.services import decrees, validity
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


class VerificationView(BaseView):
    route_base = "/verifikasi"

    @expose("/<token>", methods=["GET", "POST"])
    @engine_errors_as_http
    def show(self, token):
        decree = decrees.find_by_token(token)
        standing = validity.state_of(decree)
        outcome = None
        if request.method == "POST":
            upload = request.files.get("file")
            content = upload.read(MAX_CHECK_BYTES + 1) if upload else b""
            if not content:
                outcome = ("warning", _l("Choose the PDF file to check."))
            elif decrees.check_authenticity(decree, content):
                outcome = ("success", AUTHENTIC[standing.state])
            else:
                outcome = ("danger", _l("NOT authentic: this file is not the signed decree "
                                        "or it was changed after signing."))
        application = decree.application
        holder = application.applicant_name
        if application.acts_for_organisation and application.organisation_name:
            holder = application.organisation_name
        return self.render_template(
            "verification.html", decree=decree, application=application, holder=holder,
            kecamatan=application.pkkpr.kecamatan if application.pkkpr else None,
            outcome=outcome, standing=standing,
        )
