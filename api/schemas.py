"""The OpenAPI components of /api/v1: what each answer contains. Tests run schemathesis
against the served document, so these must match what the endpoints return."""

from api.support import ERROR_RESPONSES


def _nullable(kind, **extra):
    return {"type": kind, "nullable": True, **extra}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
ANY_OBJECT = {"type": "object", "additionalProperties": True}

CLOCK = {
    "type": "object",
    "required": ["days_used", "target", "state", "late"],
    "properties": {
        "days_used": INTEGER, "target": _nullable("integer"), "stage_days": INTEGER,
        "stage_target": _nullable("integer"), "late": BOOLEAN,
        "state": {"type": "string", "enum": ["running", "paused", "stopped", "not_started"]},
    },
}
SUMMARY_PROPERTIES = {
    "id": INTEGER, "registration_number": _nullable("string"), "permit_type": STRING,
    "permit_type_name": STRING, "kind": STRING, "status": STRING, "status_label": STRING,
    "status_changed_at": STRING, "applicant_name": STRING,
    "clock": {"$ref": "#/components/schemas/Clock"},
}
FIELD = {
    "type": "object", "required": ["name", "label", "type", "required"],
    "properties": {"name": STRING, "label": STRING, "required": BOOLEAN,
                   "type": {"type": "string", "enum": ["file", "boolean", "date", "integer",
                                                       "number", "choice", "password",
                                                       "string"]},
                   "choices": {"type": "array", "items": {
                       "type": "object", "properties": {"value": STRING, "label": STRING}}},
                   # Hints, where they apply: enough to fill the field without guessing.
                   "input": {**STRING, "description": "What a configured field asks for: "
                             "text, textarea, number, money, date, yesno, choice, kecamatan, "
                             "desa, coordinates, polygon, file"},
                   "help": STRING, "unit": STRING, "min": STRING, "max": STRING,
                   "decimals": INTEGER, "max_length": INTEGER, "pattern": STRING,
                   "format": STRING, "default": {}, "visible_to": STRING,
                   "accept": {"type": "array", "items": STRING}, "max_mb": INTEGER},
}
REQUIREMENT = {
    "type": "object", "required": ["id", "name", "mandatory", "accepted_types", "max_size_mb"],
    "properties": {"id": INTEGER, "name": STRING, "mandatory": BOOLEAN,
                   "accepted_types": {"type": "array", "items": STRING},
                   "max_size_mb": INTEGER, "uploaded": BOOLEAN},
}

VERDICT = {"type": "string", "enum": ["pending", "accepted", "rejected"]}
DECREE_STATE = {  # a signed decree's period and its state today (app/workflow/validity.py)
    "valid": {"type": "boolean", "description": "in force today (state berlaku)"},
    "state": {"type": "string", "enum": ["berlaku", "kedaluwarsa", "dicabut"]},
    "valid_from": _nullable("string", format="date"),
    "valid_until": _nullable("string", format="date"),
    "revoked_at": _nullable("string"),
    "revocation_number": _nullable("string"),
}
ISSUED_DOCUMENT = {  # a rejection letter or revocation decree (api/serialize.py)
    "type": "object", "required": ["id", "kind", "number", "signed"],
    "properties": {"id": INTEGER,
                   "kind": {"type": "string", "enum": ["surat_penolakan", "sk_pencabutan"]},
                   "number": STRING, "signed": BOOLEAN, "signed_at": _nullable("string"),
                   "file_id": _nullable("string"),
                   "verification_url": _nullable("string")},
}
VERSION = {  # an earlier file of a document, replaced by a re-upload
    "type": "object", "required": ["file_id", "verdict", "replaced_at"],
    "properties": {"file_id": STRING, "original_name": _nullable("string"),
                   "content_type": _nullable("string"), "size_bytes": _nullable("integer"),
                   "verdict": VERDICT, "verdict_reason": _nullable("string"),
                   "uploaded_at": STRING, "replaced_at": STRING,
                   "purged_at": _nullable("string")},
}

