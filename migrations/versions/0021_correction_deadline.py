"""the correction deadline as a typed, indexed column, and the deadline settings of each
permit type

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 07:00:00

A file returned for correction (perlu_perbaikan) gets `correction_due_on`; a permit type
may override the application's deadline numbers (empty: the default).

Files already waiting for their applicant's correction get a deadline counted from the
day of this upgrade, not from their return: their applicants were told of none. It is
the default period of this revision (14 working days: weekdays, less Indonesia's
national holidays and collective leave, and the days off in the `holiday` table, as
app/services/clock.py counts them).
"""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

CORRECTION_DAYS = 14  # config.py's CORRECTION_DAYS when this was written
SETTINGS = (('billing_reminder_days', sa.String(length=60)),
            ('skrd_reminder_days', sa.String(length=60)),
            ('correction_days', sa.Integer()),
            ('correction_reminder_days', sa.String(length=60)),
            ('reopen_days', sa.Integer()),
            ('validity_reminder_days', sa.String(length=60)))


def upgrade():
    with op.batch_alter_table('application') as batch:
        batch.add_column(sa.Column('correction_due_on', sa.Date(), nullable=True))
        batch.create_index('ix_application_correction_due_on', ['correction_due_on'])
    with op.batch_alter_table('permit_type') as batch:
        for name, column_type in SETTINGS:
            batch.add_column(sa.Column(name, column_type, nullable=True))
    _give_waiting_files_a_deadline()


def _working_days_after(start, days, extra_days_off):
    day = start
    while days > 0:
        day += timedelta(days=1)
        national = holidays.Indonesia(years=day.year, categories=("public", "government"))
        if day.weekday() < 5 and day not in national and day not in extra_days_off:
            days -= 1
    return day


def _give_waiting_files_a_deadline():
    connection = op.get_bind()
    holiday = sa.table('holiday', sa.column('date', sa.Date))
    application = sa.table('application', sa.column('status', sa.String),
                           sa.column('correction_due_on', sa.Date))
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
    days_off = set(connection.scalars(sa.select(holiday.c.date)))
    due = _working_days_after(today, CORRECTION_DAYS, days_off)
    connection.execute(application.update()
                       .where(application.c.status == 'perlu_perbaikan')
                       .values(correction_due_on=due))


def downgrade():
    with op.batch_alter_table('permit_type') as batch:
        for name, _ in reversed(SETTINGS):
            batch.drop_column(name)
    with op.batch_alter_table('application') as batch:
        batch.drop_index('ix_application_correction_due_on')
        batch.drop_column('correction_due_on')
