"""The decree register (Buku Register SK) of a year, for the back office: every number
given, in the order of its counter, with its date, kind, permit, holder, file and what
became of it.

Two sections, as an office keeps them:
- decrees: the SK of each permit and the revocation decrees. A revocation is a decree
  (keputusan) too; with the default format it takes the next number of the same counter,
  so both kinds interleave and the register stays gapless and explains every number.
- rejection letters: letters (surat), not decrees, numbered in their own register.

A row's status is read from its file and decree when the register is read: issued, in
force until …; expired; revoked; cancelled (the file was refused at signature, or its
applicant withdrew it before the signature: the number stays, marked, and is never given
again); awaiting signature (numbered, not signed yet:
an SK, or a revocation decree or rejection letter, models/issued.py).

One query per page (rows joined with their file, permit type, decree, rejection and
issued document);
pages are taken by key (after a row's counter and value), at most PAGE_SIZE rows."""

import enum
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_

from app.extensions import db
from app.workflow import clock, validity
from app.workflow.files import visible_clause
from app.workflow.registry import find
from models import (
    Application,
    Decree,
    IssuedDocument,
    PermitType,
    Register,
    RegisterEntry,
    Rejection,
)
from models.decree import DecreeStatus
from models.register import REGISTERS

PAGE_SIZE = 500


class Section(enum.StrEnum):
    SK = "sk"  # decrees: permits and revocations
    PENOLAKAN = "penolakan"  # rejection letters


SECTION_REGISTERS = {
    Section.SK: (Register.SK, Register.SK_PENCABUTAN),
    Section.PENOLAKAN: (Register.SURAT_PENOLAKAN,),
}
SECTION_LABELS = {Section.SK: _l("Decrees"), Section.PENOLAKAN: _l("Rejection letters")}


class Status(enum.StrEnum):
    TERBIT = "terbit"
    KEDALUWARSA = "kedaluwarsa"
    DICABUT = "dicabut"
    DIBATALKAN = "dibatalkan"
    BELUM_DITANDATANGANI = "belum_ditandatangani"


STATUS_LABELS = {
    Status.TERBIT: _l("Issued"),
    Status.KEDALUWARSA: _l("Expired"),
    Status.DICABUT: _l("Revoked"),
    Status.DIBATALKAN: _l("Cancelled"),
    Status.BELUM_DITANDATANGANI: _l("Awaiting signature"),
}


@dataclass(frozen=True)
class RegisterRow:
    entry_id: int
    register: str
    number: str
    sequence: str
    seq: int
    dated: date | None
    permit_type: str
    holder: str
    registration_number: str | None
    application_id: int
    status: Status
    note: str

    @property
    def register_label(self):
        return REGISTERS.label(self.register)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def holder_name(applicant_name, acts_for_organisation, organisation_name):
    """Whom a permit names: the organisation an applicant acted for, or the applicant."""
    if acts_for_organisation and organisation_name:
        return organisation_name
    return applicant_name


def _long(day):
    return format_date(day, "d MMMM yyyy")


def _office_date(value):
    if value is None:
        return None
    return clock.office_date(value) if isinstance(value, datetime) else value


COLUMNS = (
    RegisterEntry.id, RegisterEntry.register, RegisterEntry.number, RegisterEntry.sequence,
    RegisterEntry.seq, RegisterEntry.created_at, Application.id.label("application_id"),
    Application.registration_number, Application.status.label("file_status"),
    Application.kind.label("file_kind"),
    Application.sk_number, Application.sk_date, Application.applicant_name,
    Application.acts_for_organisation, Application.organisation_name,
    PermitType.name.label("permit_type"), Decree.signed_at,
    Decree.status.label("decree_status"), Decree.valid_until, Decree.revoked_at,
    Decree.revocation_number, Rejection.number.label("rejection_number"),
    Rejection.rejected_at, IssuedDocument.signed_at.label("document_signed_at"),
)


