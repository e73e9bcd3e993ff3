"""Decrees: the verification token, rendering (draft and final), signing and public
verification (revocation: app/services/revocation.py)."""

import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.errors import Conflict, NotFound, SiapError, TooManyAttempts
from app.extensions import db
from app.links import public_url
from app.observability.counters import SIGNATURES_FAILED
from app.security import lockout
from app.signing import SigningError, VisibleSignature, get_signer
from app.storage.files import store_bytes
from app.workflow import decree_pdf, signers
from app.workflow.access import holds, users_holding
from app.workflow.registry import all_workflows, workflow_of
from models import Application, Decree


def ensure_decree(application):
    """The decree row (and its QR token) exists from the moment the SK number is given."""
    if application.decree is None:
        application.decree = Decree(token=secrets.token_urlsafe(32))
        db.session.add(application.decree)
    return application.decree


def verification_url(decree):
    """Absolute, so the printed QR code works anywhere (also outside a request)."""
    return public_url(f"/verifikasi/{decree.token}")


def render_draft(application):
    """The decree as it will be signed, marked DRAF, with the signer expected now."""
    decree = ensure_decree(application)
    candidates = signers_holding_the_signature()
    rendered, _ = decree_pdf.render(application, verification_url(decree),
                                    signer=candidates[0] if candidates else None, draft=True)
    return rendered.pdf


def download_name(application):
    """"SK PKKPR Non Berusaha 503-001-409.110-2026.pdf": the permit and its number."""
    number = (application.sk_number or application.registration_number or "").replace("/", "-")
    return f"SK {application.permit_type.name} {number}.pdf"


def may_see_draft(application, user):
    """The draft decree is for those who number or sign decrees while it is a draft, and
    for those who initial it while it waits for their initials."""
    workflow = workflow_of(application)
    actions = ["input_nomor_sk", "tandatangani"]
    if workflow.is_in(application.status, "initialling_states"):
        actions.append("paraf")
    return application.status in workflow.decree_draft_states and any(
        holds(user, workflow, action) for action in actions)


def signers_holding_the_signature():
    """The officers (admins aside) who hold `tandatangani` in some workflow."""
    signers = {}
    for workflow in all_workflows():
        if workflow.transition("tandatangani") is not None:
            for user in users_holding(workflow, ["tandatangani"]):
                signers[user.id] = user
    return list(signers.values())


def signer_readiness_problems():
    """[] when at least one signer is ready; otherwise what stops each of them."""
    signer = get_signer()
    problems = []
    for user in signers_holding_the_signature():
        problem = signer.readiness(user)
        if problem is None:
            return []
        problems.append(f"{user.full_name}: {problem}")
    return problems or [str(_l("No active user holds the signing permission."))]


def signer_ready(ctx):
    """Guard before Siap DS: the head of office must be able to sign."""
    problems = signer_readiness_problems()
    if problems:
        raise Conflict(_l("The head of office cannot sign yet: %(problems)s",
                          problems="; ".join(problems)))


def give_decree_token(ctx):
    ensure_decree(ctx.application)


def sign_rendered(rendered, url, actor, passphrase, reason, attempts_left, after_rollback):
    """The signed PDF of a rendered document, its visible signature (with the QR code to
    `url`) in the box the layout left for it. A wrong passphrase is counted after the
    caller's transaction rolls back (`after_rollback`), with the attempts left. Every
    failure is counted by its reason (the metric siap_signatures_failed_total)."""
    box = rendered.signature_box
    visible = VisibleSignature(page=box.page, box=box.pdf_points(), url=url)
    try:
        return get_signer().sign(rendered.pdf, actor, passphrase, reason=reason,
                                 visible=visible)
    except SigningError as error:
        SIGNATURES_FAILED.labels(reason=error.reason).inc()
        if error.reason != "wrong_passphrase":
            raise
        signer_id = actor.id
        after_rollback.append(lambda: lockout.record_wrong_passphrase(signer_id))
        raise SigningError("wrong_passphrase", attempts_left=attempts_left - 1) from None


def sign_decree(ctx):
    """Effect of `tandatangani`: render the final decree, sign it, keep the signed PDF.
    A wrong passphrase is counted even though the action rolls back."""
    application = ctx.application
    attempts_left = lockout.check_passphrase_allowed(ctx.actor)
    decree = ensure_decree(application)
    url = verification_url(decree)
    rendered, version = decree_pdf.render(application, url, signer=ctx.actor)
    signed = sign_rendered(rendered, url, ctx.actor, ctx.form.passphrase.data,
                           f"SK {application.sk_number}", attempts_left, ctx.after_rollback)
    stored = store_bytes(signed, "pdf", download_name(application), ctx.written)
    for column, value in stored.columns().items():
        setattr(decree, column, value)
    decree.signed_at = ctx.now
    decree.signer_id = ctx.actor.id
    decree.signer_name = ctx.actor.full_name
    decree.backend = get_signer().name
    decree.template_version_id = version.id
    period = rendered.extra["validity"]
    decree.valid_from, decree.valid_until = period.valid_from, period.valid_until
    ctx.event_data["sha256"] = stored.sha256
    ctx.event_data.update(signers.capacity_record(ctx.actor, ctx.now))  # kapasitas, letter


def signed_decree_of(application):
    decree = application.decree
    if decree is None or not decree.is_signed:
        raise NotFound(_l("The signed decree is not available yet."))
    return decree


def find_by_token(token):
    """A signed decree with its file, as the verification page shows them (one query)."""
    decree = db.session.scalar(select(Decree).where(Decree.token == token).options(
        joinedload(Decree.application).options(
            joinedload(Application.permit_type), joinedload(Application.pkkpr),
            joinedload(Application.issued_documents))))
    if decree is None or not decree.is_signed:
        raise NotFound()
    return decree


def check_authenticity(decree, content):
    """The uploaded PDF is this decree's signed file, and its signature is valid."""
    digest = hashlib.sha256(content).hexdigest()
    return digest == decree.sha256 and get_signer().verify(content)


# Failures that would repeat for every remaining file of a batch.
STOP_BATCH = {"wrong_passphrase", "not_registered", "unavailable", "timeout"}


def stops_the_batch(error):
    """Whether a signing failure would repeat for the next file (a wrong passphrase, a
    locked signer, an unreachable service): a batch stops there."""
    return isinstance(error, TooManyAttempts) or (
        isinstance(error, SigningError) and error.reason in STOP_BATCH)


def run_batch(keys, sign_one):
    """Call `sign_one(key)` for each key, each in its own transaction.

    Returns [(key, outcome, message)], outcome one of signed, failed, skipped. A
    failure that would repeat (wrong passphrase, unreachable service) stops the batch;
    nothing is retried."""
    results, stopped = [], None
    for key in keys:
        if stopped is not None:
            results.append((key, "skipped", stopped))
            continue
        try:
            sign_one(key)
        except SiapError as error:
            results.append((key, "failed", error.message))
            if stops_the_batch(error):
                stopped = _l("Not attempted: %(reason)s", reason=error.message)
        else:
            results.append((key, "signed", None))
    return results


def sign_decree_of(application_id, actor, passphrase):
    """Take `tandatangani` on one file."""
    from werkzeug.datastructures import MultiDict

    from app.workflow.engine import apply_action

    apply_action(application_id, "tandatangani", actor, MultiDict({"passphrase": passphrase}))

