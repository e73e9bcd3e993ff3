"""Daily digests to officers: one message per officer and kind of digest each working
day, sent by the first pass on or after DIGEST_HOUR (WIB).

- Late files (`ringkasan_terlambat`): a file past its stage target or past the permit
  type's service standard goes to the officers who hold its next action; past the service
  standard it also goes to every user of ESCALATION_ROLE (of its agency's scope).
- Signature (`ringkasan_tanda_tangan`): decrees waiting in Siap DS more than
  SIGNING_DIGEST_AFTER_DAYS working days, to whoever signs them today (the head of
  office, or their Plt./Plh.).
- Queue (`ringkasan_antrean`): for an officer who chose a daily digest instead of a
  message per file (app/notifications/outbox.py), the files that entered their queue
  since their previous digest — the first time, every file waiting for them.

A digest's key names its kind, the officer and the office's date: it goes once a day
however many passes run. Days are working days on the service clock's calendar."""

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from flask import current_app
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.documents.formatting import tanggal
from app.extensions import db
from app.jobs.base import Due, in_indonesian
from app.links import public_url
from app.notifications.outbox import next_actors, queue_for_account
from app.workflow import clock
from app.workflow.access import (
    among_audience,
    in_agency_scope,
    inbox_clause,
    inbox_counts,
    remembered_permissions,
    users_holding,
)
from app.workflow.registry import all_workflows, files_of, workflow_of
from models import Application, JobAction, SiapUser
from models.user import QueueMessages

# Where a digest sends its reader (the staff's file lists and the signing page).
INBOX = "/inboxview/list/"
ALL_FILES = "/allapplicationsview/list/"
SIGNING_PAGE = "/tandatangan/"
SIGNING_ACTION = "tandatangani"


def digest_day(now, calendar):
    """The office's date when the digests are due at `now` — a working day, from
    DIGEST_HOUR on — or None."""
    local = now.replace(tzinfo=UTC).astimezone(clock.OFFICE_TIME_ZONE)
    if local.hour < current_app.config["DIGEST_HOUR"]:
        return None
    return local.date() if calendar.is_working_day(local.date()) else None


def _number(application):
    return application.registration_number or f"#{application.id}"


def _described(application, *details):
    """"TEST/000001 (PKKPR Non Berusaha, Diperiksa)"."""
    return f"{_number(application)} ({', '.join((application.permit_type.name, *details))})"


def _status(application):
    return in_indonesian(workflow_of(application).label(application.status))


def _listing(lines):
    """The files of a digest on one line — a WhatsApp template variable may not hold a
    line break — at most DIGEST_MAX_FILES of them, the rest counted."""
    shown = current_app.config["DIGEST_MAX_FILES"]
    rest = len(lines) - shown
    return "; ".join(lines[:shown] + ([f"dan {rest} berkas lainnya"] if rest > 0 else []))


def _digest(job, kind, user, day, template, values, what, numbers):
    user_id = user.id

    def act():
        queue_for_account(db.session.get(SiapUser, user_id), template, values)

    listed = ", ".join(numbers[:5]) + (", …" if len(numbers) > 5 else "")
    return Due(job=job, key=f"digest:{kind}:{user_id}:{day.isoformat()}",
               summary=f"{what} untuk {user.full_name} ({user.username}): "
                       f"{len(numbers)} berkas ({listed})",
               act=act)


class _Holders:
    """`users_holding`, remembered for one pass: many files share the same actions."""

    def __init__(self):
        self.known = {}

    def __call__(self, workflow, actions):
        key = (workflow.kind, tuple(actions))
        if key not in self.known:
            self.known[key] = users_holding(workflow, actions)
        return self.known[key]


# --- late files ------------------------------------------------------------------------


@dataclass(frozen=True)
class LateFile:
    application: Application
    past_stage: int  # working days past the stage target (0: within it)
    past_standard: int  # working days past the permit type's service standard

    @property
    def overdue(self):
        return max(self.past_stage, self.past_standard)

    def line(self):
        lateness = []
        if self.past_stage:
            lateness.append(f"{self.past_stage} hari kerja lewat target tahap")
        if self.past_standard:
            lateness.append(f"{self.past_standard} hari kerja lewat standar pelayanan")
        return f"{_described(self.application, _status(self.application))}: " + \
            ", ".join(lateness)


def late_files(now, calendar, targets):
    """The open files whose clock runs and is past a target, most overdue first. Every
    file in a state where the clock runs is read (the late ones are few, but which they
    are is a count of working days): one query per workflow, permit types loaded with
    them, the calendar and stage targets read once."""
    found = []
    for workflow in all_workflows():
        running = [state.value for state in workflow.states if clock.runs_in(workflow, state)]
        files = db.session.scalars(
            select(Application)
            .where(files_of(workflow), Application.status.in_(running))
            .options(selectinload(Application.permit_type))
            .order_by(Application.id))
        for application in files:
            reading = clock.read(application, workflow, now, calendar, targets)
            if reading.late:
                found.append(LateFile(application, reading.days_past_stage,
                                      reading.days_past_standard))
    return sorted(found, key=lambda late: (-late.overdue, _number(late.application)))


@dataclass
class _LateDigest:
    user: SiapUser
    files: list = field(default_factory=list)
    all_waiting: bool = True  # every file waits for this officer's action (else escalated)


