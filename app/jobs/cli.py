"""`flask siap jobs run-due` (one pass) and `flask siap jobs loop` (until stopped)."""

import contextlib
import signal
import time
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.jobs import run_due
from app.office_time import OFFICE_TIME_ZONE
from models.application import utcnow

jobs_cli = AppGroup("jobs", help="Scheduled work: reminders and deadlines.")


def _moment(text):
    """--now: an ISO date-time; with a zone it is converted, without one it is WIB."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO date-time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OFFICE_TIME_ZONE)
    return moment.astimezone(UTC).replace(tzinfo=None)


@jobs_cli.command("run-due")
@click.option("--now", "now_text", help="Run as at this moment (ISO; WIB without a zone).")
@click.option("--dry-run", is_flag=True, help="List what would be done; change nothing.")
def run_due_command(now_text, dry_run):
    """One pass: every action due now that no pass took yet (for cron or a timer)."""
    now = _moment(now_text) if now_text else utcnow()
    done = run_due(now, dry_run=dry_run)
    for due in done:
        click.echo(("[dry-run] " if dry_run else "") + due.line())
    verb = "would be taken" if dry_run else "taken"
    click.echo(f"Jobs: {len(done)} action(s) {verb}.")


@jobs_cli.command("loop")
@click.option("--interval", type=int, default=None,
              help="Seconds between passes (default JOBS_INTERVAL_SECONDS).")
def loop_command(interval):
    """Run a pass, wait, repeat, until stopped (SIGTERM or Ctrl-C)."""
    interval = interval or current_app.config["JOBS_INTERVAL_SECONDS"]
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo("Scheduled jobs started.")
    with contextlib.suppress(KeyboardInterrupt):
        while not stopping:
            for due in run_due(utcnow()):
                click.echo(due.line())
            for _ in range(interval):
                if stopping:
                    break
                time.sleep(1)
    click.echo("Scheduled jobs stopped.")
