"""server-side sessions, account lockout and failed passphrase attempts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 03:00:00

Every browser session and API token pair becomes a row that logout, a password change or
an admin can end (sessions signed in before this migration must sign in again); an
account locks for a while after repeated wrong passwords; wrong signing passphrases are
counted per signer.
"""
import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=3), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('end_reason', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key_hash'),
    )
    op.create_index('ix_user_session_user_live', 'user_session', ['user_id', 'ended_at'])
    op.create_table(
        'failed_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_failed_attempt_subject', 'failed_attempt',
                    ['scope', 'user_id', 'created_at'])
    with op.batch_alter_table('ab_user') as batch:
        batch.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('ab_user') as batch:
        batch.drop_column('locked_until')
    op.drop_index('ix_failed_attempt_subject', table_name='failed_attempt')
    op.drop_table('failed_attempt')
    op.drop_index('ix_user_session_user_live', table_name='user_session')
    op.drop_table('user_session')
