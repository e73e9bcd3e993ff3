"""the audit log: an append-only table of security-relevant events

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 08:00:00

On PostgreSQL a trigger refuses every UPDATE, DELETE and TRUNCATE of `audit_entry`, so
not even a bug or an SQL injection in the app can rewrite the log (the app's session
refuses them too, models/audit.py). Nothing in the trigger lets a session setting
through: only the table's owner can disable it (the test suite's reset does, between
tests).
"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

REFUSE = """
CREATE FUNCTION audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade():
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_name', sa.String(length=128), nullable=True),
        sa.Column('address', sa.String(length=45), nullable=True),
        sa.Column('object_type', sa.String(length=40), nullable=True),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('object_label', sa.String(length=200), nullable=True),
        sa.Column('details', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_audit_entry_created', 'audit_entry', ['created_at'])
    op.create_index('ix_audit_entry_event', 'audit_entry', ['event', 'created_at'])
    op.create_index('ix_audit_entry_actor', 'audit_entry', ['actor_id', 'created_at'])
    op.create_index('ix_audit_entry_object', 'audit_entry', ['object_type', 'object_id'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(REFUSE)
        op.execute("CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE "
                   "ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_is_append_only()")
        op.execute("CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE "
                   "ON audit_entry FOR EACH STATEMENT "
                   "EXECUTE FUNCTION audit_entry_is_append_only()")


def downgrade():
    op.drop_index('ix_audit_entry_object', table_name='audit_entry')
    op.drop_index('ix_audit_entry_actor', table_name='audit_entry')
    op.drop_index('ix_audit_entry_event', table_name='audit_entry')
    op.drop_index('ix_audit_entry_created', table_name='audit_entry')
    op.drop_table('audit_entry')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION audit_entry_is_append_only()")
