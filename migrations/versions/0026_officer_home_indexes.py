"""indexes for the officer's home page and the staff's search: history by actor and
time (what an officer finished today), files by the applicant's NIK

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 07:00:00
"""
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_event_actor_created', 'application_event',
                    ['actor_id', 'created_at'], unique=False)
    op.create_index('ix_application_nik', 'application', ['applicant_nik'], unique=False)


def downgrade():
    op.drop_index('ix_application_nik', table_name='application')
    op.drop_index('ix_event_actor_created', table_name='application_event')
