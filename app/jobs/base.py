"""Taking the due actions of the scheduled jobs, each once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.errors import SiapError
from app.extensions import db
from app.workflow.engine import unit_of_work
from models import JobAction, JobRun
from models.application import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One action a job would take now. `key` names it uniquely (job, file, deadline,
    step); `summary` says what it does, in Indonesian, for `--dry-run` and the record;
    `act()` does it inside the caller's transaction."""

    job: str
    key: str
    summary: str
    act: Callable[[], None]
    application_id: int | None = None
    registration_number: str | None = None

    def line(self):
        return f"{self.registration_number or '-'}  {self.summary}"


def in_indonesian(text):
    """A label as the Indonesian messages and summaries print it."""
    with force_locale("id"):
        return str(text)


def taken_keys(keys):
    keys = list(keys)
    if not keys:
        return set()
    return set(db.session.scalars(select(JobAction.key).where(JobAction.key.in_(keys))))


def take(due, now):
    """Record the action and do it, in one transaction. False when another pass took
    it first (its key exists: on PostgreSQL a concurrent insert waits for the other
    transaction, then fails), or when the file moved on since the pass listed it (the
    applicant paid meanwhile): nothing is written, and the pass goes on."""
    try:
        with unit_of_work():
            db.session.add(JobAction(job=due.job, key=due.key, summary=due.summary[:300],
                                     application_id=due.application_id, as_of=now))
            db.session.flush()
            due.act()
    except IntegrityError:
        return False
    except SiapError as error:
        log.info("job action %s not taken: %s", due.key, error.message)
        return False
    return True


def run_due(now, jobs=None, dry_run=False):
    """One pass at moment `now` (naive UTC): every job's due actions not taken yet.
    Returns the actions taken (with `dry_run`: those it would take, nothing changed)."""
    from app.jobs import JOBS

    done = []
    for job in jobs or JOBS:
        started, before = utcnow(), len(done)
        candidates = list(job(now))
        taken = taken_keys(due.key for due in candidates)
        for due in candidates:
            if due.key in taken:
                continue
            if dry_run or take(due, now):
                done.append(due)
        if not dry_run:
            record_run(job.__name__, started, len(done) - before)
    return done


def record_run(job, started, actions):
    """Replace the job's JobRun row (passes on two hosts at once: the later one wins)."""
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    values = {"started_at": started, "finished_at": utcnow(), "actions": actions}
    db.session.execute(insert(JobRun).values(job=job, **values)
                       .on_conflict_do_update(index_elements=["job"], set_=values))
    db.session.commit()
