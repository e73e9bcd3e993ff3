"""the last run of each scheduled job, for the metrics' "jobs last run"

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 07:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_run',
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=False),
        sa.Column('actions', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('job'),
    )


def downgrade():
    op.drop_table('job_run')
