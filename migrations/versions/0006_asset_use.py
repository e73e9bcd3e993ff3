"""asset use applications and bookings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 08:30:00

On PostgreSQL, two exclusive bookings of one asset may not overlap: an exclusion
constraint (btree_gist for the asset id, a daterange for the period) guarantees it even
when two recommendations are written at the same moment. SQLite serialises writers and
relies on the application's check.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('asset_use',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('use_form', sa.String(length=30), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('area_m2', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fee_estimate', sa.Numeric(precision=16, scale=0), nullable=False),
    sa.Column('approved_start', sa.Date(), nullable=True),
    sa.Column('approved_end', sa.Date(), nullable=True),
    sa.Column('approved_area_m2', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fee', sa.Numeric(precision=16, scale=0), nullable=True),
    sa.Column('fee_change_reason', sa.Text(), nullable=True),
    sa.Column('booking', sa.String(length=10), nullable=True),
    sa.CheckConstraint('period_end >= period_start', name='ck_asset_use_period'),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                            name='fk_asset_use_application_id_application', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name='fk_asset_use_asset_id_asset'),
    sa.PrimaryKeyConstraint('application_id')
    )
    op.create_index('ix_asset_use_asset_booking', 'asset_use', ['asset_id', 'booking'],
                    unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute(
            "ALTER TABLE asset_use ADD CONSTRAINT ex_asset_use_exclusive_booking "
            "EXCLUDE USING gist (asset_id WITH =, "
            "daterange(approved_start, approved_end, '[]') WITH &&) "
            "WHERE (booking = 'eksklusif')"
        )


def downgrade():
    op.drop_index('ix_asset_use_asset_booking', table_name='asset_use')
    op.drop_table('asset_use')
