"""the statistics' summaries, and indexes for the statistics' export and the file lists

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-08 08:00:00

Four summary tables (models/statistics.py) the statistics page reads instead of every
file, event and survey answer. They start empty: a database with files runs
`flask siap statistics rebuild` once after this upgrade (the rebuild needs the app's
workflows, configured processes included, which a migration must not import). Indexes: the files by submission (the statistics'
export) and by (status_changed_at, id), the order the "all files" lists page by.
"""
import sqlalchemy as sa
from alembic import op

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None

KEY = ('whole_month', 'day', 'permit_type_id', 'kind', 'process_version_id')
SKM_ELEMENTS = ('persyaratan', 'prosedur', 'waktu', 'biaya', 'produk', 'kompetensi',
                'perilaku', 'sarana', 'pengaduan')


def _key_columns():
    return [
        sa.Column('whole_month', sa.Boolean(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('permit_type_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('process_version_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
    ]


def upgrade():
    op.create_table(
        'statistics_files', *_key_columns(),
        sa.Column('status', sa.String(length=30), nullable=False),
        sa.Column('files', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, 'status', name='pk_statistics_files'),
    )
    op.create_table(
        'statistics_clock', *_key_columns(),
        sa.Column('status', sa.String(length=30), nullable=False),
        sa.Column('clock_days', sa.Integer(), nullable=False),
        sa.Column('files', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, 'status', 'clock_days', name='pk_statistics_clock'),
    )
    op.create_table(
        'statistics_stages', *_key_columns(),
        sa.Column('from_status', sa.String(length=30), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('transitions', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, 'from_status', 'working_days',
                                name='pk_statistics_stages'),
    )
    op.create_table(
        'statistics_survey', *_key_columns(),
        sa.Column('responses', sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in SKM_ELEMENTS],
        sa.PrimaryKeyConstraint(*KEY, name='pk_statistics_survey'),
    )
    op.create_index('ix_application_submitted', 'application', ['submitted_at', 'id'])
    op.create_index('ix_application_status_changed', 'application',
                    ['status_changed_at', 'id'])



def downgrade():
    op.drop_index('ix_application_status_changed', table_name='application')
    op.drop_index('ix_application_submitted', table_name='application')
    for table in ('statistics_survey', 'statistics_stages', 'statistics_clock',
                  'statistics_files'):
        op.drop_table(table)
