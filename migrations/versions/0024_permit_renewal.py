"""permit renewal (perpanjangan): permit types marked renewable, and the file a renewal
renews

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 07:00:00

Asset-use permit types (workflow `aset`) become renewable, as the seeded catalogue makes
them; the others are not until an admin marks them.
"""
import sqlalchemy as sa
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('permit_type') as batch:
        batch.add_column(sa.Column('renewable', sa.Boolean(), nullable=True))
    permit_type = sa.table('permit_type', sa.column('workflow_kind', sa.String),
                           sa.column('renewable', sa.Boolean))
    op.execute(permit_type.update().values(
        renewable=permit_type.c.workflow_kind == 'aset'))
    with op.batch_alter_table('application') as batch:
        batch.add_column(sa.Column('renews_application_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_application_renews_application_id', 'application',
                                 ['renews_application_id'], ['id'], ondelete='SET NULL')
        batch.create_index('ix_application_renews_application_id',
                           ['renews_application_id'])


def downgrade():
    with op.batch_alter_table('application') as batch:
        batch.drop_index('ix_application_renews_application_id')
        batch.drop_constraint('fk_application_renews_application_id', type_='foreignkey')
        batch.drop_column('renews_application_id')
    with op.batch_alter_table('permit_type') as batch:
        batch.drop_column('renewable')
