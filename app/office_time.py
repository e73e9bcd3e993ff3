"""The office's calendar. Blitar keeps Western Indonesian Time (WIB); moments are stored as
naive UTC, and the server's own time zone says nothing about the office's date: from 17.00
UTC it is already tomorrow in Blitar."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from models.application import utcnow

OFFICE_TIME_ZONE = ZoneInfo("Asia/Jakarta")


def office_date(moment):
    """The office's calendar date of a stored (naive UTC) moment."""
    return moment.replace(tzinfo=UTC).astimezone(OFFICE_TIME_ZONE).date()


def today():
    """The office's date now (never `date.today()`, which is the server's)."""
    return office_date(utcnow())


def day_starts_at(day):
    """The stored (naive UTC) moment the office's date `day` begins: 00.00 WIB."""
    return datetime.combine(day, time.min, tzinfo=OFFICE_TIME_ZONE).astimezone(UTC).replace(
        tzinfo=None)
