"""`flask notifications worker` (runs until stopped) and `send-pending` (one pass)."""

import contextlib
import signal

import click
from flask.cli import AppGroup

from app.notifications.worker import release_stale, run_forever, send_pending

notifications_cli = AppGroup("notifications", help="WhatsApp notification outbox.")


@notifications_cli.command("send-pending")
@click.option("--batch-size", default=50, show_default=True)
def send_pending_command(batch_size):
    """Send every due message once (for cron)."""
    release_stale()
    counts = send_pending(batch_size)
    click.echo("Outbox: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing due"))


@notifications_cli.command("worker")
@click.option("--interval", default=5, show_default=True, help="Seconds between passes.")
def worker_command(interval):
    """Send due messages until stopped (SIGTERM or Ctrl-C)."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo("Notification worker started.")
    with contextlib.suppress(KeyboardInterrupt):
        run_forever(interval, stop=lambda: bool(stopping))
    click.echo("Notification worker stopped.")
