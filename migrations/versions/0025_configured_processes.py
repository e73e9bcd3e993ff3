"""configured processes (alur proses): processes and their versions, the version a file
pins and its form answers; the kind is no longer a fixed list

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 07:00:00

A permit type's workflow is a built-in one or a configured process (by its code), so the
CHECK constraints that listed the two built-in kinds go; the services check the kind.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

BUILT_IN_KINDS = "workflow_kind IN ('pkkpr_nb', 'aset')"


def json_document():
    return sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.create_table(
        'process',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('code', sa.String(20), nullable=False, unique=True),
        sa.Column('name', sa.String(150), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'process_version',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('process_id', sa.Integer(),
                  sa.ForeignKey('process.id', ondelete='CASCADE'), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('spec', json_document(), nullable=False),
        sa.Column('note', sa.String(200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('published_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'),
                  nullable=True),
        sa.UniqueConstraint('process_id', 'number', name='uq_process_version_number'),
    )
    op.create_index('ix_process_version_published_at', 'process_version', ['published_at'])
    with op.batch_alter_table('application') as batch:
        batch.drop_constraint('ck_application_kind', type_='check')
        batch.add_column(sa.Column('process_version_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('form_data', json_document(), nullable=True))
        batch.create_foreign_key('fk_application_process_version_id', 'process_version',
                                 ['process_version_id'], ['id'])
        batch.create_index('ix_application_process_version_id', ['process_version_id'])
    with op.batch_alter_table('permit_type') as batch:
        batch.drop_constraint('ck_permit_type_workflow_kind', type_='check')


def downgrade():
    with op.batch_alter_table('permit_type') as batch:
        batch.create_check_constraint('ck_permit_type_workflow_kind', BUILT_IN_KINDS)
    with op.batch_alter_table('application') as batch:
        batch.drop_index('ix_application_process_version_id')
        batch.drop_constraint('fk_application_process_version_id', type_='foreignkey')
        batch.drop_column('form_data')
        batch.drop_column('process_version_id')
        batch.create_check_constraint('ck_application_kind',
                                      BUILT_IN_KINDS.replace('workflow_kind', 'kind'))
    op.drop_index('ix_process_version_published_at', 'process_version')
    op.drop_table('process_version')
    op.drop_table('process')
