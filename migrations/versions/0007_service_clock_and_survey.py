"""service clock, holidays, stage targets and the satisfaction survey

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SKM_ELEMENTS = ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi",
                "perilaku", "sarana", "pengaduan")


def upgrade():
    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('date')
    )
    op.create_table('stage_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_type_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.CheckConstraint('days > 0', name='ck_stage_target_days'),
    sa.ForeignKeyConstraint(['permit_type_id'], ['permit_type.id'],
                            name='fk_stage_target_permit_type_id_permit_type',
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('permit_type_id', 'status', name='uq_stage_target_type_status')
    )
    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in SKM_ELEMENTS],
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    *[sa.CheckConstraint(f'{name} BETWEEN 1 AND 4', name=f'ck_survey_{name}')
      for name in SKM_ELEMENTS],
    sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                            name='fk_survey_response_application_id_application',
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['respondent_id'], ['ab_user.id'],
                            name='fk_survey_response_respondent_id_ab_user'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id')
    )
    op.create_index('ix_survey_response_created_at', 'survey_response', ['created_at'],
                    unique=False)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_days', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('clock_running_since', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('working_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.drop_column('working_days')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('finished_at')
        batch_op.drop_column('clock_running_since')
        batch_op.drop_column('clock_days')
    op.drop_index('ix_survey_response_created_at', table_name='survey_response')
    op.drop_table('survey_response')
    op.drop_table('stage_target')
    op.drop_table('holiday')