def _statement(user, year, section):
    return (
        select(*COLUMNS)
        .select_from(RegisterEntry)
        .join(Application, RegisterEntry.application_id == Application.id)
        .join(PermitType, Application.permit_type_id == PermitType.id)
        .outerjoin(Decree, Decree.application_id == Application.id)
        .outerjoin(Rejection, Rejection.application_id == Application.id)
        .outerjoin(IssuedDocument, IssuedDocument.number == RegisterEntry.number)
        .where(RegisterEntry.year == year,
               RegisterEntry.register.in_([r.value for r in SECTION_REGISTERS[section]]),
               visible_clause(user))
        .order_by(RegisterEntry.sequence, RegisterEntry.seq)
    )


def _sk_status(row, today):
    if row.signed_at is not None:
        if row.decree_status == DecreeStatus.DICABUT:
            return Status.DICABUT, _l("Revoked by decree %(number)s",
                                      number=row.revocation_number or "-")
        if row.valid_until is not None and today > row.valid_until:
            return Status.KEDALUWARSA, _l("In force until %(date)s",
                                          date=_long(row.valid_until))
        if row.valid_until is not None:
            return Status.TERBIT, _l("In force until %(date)s", date=_long(row.valid_until))
        return Status.TERBIT, ""
    workflow = find(row.file_kind)
    if workflow is not None and workflow.is_in(row.file_status, "refused_states"):
        return Status.DIBATALKAN, _l("Refused at signature (rejection letter %(number)s)",
                                     number=row.rejection_number or "-")
    if workflow is not None and workflow.is_in(row.file_status, "withdrawn_states"):
        return Status.DIBATALKAN, _l("Application withdrawn by the applicant before "
                                     "signature")
    return Status.BELUM_DITANDATANGANI, ""


def _document_status(row):
    """A revocation decree or rejection letter is issued once signed."""
    return Status.TERBIT if row.document_signed_at is not None else \
        Status.BELUM_DITANDATANGANI


def _row(row, today):
    if row.register == Register.SK:
        status, note = _sk_status(row, today)
        dated = _office_date(row.sk_date)
    elif row.register == Register.SK_PENCABUTAN:
        status, dated = _document_status(row), _office_date(row.revoked_at)
        note = _l("Revokes decree %(number)s", number=row.sk_number)
    else:
        status, dated = _document_status(row), _office_date(row.rejected_at)
        note = _l("Rejects application %(number)s", number=row.registration_number)
    return RegisterRow(
        entry_id=row.id, register=row.register, number=row.number, sequence=row.sequence,
        seq=row.seq, dated=dated or _office_date(row.created_at),
        permit_type=row.permit_type,
        holder=holder_name(row.applicant_name, row.acts_for_organisation,
                           row.organisation_name),
        registration_number=row.registration_number, application_id=row.application_id,
        status=status, note=str(note),
    )


def page(user, year, section, after=None, size=None):
    """Up to `size` (PAGE_SIZE) rows of the section in `year` the user may see, after the
    row whose entry id is `after`, in the order of their counters."""
    statement = _statement(user, year, section).limit(size or PAGE_SIZE)
    if after is not None:
        key = db.session.execute(select(RegisterEntry.sequence, RegisterEntry.seq)
                                 .where(RegisterEntry.id == after)).first()
        if key is not None:
            statement = statement.where(
                tuple_(RegisterEntry.sequence, RegisterEntry.seq) > tuple_(*key))
    today = validity.today()
    return [_row(row, today) for row in db.session.execute(statement)]


def every_row(user, year, section, chunk=1000):
    """All the section's rows of `year` the user may see, read `chunk` at a time (for
    the export)."""
    today = validity.today()
    statement = _statement(user, year, section).execution_options(yield_per=chunk)
    for row in db.session.execute(statement):
        yield _row(row, today)


def years(user):
    """The years with numbers the user may see, newest first, and this year."""
    found = db.session.scalars(
        select(RegisterEntry.year).distinct()
        .join(Application, RegisterEntry.application_id == Application.id)
        .where(visible_clause(user))
    ).all()
    return sorted({*found, clock.today().year}, reverse=True)
