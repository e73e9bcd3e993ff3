"""Scheduled work: plain functions that find what is due at a moment and the action each
takes, run by `flask siap jobs run-due` (one pass, for cron or a systemd timer) or
`flask siap jobs loop` (a long-running process).

Every action is taken once: its key is recorded (models.JobAction, unique) in the same
transaction as its effects, so a pass that runs twice, on two hosts at the same moment,
or again after an interruption, takes only what is left. `--now` runs a pass as if it
were another moment; `--dry-run` lists what it would do and changes nothing."""

from app.jobs.base import Due, run_due
from app.jobs.deadlines import lapsed_deadlines
from app.jobs.digests import late_files_digest, queue_digest, signing_digest
from app.jobs.reminders import deadline_reminders, validity_reminders
from app.jobs.retention import personal_document_retention

# In the order a pass runs them: what lapsed first, so no reminder of it goes out; the
# digests next, so they see the files where this pass left them; the retention of old
# files' personal documents last.
JOBS = (lapsed_deadlines, deadline_reminders, validity_reminders, late_files_digest,
        signing_digest, queue_digest, personal_document_retention)

__all__ = ["JOBS", "Due", "run_due"]
