"""number counters shared by permit types with the same format

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 10:20:00

Permit types whose number format has no {code} now share one counter per format (two
types with the default SK format gave the same SK number). Each shared counter starts
from the highest value its permit types reached, so no number is given twice.
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _shared_name(kind, number_format):
    name = f"{kind}:{number_format}"
    if len(name) > 60:
        name = f"{kind}:#{hashlib.sha256(number_format.encode()).hexdigest()[:40]}"
    return name


def upgrade():
    bind = op.get_bind()
    types = bind.execute(sa.text(
        "SELECT code, registration_format, sk_format FROM permit_type")).all()
    counters = bind.execute(sa.text(
        "SELECT name, year, last_value FROM number_sequence")).all()
    highest = {}
    for code, registration_format, sk_format in types:
        for kind, number_format in (("registration", registration_format), ("sk", sk_format)):
            if "{code" in number_format:
                continue
            shared = _shared_name(kind, number_format)
            for name, year, last_value in counters:
                if name == f"{kind}:{code}":
                    key = (shared, year)
                    highest[key] = max(highest.get(key, 0), last_value)
    for (name, year), last_value in highest.items():
        bind.execute(sa.text("DELETE FROM number_sequence WHERE name = :name AND year = :year"),
                     {"name": name, "year": year})
        bind.execute(sa.text("INSERT INTO number_sequence (name, year, last_value) "
                             "VALUES (:name, :year, :value)"),
                     {"name": name, "year": year, "value": last_value})


def downgrade():
    pass  # the per-type counters are left as they were
