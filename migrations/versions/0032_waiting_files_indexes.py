"""indexes of the files still in process, apart from the archive: the inboxes count and
page through them without reading finished files

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-09 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

IN_PROCESS = sa.text("finished_at IS NULL")


def upgrade():
    op.create_index('ix_application_waiting', 'application',
                    ['kind', 'status', 'process_version_id', 'permit_type_id'],
                    postgresql_where=IN_PROCESS, sqlite_where=IN_PROCESS)
    op.create_index('ix_application_waiting_since', 'application',
                    ['status_changed_at', 'id'],
                    postgresql_where=IN_PROCESS, sqlite_where=IN_PROCESS)


def downgrade():
    op.drop_index('ix_application_waiting_since', table_name='application')
    op.drop_index('ix_application_waiting', table_name='application')
