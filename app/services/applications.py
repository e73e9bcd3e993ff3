"""Applications outside the status transitions: creating and editing drafts,
uploading requirement documents, and judging them. Each is one unit of work that
records a history event; status changes stay in app.workflow.engine."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.storage.files import store_upload
from app.workflow.access import holds, is_applicant
from app.workflow.engine import (
    form_errors,
    record_event,
    start_application,
    unit_of_work,
)
from app.workflow.files import load_visible
from app.workflow.registry import current, find, is_in, workflow_of
from models import (
    Application,
    ApplicationDocument,
    DocumentVersion,
    PermitType,
)
from models.application import Verdict, utcnow

APPLICANT_FIELDS = ("applicant_name", "applicant_nik", "applicant_address",
                    "applicant_whatsapp", "acts_for_organisation", "organisation_name")


def open_permit_type(code):
    permit_type = db.session.scalar(
        select(PermitType).where(PermitType.code == code, PermitType.active.is_(True))
    )
    if permit_type is None or find(permit_type.workflow_kind) is None:
        raise NotFound(_l("This permit type is not open for applications."))
    return permit_type


def applying_of(kind, application=None):
    """What the application form of a kind (or of a file's own version) asks: its
    definition says (Workflow.applying)."""
    return (workflow_of(application) if application else current(kind)).applying


def application_form(permit_type, formdata=None, application=None, applicant=None):
    """The application form of a permit type: posted data, an application's values, or
    a new one started from the `applicant`'s profile (they may change it)."""
    kind = applying_of(permit_type.workflow_kind, application)
    if application is not None and formdata is None:
        values = {name: getattr(application, name) for name in APPLICANT_FIELDS}
        form = kind.form_class(data={**values, **kind.values(application)})
    elif applicant is not None and formdata is None:
        form = kind.form_class(data=profile_values(applicant))
    else:
        form = kind.form_class(formdata=formdata)
    return kind.prepare(form, permit_type)


def profile_values(user):
    """What an applicant's profile already says of the applicant fields."""
    return {"applicant_name": user.full_name, "applicant_nik": user.nik,
            "applicant_whatsapp": user.whatsapp}


def _apply_form(application, form):
    for name in APPLICANT_FIELDS:
        setattr(application, name, form[name].data)
    if not application.acts_for_organisation:
        application.organisation_name = None
    applying_of(application.kind, application).apply(application, form)


def may_create(actor, kind):
    workflow = find(kind)
    return workflow is not None and holds(actor, workflow, "ajukan")


def create_application(permit_type_code, actor, formdata):
    """A new draft. An applicant's draft is theirs; one made by the front office
    (which digitises paper files) is a walk-in application without an account."""
    permit_type = open_permit_type(permit_type_code)
    with unit_of_work():
        application = new_draft(permit_type, actor, formdata)
    return application


def new_draft(permit_type, actor, formdata):
    """The draft of `create_application`, validated, added to the session and started,
    in the caller's unit of work (a renewal links it to the file it renews there)."""
    kind = permit_type.workflow_kind
    workflow = current(kind)
    if not may_create(actor, kind):
        raise Forbidden()
    form = application_form(permit_type, formdata)
    if not form.validate():
        raise InvalidInput(form_errors(form))
    walk_in = holds(actor, workflow, "digitalisasi_dokumen")
    application = Application(
        permit_type=permit_type,
        kind=kind,
        process_version_id=workflow.version_id,
        owner_id=None if walk_in else actor.id,
        created_by_id=actor.id,
    )
    _apply_form(application, form)
    # The file keeps the requirements in force now, even if the admin changes them
    # before it is submitted ("files created after the change").
    application.record_requirement_set()
    db.session.add(application)
    start_application(application, actor)
    return application


def editable_application(application_id, actor):
    """The file, when this user may change its data now (its applicant, while it is a
    draft or returned for correction); the edit form is shown on the same terms."""
    application = load_visible(application_id, actor)
    if not is_applicant(actor, application):
        raise Forbidden(_l("Only the applicant of this file can do this."))
    if not is_in(application, "editable_states"):
        raise Conflict(_l("The application can no longer be changed."))
    return application


def update_application(application_id, actor, formdata, expected_version=None):
    application = editable_application(application_id, actor)
    if expected_version not in (None, "") and str(expected_version) != str(application.version):
        raise Conflict()
    form = application_form(application.permit_type, formdata, application)
    if not form.validate():
        raise InvalidInput(form_errors(form))
    with unit_of_work():
        _apply_form(application, form)
        record_event(application, "ubah_data", actor, when=utcnow())
    return application


def document_for(application, requirement_id):
    return next((d for d in application.documents if d.requirement_id == requirement_id), None)


def upload_rule(application, actor, requirement_id):
    """None when this user may upload for this requirement now, else the reason."""
    document = document_for(application, requirement_id)
    workflow = workflow_of(application)
    if actor.id in (application.owner_id, application.created_by_id) and (
        workflow.is_in(application.status, "editable_states")
    ):
        # A correction (editable, past the initial state): only rejected documents again.
        if application.status != workflow.initial and document is not None and (
            document.verdict != "rejected"
        ):
            return _l("Only documents marked rejected can be uploaded again.")
        return None
    if holds(actor, workflow, "digitalisasi_dokumen") and workflow.is_in(
            application.status, "digitising_states"):
        if document is not None and document.verdict != "rejected":
            return _l("This document is already uploaded.")
        return None
    return _l("Documents cannot be uploaded to this file now.")


def upload_document(application_id, requirement_id, actor, file_storage):
    application = load_visible(application_id, actor)
    requirement = next(
        (entry.requirement for entry in application.requirement_set
         if str(entry.requirement_id) == str(requirement_id)),
        None,
    )
    if requirement is None:
        raise NotFound(_l("This requirement is not one of this file's requirements."))
    refusal = upload_rule(application, actor, requirement.id)
    if refusal is not None:
        raise Conflict(refusal)
    with unit_of_work() as written:
        stored = store_upload(
            file_storage, requirement.accepted_type_list, requirement.max_size_mb * 1024 * 1024,
            field="file", written=written,
        )
        now = utcnow()
        document = document_for(application, requirement.id)
        if document is None:
            document = ApplicationDocument(application=application, requirement=requirement)
            db.session.add(document)
        elif document.stored_name:
            # The replaced file stays, as an earlier version the reviewer can open.
            db.session.add(DocumentVersion.of(document, now))
        for column, value in stored.columns().items():
            setattr(document, column, value)
        document.uploaded_by_id = actor.id
        document.uploaded_at = now
        document.verdict, document.verdict_reason = "pending", None
        document.verdict_by_id = document.verdict_at = None
        record_event(application, "unggah_dokumen", actor, comment=requirement.name,
                     data={"requirement_id": requirement.id, "sha256": stored.sha256})
    return document


def earlier_version(application, version_id):
    """An earlier version of one of this (visible) application's documents, or None."""
    return next((version for document in application.documents
                 for version in document.versions if version.id == version_id), None)


def may_judge(application, actor):
    """Whether this user gives verdicts on the file's documents now: they hold the
    permission, and the file is in a state where documents are checked."""
    workflow = workflow_of(application)
    return holds(actor, workflow, "verifikasi_dokumen") and workflow.is_in(
        application.status, "checking_states")


def judged_application(application_id, actor):
    """The file, when this user may give verdicts on its documents now."""
    application = load_visible(application_id, actor)
    workflow = workflow_of(application)
    if not holds(actor, workflow, "verifikasi_dokumen"):
        raise Forbidden()
    if not workflow.is_in(application.status, "checking_states"):
        raise Conflict(_l("Documents cannot be judged in this status."))
    return application


def documents_to_review(application):
    """The file's documents that wait for a verdict, in the order of its requirements."""
    order = {entry.requirement_id: n for n, entry in enumerate(application.requirements)}
    return sorted((d for d in application.documents if d.verdict == Verdict.PENDING),
                  key=lambda d: order.get(d.requirement_id, len(order)))


def _record_verdict(application, document, actor, verdict, reason, when):
    document.verdict = verdict
    document.verdict_reason = reason or None
    document.verdict_by_id = actor.id
    document.verdict_at = when
    record_event(application, f"dokumen_{verdict}", actor, comment=reason or None,
                 data={"document_id": document.id, "requirement": document.requirement.name},
                 when=when)


def judge_document(application_id, document_id, actor, verdict, reason=""):
    """Record an officer's verdict on one document: accepted, or rejected with a reason."""
    application = judged_application(application_id, actor)
    document = next((d for d in application.documents if str(d.id) == str(document_id)), None)
    if document is None:
        raise NotFound()
    reason = (reason or "").strip()
    if verdict not in ("accepted", "rejected"):
        raise InvalidInput({"verdict": _l("Choose accepted or rejected.")})
    if verdict == "rejected" and not reason:
        raise InvalidInput({"reason": _l("Give the reason the document is rejected.")})
    with unit_of_work():
        _record_verdict(application, document, actor, verdict, reason, utcnow())
    return document


def accept_unreviewed_documents(application_id, actor):
    """Accept every document of the file that waits for a verdict, in one transaction
    (each verdict in the history as if given one by one); the judged ones stay as they
    are. Returns the documents accepted."""
    application = judged_application(application_id, actor)
    documents = documents_to_review(application)
    with unit_of_work():
        now = utcnow()
        for document in documents:
            _record_verdict(application, document, actor, Verdict.ACCEPTED.value, "", now)
    return documents