def users_of_role(name):
    return db.session.scalars(
        select(SiapUser).join(SiapUser.roles)
        .where(Role.name == name, SiapUser.active.is_(True))
        .order_by(SiapUser.id)).all()


def late_files_digest(now):
    calendar = clock.working_calendar()
    day = digest_day(now, calendar)
    if day is None:
        return
    with remembered_permissions():
        digests = _late_digests(now, calendar)
    for user_id in sorted(digests):
        digest = digests[user_id]
        values = {"nama": digest.user.full_name, "jumlah": len(digest.files),
                  "tanggal": tanggal(day),
                  "daftar": _listing([item.line() for item in digest.files]),
                  "tautan": public_url(INBOX if digest.all_waiting else ALL_FILES)}
        yield _digest("late_files_digest", "late", digest.user, day, "ringkasan_terlambat",
                      values, "ringkasan berkas terlambat",
                      [_number(item.application) for item in digest.files])


def _late_digests(now, calendar):
    """{user id: _LateDigest} of the late files."""
    late = late_files(now, calendar, clock.stage_targets())
    if not late:
        return {}
    holding = _Holders()
    escalation = users_of_role(current_app.config["ESCALATION_ROLE"])
    digests = {}
    for item in late:
        application = item.application
        actors = next_actors(workflow_of(application), application, application.status,
                             holding)
        for user in actors:
            digests.setdefault(user.id, _LateDigest(user)).files.append(item)
        if not item.past_standard:
            continue
        acting = {user.id for user in actors}
        for user in escalation:
            if user.id not in acting and in_agency_scope(user, application):
                digest = digests.setdefault(user.id, _LateDigest(user))
                digest.files.append(item)
                digest.all_waiting = False
    return digests


# --- decrees waiting for the signature -------------------------------------------------


def _entered(application):
    return tanggal(clock.office_date(application.status_changed_at))


def signing_digest(now):
    calendar = clock.working_calendar()
    day = digest_day(now, calendar)
    if day is None:
        return
    after = current_app.config["SIGNING_DIGEST_AFTER_DAYS"]
    with remembered_permissions():
        waiting = _waiting_for_signature(now, calendar, after)
    for user_id in sorted(waiting):
        user, files = waiting[user_id]
        files.sort(key=lambda pair: (-pair[1], _number(pair[0])))
        lines = [_described(application, f"sejak {_entered(application)}, {days} hari kerja")
                 for application, days in files]
        values = {"nama": user.full_name, "jumlah": len(files), "hari": after,
                  "tanggal": tanggal(day), "daftar": _listing(lines),
                  "tautan": public_url(SIGNING_PAGE)}
        yield _digest("signing_digest", "sign", user, day, "ringkasan_tanda_tangan", values,
                      "ringkasan berkas menunggu tanda tangan",
                      [_number(application) for application, _ in files])


def _waiting_for_signature(now, calendar, after):
    """{user id: (user, [(file, working days waiting)])}: the decrees waiting more than
    `after` working days, for each officer who may sign them."""
    # Working days are never more than calendar days: a file that entered the state less
    # than `after` days ago cannot have waited longer than that.
    entered_before = now - timedelta(days=after)
    waiting = {}
    for workflow in all_workflows():
        signing = workflow.transition(SIGNING_ACTION)
        if signing is None:
            continue
        files = db.session.scalars(
            select(Application)
            .where(files_of(workflow),
                   Application.status.in_([state.value for state in signing.sources]),
                   Application.status_changed_at < entered_before)
            .options(selectinload(Application.permit_type))
            .order_by(Application.status_changed_at, Application.id))
        overdue = [(application, days) for application in files
                   if (days := calendar.elapsed(application.status_changed_at, now)) > after]
        if not overdue:
            continue
        for user in users_holding(workflow, [SIGNING_ACTION]):
            for application, days in overdue:
                if in_agency_scope(user, application) and among_audience(signing, user,
                                                                         application):
                    waiting.setdefault(user.id, (user, []))[1].append((application, days))
    return waiting


# --- the queue of an officer who chose the daily digest --------------------------------


def _previous_queue_digest(user):
    return db.session.scalar(
        select(func.max(JobAction.as_of))
        .where(JobAction.job == "queue_digest",
               JobAction.key.like(f"digest:queue:{user.id}:%")))


def queue_digest(now):
    calendar = clock.working_calendar()
    day = digest_day(now, calendar)
    if day is None:
        return
    officers = db.session.scalars(
        select(SiapUser)
        .where(SiapUser.active.is_(True),
               SiapUser.queue_messages == QueueMessages.DAILY_DIGEST.value)
        .order_by(SiapUser.id)).all()
    for user in officers:
        query = select(Application).where(inbox_clause(user),
                                          Application.status_changed_at <= now)
        since = _previous_queue_digest(user)
        if since is not None:
            query = query.where(Application.status_changed_at > since)
        files = db.session.scalars(
            query.options(selectinload(Application.permit_type))
            .order_by(Application.status_changed_at, Application.id)).all()
        if not files:
            continue
        values = {"nama": user.full_name, "jumlah": len(files),
                  "total": sum(inbox_counts(user).values()), "tanggal": tanggal(day),
                  "daftar": _listing([_described(a, _status(a)) for a in files]),
                  "tautan": public_url(INBOX)}
        yield _digest("queue_digest", "queue", user, day, "ringkasan_antrean", values,
                      "ringkasan antrean", [_number(application) for application in files])
