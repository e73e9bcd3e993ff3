"""officers choose how they hear of their queue: a message per file or a daily digest

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 07:00:00

Every existing account keeps a message per file.
"""
import sqlalchemy as sa
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_messages', sa.String(length=12), nullable=False,
                                      server_default='each_file'))
        batch_op.create_check_constraint(
            'ck_ab_user_queue_messages', "queue_messages IN ('each_file', 'daily_digest')")


def downgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_constraint('ck_ab_user_queue_messages', type_='check')
        batch_op.drop_column('queue_messages')
