"""Statistics for staff: how many files, how fast they are finished, where they wait,
and how satisfied applicants are (IKM).

Every function takes the user and a `StatisticsFilter` and counts only the files the user
may see (`app.workflow.files.visible_clause`: an agency officer sees its own agency's
asset files only).

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
from sqlalchemy import Interval, func, literal_column, select

from app.extensions import db
from app.workflow.clock import office_date
from app.workflow.files import visible_clause
from app.workflow.registry import find, kind_title, status_in
from models import SKM_ELEMENTS, Application, HistoryEvent, PermitType, SurveyResponse
from models.service import SKM_ELEMENT_LABELS

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

    def date_clauses(self, column):
        clauses = []
        if self.start:
            clauses.append(column >= office_midnight(self.start))
        if self.end:
            clauses.append(column < office_midnight(self.end + timedelta(days=1)))
        return clauses

    def type_clauses(self):
        if not self.permit_type_code:
            return []
        return [Application.permit_type_id.in_(
            select(PermitType.id).where(PermitType.code == self.permit_type_code))]


def office_midnight(day):
    """The stored (naive UTC) moment at which an office day begins."""
    return datetime.combine(day, time()) - WIB_OFFSET


def office_month(column):
    """'YYYY-MM' of a stored UTC moment in WIB, computed by the database. Literal SQL
    (no bound parameters) so that PostgreSQL sees the GROUP BY and SELECT expressions
    as the same."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.strftime(literal_column("'%Y-%m'"), column, literal_column("'+7 hours'"))
    return func.to_char(column + literal_column("interval '7 hours'", Interval),
                        literal_column("'YYYY-MM'"))


def _files(user, filters):
    """The conditions on Application for the submitted files in the statistics."""
    return [visible_clause(user), Application.submitted_at.is_not(None),
            *filters.date_clauses(Application.submitted_at), *filters.type_clauses()]


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


def counts_by_type_and_status(user, filters):
    """Submitted files per permit type and status (one GROUP BY)."""
    rows = db.session.execute(
        select(PermitType.name, Application.kind, Application.status, func.count())
        .select_from(Application).join(PermitType, Application.permit_type_id == PermitType.id)
        .where(*_files(user, filters))
        .group_by(PermitType.name, Application.kind, Application.status)
    )
    by_type = {}
    for name, kind, status, count in rows:
        entry = by_type.setdefault((name, kind), TypeCounts(name, kind))
        entry.total += count
        entry.statuses.append((status, _state_label(kind, status), count))
    for entry in by_type.values():
        workflow = find(entry.kind)
        order = [s.value for s in workflow.states] if workflow else []
        entry.statuses.sort(key=lambda row: order.index(row[0]) if row[0] in order else 99)
    return sorted(by_type.values(), key=lambda entry: (-entry.total, entry.permit_type))


@dataclass(frozen=True)
class MonthCounts:
    month: str  # YYYY-MM
    total: int
    by_type: dict  # permit type name → count


def counts_by_month(user, filters):
    """Submitted files per month and permit type, every month from the first to the
    last shown (empty months too, so a chart's gaps are visible)."""
    month = office_month(Application.submitted_at).label("month")
    rows = db.session.execute(
        select(month, PermitType.name, func.count())
        .select_from(Application).join(PermitType, Application.permit_type_id == PermitType.id)
        .where(*_files(user, filters))
        .group_by(month, PermitType.name)
    )
    by_month = defaultdict(dict)
    for key, name, count in rows:
        by_month[key][name] = count
    return [MonthCounts(key, sum(by_month[key].values()), dict(by_month[key]))
            for key in _month_range(min(by_month, default=None), max(by_month, default=None))]


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


def _processing_time(label, pairs):
    days = [d for d, _ in pairs]
    return ProcessingTime(label=label, count=len(days), mean=_mean(sum(days), len(days)),
                          p90=percentile_90(days),
                          within_standard=sum(1 for d, standard in pairs if d <= standard))


def processing_times(user, filters):
    """(all finished files, [per permit type]) from one query of (days, standard)."""
    rows = db.session.execute(
        select(PermitType.name, Application.clock_days, PermitType.service_days)
        .select_from(Application).join(PermitType, Application.permit_type_id == PermitType.id)
        .where(*_files(user, filters), status_in("granted_states"))
    )
    by_type = defaultdict(list)
    for name, days, standard in rows:
        by_type[name].append((days or 0, standard))
    everything = [pair for pairs in by_type.values() for pair in pairs]
    return (_processing_time(None, everything),
            [_processing_time(name, pairs) for name, pairs in sorted(by_type.items())])


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
    """Working days spent per (kind, status) left, longest mean wait first. The draft
    state is left out: the file was not submitted yet."""
    rows = db.session.execute(
        select(Application.kind, HistoryEvent.from_status, func.count(),
               func.sum(HistoryEvent.working_days), func.max(HistoryEvent.working_days))
        .select_from(HistoryEvent)
        .join(Application, HistoryEvent.application_id == Application.id)
        .where(*_files(user, filters), HistoryEvent.working_days.is_not(None),
               HistoryEvent.from_status.is_not(None))
        .group_by(Application.kind, HistoryEvent.from_status)
    )
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
    """IKM per month or quarter ("quarter"): sums per month from the database, added up
    into quarters here. The date range applies to the date of the response."""
    month = office_month(SurveyResponse.created_at).label("month")
    rows = db.session.execute(
        select(month, func.count(),
               *[func.sum(getattr(SurveyResponse, name)) for name in SKM_ELEMENTS])
        .select_from(SurveyResponse)
        .join(Application, SurveyResponse.application_id == Application.id)
        .where(visible_clause(user), *filters.date_clauses(SurveyResponse.created_at),
               *filters.type_clauses())
        .group_by(month)
    )
    totals = defaultdict(lambda: [0] * (1 + len(SKM_ELEMENTS)))
    for key, count, *sums in rows:
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
            db.session.execute(statement)):
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
