"""validity of decrees, revocation numbers, rejections and the decree register

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-01 09:00:00

A signed decree stores the period it is in force (filled here for decrees already
signed, by the rule of app/services/validity.py: PKKPR three years from the SK date less
a day, asset use the approved period); a revocation gets its own number.
"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0012'
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


def upgrade():
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
