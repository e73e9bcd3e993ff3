"""one-time password reset codes ("Lupa kata sandi")

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 08:00:00

A user who forgot their password gets a code through their notification channels; the
table keeps a keyed hash of each code, its expiry, the wrong entries and how it ended.
"""
import sqlalchemy as sa
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'password_reset_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('wrong_attempts', sa.Integer(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('end_reason', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_password_reset_code_user', 'password_reset_code',
                    ['user_id', 'created_at'])
    op.create_index('ix_password_reset_code_hash', 'password_reset_code', ['code_hash'])


def downgrade():
    op.drop_index('ix_password_reset_code_hash', table_name='password_reset_code')
    op.drop_index('ix_password_reset_code_user', table_name='password_reset_code')
    op.drop_table('password_reset_code')
