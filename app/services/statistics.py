"""Statistics for staff: how many files, how fast they are finished, where they wait,
and how satisfied applicants are (IKM).

The page's figures are read from summaries (models/statistics.py) kept in step in the
same transaction as every change of the files (app/workflow/summaries.py): a few small
GROUP BYs over counters per office day and month, whatever the number of files; the
mean and the 90th percentile of the processing time are computed in SQL from a
histogram. Only the export reads the files themselves, streamed.

Every function takes the user and a `StatisticsFilter` and counts only the files the
statistics show the user (`app.workflow.files.statistics_clause`): every submitted file
of the kinds they see whole, or of their agency's permit types (an agency officer sees
its own agency's asset files only). This differs from the file lists' visibility
(`visible_clause`) in one respect: a file the user would see only because it waits in
their inbox, or because they registered it at the counter, is not counted (with the
default roles, everyone who has an inbox sees the whole kind anyway).

Definitions, so the numbers can be checked by hand:

- A file counts once it is submitted; drafts are the applicant's own business. The date
  range and the months are those of submission, as office dates (WIB).
- Processing time is the service clock (app/workflow/clock.py) of finished files (in a
  state their workflow declares granted): working days, with the pauses while the file
  waited on the applicant left out. "Within the standard" means clock_days <= the permit
  type's service_days.
- The 90th percentile is the nearest rank: sort the n values and take the one at rank
  ceil(0.9 · n) (1-based). It is always one of the observed values.
- Time per stage: the working days a file spent in a status, recorded on the history
  event of the transition that left it.
- IKM (PermenPAN-RB 14/2017): the mean of all nine element scores (1–4) of the period's
  responses × 25, rounded half up to 2 decimals; the grade follows the regulation's
  intervals (`ikm_grade`). A response counts in the month (WIB) it was given.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    null,
    or_,
    select,
    true,
    union_all,
)

from app.extensions import db
from app.process_cache import kept_derived
from app.services.catalogue import permit_type_options
from app.workflow.access import user_permissions
from app.workflow.clock import office_date
from app.workflow.files import statistics_clause
from app.workflow.registry import find, kind_title, published_stamp, status_in
from app.workflow.summaries import counted_files
from models import (
    SKM_ELEMENTS,
    Application,
    ClockCount,
    FileCount,
    PermitType,
    StageCount,
    SurveyTotal,
)
from models.service import SKM_ELEMENT_LABELS
from models.statistics import ALL_TIME

# Asia/Jakarta is UTC+7 all year (no daylight saving), so a fixed offset turns stored UTC
# moments into office dates inside the database as well.
WIB_OFFSET = timedelta(hours=7)

ELEMENT_LABELS = SKM_ELEMENT_LABELS
# PermenPAN-RB 14/2017: the lowest IKM of each service quality grade (A 88.31–100,
# B 76.61–88.30, C 65.00–76.60, D 25.00–64.99).
GRADES = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"),
          (Decimal("25.00"), "D"))
GRADE_LABELS = {"A": _l("Very good"), "B": _l("Good"), "C": _l("Less than good"),
                "D": _l("Not good")}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class StatisticsFilter:
    """Submission dates (office dates, both inclusive) and a permit type code; all
    optional."""

    start: date | None = None
    end: date | None = None
    permit_type_code: str | None = None

    @property
    def shape(self):
        """Which conditions the filter sets: the statements over the summaries are built
        once per shape (`_kept_statement`), its values bound when they run (`values`)."""
        return (self.start is not None, self.end is not None,
                self.permit_type_code is not None)

    def values(self):
        """The bound values of the summaries' statements: the range's days, the first
        and the last whole month inside it (months from, months until: see
        `period_clause`), the permit type."""
        return {"start": self.start, "end": self.end,
                "months_from": None if self.start is None else
                self.start if self.start.day == 1 else _next_month(self.start),
                "months_until": None if self.end is None else
                (self.end + timedelta(days=1)).replace(day=1),
                "permit_type_code": self.permit_type_code}

    def date_clauses(self, column):
        clauses = []
        if self.start:
            clauses.append(column >= office_midnight(self.start))
        if self.end:
            clauses.append(column < office_midnight(self.end + timedelta(days=1)))
        return clauses

    def type_clauses(self, on=Application):
        """The permit type on Application or a summary (`on`); the code is a bound
        parameter (`values`)."""
        if self.permit_type_code is None:
            return []
        return [on.permit_type_id.in_(
            select(PermitType.id).where(PermitType.code == bindparam("permit_type_code")))]

    def period_clause(self, summary, by_month=False):
        """The summary's rows that add up to the date range: the whole months inside it
        (from the month of the start, or the next when the range starts after the 1st,
        until the month after the end) and the days at its edges; without a range, the
        all-time rows (or, `by_month`, every month's). The days are bound parameters."""
        has_start, has_end, _ = self.shape
        if not (has_start or has_end or by_month):
            return and_(summary.whole_month == true(), summary.day == ALL_TIME)
        whole_months = and_(
            summary.whole_month == true(), summary.day > ALL_TIME,
            summary.day >= bindparam("months_from") if has_start else true(),
            summary.day < bindparam("months_until") if has_end else true())
        if not (has_start or has_end):
            return whole_months
        edge_days = and_(
            summary.whole_month == false(),
            summary.day >= bindparam("start") if has_start else true(),
            summary.day <= bindparam("end") if has_end else true(),
            or_(summary.day < bindparam("months_from") if has_start else false(),
                summary.day >= bindparam("months_until") if has_end else false()))
        return or_(whole_months, edge_days)

    def summary_clauses(self, user, summary, by_month=False):
        return [statistics_clause(user, summary), self.period_clause(summary, by_month),
                *self.type_clauses(summary)]


def _kept_statement(name, user, filters, build):
    """`build()`, the statement of one figure over the summaries, made once per process
    for each set of permissions, agency, published processes and filter shape (building
    one costs more than running it); run it with `filters.values()`."""
    key = ("statistics", name, user_permissions(user), user.agency_id, published_stamp(),
           filters.shape)
    return kept_derived(key, lambda: build(user, filters))


def _read(name, user, filters, build):
    """The rows of one figure's statement, as plain tuples."""
    statement = _kept_statement(name, user, filters, build)
    return tuple(map(tuple, db.session.execute(statement, filters.values())))


@dataclass(frozen=True)
class FigureRows:
    """The rows the page's figures are made of, as read: the same rows make the same
    figures (views/statistics.py renders them once)."""

    files: tuple
    clock: tuple
    stages: tuple
    survey: tuple


def read_figures(user, filters):
    return FigureRows(
        files=_read("files", user, filters, _file_counts_statement),
        clock=_read("clock", user, filters, _processing_times_statement),
        stages=_read("stages", user, filters, _stage_times_statement),
        survey=_read("survey", user, filters, _survey_statement))


def figures_from(rows, ikm_period="month"):
    """The page's figures: counts per type and month, processing times, time per stage
    and IKM per `ikm_period`."""
    type_counts, months = counts_from(rows.files)
    overall, per_type = times_from(rows.clock)
    return {"type_counts": type_counts, "months": months, "overall": overall,
            "per_type": per_type, "stages": stages_from(rows.stages),
            "ikm_periods": ikm_from(rows.survey, ikm_period)}


def _next_month(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def office_midnight(day):
    """The stored (naive UTC) moment at which an office day begins."""
    return datetime.combine(day, time()) - WIB_OFFSET


def _files(user, filters):
    """The conditions on Application for the submitted files in the statistics."""
    return [statistics_clause(user), counted_files(),
            *filters.date_clauses(Application.submitted_at), *filters.type_clauses()]


def _month_key(first_day):
    return f"{first_day:%Y-%m}"


def _state_label(kind, status):
    workflow = find(kind)
    try:
        return workflow.label(status)
    except (AttributeError, ValueError, KeyError):
        return status


def _mean(total, count):
    return round(total / count, 2) if count else None


# --- counts ---------------------------------------------------------------------------


@dataclass
class TypeCounts:
    permit_type: str
    kind: str
    total: int = 0
    # [(status, label, count)] in the workflow's order of states
    statuses: list = field(default_factory=list)

    def count(self, status):
        return sum(n for s, _, n in self.statuses if s == status)

    @property
    def granted(self):
        """The files finished with the permit granted."""
        workflow = find(self.kind)
        return sum(n for s, _, n in self.statuses
                   if workflow is not None and workflow.is_in(s, "granted_states"))


@dataclass(frozen=True)
class MonthCounts:
    month: str  # YYYY-MM
    total: int
    by_type: dict  # permit type name → count


def file_counts(user, filters):
    """([TypeCounts] per permit type and status, [MonthCounts] every month from the
    first to the last shown, empty months too so a chart's gaps are visible)."""
    return counts_from(_read("files", user, filters, _file_counts_statement))


def _file_counts_statement(user, filters):
    """One statement: the period's rows added up per type and status (the all-time rows
    when no date range is set), then the months' rows per month and type."""
    files = func.sum(FileCount.files)
    per_type = (
        select(null().label("month"), PermitType.name, FileCount.kind, FileCount.status,
               files)
        .select_from(FileCount).join(PermitType, FileCount.permit_type_id == PermitType.id)
        .where(*filters.summary_clauses(user, FileCount))
        .group_by(PermitType.name, FileCount.kind, FileCount.status)
        .having(files > 0))
    per_month = (
        select(FileCount.month, PermitType.name, null(), null(), files)
        .select_from(FileCount).join(PermitType, FileCount.permit_type_id == PermitType.id)
        .where(*filters.summary_clauses(user, FileCount, by_month=True))
        .group_by(FileCount.month, PermitType.name)
        .having(files > 0))
    # The months first: their column gives the union its type (a date on SQLite too).
    return union_all(per_month, per_type)


def counts_from(rows):
    return (_by_type([row for row in rows if row[0] is None]),
            _by_month([row for row in rows if row[0] is not None]))


def counts_by_type_and_status(user, filters):
    return file_counts(user, filters)[0]


def counts_by_month(user, filters):
    return file_counts(user, filters)[1]


def _by_type(rows):
    by_type = {}
    for _, name, kind, status, count in rows:  # one row per type, kind and status
        entry = by_type.setdefault((name, kind), TypeCounts(name, kind))
        entry.total += count
        entry.statuses.append((status, _state_label(kind, status), count))
    for entry in by_type.values():
        workflow = find(entry.kind)
        order = [s.value for s in workflow.states] if workflow else []
        entry.statuses.sort(key=lambda row: order.index(row[0]) if row[0] in order else 99)
    return sorted(by_type.values(), key=lambda entry: (-entry.total, entry.permit_type))


def _by_month(rows):
    by_month = defaultdict(dict)
    for first_day, name, _, _, count in rows:
        by_month[_month_key(first_day)][name] = count
    return [MonthCounts(key, sum(by_month[key].values()), by_month[key])
            for key in _month_range(min(by_month, default=None), max(by_month, default=None))]


def permit_type_choices():
    """[(code, name)] of every permit type in the catalogue's order, for the filter."""
    return [(option.code, option.name) for option in permit_type_options()]


def _month_range(first, last):
    if first is None:
        return []
    year, month = map(int, first.split("-"))
    months = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        months.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- processing time --------------------------------------------------------------------


def percentile_90(values):
    """Nearest-rank 90th percentile: the value at rank ceil(0.9 · n) of the sorted values
    (integer arithmetic, so 0.9 · 70 is not taken as 63.000…01)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (9 * len(ordered) + 9) // 10
    return ordered[rank - 1]


@dataclass(frozen=True)
class ProcessingTime:
    label: str  # the permit type, or None for all files
    count: int
    mean: float | None
    p90: int | None
    within_standard: int

    @property
    def share_within_standard(self):
        return self.within_standard / self.count if self.count else None


def _rank_90(count):
    """The nearest rank of the 90th percentile among `count` values, ceil(0.9 · count),
    in integer arithmetic (a SQL expression for a column)."""
    return (9 * count + 9) // 10


def processing_times(user, filters):
    """(all finished files, [per permit type])."""
    return times_from(_read("clock", user, filters, _processing_times_statement))


def _processing_times_statement(user, filters):
    """One statement over the clock histogram: per permit type its count, total, files
    within the standard and the smallest clock value whose cumulative count reaches the
    nearest rank (the 90th percentile); the same over every type by a window on the
    grouped rows."""
    files = func.sum(ClockCount.files)
    histogram = (
        select(PermitType.name.label("name"), ClockCount.clock_days.label("days"),
               cast(files, Integer).label("files"),  # integer sums, windows and ranks
               cast(func.sum(case((ClockCount.clock_days <= PermitType.service_days,
                                   ClockCount.files), else_=0)), Integer).label("within"))
        .select_from(ClockCount).join(PermitType, ClockCount.permit_type_id == PermitType.id)
        .where(*filters.summary_clauses(user, ClockCount),
               status_in("granted_states", on=ClockCount))
        .group_by(PermitType.name, ClockCount.clock_days)
        .having(files > 0)
    ).subquery()
    ranked = select(
        histogram,
        func.sum(histogram.c.files).over(partition_by=histogram.c.name,
                                         order_by=histogram.c.days).label("running"),
        func.sum(histogram.c.files).over(partition_by=histogram.c.name).label("of_type"),
        func.sum(histogram.c.files).over(order_by=histogram.c.days).label("running_all"),
        func.sum(histogram.c.files).over().label("of_all"),
    ).subquery()
    p90_of_all = func.min(case((ranked.c.running_all >= _rank_90(ranked.c.of_all),
                                ranked.c.days)))
    return (
        select(ranked.c.name, func.sum(ranked.c.files),
               func.sum(ranked.c.files * ranked.c.days), func.sum(ranked.c.within),
               func.min(case((ranked.c.running >= _rank_90(ranked.c.of_type),
                              ranked.c.days))),
               func.min(p90_of_all).over())
        .group_by(ranked.c.name).order_by(ranked.c.name))


def times_from(rows):
    per_type = [ProcessingTime(label=name, count=count, mean=_mean(total, count), p90=p90,
                               within_standard=within)
                for name, count, total, within, p90, _ in rows]
    count = sum(row.count for row in per_type)
    total = sum(row[2] for row in rows)
    overall = ProcessingTime(label=None, count=count, mean=_mean(total, count),
                             p90=rows[0][5] if rows else None,
                             within_standard=sum(row.within_standard for row in per_type))
    return overall, per_type


# --- time per stage ---------------------------------------------------------------------


@dataclass(frozen=True)
class StageTime:
    kind: str
    status: str
    label: str
    transitions: int
    mean: float
    max: int
    waits_on_applicant: bool  # a paused state: the service clock did not run

    @property
    def kind_label(self):
        return kind_title(self.kind)


def stage_times(user, filters):
    """Working days spent per (kind, status) left, longest mean wait first, from the
    summary's histogram of working days. The draft state is left out: the file was not
    submitted yet."""
    return stages_from(_read("stages", user, filters, _stage_times_statement))


def _stage_times_statement(user, filters):
    transitions = func.sum(StageCount.transitions)
    return (
        select(StageCount.kind, StageCount.from_status, transitions,
               func.sum(StageCount.transitions * StageCount.working_days),
               func.max(case((StageCount.transitions > 0, StageCount.working_days))))
        .where(*filters.summary_clauses(user, StageCount))
        .group_by(StageCount.kind, StageCount.from_status)
        .having(transitions > 0))


def stages_from(rows):
    stages = []
    for kind, status, count, total, longest in rows:
        workflow = find(kind)
        if workflow is not None and status == workflow.initial.value:
            continue
        paused = workflow is not None and status in {s.value for s in workflow.paused_states}
        stages.append(StageTime(kind, status, _state_label(kind, status), count,
                                _mean(total, count), longest, paused))
    return sorted(stages, key=lambda s: (-s.mean, -s.transitions, s.kind, s.status))


# --- satisfaction index (IKM) ---------------------------------------------------------------


def ikm_score(total, scores):
    """IKM of `scores` element scores adding up to `total`: their mean × 25, rounded
    half up to 2 decimals."""
    return (Decimal(total) * 25 / Decimal(scores)).quantize(CENT, ROUND_HALF_UP)


def ikm_grade(value):
    """The service quality grade (A–D) of an IKM value, per PermenPAN-RB 14/2017."""
    value = Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    for lowest, grade in GRADES:
        if value >= lowest:
            return grade
    return None  # below 25: impossible with scores from 1 to 4


@dataclass(frozen=True)
class IkmPeriod:
    period: str  # YYYY-MM or YYYY-Qn
    responses: int
    element_means: dict  # element → mean score (2 decimals)
    ikm: Decimal
    grade: str

    @property
    def grade_label(self):
        return GRADE_LABELS.get(self.grade)


def _quarter(month):
    year, number = month.split("-")
    return f"{year}-Q{(int(number) + 2) // 3}"


def ikm_by_period(user, filters, period="month"):
    """IKM per month or quarter ("quarter"): sums per month from the summary, added up
    into quarters here. The date range applies to the date of the response."""
    return ikm_from(_read("survey", user, filters, _survey_statement), period)


def _survey_statement(user, filters):
    responses = func.sum(SurveyTotal.responses)
    return (
        select(SurveyTotal.month, responses,
               *[func.sum(getattr(SurveyTotal, name)) for name in SKM_ELEMENTS])
        .where(*filters.summary_clauses(user, SurveyTotal, by_month=True))
        .group_by(SurveyTotal.month)
        .having(responses > 0))


def ikm_from(rows, period):
    totals = defaultdict(lambda: [0] * (1 + len(SKM_ELEMENTS)))
    for first_day, count, *sums in rows:
        key = _month_key(first_day)
        entry = totals[_quarter(key) if period == "quarter" else key]
        for i, value in enumerate((count, *sums)):
            entry[i] += value or 0
    periods = []
    for key in sorted(totals):
        count, *sums = totals[key]
        score = ikm_score(sum(sums), count * len(SKM_ELEMENTS))
        means = {name: _mean(total, count)
                 for name, total in zip(SKM_ELEMENTS, sums, strict=True)}
        periods.append(IkmPeriod(period=key, responses=count, element_means=means,
                                 ikm=score, grade=ikm_grade(score)))
    return periods


# --- the underlying table -------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    registration_number: str
    permit_type: str
    kind_label: str
    status_label: str
    submitted: date | None
    finished: date | None
    days_used: int
    service_days: int
    within_standard: bool | None  # None while the clock has not stopped


def export_rows(user, filters, chunk=1000):
    """One row per file in the statistics, read from the database `chunk` rows at a
    time. Within the standard is judged once the file is closed (finished_at set)."""
    statement = (
        select(Application.registration_number, PermitType.name, Application.kind,
               Application.status, Application.submitted_at, Application.finished_at,
               Application.clock_days, PermitType.service_days)
        .select_from(Application).join(PermitType, Application.permit_type_id == PermitType.id)
        .where(*_files(user, filters))
        .order_by(Application.submitted_at, Application.id)
        .execution_options(yield_per=chunk)
    )
    kind_labels, state_labels = {}, {}
    for number, type_name, kind, status, submitted, finished, days, standard in (
            db.session.execute(statement, filters.values())):
        if kind not in kind_labels:
            kind_labels[kind] = str(kind_title(kind))
        if (kind, status) not in state_labels:
            state_labels[kind, status] = str(_state_label(kind, status))
        days = days or 0
        yield ExportRow(
            registration_number=number or "", permit_type=type_name,
            kind_label=kind_labels[kind], status_label=state_labels[kind, status],
            submitted=office_date(submitted) if submitted else None,
            finished=office_date(finished) if finished else None,
            days_used=days, service_days=standard,
            within_standard=None if finished is None else days <= standard,
        )
