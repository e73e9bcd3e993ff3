"""Plt./Plh.: while a delegation runs, its delegate holds every permission of the head of
office's role (roles.KEPALA_DINAS) — the signature, returning and rejecting decrees, the
signing page and its menu, the inbox — and outside its period nothing of it.

Dates are the office's (Asia/Jakarta); `office_today` is the one clock read here, so a
test can move it."""

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.process_cache import kept
from app.security import roles
from app.security.grants import named_role_grants
from app.workflow.clock import today
from models import SiapUser
from models.delegation import SigningDelegation

HEAD_OF_OFFICE = roles.KEPALA_DINAS
# The screen of the appointments (views/delegations.py) and its menu entry. A delegate
# does not inherit it: appointing delegates stays with the head of office.
APPOINTMENT_VIEW = "SigningDelegationView"
APPOINTMENT_MENU = "Plt./Plh. appointments"
NOT_DELEGATED = {APPOINTMENT_VIEW, APPOINTMENT_MENU}


def office_today():
    """Today in the office's time zone."""
    return today()


def active_delegation(user, on_date=None):
    """The delegation that makes `user` act as head of office on that day (today by
    default), or None. With two (an error), the one appointed last."""
    if user is None or getattr(user, "id", None) is None:
        return None
    on_date = on_date or office_today()
    return db.session.scalar(
        select(SigningDelegation)
        .where(SigningDelegation.delegate_id == user.id,
               SigningDelegation.start_date <= on_date, SigningDelegation.end_date >= on_date)
        .order_by(SigningDelegation.id.desc()).limit(1))


def active_delegates(on_date=None):
    """The active users acting as head of office on that day."""
    on_date = on_date or office_today()
    return db.session.scalars(
        select(SiapUser).join(SigningDelegation, SigningDelegation.delegate_id == SiapUser.id)
        .where(SiapUser.active.is_(True), SigningDelegation.start_date <= on_date,
               SigningDelegation.end_date >= on_date)
        .distinct().order_by(SiapUser.id)).all()


def _appointment_periods(reader):
    return tuple(tuple(row) for row in reader.execute(select(
        SigningDelegation.delegate_id, SigningDelegation.start_date,
        SigningDelegation.end_date)))


def acts_as_head_of_office(user, on_date=None):
    """Whether a delegation makes `user` act as head of office on that day (today by
    default): `active_delegation` without a query in a request (the appointments are
    kept per process, app/process_cache.py)."""
    on_date = on_date or office_today()
    return any(delegate == user.id and start <= on_date <= end
               for delegate, start, end in kept("delegation_periods", _appointment_periods))


def head_of_office_permissions():
    """{(permission, view menu)} of the head of office's role, as an admin set it."""
    return named_role_grants(HEAD_OF_OFFICE)


def delegated_permissions(user, on_date=None):
    """What a delegation gives `user` on that day: the head of office's permissions
    (appointing delegates aside) while it runs, nothing otherwise (or when they hold the
    role already)."""
    if any(role.name == HEAD_OF_OFFICE for role in user.roles) or not roles.is_staff(user):
        return set()  # applicants are never appointed: no query on their requests
    if not acts_as_head_of_office(user, on_date):
        return set()
    return {(permission, view) for permission, view in head_of_office_permissions()
            if view not in NOT_DELEGATED}


def acting_title(delegation):
    """How the history names a delegate's role: "Plt. Kepala Dinas"."""
    return f"{delegation.prefix} {HEAD_OF_OFFICE}"


# --- what an appointment must satisfy ----------------------------------------------


def appointment_problems(delegate, start, end, exclude_id=None):
    """{field: message} of what is wrong with appointing `delegate` from `start` to
    `end` (both included); {} when nothing is."""
    problems = {}
    if delegate is not None:
        if not delegate.active:
            problems["delegate"] = _l("This account is deactivated.")
        elif any(role.name == HEAD_OF_OFFICE for role in delegate.roles):
            problems["delegate"] = _l("This officer is the head of office already.")
        elif not roles.is_staff(delegate):
            problems["delegate"] = _l("Only an officer can act as head of office, not an "
                                      "applicant.")
    if isinstance(start, date) and isinstance(end, date):
        if end < start:
            problems["end_date"] = _l("The last day cannot be before the first day.")
        elif delegate is not None and "delegate" not in problems:
            clash = db.session.scalar(
                select(SigningDelegation)
                .where(SigningDelegation.delegate_id == delegate.id,
                       SigningDelegation.id != (exclude_id or 0),
                       SigningDelegation.start_date <= end, SigningDelegation.end_date >= start)
                .limit(1))
            if clash is not None:
                problems["start_date"] = _l(
                    "This officer is already appointed from %(start)s to %(end)s "
                    "(%(letter)s); change that appointment instead.",
                    start=format_date(clash.start_date, "d MMMM yyyy"),
                    end=format_date(clash.end_date, "d MMMM yyyy"), letter=clash.letter_number)
    return problems
