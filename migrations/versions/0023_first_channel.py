"""a person may have their messages try one channel first

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 10:00:00

Every existing account keeps the office's order (no first channel).
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_channel', sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            'ck_ab_user_first_channel', "first_channel IN ('whatsapp', 'sms', 'email')")


def downgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_constraint('ck_ab_user_first_channel', type_='check')
        batch_op.drop_column('first_channel')
