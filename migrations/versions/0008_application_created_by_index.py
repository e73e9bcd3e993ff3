"""index applications by the account that created them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 09:30:00

"My applications" filters on owner_id OR created_by_id; without this index PostgreSQL
scans every application (measured in bench/).
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_application_created_by', 'application', ['created_by_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_application_created_by', table_name='application')
