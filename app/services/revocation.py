"""Revoking a signed permit: the head of office gives the reason, the revocation takes
its own decree number from the decree register, the holder is told, and the permit's
downloads are stamped DICABUT from then on. The signed original stays stored unchanged
(the verification page still recognises it as the decree that was signed).

The revocation decree itself is opened unsigned in the same transaction, under the
revocation's number; whoever holds the signature signs it later, from its template and
`revocation_facts` (app/services/issued_signing.py)."""

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app import audit
from app.documents.formatting import tanggal
from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.notifications.outbox import queue_for_applicant
from app.services import stamp
from app.services.register import holder_name
from app.storage.files import read_stored
from app.workflow import assets, clock, decrees
from app.workflow.access import holds
from app.workflow.engine import acting_roles, record_event, unit_of_work
from app.workflow.files import load_visible
from app.workflow.issued_documents import open_document
from app.workflow.numbering import take_register_number
from app.workflow.registry import workflow_of
from models import Decree, Register
from models.application import utcnow
from models.decree import DecreeStatus

STAMP = "DICABUT"
MAX_REASON = 2000  # as the workflow's reason fields


def revoke(application_id, actor, reason):
    """Revoke the signed permit of a file the actor sees and may revoke (`cabut_izin`)."""
    application = load_visible(application_id, actor)
    workflow = workflow_of(application)
    if not holds(actor, workflow, "cabut_izin"):
        raise Forbidden()
    decree = decrees.signed_decree_of(application)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"alasan": _l("Give the reason the permit is revoked.")})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"alasan": _l("The reason is too long: at most %(count)d "
                                         "characters.", count=MAX_REASON)})
    if decree.status == DecreeStatus.DICABUT:
        raise Conflict(_l("This permit is already revoked."))
    with unit_of_work():
        # Only one of two officers revoking at once wins, and only one number is taken.
        claimed = db.session.execute(
            update(Decree)
            .where(Decree.id == decree.id, Decree.status == DecreeStatus.BERLAKU.value)
            .values(status=DecreeStatus.DICABUT.value, revoked_at=utcnow(),
                    revoked_by_id=actor.id, revoke_reason=reason)
        ).rowcount
        if claimed != 1:
            raise Conflict(_l("This permit is already revoked."))
        db.session.refresh(decree)
        decree.revocation_number = take_register_number(
            Register.SK_PENCABUTAN, application, clock.office_date(decree.revoked_at))
        open_document(Register.SK_PENCABUTAN, application, decree.revocation_number)
        assets.release_booking(application)
        record_event(application, "cabut_izin", actor, comment=reason,
                     data={"revocation_number": decree.revocation_number},
                     role=acting_roles(actor, workflow, "cabut_izin"), when=decree.revoked_at)
        audit.record(audit.PERMIT_REVOKED, object=application, actor=actor, details={
            "sk_number": application.sk_number,
            "revocation_number": decree.revocation_number, "reason": reason})
        _tell_the_holder(application, decree)
    return decree


def _tell_the_holder(application, decree):
    """WhatsApp and in-app, through the outbox (sent after the commit)."""
    queue_for_applicant(application, "izin_dicabut", {
        "nomor_sk": application.sk_number,
        "nomor_pencabutan": decree.revocation_number,
        "tanggal": tanggal(clock.office_date(decree.revoked_at)),
        "alasan": decree.revoke_reason,
    })


@dataclass(frozen=True)
class RevocationFacts:
    """What the revocation decree states, for its template."""

    revocation_number: str
    revoked_on: date  # the office date of the revocation
    reason: str
    revoked_by: str | None  # the officer who revoked it
    sk_number: str  # the decree it revokes
    sk_date: date | None
    valid_from: date | None
    valid_until: date | None
    permit_type: str
    workflow_kind: str  # pkkpr_nb or aset: the decree cites its own legal bases
    registration_number: str
    holder: str
    holder_address: str
    verification_url: str  # the revoked decree's page (it says DICABUT)


def revocation_facts(decree):
    """The facts of a revoked decree's revocation (None while it is not revoked)."""
    if decree.status != DecreeStatus.DICABUT:
        return None
    application = decree.application
    sk_date = application.sk_date
    return RevocationFacts(
        revocation_number=decree.revocation_number,
        revoked_on=clock.office_date(decree.revoked_at),
        reason=decree.revoke_reason,
        revoked_by=decree.revoked_by.full_name if decree.revoked_by else None,
        sk_number=application.sk_number,
        sk_date=sk_date.date() if isinstance(sk_date, datetime) else sk_date,
        valid_from=decree.valid_from,
        valid_until=decree.valid_until,
        permit_type=application.permit_type.name,
        workflow_kind=application.kind,
        registration_number=application.registration_number,
        holder=holder_name(application.applicant_name, application.acts_for_organisation,
                           application.organisation_name),
        holder_address=application.applicant_address,
        verification_url=decrees.verification_url(decree),
    )


def stamped_copy(decree):
    """What a download of a revoked permit gives: the signed decree with DICABUT, the
    date and the revocation number on every page, as (bytes, download name). None while
    the permit is not revoked: its download is the signed file itself."""
    facts = revocation_facts(decree)
    if facts is None:
        return None
    number = f" dengan Keputusan Nomor {facts.revocation_number}" \
        if facts.revocation_number else ""
    content = stamp.stamped(io.BytesIO(read_stored(decree.stored_name)), STAMP,
                            f"pada {tanggal(facts.revoked_on)}{number}")
    name = PurePath(decree.original_name or "sk.pdf")
    return content, f"{name.stem}-{STAMP}{name.suffix or '.pdf'}"
