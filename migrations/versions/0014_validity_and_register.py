"""validity of decrees, revocation numbers, rejections and the decree register

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:00:00

A signed decree stores the period it is in force (filled here for decrees already
signed, by the rule of app/services/validity.py: PKKPR three years from the SK date less
a day, asset use the approved period); a revocation gets its own number.

The decree register (register_entry) gets a row for every SK number already given, with
its counter value read back from the number by its permit type's format. A number the
format no longer reads (the format was changed since) is entered under the counter
"sk:lama", after the others of its year in the order of the SK dates. Files rejected
before this migration have no rejection row (no letter number was given then); an SK
number they kept shows in the register as cancelled all the same.
"""
import hashlib
import re
import string
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

PKKPR_VALIDITY_YEARS = 3  # as app/services/validity.py had it when this was written


def _anniversary(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _as_date(value):
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without type information
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") else value


def _fill_validity(bind):
    signed = bind.execute(sa.text(
        "SELECT d.id, a.kind, a.sk_date, d.signed_at, u.approved_start, u.approved_end "
        "FROM decree d JOIN application a ON a.id = d.application_id "
        "LEFT JOIN asset_use u ON u.application_id = a.id "
        "WHERE d.signed_at IS NOT NULL")).all()
    for decree_id, kind, sk_date, signed_at, start, end in signed:
        if kind == "aset":
            valid_from, valid_until = _as_date(start), _as_date(end)
        else:
            valid_from = _as_date(sk_date) or _as_date(signed_at)
            valid_until = _anniversary(valid_from, PKKPR_VALIDITY_YEARS) - timedelta(days=1)
        bind.execute(sa.text("UPDATE decree SET valid_from = :start, valid_until = :end "
                             "WHERE id = :id"),
                     {"start": valid_from, "end": valid_until, "id": decree_id})


def _sequence_for(kind, number_format, code):
    """app/services/numbering.py `sequence_for`, as it was when this was written."""
    if "{code" in number_format:
        return f"{kind}:{code}"
    name = f"{kind}:{number_format}"
    if len(name) > 60:
        name = f"{kind}:#{hashlib.sha256(number_format.encode()).hexdigest()[:40]}"
    return name


def _reader(number_format):
    """A regular expression reading {seq} (and {year}) back from a rendered number."""
    pattern = ""
    for literal, name, _, _ in string.Formatter().parse(number_format):
        pattern += re.escape(literal)
        if name == "seq":
            pattern += r"(?P<seq>\d+)" if "(?P<seq>" not in pattern else r"\d+"
        elif name == "year":
            pattern += r"(?P<year>\d{4})" if "(?P<year>" not in pattern else r"\d{4}"
        elif name is not None:
            pattern += ".+?"
    return re.compile(pattern)


def _fill_register(bind):
    rows = bind.execute(sa.text(
        "SELECT a.id, a.sk_number, a.sk_date, a.created_at, t.sk_format, t.code "
        "FROM application a JOIN permit_type t ON t.id = a.permit_type_id "
        "WHERE a.sk_number IS NOT NULL ORDER BY a.sk_date, a.id")).all()
    entries, taken, unread = [], set(), []
    for application_id, number, sk_date, created_at, number_format, code in rows:
        when = sk_date or created_at
        when = datetime.fromisoformat(when) if isinstance(when, str) else when
        match = _reader(number_format).fullmatch(number)
        year = int(match.group("year")) if match and "year" in match.groupdict() \
            else when.year
        sequence = _sequence_for("sk", number_format, code)
        if match is None or (year, sequence, int(match.group("seq"))) in taken:
            unread.append((application_id, number, when))
            continue
        taken.add((year, sequence, int(match.group("seq"))))
        entries.append((application_id, number, when, year, sequence,
                        int(match.group("seq"))))
    following = {}
    for application_id, number, when in unread:
        following[when.year] = following.get(when.year, 0) + 1
        entries.append((application_id, number, when, when.year, "sk:lama",
                        following[when.year]))
    for application_id, number, when, year, sequence, seq in entries:
        bind.execute(sa.text(
            "INSERT INTO register_entry (register, sequence, year, seq, number, "
            "application_id, created_at) VALUES ('sk', :sequence, :year, :seq, :number, "
            ":application, :created)"),
            {"sequence": sequence, "year": year, "seq": seq, "number": number,
             "application": application_id, "created": when})


def upgrade():
    op.create_table(
        'register_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('register', sa.String(length=20), nullable=False),
        sa.Column('sequence', sa.String(length=60), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("register IN ('sk', 'sk_pencabutan', 'surat_penolakan')",
                           name='ck_register_entry_register'),
        sa.ForeignKeyConstraint(['application_id'], ['application.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
        sa.UniqueConstraint('year', 'sequence', 'seq', name='uq_register_entry_seq'),
    )
    op.create_index('ix_register_entry_application_id', 'register_entry', ['application_id'])
    _fill_register(op.get_bind())
    op.create_table(
        'rejection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('from_status', sa.String(length=30), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=False),
        sa.Column('rejected_by_id', sa.Integer(), nullable=False),
        sa.Column('rejected_by_role', sa.String(length=200), nullable=True),
        sa.Column('rejected_at', sa.DateTime(), nullable=False),
        sa.Column('cancelled_sk_number', sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['rejected_by_id'], ['ab_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id'),
        sa.UniqueConstraint('number'),
    )
    with op.batch_alter_table('decree') as batch:
        batch.add_column(sa.Column('revocation_number', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch.create_unique_constraint('uq_decree_revocation_number', ['revocation_number'])
    _fill_validity(op.get_bind())


def downgrade():
    with op.batch_alter_table('decree') as batch:
        batch.drop_constraint('uq_decree_revocation_number', type_='unique')
        batch.drop_column('valid_until')
        batch.drop_column('valid_from')
        batch.drop_column('revocation_number')
    op.drop_table('rejection')
    op.drop_index('ix_register_entry_application_id', table_name='register_entry')
    op.drop_table('register_entry')
