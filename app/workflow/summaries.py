"""The statistics' summaries (models/statistics.py) kept in step with the rows they count,
in the same transaction: after every flush of the ORM session, whoever wrote it — the
engine's transitions and clock, walk-in registration, withdrawal, corrections,
revocations, survey answers, account deletion, tests' factories. Each flush adds what
it changed to the counters with atomic upserts (INSERT … ON CONFLICT DO UPDATE
SET n = n + excluded.n), one statement per summary, keys in a fixed order: concurrent
transactions on PostgreSQL add up instead of overwriting each other.

What is counted (the definitions of app/services/statistics.py):
- A file counts from its (last) submission, on that office day, unless it is back in its
  workflow's initial state: its status (FileCount) and, in a granted state, its service
  clock's working days (ClockCount).
- Its history events that left a status with working days recorded (StageCount), on
  the file's day of submission: a resubmission moves them to the new day.
- Its survey answer (SurveyTotal), on the office day of the answer.

Writes that bypass the ORM session (bulk UPDATE/DELETE statements, COPY) must call
`rebuild()`: bench/generate.py does. `rebuild()` recomputes every summary from the rows
in one transaction (`flask siap statistics rebuild`)."""

from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import and_, false, func, inspect, literal, literal_column, not_, or_, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert as sql_insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import NO_VALUE
from sqlalchemy.sql import sqltypes

from app.office_time import office_date
from app.workflow.registry import WORKFLOWS, all_workflows, files_of, status_in, workflow_of
from models import SKM_ELEMENTS, Application, HistoryEvent, SurveyResponse
from models.statistics import (
    ALL_TIME,
    BUILT_IN_VERSION,
    ClockCount,
    FileCount,
    StageCount,
    SummaryKey,
    SurveyTotal,
)

# The columns of a summary's key after SummaryKey's, and its counters.
EXTRA_KEY = {FileCount: ("status",), ClockCount: ("status", "clock_days"),
             StageCount: ("from_status", "working_days"), SurveyTotal: ()}
COUNTERS = {FileCount: ("files",), ClockCount: ("files",), StageCount: ("transitions",),
            SurveyTotal: ("responses", *SKM_ELEMENTS)}
# Under this key of the session's `info`: what the files deleted in this flush counted
# (their events and answers go with them, partly by the database's ON DELETE CASCADE).
DELETED_FILES = "siap_summaries_deleted"


class FileKey(NamedTuple):
    """Where a file counts: its office day of submission and what it is."""

    day: object
    permit_type_id: int
    kind: str
    process_version_id: int


class FileFacts(NamedTuple):
    key: FileKey
    status: str
    granted: bool
    clock_days: int


def _workflow(application):
    """The file's workflow, or None for a kind nobody runs (counted, never granted)."""
    if application.process_version_id is None and application.kind not in WORKFLOWS:
        return None
    return workflow_of(application)


def _committed(application, name):
    """The attribute's value before this flush's changes (the columns counted load
    their old value when set: active_history). A column only flagged modified, as the
    engine flags the status an action keeps, kept its value."""
    original = inspect(application).committed_state.get(name, NO_VALUE)
    return getattr(application, name) if original is NO_VALUE else original


def file_facts(application, before=False):
    """What the summaries count of the file now (or before this flush's changes), None
    while it does not count."""
    value = (lambda name: _committed(application, name)) if before else (
        lambda name: getattr(application, name))
    submitted, status = value("submitted_at"), value("status")
    workflow = _workflow(application)
    if submitted is None or (workflow is not None and status == workflow.initial.value):
        return None
    key = FileKey(office_date(submitted), value("permit_type_id"), value("kind"),
                  value("process_version_id") or BUILT_IN_VERSION)
    granted = workflow is not None and workflow.is_in(status, "granted_states")
    return FileFacts(key, status, granted, value("clock_days") or 0)


