"""/api/v1/applications: the same services and engine as the screens, as JSON.

Every endpoint reads files through app.workflow.files (404 when not visible)
and runs workflow actions only through `apply_action`."""

from flask import request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from api.serialize import detail, summary
from api.support import SiapApi, actor, engine_errors_as_json, request_data, safe
from app.downloads import send_decree, send_stored_file
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.services import applications as service
from app.services import renewal, revocation
from app.workflow import decrees
from app.workflow.access import inbox_clause
from app.workflow.engine import apply_action
from app.workflow.files import load_visible, visible_clause
from models import Application, PermitType

MAX_PAGE_SIZE = 100
NOT_AN_OBJECT = _l("Send the fields as a JSON object or as a form.")


def _page_args():
    try:
        page = max(int(request.args.get("page", 1)), 1)
        page_size = min(max(int(request.args.get("page_size", 20)), 1), MAX_PAGE_SIZE)
    except ValueError:
        raise InvalidInput({"page": _l("page and page_size are whole numbers.")}) from None
    return page, page_size


class ApplicationsApi(SiapApi):
    resource_name = "applications"
    class_permission_name = "Application"
    method_permission_name = {"list": "read", "create": "write", "get": "read",
                              "upload": "write", "verdict": "write", "action": "write",
                              "file": "read",
                              "decree": "read", "revoke": "write", "renew": "write"}

    @expose("", methods=["GET"])
    @protect()
    @safe
    @engine_errors_as_json
    def list(self):
        """The caller's visible applications, newest change first.
        ---
        get:
          summary: List applications (own ones; a staff inbox with inbox=1)
          parameters:
          - {in: query, name: inbox, schema: {type: integer, enum: [0, 1]}}
          - {in: query, name: status, schema: {type: string}}
          - {in: query, name: type, schema: {type: string}, description: permit type code}
          - {in: query, name: page, schema: {type: integer, minimum: 1}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          security: [{jwt: []}]
          responses:
            200:
              description: One page of applications
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationList'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        user = actor()
        page, page_size = _page_args()
        where = [inbox_clause(user) if request.args.get("inbox") == "1"
                 else visible_clause(user)]
        if request.args.get("status"):
            where.append(Application.status == request.args["status"])
        if request.args.get("type"):
            where.append(Application.permit_type_id.in_(
                select(PermitType.id).where(PermitType.code == request.args["type"])))
        total = db.session.scalar(select(func.count(Application.id)).where(*where))
        offset = (page - 1) * page_size
        # A page past the last is empty (and a huge one would overflow the database's OFFSET).
        rows = [] if offset >= total else db.session.scalars(
            select(Application).where(*where)
            .options(selectinload(Application.permit_type))
            .order_by(Application.status_changed_at.desc(), Application.id.desc())
            .limit(page_size).offset(offset)
        ).all()
        return self.response(200, count=total, page=page, page_size=page_size,
                             result=[summary(a) for a in rows])

    @expose("", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def create(self):
        """Create a draft.
        ---
        post:
          summary: Create a draft application
          description: >-
            `permit_type` (a code from /permit-types) and the fields of that kind's
            application form (see the `fields` of GET /permit-types).
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/ApplicationInput'}
          security: [{jwt: []}]
          responses:
            201:
              description: The new draft
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetail'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            404: {$ref: '#/components/responses/SiapError404'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        data = request_data()
        if data is None:
            raise InvalidInput({"permit_type": NOT_AN_OBJECT})
        code = data.get("permit_type") or ""
        if not code:
            raise InvalidInput({"permit_type": _l("Name the permit type (its code).")})
        user = actor()
        application = service.create_application(code, user, data)
        return self.response(201, **detail(application, user))

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    @engine_errors_as_json
    def get(self, pk):
        """One application with its clock, documents, history and next actions.
        ---
        get:
          summary: Get an application
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          security: [{jwt: []}]
          responses:
            200:
              description: The application
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetail'}
            401: {$ref: '#/components/responses/SiapError401'}
            404: {$ref: '#/components/responses/SiapError404'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        user = actor()
        return self.response(200, **detail(load_visible(pk, user), user))

    @expose("/<int:pk>/documents", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def upload(self, pk):
        """Upload the file of one requirement.
        ---
        post:
          summary: Upload a requirement document
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [requirement_id, file]
                  properties:
                    requirement_id: {type: integer}
                    file: {type: string, format: binary}
          security: [{jwt: []}]
          responses:
            201:
              description: The application with the new document
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetail'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            404: {$ref: '#/components/responses/SiapError404'}
            409: {$ref: '#/components/responses/SiapError409'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        user = actor()
        requirement_id = request.form.get("requirement_id", "")
        if not requirement_id.isdigit():
            raise InvalidInput({"requirement_id": _l("Name the requirement (its id).")})
        service.upload_document(pk, int(requirement_id), user, request.files.get("file"))
        return self.response(201, **detail(load_visible(pk, user), user))

    @expose("/<int:pk>/documents/<int:document_id>/verdict", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def verdict(self, pk, document_id):
        """An officer's verdict on one document.
        ---
        post:
          summary: Accept or reject a document (front office, examiner)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: document_id, required: true, schema: {type: integer}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/VerdictInput'}
          security: [{jwt: []}]
          responses:
            200:
              description: The application with the verdict
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetail'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            404: {$ref: '#/components/responses/SiapError404'}
            409: {$ref: '#/components/responses/SiapError409'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        data = request_data()
        if data is None:
            raise InvalidInput({"verdict": NOT_AN_OBJECT})
        user = actor()
        service.judge_document(pk, document_id, user, data.get("verdict"), data.get("reason"))
        return self.response(200, **detail(load_visible(pk, user), user))

    @expose("/<int:pk>/actions/<action>", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def action(self, pk, action):
        """Run a workflow action with its form fields.
        ---
        post:
          summary: Run a workflow action
          description: >-
            The fields are those listed in `available_actions` of the application
            (JSON, or multipart when a field is a file). `expected_version` makes the
            call fail with 409 when someone changed the file meanwhile.
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: action, required: true, schema: {type: string}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/ActionInput'}
              multipart/form-data:
                schema: {$ref: '#/components/schemas/ActionInput'}
          security: [{jwt: []}]
          responses:
            200:
              description: The application in its new status
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetail'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            404: {$ref: '#/components/responses/SiapError404'}
            409: {$ref: '#/components/responses/SiapError409'}
            422: {$ref: '#/components/responses/SiapError422'}
        """
        data = request_data()
        if data is None:
            raise InvalidInput({"action": NOT_AN_OBJECT})
        user = actor()
        application = apply_action(pk, action, user, data, data.get("expected_version"))
        return self.response(200, **detail(application, user))

    @expose("/<int:pk>/files/<file_id>", methods=["GET"])
    @protect()
    @safe
    @engine_errors_as_json
    def file(self, pk, file_id):
        """Download a document (dokumen-<id>), an earlier version of one that a re-upload
        replaced (versi-<id>), an issued artifact (artefak-<id>), or a signed rejection
        letter or revocation decree (terbitan-<id>, see `issued_documents`).
        ---
        get:
          summary: Download a file of an application
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: file_id, required: true, schema: {type: string}}
          security: [{jwt: []}]
          responses:
            200:
              description: The file, as the type it was stored with
              content:
                application/pdf:
                  schema: {type: string, format: binary}
                image/png:
                  schema: {type: string, format: binary}
                image/jpeg:
                  schema: {type: string, format: binary}
                application/octet-stream:
                  schema: {type: string, format: binary}
            401: {$ref: '#/components/responses/SiapError401'}
            404: {$ref: '#/components/responses/SiapError404'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        application = load_visible(pk, actor())
        kind, _, number = file_id.partition("-")
        records = {"dokumen": application.documents, "artefak": application.artifacts,
                   "versi": [v for d in application.documents for v in d.versions],
                   "terbitan": application.issued_documents}
        if kind not in records or not number.isdigit():
            raise NotFound()
        return send_stored_file(next((r for r in records[kind] if r.id == int(number)), None))

    @expose("/<int:pk>/decree", methods=["GET"])
    @protect()
    @safe
    @engine_errors_as_json
    def decree(self, pk):
        """Download the signed decree; once revoked, a copy stamped DICABUT on every page.
        ---
        get:
          summary: Download the signed decree (PDF)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          security: [{jwt: []}]
          responses:
            200:
              description: The signed PDF
              content:
                application/pdf:
                  schema: {type: string, format: binary}
            401: {$ref: '#/components/responses/SiapError401'}
            404: {$ref: '#/components/responses/SiapError404'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        application = load_visible(pk, actor())
        return send_decree(decrees.signed_decree_of(application))

    @expose("/<int:pk>/revoke", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def revoke(self, pk):
        """Revoke the signed permit of a file: its revocation decree is numbered and waits
        for the signature; the holder is notified.
        ---
        post:
          summary: Revoke a signed permit
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/RevocationInput'}
          security: [{jwt: []}]
          responses:
            200:
              description: The application, its decree revoked
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetail'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            404: {$ref: '#/components/responses/SiapError404'}
            409: {$ref: '#/components/responses/SiapError409'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        data = request_data()
        if data is None:
            raise InvalidInput({"alasan": NOT_AN_OBJECT})
        reason = data.get("alasan")
        user = actor()
        revocation.revoke(pk, user, reason if isinstance(reason, str) else None)
        db.session.expire_all()
        return self.response(200, **detail(load_visible(pk, user), user))

    @expose("/<int:pk>/renew", methods=["POST"])
    @protect()
    @safe
    @engine_errors_as_json
    def renew(self, pk):
        """Renew a signed permit (perpanjangan): a new draft of the same permit type,
        filled in from this file and linked to it, for its holder to complete and submit.
        ---
        post:
          summary: Renew a signed permit
          description: >-
            Only the holder of the file, for a renewable permit type, a signed permit in
            force or recently expired, and one renewal at a time (409 names the renewal
            in progress). An asset use needs the period of the renewed use
            (`renewal_period` of the file suggests one).
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/RenewalInput'}
          security: [{jwt: []}]
          responses:
            201:
              description: The new draft, linked to the permit it renews
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetail'}
            400: {$ref: '#/components/responses/SiapError400'}
            401: {$ref: '#/components/responses/SiapError401'}
            403: {$ref: '#/components/responses/SiapError403'}
            404: {$ref: '#/components/responses/SiapError404'}
            409: {$ref: '#/components/responses/SiapError409'}
            422: {$ref: '#/components/responses/SiapTokenError422'}
        """
        data = request_data()
        if data is None:
            raise InvalidInput({"period_start": NOT_AN_OBJECT})
        user = actor()
        draft = renewal.renew(pk, user, data)
        return self.response(201, **detail(draft, user))
