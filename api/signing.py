"""/api/v1/sign/batch: the head of office signs several files with one passphrase."""

from flask import request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l

from api.support import SiapApi, actor, engine_errors_as_json, safe
from app.errors import Forbidden, InvalidInput
from app.security import lockout
from app.security.input_guard import MAX_ID
from app.services.decrees import sign_many
from app.workflow.access import holds_in_some_workflow


class SignApi(SiapApi):
    resource_name = "sign"
    class_permission_name = "Signing"
    method_permission_name = {"batch": "write"}

    @expose("/batch", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def batch(self):
        """Sign files in Siap DS, each in its own transaction.
        ---
        post:
          summary: Sign several files with one passphrase
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/SignBatchInput'}
          security: [{jwt: []}]
          responses:
            200:
              description: The outcome per file (signed, failed, skipped)
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/SignBatchResult'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        if not holds_in_some_workflow(actor(), "tandatangani"):
            raise Forbidden()
        payload = request.get_json(silent=True)
        payload = payload if isinstance(payload, dict) else {}
        ids = payload.get("application_ids")
        passphrase = payload.get("passphrase")
        errors = {}
        if not isinstance(ids, list) or not ids or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids
        ):
            errors["application_ids"] = _l("Give the ids of the files to sign.")
        if not isinstance(passphrase, str) or not passphrase:
            errors["passphrase"] = _l("Type the signing passphrase.")
        if errors:
            raise InvalidInput(errors)
        results = sign_many(ids, actor(), passphrase)
        attempts_left, _ = lockout.passphrase_attempts(actor())
        return self.response(200, passphrase_attempts_left=attempts_left, results=[
            {"application_id": i, "outcome": outcome,
             "message": str(message) if message else None}
            for i, outcome, message in results
        ])
