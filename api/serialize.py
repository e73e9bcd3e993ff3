"""Applications as the API shows them. Field names are stable (the mobile app reads
them); labels are in the caller's language."""

from api.support import describe_form
from app.services import renewal, tracking
from app.services.applications import APPLICANT_FIELDS
from app.workflow import clock, decrees, issued_documents, validity
from app.workflow.access import available_transitions
from app.workflow.artifact_display import artifact_label, artifact_lines
from app.workflow.field_sets import answers_seen
from app.workflow.registry import workflow_of


def iso(value):
    return value.isoformat() if value is not None else None


def plain(value):
    """JSON-safe scalars: decimals as strings (no float rounding), dates as ISO."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def clock_of(application, workflow):
    reading = clock.read(application, workflow)
    return {"days_used": reading.days_used, "target": reading.target,
            "stage_days": reading.stage_days, "stage_target": reading.stage_target,
            "state": reading.state, "late": reading.late}


def summary(application):
    workflow = workflow_of(application)
    return {
        "id": application.id,
        "registration_number": application.registration_number,
        "permit_type": application.permit_type.code,
        "permit_type_name": application.permit_type.name,
        "kind": application.kind,
        "status": application.status,
        "status_label": str(workflow.label(application.status)),
        "status_changed_at": iso(application.status_changed_at),
        "applicant_name": application.applicant_name,
        "clock": clock_of(application, workflow),
    }


def _details(application, workflow):
    """The kind's own data (Workflow.details), JSON-safe."""
    if workflow.details is None:
        return {}
    return {name: plain(value) for name, value in workflow.details(application).items()}


def _documents(application):
    return [{
        "id": d.id, "file_id": f"dokumen-{d.id}", "requirement_id": d.requirement_id,
        "requirement": d.requirement.name, "original_name": d.original_name,
        "content_type": d.content_type, "size_bytes": d.size_bytes, "verdict": d.verdict,
        "verdict_reason": d.verdict_reason, "uploaded_at": iso(d.uploaded_at),
        # Its file deleted at the end of its retention period (its download answers 410).
        "purged_at": iso(d.purged_at),
        "versions": [{
            "file_id": f"versi-{v.id}", "original_name": v.original_name,
            "content_type": v.content_type, "size_bytes": v.size_bytes,
            "verdict": v.verdict, "verdict_reason": v.verdict_reason,
            "uploaded_at": iso(v.uploaded_at), "replaced_at": iso(v.replaced_at),
            "purged_at": iso(v.purged_at),
        } for v in d.versions],
    } for d in application.documents]


def _artifacts(application, workflow):
    return [{
        "file_id": f"artefak-{a.id}" if a.stored_name else None, "kind": a.kind,
        "label": str(artifact_label(workflow, a.kind)),
        "number": a.number, "data": {k: plain(v) for k, v in (a.data or {}).items()},
        "display": [{"label": str(label), "value": str(value)}
                    for label, value in artifact_lines(workflow, a)],
        "issued_at": iso(a.issued_at),
    } for a in application.artifacts]


def _history(application, workflow):
    return [{
        "action": e.action, "label": str(workflow.event_label(e.action)),
        "from_status": e.from_status, "to_status": e.to_status, "at": iso(e.created_at),
        "actor": e.actor.full_name if e.actor else None, "role": e.actor_role,
        "comment": e.comment, "working_days": e.working_days, "data": e.data or {},
    } for e in application.events]


def _answers(application, user, workflow):
    """A configured process's answers the user may see, with labels and as read."""
    return [{"name": name, "label": label, "value": value, "display": shown}
            for name, label, value, shown in answers_seen(application, workflow, user)]


def _actions(application, user, workflow):
    return [{
        "action": t.action, "label": str(t.label),
        # Whether it moves the file on (a return or a rejection does not), and how the
        # screens show it: a client can tell the way forward from the side exits.
        "forward": t.advances, "style": t.style,
        "fields": describe_form(workflow.form_for(t, application)) if t.form else [],
    } for t in available_transitions(application, user)]


def decree_state(decree):
    """The public state of a signed decree: `valid` means in force today."""
    standing = validity.state_of(decree)
    return {"valid": standing.in_force, "state": standing.state.value,
            "valid_from": iso(standing.valid_from), "valid_until": iso(standing.valid_until),
            "revoked_at": iso(standing.revoked_at),
            "revocation_number": standing.revocation_number}


def _decree(application):
    decree = application.decree
    if decree is None or not decree.is_signed:
        return None
    return {"status": decree.status, "signed_at": iso(decree.signed_at),
            "verification_url": decrees.verification_url(decree),
            "revoke_reason": decree.revoke_reason, **decree_state(decree)}


def _rejection(application):
    rejection = application.rejection
    if rejection is None:
        return None
    return {"number": rejection.number, "rejected_at": iso(rejection.rejected_at),
            "reasons": rejection.reasons, "action": rejection.action,
            "from_status": rejection.from_status, "role": rejection.rejected_by_role,
            "cancelled_sk_number": rejection.cancelled_sk_number}


def issued_document(document):
    """A rejection letter or revocation decree: its number, and once signed the file to
    download (GET …/files/<file_id>) and its verification page."""
    signed = document.is_signed
    return {"id": document.id, "kind": document.kind, "number": document.number,
            "signed": signed, "signed_at": iso(document.signed_at),
            "file_id": f"terbitan-{document.id}" if signed else None,
            "verification_url": issued_documents.verification_url(document) if signed
            else None}


def _renewal(application, user):
    """The permit this file renews, the renewals of this one (those the caller may
    open), and whether the caller may renew it now, with the suggested period."""
    previous = renewal.previous_of(application, user)
    possible = renewal.may_renew(application, user)
    period = renewal.suggested_period(application) if possible else None
    return {
        "renews": previous and {**previous, "sk_date": iso(previous["sk_date"])},
        "renewals": [{"id": file.id, "registration_number": file.registration_number,
                      "status": file.status,
                      "status_label": str(workflow_of(file).label(file.status))}
                     for file in renewal.visible_renewals(application, user)],
        "can_renew": possible,
        "renewal_period": {"period_start": iso(period[0]), "period_end": iso(period[1])}
        if period else None,
    }


def detail(application, user):
    workflow = workflow_of(application)
    uploaded = {d.requirement_id for d in application.documents if d.stored_name}
    body = summary(application)
    body.update({
        "version": application.version,
        "applicant": {name: plain(getattr(application, name)) for name in APPLICANT_FIELDS},
        "details": _details(application, workflow),
        "answers": _answers(application, user, workflow),
        "sk_number": application.sk_number,
        "office": None if application.status in {s.value for s in workflow.terminal}
        else tracking.office_name(application, application.status),
        "next_step": workflow.applicant_next_step(application, application.status),
        "requirements": [{
            "id": entry.requirement_id, "name": entry.requirement.name,
            "mandatory": entry.mandatory,
            "accepted_types": entry.requirement.accepted_type_list,
            "max_size_mb": entry.requirement.max_size_mb,
            "uploaded": entry.requirement_id in uploaded,
        } for entry in application.requirements],
        "documents": _documents(application),
        "artifacts": _artifacts(application, workflow),
        "history": _history(application, workflow),
        "available_actions": _actions(application, user, workflow),
        "decree": _decree(application),
        "rejection": _rejection(application),
        "issued_documents": [issued_document(d) for d in application.issued_documents],
        **_renewal(application, user),
    })
    return body
