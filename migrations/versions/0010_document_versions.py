"""earlier versions of replaced requirement documents

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 03:00:00

A re-uploaded document (after a rejection) keeps its earlier file as a row here: the
reviewer can open what was there before, and no stored file is left without a row.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('application_document_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('verdict_reason', sa.Text(), nullable=True),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.Column('stored_name', sa.String(length=120), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=50), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['application_document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_document_version_document', 'application_document_version',
                    ['document_id', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_document_version_document', table_name='application_document_version')
    op.drop_table('application_document_version')
