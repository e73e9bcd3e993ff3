"""/api/v1/sign: the head of office signs several files, rejection letters and
revocation decrees with one passphrase, and lists the letters and revocation decrees
waiting for the signature."""

from flask import request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l

from api.serialize import iso
from api.support import SiapApi, actor, engine_errors_as_json, safe
from app.errors import Forbidden, InvalidInput
from app.security import lockout
from app.security.input_guard import MAX_ID
from app.services import issued_signing
from app.services.issued_signing import sign_all
from app.workflow.access import holds_in_some_workflow

KEY_NAMES = {"application": "application_id", "document": "document_id"}


def _id_list(payload, name):
    """The ids under `name` ([] when absent); None when they are not a list of ids."""
    ids = payload.get(name, [])
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids
    ):
        return None
    return ids


class SignApi(SiapApi):
    resource_name = "sign"
    class_permission_name = "Signing"
    method_permission_name = {"batch": "write", "documents": "read"}

    @staticmethod
    def _signer():
        if not holds_in_some_workflow(actor(), "tandatangani"):
            raise Forbidden()
        return actor()

    @expose("/documents", methods=["GET"])
    @protect()
    @safe
    @engine_errors_as_json
    def documents(self):
        """The rejection letters and revocation decrees waiting for the caller's signature.
        ---
        get:
          summary: List the letters and revocation decrees to sign
          security: [{jwt: []}]
          responses:
            200:
              description: Unsigned documents of the files the caller sees, oldest first
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/PendingDocuments'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        return self.response(200, result=[{
            "id": d.id, "kind": d.kind, "kind_label": str(d.kind_label), "number": d.number,
            "application_id": d.application_id,
            "registration_number": d.application.registration_number,
            "permit_type": d.application.permit_type.name,
            "applicant_name": d.application.applicant_name, "created_at": iso(d.created_at),
        } for d in issued_signing.awaiting_signature(self._signer())])

    @expose("/batch", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def batch(self):
        """Sign files in Siap DS and waiting letters, each in its own transaction.
        ---
        post:
          summary: Sign several files and documents with one passphrase
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/SignBatchInput'}
          security: [{jwt: []}]
          responses:
            200:
              description: The outcome per file and document (signed, failed, skipped)
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/SignBatchResult'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        signer = self._signer()
        payload = request.get_json(silent=True)
        payload = payload if isinstance(payload, dict) else {}
        application_ids = _id_list(payload, "application_ids")
        document_ids = _id_list(payload, "document_ids")
        passphrase = payload.get("passphrase")
        errors = {}
        if application_ids is None or document_ids is None or not (
                application_ids or document_ids):
            errors["application_ids"] = _l("Give the ids of the files to sign.")
        if not isinstance(passphrase, str) or not passphrase:
            errors["passphrase"] = _l("Type the signing passphrase.")
        if errors:
            raise InvalidInput(errors)
        results = sign_all(application_ids, document_ids, signer, passphrase)
        attempts_left, _ = lockout.passphrase_attempts(signer)
        return self.response(200, passphrase_attempts_left=attempts_left, results=[
            {KEY_NAMES[kind]: key_id, "outcome": outcome,
             "message": str(message) if message else None}
            for (kind, key_id), outcome, message in results
        ])
