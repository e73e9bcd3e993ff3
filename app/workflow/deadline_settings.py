"""The numbers of the deadlines (app/jobs/), per permit type.

Each is a setting of the application (config.py: the default) that a permit type may
override (*Katalog Izin → Jenis Izin*; an empty field keeps the default). Days are
working days on the service clock's calendar. A list of reminders gives, for each, the
working days before the deadline it goes out; a correction reminder may instead be a
share of the correction period ("50%": at half-time)."""

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db

MAX_DAYS = 365
MAX_REMINDERS = 5


@dataclass(frozen=True)
class Setting:
    name: str  # the PermitType column
    default: str  # the config key of the default
    label: object
    reminders: bool = False  # a list of reminders, else a number of days
    shares: bool = False  # a reminder may be a share of the period ("50%")


SETTINGS = (
    Setting("billing_reminder_days", "BILLING_REMINDER_DAYS",
            _l("PNBP billing reminders (working days before it expires)"), reminders=True),
    Setting("skrd_reminder_days", "SKRD_REMINDER_DAYS",
            _l("SKRD reminders (working days before its due date)"), reminders=True),
    Setting("correction_days", "CORRECTION_DAYS",
            _l("Correction period (working days)")),
    Setting("correction_reminder_days", "CORRECTION_REMINDER_DAYS",
            _l("Correction reminders (working days before the deadline, or a share of "
               "the period)"), reminders=True, shares=True),
    Setting("reopen_days", "REOPEN_DAYS",
            _l("Reopening a lapsed file: working days after it lapsed")),
    Setting("validity_reminder_days", "VALIDITY_REMINDER_DAYS",
            _l("Validity reminders (working days before the permit ends)"), reminders=True),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True, order=True)
class Share:
    """A reminder at a share of the deadline's period: Share(50) at half-time."""

    percent: int

    def days_before(self, period):
        """Working days before the deadline, once this share of `period` is left."""
        return period * self.percent // 100

    def __str__(self):
        return f"{self.percent}%"


def _sort_key(reminder):
    return (0, reminder.percent) if isinstance(reminder, Share) else (1, -reminder)


def parse_reminders(value, shares=False):
    """'3, 1', (3, 1) or ('50%', 2) → the reminders, the farthest first (shares first).
    ValueError with the message to show when a value is not one."""
    items = value.split(",") if isinstance(value, str) else list(value)
    reminders = []
    for item in items:
        text = str(item).strip()
        share = re.fullmatch(r"(\d+)\s*%", text)
        if share and shares and 1 <= int(share.group(1)) <= 99:
            reminders.append(Share(int(share.group(1))))
        elif text.isdigit() and 1 <= int(text) <= MAX_DAYS:
            reminders.append(int(text))
        else:
            raise ValueError(_reminder_rule(shares))
    if not reminders or len(reminders) > MAX_REMINDERS:
        raise ValueError(_reminder_rule(shares))
    return tuple(sorted(set(reminders), key=_sort_key))


def _reminder_rule(shares):
    if shares:
        return _l("Enter up to %(count)d reminders separated by commas, each a whole number "
                  "of working days before the deadline from 1 to %(max)d, or a share of the "
                  "period from 1%% to 99%% (50%% is half-time), e.g. 50%%, 2.",
                  count=MAX_REMINDERS, max=MAX_DAYS)
    return _l("Enter up to %(count)d reminders separated by commas, each a whole number of "
              "working days before the deadline from 1 to %(max)d, e.g. 3, 1.",
              count=MAX_REMINDERS, max=MAX_DAYS)


def as_text(reminders):
    """How a list of reminders is written (and stored): '50%, 2'."""
    return ", ".join(str(reminder) for reminder in reminders)


def default(name):
    spec = BY_NAME[name]
    value = current_app.config[spec.default]
    return parse_reminders(value, spec.shares) if spec.reminders else int(value)


def setting(permit_type, name):
    """The value of setting `name` for a permit type's files: its own, else the default.
    Reminders come as a tuple (days and Shares), the others as a number of days."""
    spec = BY_NAME[name]
    own = getattr(permit_type, name, None) if permit_type is not None else None
    if own is None or own == "":
        return default(name)
    return parse_reminders(own, spec.shares) if spec.reminders else int(own)


def reminder_days(permit_type, name, period=None):
    """The permit type's reminders of `name` as working days before the deadline, the
    shares worked out on a deadline `period` working days long (none without one)."""
    days = set()
    for reminder in setting(permit_type, name):
        if isinstance(reminder, Share):
            if period is not None and reminder.days_before(period) > 0:
                days.add(reminder.days_before(period))
        else:
            days.add(reminder)
    return tuple(sorted(days, reverse=True))


def farthest_reminder(name):
    """The most working days before a deadline that any permit type reminds of `name`,
    or None when a reminder is a share (bounded by the deadline's own period)."""
    from models import PermitType

    overrides = db.session.scalars(
        select(getattr(PermitType, name)).where(getattr(PermitType, name).is_not(None)))
    spec = BY_NAME[name]
    reminders = set(default(name))
    for own in overrides:
        if own:
            reminders.update(parse_reminders(own, spec.shares))
    if any(isinstance(reminder, Share) for reminder in reminders):
        return None
    return max(reminders)
