"""deadlines as typed, indexed columns (PNBP billing expiry, SKRD due date; the decree's
validity end gets an index) and the record of scheduled job actions

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 07:00:00

The deadlines of files issued before this revision are moved from the SPS's and SKRD's
data (`kedaluwarsa_billing`, `jatuh_tempo`) into the new columns.
"""
from datetime import date

import sqlalchemy as sa
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# artifact kind → (the key of its data, the application's column)
MOVED = {"sps": ("kedaluwarsa_billing", "billing_expires_on"),
         "skrd": ("jatuh_tempo", "payment_due_on")}


def upgrade():
    with op.batch_alter_table('application') as batch:
        batch.add_column(sa.Column('billing_expires_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('payment_due_on', sa.Date(), nullable=True))
        batch.create_index('ix_application_billing_expires_on', ['billing_expires_on'])
        batch.create_index('ix_application_payment_due_on', ['payment_due_on'])
    op.create_index('ix_decree_valid_until', 'decree', ['valid_until'])
    op.create_table(
        'job_action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.String(length=300), nullable=False),
        sa.Column('taken_at', sa.DateTime(), nullable=False),
        sa.Column('as_of', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key', name='uq_job_action_key'),
    )
    op.create_index('ix_job_action_application_id', 'job_action', ['application_id'])
    _move_deadlines()


def _move_deadlines():
    artifact = sa.table('application_artifact', sa.column('id', sa.Integer),
                        sa.column('application_id', sa.Integer),
                        sa.column('kind', sa.String), sa.column('data', sa.JSON))
    application = sa.table('application', sa.column('id', sa.Integer),
                           sa.column('billing_expires_on', sa.Date),
                           sa.column('payment_due_on', sa.Date))
    connection = op.get_bind()
    latest = {}  # (application, column) → date, the newest artifact's
    for application_id, kind, data in connection.execute(
            sa.select(artifact.c.application_id, artifact.c.kind, artifact.c.data)
            .where(artifact.c.kind.in_(MOVED)).order_by(artifact.c.id)):
        key, column = MOVED[kind]
        try:
            latest[application_id, column] = date.fromisoformat((data or {}).get(key) or "")
        except (TypeError, ValueError):
            continue
    for (application_id, column), day in latest.items():
        connection.execute(application.update().where(application.c.id == application_id)
                           .values({column: day}))


def downgrade():
    op.drop_index('ix_job_action_application_id', table_name='job_action')
    op.drop_table('job_action')
    op.drop_index('ix_decree_valid_until', table_name='decree')
    with op.batch_alter_table('application') as batch:
        batch.drop_index('ix_application_payment_due_on')
        batch.drop_index('ix_application_billing_expires_on')
        batch.drop_column('payment_due_on')
        batch.drop_column('billing_expires_on')
