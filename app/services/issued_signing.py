"""Who signs the rejection letters and revocation decrees (whoever holds the signature of
the file's workflow), the list waiting on the signing page, and signing them with
the same passphrase, lockout and visible QR signature as the permit decrees; each in
its own transaction, so a failure leaves the document unsigned and nothing written.

After the signature the file's history records who signed in which capacity, and the
applicant is told (WhatsApp and in the app, through the outbox) that the document can be
downloaded from the file page."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.documents.formatting import tanggal
from app.errors import Conflict, NotFound
from app.extensions import db
from app.notifications.outbox import queue_for_applicant
from app.security import lockout
from app.services import issued_pdf
from app.signing import get_signer
from app.storage.files import store_bytes
from app.workflow import clock, decrees, signers
from app.workflow.access import holds
from app.workflow.engine import acting_roles, record_event, unit_of_work
from app.workflow.files import visible_clause
from app.workflow.issued_documents import SIGNED_EVENTS, download_name, verification_url
from app.workflow.registry import workflow_of
from models import Application, IssuedDocument, Register
from models.application import utcnow

SIGNATURE = "tandatangani"
ALREADY_SIGNED = _l("This document is already signed.")
# The message the applicant gets once the document is signed (app/notifications/templates.py).
NOTICES = {Register.SURAT_PENOLAKAN: "surat_penolakan_terbit",
           Register.SK_PENCABUTAN: "sk_pencabutan_terbit"}


def may_sign(user, application):
    """Whoever holds the signature of the file's workflow (the head of office, or their
    Plt./Plh. during the appointment) signs its letters and revocation decree."""
    return holds(user, workflow_of(application), SIGNATURE)


def awaiting_signature(user):
    """The unsigned documents of the files `user` sees and may sign, oldest first."""
    documents = db.session.scalars(
        select(IssuedDocument)
        .join(Application, IssuedDocument.application_id == Application.id)
        .where(IssuedDocument.signed_at.is_(None), visible_clause(user))
        .options(joinedload(IssuedDocument.application).joinedload(Application.permit_type))
        .order_by(IssuedDocument.created_at, IssuedDocument.id)
    ).all()
    return [d for d in documents if may_sign(user, d.application)]


def document_for_signer(document_id, user):
    """A document of a file `user` sees and whose signature they hold (signed or not);
    NotFound otherwise (no hint whether it exists)."""
    found = db.session.scalar(
        select(IssuedDocument)
        .join(Application, IssuedDocument.application_id == Application.id)
        .where(IssuedDocument.id == document_id, visible_clause(user)))
    if found is None or not may_sign(user, found.application):
        raise NotFound()
    return found


def sign_document(document_id, actor, passphrase):
    """Sign one unsigned document of a file the actor sees, as the holder of the
    signature; returns it signed. NotFound, Conflict (signed meanwhile), InvalidInput
    (the signer's profile lacks NIP or rank), TooManyAttempts or SigningError."""
    document = document_for_signer(document_id, actor)
    if document.is_signed:
        raise Conflict(ALREADY_SIGNED)
    signers.identity_complete(actor)
    attempts_left = lockout.check_passphrase_allowed(actor)
    application = document.application
    written, after_rollback = [], []
    with unit_of_work(written, after_rollback):
        rendered, version = issued_pdf.render(document, signer=actor)
        signed = decrees.sign_rendered(
            rendered, verification_url(document), actor, passphrase,
            f"{document.kind_label} {document.number}", attempts_left, after_rollback)
        stored = store_bytes(signed, "pdf", download_name(document), written)
        now = utcnow()
        capacity = signers.capacity_record(actor, now)
        # Of two signers at once, one wins; the other's file is removed on rollback.
        claimed = db.session.execute(
            update(IssuedDocument)
            .where(IssuedDocument.id == document.id, IssuedDocument.signed_at.is_(None))
            .values(signed_at=now, signer_id=actor.id, signer_name=actor.full_name,
                    signer_capacity=capacity["kapasitas"],
                    signer_letter_number=capacity.get("surat_perintah"),
                    backend=get_signer().name, template_version_id=version.id,
                    **stored.columns())
        ).rowcount
        if claimed != 1:
            raise Conflict(ALREADY_SIGNED)
        workflow = workflow_of(application)
        record_event(application, SIGNED_EVENTS[document.kind], actor,
                     data={"nomor": document.number, "sha256": stored.sha256, **capacity},
                     role=acting_roles(actor, workflow, SIGNATURE), when=now)
        queue_for_applicant(application, NOTICES[document.kind], {
            "nomor_surat": document.number, "nomor_sk": application.sk_number or "-",
            "tanggal": tanggal(clock.office_date(now)),
        })
    db.session.refresh(document)
    return document


def sign_one(key, actor, passphrase):
    """Sign one item of a batch: key ("application", id) takes `tandatangani` on the
    file through the engine, ("document", id) signs a rejection letter or revocation
    decree. Raises the SiapError that stopped it."""
    kind, key_id = key
    if kind == "application":
        decrees.sign_decree_of(key_id, actor, passphrase)
    else:
        sign_document(key_id, actor, passphrase)


def sign_all(application_ids, document_ids, actor, passphrase):
    """The signing page's batch: the decrees of `application_ids`, then the documents of
    `document_ids`, with one passphrase (decrees.run_batch: a failure that would repeat
    stops the rest). Returns [((kind, id), outcome, message)], kind "application" or
    "document"."""
    keys = [("application", i) for i in application_ids] + \
        [("document", i) for i in document_ids]
    return decrees.run_batch(keys, lambda key: sign_one(key, actor, passphrase))
