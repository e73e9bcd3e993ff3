"""personal data (UU 27/2022): when the retention job deleted an applicant's upload
(each document and earlier version) and a file's uploads (the job's index: finished files
not handled yet, by their end), and the record of deleted accounts

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-08 07:00:00

Nothing existing changes: no upload is marked deleted, no account is deleted.
"""
import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('application_document', 'application_document_version'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('purged_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uploads_purged_at', sa.DateTime(), nullable=True))
    op.create_index('ix_application_retention', 'application', ['finished_at'],
                    unique=False, postgresql_where=sa.text('uploads_purged_at IS NULL'),
                    sqlite_where=sa.text('uploads_purged_at IS NULL'))
    op.create_table(
        'account_deletion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('drafts_removed', sa.Integer(), nullable=False),
        sa.Column('files_kept', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )


def downgrade():
    op.drop_table('account_deletion')
    op.drop_index('ix_application_retention', table_name='application')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('uploads_purged_at')
    for table in ('application_document_version', 'application_document'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('purged_at')
