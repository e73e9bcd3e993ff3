"""Public API endpoints (no login): the permit catalogue, tracking, decree verification
and the OpenAPI document."""

from flask import current_app, request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.api.manager import OpenApi
from flask_appbuilder.security.api import SecurityApi

from api.schemas import complete_security_api
from api.serialize import decree_state, iso
from api.support import SiapApi, describe_form, engine_errors_as_json, safe
from app.services import tracking
from app.services.applications import application_form
from app.services.catalogue import active_catalogue
from app.services.register import holder_name
from app.workflow import decrees, issued_documents
from app.workflow.registry import find
from models import Register


class PermitTypesApi(SiapApi):
    resource_name = "permit-types"

    @expose("", methods=["GET"])
    @safe
    def list(self):
        """Active permit types grouped by category, with requirements and form fields.
        ---
        get:
          summary: The permit catalogue
          responses:
            200:
              description: Categories with their active permit types
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Catalogue'}
        """
        categories = []
        for category, permit_types in active_catalogue():
            categories.append({
                "id": category.id, "name": category.name,
                "permit_types": [{
                    "code": t.code, "name": t.name, "kind": t.workflow_kind,
                    "description": t.description, "service_days": t.service_days,
                    "open_for_applications": find(t.workflow_kind) is not None,
                    "requirements": [{
                        "id": r.id, "name": r.name, "mandatory": r.mandatory,
                        "accepted_types": r.accepted_type_list, "max_size_mb": r.max_size_mb,
                    } for r in t.active_requirements],
                    "fields": describe_form(application_form(t))
                    if find(t.workflow_kind) is not None else [],
                } for t in permit_types],
            })
        return self.response(200, categories=categories)


class TrackApi(SiapApi):
    resource_name = "track"

    @expose("", methods=["GET"])
    @safe
    def get(self):
        """Where a file is: its number and the last four digits of the applicant's phone.
        ---
        get:
          summary: Track an application
          parameters:
          - {in: query, name: number, required: true, schema: {type: string}}
          - {in: query, name: phone_suffix, required: true, schema: {type: string}}
          responses:
            200:
              description: Stage, office, timeline and clock
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Tracking'}
            404: {$ref: '#/components/responses/SiapError404'}
            429: {$ref: '#/components/responses/SiapError429'}
        """
        application = tracking.find(request.args.get("number"),
                                    request.args.get("phone_suffix"))
        if application is None:
            return self.response(404, message=str(tracking.NOT_FOUND))
        found = tracking.track(application)
        reading = found.clock
        return self.response(
            200, registration_number=found.registration_number,
            permit_type=found.permit_type, status_label=found.status_label,
            office=found.office, since=iso(found.since), finished=found.finished,
            next_step=found.next_step,
            clock={"days_used": reading.days_used, "target": reading.target,
                   "state": reading.state, "late": reading.late},
            stages=[{"label": s.label, "office": s.office, "entered_at": iso(s.entered_at),
                     "working_days": s.working_days, "current": s.current}
                    for s in found.stages],
        )


class VerifyApi(SiapApi):
    resource_name = "verify"

    @expose("/<token>", methods=["GET"])
    @safe
    @engine_errors_as_json
    def get(self, token):
        """What a signed decree publishes: number, type, holder, status, the period it is
        in force and its state today (berlaku, kedaluwarsa or dicabut; `valid` is true
        only while it is berlaku), and its revocation decree once revoked. The QR code of
        a signed rejection letter or revocation decree gives its own token: then the
        document, its number, type, addressee and signature (`document` says which).
        ---
        get:
          summary: Verify a decree or letter by the token of its QR code
          parameters:
          - {in: path, name: token, required: true, schema: {type: string}}
          responses:
            200:
              description: The decree's public facts
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Verification'}
            404: {$ref: '#/components/responses/SiapError404'}
        """
        document = issued_documents.find_by_token(token)
        if document is not None:
            return self.response(200, **_document_facts(document))
        decree = decrees.find_by_token(token)
        application = decree.application
        revocation_decree = issued_documents.document_of(application, Register.SK_PENCABUTAN)
        return self.response(
            200, document="sk", status=decree.status, sk_number=application.sk_number,
            permit_type=application.permit_type.name, holder=_holder(application),
            signed_at=iso(decree.signed_at), sha256=decree.sha256, **decree_state(decree),
            revocation_decree=_revocation_decree(revocation_decree),
        )


def _holder(application):
    return holder_name(application.applicant_name, application.acts_for_organisation,
                       application.organisation_name)


def _revocation_decree(document):
    if document is None:
        return None
    signed = document.is_signed
    return {"number": document.number, "signed": signed, "signed_at": iso(document.signed_at),
            "verification_url": issued_documents.verification_url(document) if signed
            else None}


def _document_facts(document):
    """What a signed rejection letter or revocation decree publishes."""
    application = document.application
    revokes = application.sk_number if document.kind == Register.SK_PENCABUTAN else None
    return {"document": document.kind, "number": document.number,
            "permit_type": application.permit_type.name, "addressee": _holder(application),
            "signed_at": iso(document.signed_at), "sha256": document.sha256,
            "revokes_sk_number": revokes}


class OpenApiDocument(BaseApi):
    """The OpenAPI document of /api/v1, public (FAB's own needs a login)."""

    route_base = "/api/v1"

    @expose("/openapi.json", methods=["GET"])
    @safe
    def document(self):
        spec = OpenApi._create_api_spec("v1")
        for view in current_app.appbuilder.baseviews:
            if isinstance(view, SiapApi | SecurityApi):
                view.add_api_spec(spec)
        return self.response(200, **complete_security_api(spec.to_dict()))


