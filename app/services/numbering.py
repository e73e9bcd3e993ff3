"""Registration and SK numbers: a format per permit type and a gapless counter per
sequence and year.

The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite locks the whole
database on write) and incremented inside the caller's transaction, so a number is
used exactly when the transaction that took it commits: no gaps, no duplicates."""

import hashlib
import string

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from models import NumberSequence

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


def sequence_name(kind, permit_type):
    """A format naming the permit type ({code}) counts per type; permit types sharing a
    format without it share one counter, or their numbers would collide (the SK register
    503/…/409.110/2026 is the office's, not one per permit type)."""
    number_format = getattr(permit_type, f"{kind}_format")
    if "{code" in number_format:
        return f"{kind}:{permit_type.code}"
    name = f"{kind}:{number_format}"
    if len(name) > 60:  # the column's width: a long format is named by its digest
        name = f"{kind}:#{hashlib.sha256(number_format.encode()).hexdigest()[:40]}"
    return name


def take_number(kind, permit_type, on_date):
    """kind is "registration" or "sk"; returns the rendered number."""
    seq = next_value(sequence_name(kind, permit_type), on_date.year)
    return render_number(getattr(permit_type, f"{kind}_format"), seq, permit_type.code,
                         on_date)


def propose_number(kind, permit_type, on_date):
    seq = peek_next_value(sequence_name(kind, permit_type), on_date.year)
    return render_number(getattr(permit_type, f"{kind}_format"), seq, permit_type.code,
                         on_date)
