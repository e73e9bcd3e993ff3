"""How long a permit is in force, and what its decree's public state is today.

One rule, used when the decree is signed (the dates are stored on the decree row) and by
the decree's renderer (so the PDF prints the same dates):

- PKKPR Non Berusaha: from the SK date (tanggal ditetapkan) for `years` years, ending the
  day before the anniversary: an SK of 30 November 2026 is in force until 29 November
  2029. The anniversary of 29 February is 1 March (so it ends on 28 February).
- Otherwise the kind's own rule (Workflow.validity): for an asset use, the period the
  managing agency approved (approved_start–approved_end).

A signed decree is then in one of three public states: berlaku (in force), kedaluwarsa
(the office's today is after valid_until) or dicabut (revoked, whatever the dates)."""

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.workflow import clock
from app.workflow.registry import workflow_of
from models.decree import DecreeStatus

# The legal period of a PKKPR (PP 21/2021); a decree template may give another.
PKKPR_VALIDITY_YEARS = 3


@dataclass(frozen=True)
class Validity:
    valid_from: date
    valid_until: date


def anniversary(day, years):
    """The same calendar date `years` later; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def validity_of(application, issued_on, years=PKKPR_VALIDITY_YEARS):
    """The period the permit of `application` is in force, for a decree dated
    `issued_on` (a date or datetime): see the module's rule."""
    if isinstance(issued_on, datetime):
        issued_on = issued_on.date()
    rule = workflow_of(application).validity
    if rule is not None:
        return Validity(*rule(application, issued_on, years))
    return Validity(issued_on, anniversary(issued_on, years) - timedelta(days=1))


def today():
    """The office's date (WIB); tests replace it to look at another day."""
    return clock.today()


class PublicState(enum.StrEnum):
    BERLAKU = "berlaku"  # in force
    KEDALUWARSA = "kedaluwarsa"  # past valid_until
    DICABUT = "dicabut"  # revoked


STATE_LABELS = {PublicState.BERLAKU: _l("In force"), PublicState.KEDALUWARSA: _l("Expired"),
                PublicState.DICABUT: _l("Revoked")}


@dataclass(frozen=True)
class DecreeState:
    """What the file page, the verification page and the API say about a decree."""

    state: PublicState
    valid_from: date | None
    valid_until: date | None
    revoked_at: datetime | None
    revocation_number: str | None

    @property
    def in_force(self):
        return self.state == PublicState.BERLAKU

    @property
    def expired_since(self):
        """The first day the permit is no longer in force."""
        return self.valid_until + timedelta(days=1) if self.valid_until else None

    @property
    def label(self):
        return STATE_LABELS[self.state]


def state_of(decree, on=None):
    """The public state of a signed decree on the office date `on` (default today)."""
    on = on or today()
    if decree.status == DecreeStatus.DICABUT:
        state = PublicState.DICABUT
    elif decree.valid_until is not None and on > decree.valid_until:
        state = PublicState.KEDALUWARSA
    else:
        state = PublicState.BERLAKU
    return DecreeState(state, decree.valid_from, decree.valid_until, decree.revoked_at,
                       decree.revocation_number)