SCHEMAS = {
    "Error": {"type": "object", "required": ["message"],
              "properties": {"message": STRING,
                             "errors": {"type": "object",
                                        "additionalProperties": STRING}}},
    "TokenError": {"type": "object", "required": ["msg"], "properties": {"msg": STRING}},
    "LoginError": {
        "type": "object", "required": ["message"],
        "properties": {"message": {"anyOf": [STRING, {
            "type": "object", "additionalProperties": {"type": "array", "items": STRING}}]}},
    },
    "Clock": CLOCK,
    "FormField": FIELD,
    "ApplicationSummary": {"type": "object", "required": list(SUMMARY_PROPERTIES),
                           "properties": SUMMARY_PROPERTIES},
    "ApplicationList": {
        "type": "object", "required": ["count", "page", "page_size", "result"],
        "properties": {"count": INTEGER, "page": INTEGER, "page_size": INTEGER,
                       "result": {"type": "array",
                                  "items": {"$ref": "#/components/schemas/ApplicationSummary"}}},
    },
    "ApplicationDetail": {
        "type": "object",
        "required": [*SUMMARY_PROPERTIES, "version", "documents", "artifacts", "history",
                     "available_actions"],
        "properties": {
            **SUMMARY_PROPERTIES,
            "version": INTEGER, "applicant": ANY_OBJECT, "details": ANY_OBJECT,
            "answers": {"type": "array", "description": "A configured process's answers "
                        "the user may see, with their labels and as a person reads them",
                        "items": {"type": "object", "properties": {
                            "name": STRING, "label": STRING, "value": {},
                            "display": STRING}}},
            "sk_number": _nullable("string"), "office": _nullable("string"),
            "next_step": STRING,
            "requirements": {"type": "array", "items": REQUIREMENT},
            "documents": {"type": "array", "items": {
                "type": "object", "required": ["file_id", "requirement_id", "verdict"],
                "properties": {"id": INTEGER, "file_id": STRING, "requirement_id": INTEGER,
                               "requirement": STRING, "original_name": _nullable("string"),
                               "content_type": _nullable("string"),
                               "size_bytes": _nullable("integer"),
                               "verdict": VERDICT,
                               "verdict_reason": _nullable("string"),
                               "uploaded_at": _nullable("string"),
                               "purged_at": _nullable("string"),
                               "versions": {"type": "array", "items": VERSION}}}},
            "artifacts": {"type": "array", "items": {
                "type": "object", "required": ["kind"],
                "properties": {"file_id": _nullable("string"), "kind": STRING,
                               "label": STRING, "number": _nullable("string"),
                               "data": ANY_OBJECT,
                               "display": {"type": "array", "description": "The data as a "
                                           "person reads it: the issuing form's labels, "
                                           "choices and dates in words",
                                           "items": {"type": "object", "properties": {
                                               "label": STRING, "value": STRING}}},
                               "issued_at": _nullable("string")}}},
            "history": {"type": "array", "items": {
                "type": "object", "required": ["action", "label", "at"],
                "properties": {"action": STRING, "label": STRING,
                               "from_status": _nullable("string"),
                               "to_status": _nullable("string"), "at": STRING,
                               "actor": _nullable("string"), "role": _nullable("string"),
                               "comment": _nullable("string"),
                               "working_days": _nullable("integer"),
                               "data": {**ANY_OBJECT, "description": (
                                   "What the action recorded; a withdrawal "
                                   "(tarik_permohonan): tagihan_dibatalkan (the voided "
                                   "billing: jenis sps|skrd, nomor, kode_billing, jumlah), "
                                   "bukti_bayar_belum_dikonfirmasi, pemesanan_dilepas "
                                   "(aset, mulai, selesai), cancelled_sk_number")}}}},
            "available_actions": {"type": "array", "items": {
                "type": "object", "required": ["action", "label", "fields"],
                "properties": {"action": STRING, "label": STRING, "forward": BOOLEAN,
                               "style": STRING,
                               "fields": {"type": "array",
                                          "items": {"$ref": "#/components/schemas/FormField"}}}}},
            "decree": {"type": "object", "nullable": True,
                       "required": ["status", "state", "valid", "valid_until"],
                       "properties": {"status": STRING, "signed_at": _nullable("string"),
                                      "verification_url": STRING,
                                      "revoke_reason": _nullable("string"),
                                      **DECREE_STATE}},
            "rejection": {
                "type": "object", "nullable": True,
                "description": "The refusal of a rejected file (status ditolak), with its "
                               "rejection letter's number",
                "required": ["number", "rejected_at", "reasons"],
                "properties": {"number": STRING, "rejected_at": STRING, "reasons": STRING,
                               "action": STRING, "from_status": STRING,
                               "role": _nullable("string"),
                               "cancelled_sk_number": _nullable("string")}},
            "issued_documents": {
                "type": "array", "items": ISSUED_DOCUMENT,
                "description": "The file's rejection letter or revocation decree: "
                               "numbered at once, downloadable once signed"},
            "renews": {
                "type": "object", "nullable": True,
                "description": "The permit this file renews (perpanjangan); `id` only "
                               "when the caller may open that file",
                "required": ["id", "registration_number", "sk_number"],
                "properties": {"id": _nullable("integer"),
                               "registration_number": _nullable("string"),
                               "sk_number": _nullable("string"),
                               "sk_date": _nullable("string", format="date")}},
            "renewals": {
                "type": "array", "description": "Files renewing this permit (those the "
                                                "caller may open), newest first",
                "items": {"type": "object", "required": ["id", "status"],
                          "properties": {"id": INTEGER,
                                         "registration_number": _nullable("string"),
                                         "status": STRING, "status_label": STRING}}},
            "can_renew": {"type": "boolean", "description": (
                "Whether the caller may renew this permit now: POST …/renew")},
            "renewal_period": {
                "type": "object", "nullable": True,
                "description": "The period suggested for the renewal of an asset use",
                "properties": {"period_start": {"type": "string", "format": "date"},
                               "period_end": {"type": "string", "format": "date"}}},
        },
    },
    "RenewalInput": {
        "type": "object",
        "description": "For an asset use, the period of the renewed use (required); "
                       "nothing for other permits",
        "properties": {"period_start": {"type": "string", "format": "date"},
                       "period_end": {"type": "string", "format": "date"}},
    },
    "RevocationInput": {
        "type": "object", "required": ["alasan"],
        "properties": {"alasan": {"type": "string", "maxLength": 2000,
                                  "description": "the reason the permit is revoked"}},
    },
    "ApplicationInput": {
        "type": "object", "required": ["permit_type"], "additionalProperties": True,
        "properties": {"permit_type": STRING, "applicant_name": STRING,
                       "applicant_nik": STRING, "applicant_address": STRING,
                       "applicant_whatsapp": STRING},
        "example": {
            "permit_type": "PKKPR-NB", "applicant_name": "Budi Santoso",
            "applicant_nik": "3505011204850001", "applicant_address": "Jl. Merdeka 1",
            "applicant_whatsapp": "081234567890", "location_address": "Jl. Raya Kanigoro 10",
            "desa": "Kanigoro", "kecamatan": "Kanigoro", "latitude": "-8.100000",
            "longitude": "112.160000", "land_area_m2": "250", "land_title_status": "SHM",
            "activity": "Rumah tinggal", "planned_floors": "2", "planned_floor_area_m2": "180",
            "polygon_geojson": '{"type": "Polygon", "coordinates": [[[112.16, -8.1], '
                               '[112.1605, -8.1], [112.1605, -8.1005], [112.16, -8.1]]]}',
        },
    },
    "VerdictInput": {
        "type": "object", "required": ["verdict"],
        "properties": {"verdict": {"type": "string", "enum": ["accepted", "rejected"]},
                       "reason": STRING},
    },
    "ActionInput": {"type": "object", "additionalProperties": True,
                    "properties": {"expected_version": INTEGER}},
    "Catalogue": {
        "type": "object", "required": ["categories"],
        "properties": {"categories": {"type": "array", "items": {
            "type": "object", "required": ["id", "name", "permit_types"],
            "properties": {"id": INTEGER, "name": STRING, "permit_types": {
                "type": "array", "items": {
                    "type": "object", "required": ["code", "name", "kind", "requirements"],
                    "properties": {"code": STRING, "name": STRING, "kind": STRING,
                                   "description": _nullable("string"),
                                   "service_days": INTEGER,
                                   "open_for_applications": BOOLEAN,
                                   "requirements": {"type": "array", "items": REQUIREMENT},
                                   "fields": {"type": "array", "items": {
                                       "$ref": "#/components/schemas/FormField"}}}}}}}}},
    },
    "Tracking": {
        "type": "object",
        "required": ["registration_number", "permit_type", "status_label", "finished",
                     "clock", "stages"],
        "properties": {
            "registration_number": STRING, "permit_type": STRING, "status_label": STRING,
            "office": _nullable("string"), "since": STRING, "finished": BOOLEAN,
            "next_step": STRING, "clock": {"$ref": "#/components/schemas/Clock"},
            "stages": {"type": "array", "items": {
                "type": "object", "required": ["label", "entered_at", "current"],
                "properties": {"label": STRING, "office": _nullable("string"),
                               "entered_at": STRING, "working_days": _nullable("integer"),
                               "current": BOOLEAN}}},
        },
    },
    "Verification": {"anyOf": [{"$ref": "#/components/schemas/DecreeVerification"},
                               {"$ref": "#/components/schemas/DocumentVerification"}]},
    "DecreeVerification": {
        "type": "object",
        "required": ["document", "valid", "state", "status", "sk_number", "permit_type",
                     "valid_from", "valid_until"],
        "properties": {"document": {"type": "string", "enum": ["sk"]},
                       "status": {"type": "string", "enum": ["berlaku", "dicabut"]},
                       "sk_number": _nullable("string"), "permit_type": STRING,
                       "holder": STRING, "signed_at": _nullable("string"),
                       "sha256": _nullable("string"), **DECREE_STATE,
                       "revocation_decree": {
                           "type": "object", "nullable": True,
                           "required": ["number", "signed"],
                           "properties": {"number": STRING, "signed": BOOLEAN,
                                          "signed_at": _nullable("string"),
                                          "verification_url": _nullable("string")}}},
    },
    "DocumentVerification": {
        "type": "object",
        "description": "A signed rejection letter or revocation decree",
        "required": ["document", "number", "permit_type", "signed_at", "sha256"],
        "properties": {"document": {"type": "string",
                                    "enum": ["surat_penolakan", "sk_pencabutan"]},
                       "number": STRING, "permit_type": STRING, "addressee": STRING,
                       "signed_at": STRING, "sha256": STRING,
                       "revokes_sk_number": _nullable("string")},
    },
    "SignBatchInput": {
        "type": "object", "required": ["passphrase"],
        "description": "At least one id: files in Siap DS (application_ids), rejection "
                       "letters or revocation decrees (document_ids, from GET "
                       "/sign/documents)",
        "properties": {"application_ids": {"type": "array", "items": {
                           "type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
                       "document_ids": {"type": "array", "items": {
                           "type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
                       "passphrase": {"type": "string", "format": "password"}},
    },
    "PendingDocuments": {
        "type": "object", "required": ["result"],
        "properties": {"result": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "kind", "number", "application_id", "registration_number"],
            "properties": {"id": INTEGER,
                           "kind": {"type": "string",
                                    "enum": ["surat_penolakan", "sk_pencabutan"]},
                           "kind_label": STRING, "number": STRING,
                           "application_id": INTEGER,
                           "registration_number": _nullable("string"),
                           "permit_type": STRING, "applicant_name": STRING,
                           "created_at": STRING}}}},
    },
    "SignBatchResult": {
        "type": "object", "required": ["results", "passphrase_attempts_left"],
        "properties": {
            "passphrase_attempts_left": {
                "type": "integer", "minimum": 0,
                "description": "Wrong passphrases the signer may still type before "
                               "signing locks (PASSPHRASE_MAX_ATTEMPTS per "
                               "PASSPHRASE_WINDOW_MINUTES)"},
            "results": {"type": "array", "items": {
                "type": "object", "required": ["outcome"],
                "description": "One per id given: application_id for a file, document_id "
                               "for a letter or revocation decree",
                "properties": {"application_id": INTEGER, "document_id": INTEGER,
                               "outcome": {"type": "string",
                                           "enum": ["signed", "failed", "skipped"]},
                               "message": _nullable("string")}}}},
    },
}


def _json_response(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR, TOKEN_ERROR = ({"$ref": f"#/components/schemas/{name}"} for name in ("Error", "TokenError"))
# flask_jwt_extended (behind FAB's @protect) answers a missing, expired or unusable
# token itself, with {"msg": ...}: 401 when there is none or it expired, 422 when it is
# malformed or a refresh token.
RESPONSES = {
    **{f"SiapError{code}": response for code, response in ERROR_RESPONSES.items()},
    "SiapError401": _json_response(
        "Not signed in: no token, an expired one, or its user is gone (`msg`)", TOKEN_ERROR),
    "SiapError422": _json_response(
        "Signing failed (`message`), or the token is malformed or not an access token (`msg`)",
        {"anyOf": [ERROR, TOKEN_ERROR]}),
    "SiapTokenError422": _json_response(
        "The token is malformed or not an access token (`msg`)", TOKEN_ERROR),
    "LoginError400": _json_response(
        "Invalid input: `message` is a text, or marshmallow's errors by field",
        {"$ref": "#/components/schemas/LoginError"}),
}


def register_schemas(api_spec):
    """Called once per API class while the document is built: add each component once."""
    components = api_spec.components
    for name, schema in SCHEMAS.items():
        if name not in components.schemas:
            components.schema(name, schema)
    for name, response in RESPONSES.items():
        if name not in components.responses:
            components.response(name, response)


def complete_security_api(document):
    """FAB documents its login and refresh errors as {message: text}. The login's 400
    may carry marshmallow's errors by field in `message`; the refresh and logout
    endpoints' token errors are flask_jwt_extended's (401 and 422, `msg`)."""
    for path, operations in document["paths"].items():
        responses = operations.get("post", {}).get("responses", {})
        if path.endswith("/security/login"):
            responses["400"] = {"$ref": "#/components/responses/LoginError400"}
        elif path.endswith(("/security/refresh", "/security/logout")):
            responses["401"] = {"$ref": "#/components/responses/SiapError401"}
            responses["422"] = {"$ref": "#/components/responses/SiapTokenError422"}
    return document