class Deltas:
    """Counter changes of one flush, by summary and key."""

    def __init__(self):
        self.rows = defaultdict(lambda: defaultdict(lambda: None))

    def add(self, model, key, counters, sign=1):
        if key is None:
            return
        row = self.rows[model]
        current = row[key] or [0] * len(counters)
        row[key] = [a + sign * b for a, b in zip(current, counters, strict=True)]

    def file(self, facts, sign):
        if facts is None:
            return
        self.add(FileCount, (*facts.key, facts.status), (1,), sign)
        if facts.granted:
            self.add(ClockCount, (*facts.key, facts.status, facts.clock_days), (1,), sign)

    def stages(self, key, counts, sign):
        """`counts`: {(from_status, working_days): transitions}."""
        if key is None:
            return
        for (status, days), transitions in counts.items():
            self.add(StageCount, (*key, status, days), (transitions,), sign)

    def answers(self, key, answers, sign):
        """`answers`: [(moment, scores)] of one file."""
        if key is None:
            return
        for moment, scores in answers:
            self.add(SurveyTotal, (office_date(moment), *key[1:]), (1, *scores), sign)

    def apply(self, connection):
        for model in (FileCount, ClockCount, StageCount, SurveyTotal):  # a fixed order
            if model in self.rows:
                upsert(connection, model, self.rows[model])


def _periods(day):
    """The day's own row, its month's and the all-time row."""
    return ((False, day), (True, day.replace(day=1)), (True, ALL_TIME))


def upsert(connection, model, rows):
    """Add `rows` ({(day, *rest of the key): counters}) to the summary, on the day's row
    and the month's, in one statement."""
    merged = defaultdict(lambda: None)
    for (day, *rest), counters in rows.items():
        for whole_month, period in _periods(day):
            key = (whole_month, period, *rest)
            merged[key] = [a + b for a, b in zip(merged[key] or [0] * len(counters), counters,
                                                 strict=True)]
    columns = (*SummaryKey.KEY, *EXTRA_KEY[model])
    counters = COUNTERS[model]
    values = [{**dict(zip(columns, key, strict=True)), "month": key[1].replace(day=1),
               **dict(zip(counters, counts, strict=True))}
              for key, counts in sorted(merged.items(), key=lambda item: _sortable(item[0]))
              if any(counts)]
    if not values:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model.__table__).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=list(columns),
        set_={name: model.__table__.c[name] + statement.excluded[name] for name in counters})
    connection.execute(statement)


def _sortable(key):
    return tuple((value is None, value) for value in key)


# --- the session hooks ---------------------------------------------------------------


def _stage_counts(connection, application_ids):
    """{application id: {(from_status, working_days): transitions}} in the database."""
    counts = defaultdict(lambda: defaultdict(int))
    if application_ids:
        rows = connection.execute(
            select(HistoryEvent.application_id, HistoryEvent.from_status,
                   HistoryEvent.working_days, func.count())
            .where(HistoryEvent.application_id.in_(application_ids), *_stage_event())
            .group_by(HistoryEvent.application_id, HistoryEvent.from_status,
                      HistoryEvent.working_days))
        for application_id, status, days, number in rows:
            counts[application_id][status, days] += number
    return counts


def _answers(connection, application_ids):
    """{application id: [(moment, scores)]} in the database."""
    answers = defaultdict(list)
    if application_ids:
        rows = connection.execute(
            select(SurveyResponse.application_id, SurveyResponse.created_at,
                   *[getattr(SurveyResponse, name) for name in SKM_ELEMENTS])
            .where(SurveyResponse.application_id.in_(application_ids)))
        for application_id, moment, *scores in rows:
            answers[application_id].append((moment, tuple(scores)))
    return answers


def _stage_event():
    return (HistoryEvent.from_status.is_not(None), HistoryEvent.working_days.is_not(None))


def _counts_as_stage(event):
    return event.from_status is not None and event.working_days is not None


def _application_of(session, row):
    if row.application is not None:
        return row.application
    return session.get(Application, row.application_id)


