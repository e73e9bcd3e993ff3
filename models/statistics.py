"""Summaries the statistics page reads instead of every file, history event and survey
answer (app/services/statistics.py). They are derived data: kept in step in the same
transaction as each change of the rows they count (app/workflow/summaries.py) and
rebuilt from those rows by `flask siap statistics rebuild`.

Every summary counts per office day (WIB), again per month (`whole_month`, `day` the
first of the month) and once more for all time (`whole_month` and `day` ALL_TIME): a date
range reads the whole months inside it and the days at its edges only, the page without
one reads the all-time rows, whose number does not grow with the years. Each row is a
counter (added to by atomic upserts, so concurrent transactions never lose a count); a
row whose counters went back to 0 may stay and counts nothing.

The key names what the page filters and what visibility needs: the permit type (and
through it the agency), the kind and, for a configured process, the version its files
run on (`process_version_id`, 0 for a built-in kind)."""

from datetime import date

from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, Date, Integer, PrimaryKeyConstraint, String

from models.service import SKM_ELEMENTS

BUILT_IN_VERSION = 0  # process_version_id of the built-in kinds' files
ALL_TIME = date(1, 1, 1)  # the `day` (and `month`) of the all-time rows


class SummaryKey:
    """The office period and what a file is: part of every summary's primary key."""

    KEY = ("whole_month", "day", "permit_type_id", "kind", "process_version_id")

    whole_month = Column(Boolean, nullable=False)
    day = Column(Date, nullable=False)  # the office day, or the month's first day
    permit_type_id = Column(Integer, nullable=False)
    kind = Column(String(20), nullable=False)
    process_version_id = Column(Integer, nullable=False)
    month = Column(Date, nullable=False)  # the first day of the month: the page groups by it


def key(table, *more):
    """The primary key: the period first (a date range reads a range of it), then the
    file's kind of permit, then the summary's own columns."""
    return PrimaryKeyConstraint(*SummaryKey.KEY, *more, name=f"pk_{table}")


class FileCount(SummaryKey, Model):
    """Submitted files per day of (their last) submission and status."""

    __tablename__ = "statistics_files"
    __table_args__ = (key("statistics_files", "status"),)

    status = Column(String(30), nullable=False)
    files = Column(Integer, nullable=False)


class ClockCount(SummaryKey, Model):
    """Files in a state their workflow declares granted, by their service clock's working
    days: a histogram from which the mean, the 90th percentile and the share within the
    service standard are computed."""

    __tablename__ = "statistics_clock"
    __table_args__ = (key("statistics_clock", "status", "clock_days"),)

    status = Column(String(30), nullable=False)
    clock_days = Column(Integer, nullable=False)
    files = Column(Integer, nullable=False)


class StageCount(SummaryKey, Model):
    """Transitions out of a status (history events with working days), by the working
    days spent in it, per day of the file's submission: count, sum and maximum per
    stage come from this histogram."""

    __tablename__ = "statistics_stages"
    __table_args__ = (key("statistics_stages", "from_status", "working_days"),)

    from_status = Column(String(30), nullable=False)
    working_days = Column(Integer, nullable=False)
    transitions = Column(Integer, nullable=False)


class SurveyTotal(SummaryKey, Model):
    """Survey answers (IKM) per office day of the answer: their number and the sum of
    each element's scores."""

    __tablename__ = "statistics_survey"
    __table_args__ = (key("statistics_survey"),)

    responses = Column(Integer, nullable=False)


for _element in SKM_ELEMENTS:
    setattr(SurveyTotal, _element, Column(Integer, nullable=False))

SUMMARY_MODELS = (FileCount, ClockCount, StageCount, SurveyTotal)
