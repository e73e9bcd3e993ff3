"""The numbers an operator watches (the Prometheus gauges of app/observability), each
read in one query whatever the number of files: files per process and status, late
files per process, the outbox's waiting and failed messages, and each scheduled job's
last run.

Late, as the daily digest of late files counts it (app/jobs/digests.py, late_files): a
file in a state where the service clock runs, past its stage target or past its permit
type's service standard (app/workflow/clock.py, ClockReading.late). The digest reads every
such file and counts working days in Python; here the working days become moments
instead: for each number of days t, the moment before which a stretch has used more than
t working days by today (`day_cutoffs`), compared in SQL."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.office_time import day_starts_at, office_date
from app.workflow import clock
from app.workflow.registry import all_workflows, files_of
from models import Application, JobRun, OutboxMessage, PermitType, StageTarget
from models.notification import OutboxStatus

# The outbox statuses watched (sent and delivered only grow).
WATCHED_OUTBOX = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED)


@dataclass(frozen=True)
class Snapshot:
    files: dict  # (process, status) → files
    late: dict  # process → late files
    outbox: dict  # status → messages (WATCHED_OUTBOX)
    outbox_oldest_due_seconds: float  # how long the longest-waiting due message waits
    job_runs: list  # [JobRun]


def day_cutoffs(calendar, today, most):
    """[moment] for t in 0..most: a stretch that began before cutoffs[t] (a stored
    moment) has used more than t working days by `today`, counted as the service clock
    counts (the working days after its start date, up to and including today)."""
    cutoffs, day, used = [], today, 0
    for days in range(most + 1):
        while used + calendar.is_working_day(day) <= days:
            used += calendar.is_working_day(day)
            day -= timedelta(days=1)
        cutoffs.append(day_starts_at(day))
    return cutoffs


def _running_files():
    """Files in a state where their workflow's clock runs (the digest's selection)."""
    clauses = [and_(files_of(workflow), Application.status.in_(
                   [state.value for state in workflow.states if clock.runs_in(workflow, state)]))
               for workflow in all_workflows()]
    return or_(*clauses)


def late_files_by_process(now):
    most = max(db.session.scalar(select(func.max(PermitType.service_days))) or 0,
               db.session.scalar(select(func.max(StageTarget.days))) or 0)
    cutoffs = day_cutoffs(clock.working_calendar(), office_date(now), most)

    def cutoff_of(days):
        return case(dict(enumerate(cutoffs)), value=days)

    remaining = PermitType.service_days - Application.clock_days
    started = or_(Application.clock_running_since.is_not(None),
                  Application.submitted_at.is_not(None))
    late = or_(and_(started, Application.status_changed_at < cutoff_of(StageTarget.days)),
               remaining < 0,
               Application.clock_running_since < cutoff_of(remaining))
    rows = db.session.execute(
        select(Application.kind, func.count())
        .join(PermitType, PermitType.id == Application.permit_type_id)
        .outerjoin(StageTarget, and_(StageTarget.permit_type_id == Application.permit_type_id,
                                     StageTarget.status == Application.status))
        .where(_running_files(), late)
        .group_by(Application.kind))
    return dict(rows.all())


def files_by_process_and_status():
    rows = db.session.execute(select(Application.kind, Application.status, func.count())
                              .group_by(Application.kind, Application.status))
    return {(kind, status): count for kind, status, count in rows}


def outbox_counts():
    rows = db.session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.status.in_([status.value for status in WATCHED_OUTBOX]))
        .group_by(OutboxMessage.status))
    counts = {status.value: 0 for status in WATCHED_OUTBOX}
    counts.update(rows.all())
    return counts


def oldest_due_wait(now):
    """Seconds the longest-waiting pending message has been due (0: none is due)."""
    due = db.session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(
        OutboxMessage.status == OutboxStatus.PENDING.value,
        OutboxMessage.next_attempt_at <= now))
    return max((now - due).total_seconds(), 0.0) if due is not None else 0.0


def snapshot(now):
    return Snapshot(
        files=files_by_process_and_status(),
        late=late_files_by_process(now),
        outbox=outbox_counts(),
        outbox_oldest_due_seconds=oldest_due_wait(now),
        job_runs=list(db.session.scalars(select(JobRun).order_by(JobRun.job))),
    )
