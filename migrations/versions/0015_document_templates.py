"""document templates as versioned data, letterheads, and the version a decree was made from

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 06:00:00

`flask siap seed-templates` adds the default templates (PKKPR Non Berusaha and each asset
use form) and the office's letterhead.
"""
import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'document_template',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('scope', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=150), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_table(
        'document_template_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('template_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['template_id'], ['document_template.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('template_id', 'number', name='uq_template_version_number'),
    )
    op.create_table(
        'letterhead',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('government', sa.String(length=100), nullable=False),
        sa.Column('office', sa.String(length=200), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('city', sa.String(length=60), nullable=False),
        sa.Column('postal_code', sa.String(length=10), nullable=True),
        sa.Column('telephone', sa.String(length=40), nullable=True),
        sa.Column('email', sa.String(length=120), nullable=True),
        sa.Column('website', sa.String(length=120), nullable=True),
        sa.Column('stored_name', sa.String(length=120), nullable=True),
        sa.Column('original_name', sa.String(length=255), nullable=True),
        sa.Column('content_type', sa.String(length=50), nullable=True),
        sa.Column('size_bytes', sa.Integer(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agency_id'),
    )
    with op.batch_alter_table('decree') as batch:
        batch.add_column(sa.Column('template_version_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_decree_template_version', 'document_template_version',
                                 ['template_version_id'], ['id'])


def downgrade():
    with op.batch_alter_table('decree') as batch:
        batch.drop_constraint('fk_decree_template_version', type_='foreignkey')
        batch.drop_column('template_version_id')
    op.drop_table('letterhead')
    op.drop_table('document_template_version')
    op.drop_table('document_template')