def _before_flush(session, flush_context, instances):
    """Read what the files about to be deleted counted, before the database's cascade
    takes their events and answers."""
    doomed = [obj for obj in session.deleted
              if isinstance(obj, Application) and obj.id is not None]
    if not doomed:
        return
    connection = session.connection()
    ids = [application.id for application in doomed]
    stages, answers = _stage_counts(connection, ids), _answers(connection, ids)
    session.info[DELETED_FILES] = {
        id(application): (file_facts(application, before=True), stages[application.id],
                          answers[application.id])
        for application in doomed}


def _after_flush(session, flush_context):
    deleted_files = session.info.pop(DELETED_FILES, {})
    deltas = Deltas()
    moved = set()  # files whose events and answers were moved whole
    changed_keys = {}
    for application in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(application, Application):
            continue
        if application in session.deleted:
            before, stages, answers = deleted_files.get(id(application), (None, {}, []))
            deltas.file(before, -1)
            deltas.stages(before and before.key, stages, -1)
            deltas.answers(before and before.key, answers, -1)
            moved.add(id(application))
            continue
        before = None if application in session.new else file_facts(application, before=True)
        after = file_facts(application)
        deltas.file(before, -1)
        deltas.file(after, 1)
        if application not in session.new and (
                (before and before.key) != (after and after.key)):
            changed_keys[application.id] = (application, before and before.key,
                                            after and after.key)
    _move_rows(session, deltas, changed_keys, moved)
    _new_and_deleted_rows(session, deltas, moved)
    deltas.apply(session.connection())


def _move_rows(session, deltas, changed_keys, moved):
    """A file whose key changed takes its events and answers from the old key to the new
    one: what the database has now, less this flush's additions, plus its deletions,
    was counted under the old key."""
    if not changed_keys:
        return
    connection = session.connection()
    stages_now = _stage_counts(connection, list(changed_keys))
    answers_now = _answers(connection, list(changed_keys))
    for application_id, (application, old_key, new_key) in changed_keys.items():
        stages_before = defaultdict(int, stages_now[application_id])
        answers_before = list(answers_now[application_id])
        for row, sign in _rows_of(session, application):
            if isinstance(row, HistoryEvent) and _counts_as_stage(row):
                stages_before[row.from_status, row.working_days] -= sign
            elif isinstance(row, SurveyResponse):
                answer = (row.created_at, tuple(row.scores))
                if sign > 0:
                    answers_before.remove(answer)
                else:
                    answers_before.append(answer)
        deltas.stages(old_key, stages_before, -1)
        deltas.stages(new_key, stages_now[application_id], 1)
        deltas.answers(old_key, answers_before, -1)
        deltas.answers(new_key, answers_now[application_id], 1)
        moved.add(id(application))


def _rows_of(session, application):
    """This flush's new (+1) and deleted (-1) events and answers of the file."""
    for sign, rows in ((1, session.new), (-1, session.deleted)):
        for row in rows:
            if isinstance(row, HistoryEvent | SurveyResponse) and (
                    _application_of(session, row) is application):
                yield row, sign


def _new_and_deleted_rows(session, deltas, moved):
    for sign, rows in ((1, session.new), (-1, session.deleted)):
        for row in rows:
            if not isinstance(row, HistoryEvent | SurveyResponse):
                continue
            application = _application_of(session, row)
            if application is None or id(application) in moved:
                continue
            facts = file_facts(application)
            key = facts and facts.key
            if isinstance(row, HistoryEvent) and _counts_as_stage(row):
                deltas.stages(key, {(row.from_status, row.working_days): 1}, sign)
            elif isinstance(row, SurveyResponse):
                deltas.answers(key, [(row.created_at, tuple(row.scores))], sign)


def keep_summaries(session_class=Session):
    """Keep the summaries in step in every session (called once, at import)."""
    from sqlalchemy import event

    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush", _after_flush)


keep_summaries()


# --- rebuild ----------------------------------------------------------------------------


def _office_day(column, dialect_name):
    """The office date (WIB, UTC+7 all year) of a stored UTC moment, in SQL."""
    if dialect_name == "sqlite":
        return func.date(column, literal_column("'+7 hours'"))
    return func.date(column + literal_column("interval '7 hours'", sqltypes.Interval))


