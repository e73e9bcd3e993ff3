"""Guards and effects shared by the workflow definitions. Each takes the engine's
ActionContext; a guard raises a SiapError, an effect does the action's work."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app import office_time
from app.documents.formatting import tanggal
from app.errors import InvalidInput
from app.workflow import signers
from app.workflow.numbering import take_number, take_register_number
from models import Artifact, Register

# --- guards -----------------------------------------------------------------


def _missing_mandatory(application):
    """The file's own mandatory requirements (fixed when it was created) not uploaded."""
    present = {d.requirement_id for d in application.documents if d.stored_name}
    return [entry.requirement.name for entry in application.requirements
            if entry.mandatory and entry.requirement_id not in present]


def mandatory_documents_uploaded_by_applicant(ctx):
    """The applicant must upload every mandatory requirement; the front office may
    submit a walk-in application whose documents are still on paper."""
    if ctx.actor.id == ctx.application.owner_id:
        mandatory_documents_present(ctx)


def mandatory_documents_present(ctx):
    missing = _missing_mandatory(ctx.application)
    if missing:
        raise InvalidInput(
            message=_l("These mandatory documents are missing: %(names)s.",
                       names=", ".join(missing))
        )


def no_rejected_documents(ctx):
    rejected = [d.requirement.name for d in ctx.application.documents if d.verdict == "rejected"]
    if rejected:
        raise InvalidInput(
            message=_l("Upload a corrected file for: %(names)s.", names=", ".join(rejected))
        )


def every_document_accepted(ctx):
    mandatory_documents_present(ctx)
    unchecked = [d.requirement.name for d in ctx.application.documents if d.verdict != "accepted"]
    if unchecked:
        raise InvalidInput(
            message=_l("Every document must be accepted first. Not yet accepted: %(names)s.",
                       names=", ".join(unchecked))
        )


def signer_identity_complete(ctx):
    """The decree prints the signer's NIP and rank under the signature."""
    signers.identity_complete(ctx.actor)


# --- effects ----------------------------------------------------------------


def assign_registration_number(ctx):
    application = ctx.application
    if application.registration_number is None:
        application.registration_number = take_number(
            "registration", application.permit_type, office_time.office_date(ctx.now)
        )
    application.submitted_at = ctx.now


def assign_sk_number(ctx):
    """The SK number is taken once, and entered in the decree register; a file returned
    and sent back keeps it."""
    application = ctx.application
    if application.sk_number is None:
        application.sk_number = take_register_number(Register.SK, application,
                                                     office_time.office_date(ctx.now))
    tanggal = ctx.form.tanggal_sk.data
    application.sk_date = datetime.combine(tanggal, datetime.min.time())
    ctx.event_data["sk_number"] = application.sk_number


def json_value(value):
    """A form value as JSON keeps it: decimals as text, dates in ISO form."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def deadline_from_form(column, field):
    """An effect that sets one of the application's deadline columns (app/jobs/) to the
    date the action's form gives."""

    def effect(ctx):
        setattr(ctx.application, column, ctx.form[field].data)

    effect.__name__ = f"set_{column}"
    return effect


def record_lapsed_deadline(column, artifact_kind=None, code_field=None):
    """An effect of a deadline passing: the history keeps the deadline and what it
    concerned, if an artifact (an expired billing code from the artifact's data, else
    the artifact's number: the SKRD), and the column is cleared for the next one."""

    def effect(ctx):
        deadline = getattr(ctx.application, column)
        ctx.event_data["tenggat"] = deadline.isoformat() if deadline else None
        if artifact_kind:
            artifact = ctx.application.latest_artifact(artifact_kind)
            if code_field:
                key, code = code_field, \
                    (artifact.data or {}).get(code_field) if artifact else None
            else:
                key, code = f"nomor_{artifact_kind}", artifact.number if artifact else None
            ctx.event_data[key] = code
        setattr(ctx.application, column, None)

    effect.__name__ = f"lapse_{column}"
    return effect


def paid_by_the_deadline(column, date_field):
    """Guard: the payment date given is not after the deadline (the billing code's
    expiry): a later payment cannot have used that code."""

    def guard(ctx):
        deadline, paid_on = getattr(ctx.application, column), ctx.form[date_field].data
        if deadline is not None and paid_on is not None and paid_on > deadline:
            raise InvalidInput({date_field: _l(
                "The payment date is after the billing code expired (%(date)s): pay with "
                "a valid billing code.", date=tanggal(deadline))})

    guard.__name__ = f"paid_by_{column}"
    return guard


def issue_artifact(kind, number_field=None, file_field=None, data_fields=None, label=None):
    """An effect that records an issued artifact from the action's form: its number,
    its scalar fields as data, and its file: an upload field's (when one was given: it
    may be optional), or what callable(ctx) stores (a document drawn from a template).
    `label` is what the screens call it (app/workflow/artifact_display.py)."""

    def effect(ctx):
        form = ctx.form
        names = data_fields if data_fields is not None else [
            f.name for f in form if f.type not in ("UploadField", "BooleanField")
        ]
        artifact = Artifact(
            application=ctx.application,
            kind=kind,
            number=form[number_field].data if number_field else None,
            data={name: json_value(form[name].data) for name in names},
            issued_by_id=ctx.actor.id,
            issued_at=ctx.now,
        )
        artifact_file = None
        if callable(file_field):
            artifact_file = file_field(ctx)
        elif file_field and form[file_field].checked is not None:
            artifact_file = ctx.store(file_field)
        if artifact_file is not None:
            for column, value in artifact_file.columns().items():
                setattr(artifact, column, value)
        ctx.session.add(artifact)
        ctx.event_data.setdefault("artifacts", []).append(kind)

    effect.__name__ = f"issue_{kind}"
    effect.artifact = (kind, label)
    return effect


def record_comment(field_name):
    def effect(ctx):
        ctx.comment = ctx.form[field_name].data

    effect.__name__ = f"comment_from_{field_name}"
    return effect


# --- the decree (app.workflow.decrees imports the engine: import it when used) ----


def signer_ready(ctx):
    from app.workflow.decrees import signer_ready as check

    check(ctx)


def give_decree_token(ctx):
    from app.workflow.decrees import give_decree_token as give

    give(ctx)


def sign_decree(ctx):
    from app.workflow.decrees import sign_decree as sign

    sign(ctx)
