"""outbox channel chain: each attempt on a channel (WhatsApp, SMS, e-mail) is its own row
linked to the first; optional e-mail address on accounts

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 06:00:00

Existing outbox rows are WhatsApp attempts with no channel after them.
"""
import sqlalchemy as sa
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_channels', sa.JSON(), nullable=False,
                                      server_default='[]'))
        batch_op.add_column(sa.Column('first_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chain_end', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('recipient_email', sa.String(length=320),
                                      nullable=True))
        batch_op.alter_column('recipient_number', existing_type=sa.String(length=20),
                              nullable=True)
        batch_op.create_foreign_key('fk_notification_outbox_first_id', 'notification_outbox',
                                    ['first_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key('fk_notification_outbox_previous_id',
                                    'notification_outbox', ['previous_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_unique_constraint('uq_notification_outbox_previous_id',
                                          ['previous_id'])
        batch_op.create_index('ix_outbox_first_id', ['first_id'], unique=False)
        batch_op.create_check_constraint(
            'ck_notification_outbox_channel', "channel IN ('whatsapp', 'sms', 'email')")
        batch_op.create_check_constraint(
            'ck_notification_outbox_chain_end', "chain_end IN ('exhausted', 'no_email')")
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.alter_column('next_channels', server_default=None)
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=True)


def downgrade():
    bind = op.get_bind()
    # Accounts without an address get one that can never receive mail (.invalid).
    bind.execute(sa.text(
        "UPDATE ab_user SET email = username || '@tanpa-email.invalid' WHERE email IS NULL"))
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=False)
    # Only WhatsApp attempts existed before: the later attempts of a chain go.
    bind.execute(sa.text("DELETE FROM notification_outbox WHERE channel <> 'whatsapp' "
                         "OR recipient_number IS NULL"))
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.drop_constraint('ck_notification_outbox_chain_end', type_='check')
        batch_op.drop_constraint('ck_notification_outbox_channel', type_='check')
        batch_op.drop_index('ix_outbox_first_id')
        batch_op.drop_constraint('uq_notification_outbox_previous_id', type_='unique')
        batch_op.drop_constraint('fk_notification_outbox_previous_id', type_='foreignkey')
        batch_op.drop_constraint('fk_notification_outbox_first_id', type_='foreignkey')
        batch_op.alter_column('recipient_number', existing_type=sa.String(length=20),
                              nullable=False)
        batch_op.drop_column('recipient_email')
        batch_op.drop_column('chain_end')
        batch_op.drop_column('previous_id')
        batch_op.drop_column('first_id')
        batch_op.drop_column('next_channels')