def _first_of_month(day, dialect_name):
    if dialect_name == "sqlite":
        return func.date(day, literal_column("'start of month'"))
    return func.date(func.date_trunc(literal_column("'month'"), day))


def counted_files():
    """SQL condition on Application: the file counts (`file_facts` is not None)."""
    initial = [and_(files_of(workflow), Application.status == workflow.initial.value)
               for workflow in all_workflows()]
    return and_(Application.submitted_at.is_not(None),
                not_(or_(*initial)) if initial else literal(True))


def _file_columns(dialect_name, moment):
    day = _office_day(moment, dialect_name)
    return [literal(False).label("whole_month"), day.label("day"),
            Application.permit_type_id.label("permit_type_id"),
            Application.kind.label("kind"),
            func.coalesce(Application.process_version_id, BUILT_IN_VERSION)
            .label("process_version_id"),
            _first_of_month(day, dialect_name).label("month")]


def _day_rows(model, source):
    """INSERT the day rows of `model` from `source` (a select of the key's columns,
    'month' and one per counter, one row per counted item)."""
    rows = source.subquery()
    key = [rows.c[name] for name in (*SummaryKey.KEY, *EXTRA_KEY[model], "month")]
    counters = [func.sum(rows.c[name]).label(name) for name in COUNTERS[model]]
    return sql_insert(model.__table__).from_select(
        [column.name for column in key] + list(COUNTERS[model]),
        select(*key, *counters).group_by(*key))


def _month_rows(model):
    return _rows_over(model, model.__table__.c.month)


def _all_time_rows(model):
    return _rows_over(model, literal(ALL_TIME, sqltypes.Date))


def _rows_over(model, period):
    """INSERT the rows of `model` adding up its day rows per `period` (the month, or
    ALL_TIME for every day)."""
    table = model.__table__
    rest = [table.c[name] for name in (*SummaryKey.KEY[2:], *EXTRA_KEY[model])]
    counters = [func.sum(table.c[name]) for name in COUNTERS[model]]
    return sql_insert(table).from_select(
        ["whole_month", "day", *(c.name for c in rest), "month", *COUNTERS[model]],
        select(literal(True), period.label("period"), *rest, period.label("month"),
               *counters)
        .where(table.c.whole_month == false()).group_by(period, *rest))


def rebuild(connection):
    """Recompute every summary from the files, their events and answers, in the
    connection's transaction (the caller commits). Concurrent transactions wait on
    PostgreSQL until it commits, then add their changes on top."""
    dialect_name = connection.dialect.name
    tables = [model.__table__ for model in EXTRA_KEY]
    if dialect_name == "postgresql":
        connection.exec_driver_sql(
            f"LOCK TABLE {', '.join(t.name for t in tables)} IN SHARE ROW EXCLUSIVE MODE")
    for table in tables:
        connection.execute(sql_delete(table))
    files = _file_columns(dialect_name, Application.submitted_at)
    counted = counted_files()
    sources = {
        FileCount: select(*files, Application.status.label("status"),
                          literal(1).label("files")).where(counted),
        ClockCount: select(*files, Application.status.label("status"),
                           Application.clock_days.label("clock_days"),
                           literal(1).label("files"))
        .where(counted, status_in("granted_states")),
        StageCount: select(*files, HistoryEvent.from_status.label("from_status"),
                           HistoryEvent.working_days.label("working_days"),
                           literal(1).label("transitions"))
        .select_from(HistoryEvent).join(Application, HistoryEvent.application_id
                                        == Application.id)
        .where(counted, *_stage_event()),
        SurveyTotal: select(*_file_columns(dialect_name, SurveyResponse.created_at),
                            literal(1).label("responses"),
                            *[getattr(SurveyResponse, name).label(name)
                              for name in SKM_ELEMENTS])
        .select_from(SurveyResponse).join(Application, SurveyResponse.application_id
                                          == Application.id)
        .where(counted),
    }
    for model, source in sources.items():
        connection.execute(_day_rows(model, source))
        connection.execute(_month_rows(model))
        connection.execute(_all_time_rows(model))
