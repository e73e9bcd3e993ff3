"""Registration and SK numbers: a format per permit type and a gapless counter per
sequence and year. Decree, revocation and rejection letter numbers are also entered in
the office's registers (`take_register_number`).

The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite locks the whole
database on write) and incremented inside the caller's transaction, so a number is
used exactly when the transaction that took it commits: no gaps, no duplicates."""

import hashlib
import string

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from models import NumberSequence, Register, RegisterEntry

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
PLACEHOLDERS = {"code", "seq", "year", "month", "roman_month"}


def check_format(number_format):
    """Return the unknown placeholders of a format (empty when it is usable)."""
    fields = {name for _, name, _, _ in string.Formatter().parse(number_format) if name}
    unknown = fields - PLACEHOLDERS
    if "seq" not in fields:
        unknown.add("seq (missing)")
    return sorted(unknown)


def render_number(number_format, seq, code, on_date):
    return number_format.format(
        seq=seq,
        code=code,
        year=on_date.year,
        month=f"{on_date.month:02d}",
        roman_month=ROMAN_MONTHS[on_date.month - 1],
    )


def _ensure_row(name, year):
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(NumberSequence.__table__)
        .values(name=name, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["name", "year"])
    )


def next_value(name, year):
    """Take the next value of a sequence inside the current transaction."""
    _ensure_row(name, year)
    table = NumberSequence.__table__
    current = db.session.execute(
        select(table.c.last_value)
        .where(table.c.name == name, table.c.year == year)
        .with_for_update()
    ).scalar_one()
    db.session.execute(
        update(table)
        .where(table.c.name == name, table.c.year == year)
        .values(last_value=current + 1)
    )
    return current + 1


def peek_next_value(name, year):
    """The value the next `next_value` would give, for showing a proposal."""
    current = db.session.scalar(
        select(NumberSequence.last_value).where(
            NumberSequence.name == name, NumberSequence.year == year
        )
    )
    return (current or 0) + 1


def sequence_for(kind, number_format, code):
    """The counter of a number format. A format naming the permit type ({code}) counts
    per type; permit types sharing a format without it share one counter, or their
    numbers would collide (the SK register 503/…/409.110/2026 is the office's, not one per
    permit type)."""
    if "{code" in number_format:
        return f"{kind}:{code}"
    name = f"{kind}:{number_format}"
    if len(name) > 60:  # the column's width: a long format is named by its digest
        name = f"{kind}:#{hashlib.sha256(number_format.encode()).hexdigest()[:40]}"
    return name


def sequence_name(kind, permit_type):
    return sequence_for(kind, getattr(permit_type, f"{kind}_format"), permit_type.code)


def take_number(kind, permit_type, on_date):
    """kind is "registration" or "sk"; returns the rendered number."""
    seq = next_value(sequence_name(kind, permit_type), on_date.year)
    return render_number(getattr(permit_type, f"{kind}_format"), seq, permit_type.code,
                         on_date)


def propose_number(kind, permit_type, on_date):
    seq = peek_next_value(sequence_name(kind, permit_type), on_date.year)
    return render_number(getattr(permit_type, f"{kind}_format"), seq, permit_type.code,
                         on_date)


# --- the registers (Buku Register) ----------------------------------------------------

# register → (the counters' namespace, its number format). A revocation is a decree: its
# counter is the SK counter of the same format, so with the SK format (the default) it
# takes the next number of the office's decree register and never collides with one.
REGISTER_FORMATS = {
    Register.SK: ("sk", lambda application: application.permit_type.sk_format),
    Register.SK_PENCABUTAN: (
        "sk", lambda application: current_app.config["REVOCATION_NUMBER_FORMAT"]),
    Register.SURAT_PENOLAKAN: (
        "surat_penolakan",
        lambda application: current_app.config["REJECTION_NUMBER_FORMAT"]),
}


def take_register_number(register, application, on_date):
    """Take the next number of `register` for `application` and enter it in the
    register, inside the caller's transaction; returns the number."""
    namespace, number_format = REGISTER_FORMATS[register]
    number_format = number_format(application)
    code = application.permit_type.code
    sequence = sequence_for(namespace, number_format, code)
    seq = next_value(sequence, on_date.year)
    number = render_number(number_format, seq, code, on_date)
    db.session.add(RegisterEntry(register=register.value, sequence=sequence, year=on_date.year,
                                 seq=seq, number=number, application=application))
    return number
