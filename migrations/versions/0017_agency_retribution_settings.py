"""agency retribution settings (SKRD official and account), retribution codes, and the
template version an SKRD was made from

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 06:00:00

`flask siap seed-catalogue` gives the demo agencies their letterhead and settings;
`flask siap seed-templates` adds the SKRD template.
"""
import sqlalchemy as sa
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

RANKS = ("I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b",
         "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e")


def upgrade():
    ranks = ", ".join(f"'{rank}'" for rank in RANKS)
    op.create_table(
        'agency_retribution',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('official_name', sa.String(length=150), nullable=True),
        sa.Column('official_title', sa.String(length=250), nullable=True),
        sa.Column('official_rank', sa.String(length=5), nullable=True),
        sa.Column('official_nip', sa.String(length=18), nullable=True),
        sa.Column('bank_name', sa.String(length=100), nullable=True),
        sa.Column('account_number', sa.String(length=40), nullable=True),
        sa.Column('account_holder', sa.String(length=150), nullable=True),
        sa.Column('virtual_account', sa.Text(), nullable=True),
        sa.CheckConstraint('length(official_nip) = 18', name='ck_agency_retribution_nip'),
        sa.CheckConstraint(f'official_rank IN ({ranks})', name='ck_agency_retribution_rank'),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agency_id'),
    )
    with op.batch_alter_table('permit_type') as batch:
        batch.add_column(sa.Column('retribution_code', sa.String(length=40), nullable=True))
    with op.batch_alter_table('application_artifact') as batch:
        batch.add_column(sa.Column('template_version_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_artifact_template_version', 'document_template_version',
                                 ['template_version_id'], ['id'])


def downgrade():
    with op.batch_alter_table('application_artifact') as batch:
        batch.drop_constraint('fk_artifact_template_version', type_='foreignkey')
        batch.drop_column('template_version_id')
    with op.batch_alter_table('permit_type') as batch:
        batch.drop_column('retribution_code')
    op.drop_table('agency_retribution')
