"""The service's own gauges, read from the database when Prometheus scrapes (a few
grouped queries: app/services/operations.py), at most once per METRICS_GAUGES_SECONDS
per process, so several scrapers or workers do not multiply the queries."""

import logging
import time
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily

from app.extensions import db
from app.services import operations
from models.application import utcnow

log = logging.getLogger(__name__)


EPOCH = datetime(1970, 1, 1)  # stored moments are naive UTC


def _epoch_seconds(moment):
    return (moment - EPOCH).total_seconds()


class ServiceGauges:
    """A prometheus_client collector: each scrape yields the latest snapshot."""

    def __init__(self, app):
        self.app = app
        self.read_at = None
        self.latest = None

    def snapshot(self):
        fresh_for = self.app.config.get("METRICS_GAUGES_SECONDS", 30)
        if self.read_at is None or time.monotonic() - self.read_at >= fresh_for:
            self.latest = operations.snapshot(utcnow())
            self.read_at = time.monotonic()
        return self.latest

    def collect(self):
        up = GaugeMetricFamily("siap_service_gauges_up",
                               "1 when the service's gauges could be read from the database")
        try:
            snapshot = self.snapshot()
        except Exception as error:  # the scrape still answers, with up = 0
            log.warning("service gauges not read: %s", type(error).__name__)
            db.session.rollback()
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from self.families(snapshot)

    @staticmethod
    def families(snapshot):
        files = GaugeMetricFamily("siap_files", "Files by process (workflow kind) and status",
                                  labels=["process", "status"])
        for (process, status), count in sorted(snapshot.files.items()):
            files.add_metric([process, status], count)
        late = GaugeMetricFamily(
            "siap_files_late", "Files whose service clock runs past their stage target or "
            "service standard, by process", labels=["process"])
        processes = {process for process, _ in snapshot.files} | set(snapshot.late)
        for process in sorted(processes):
            late.add_metric([process], snapshot.late.get(process, 0))
        outbox = GaugeMetricFamily("siap_outbox_messages",
                                   "Notification outbox messages waiting, being sent or failed",
                                   labels=["status"])
        for status, count in snapshot.outbox.items():
            outbox.add_metric([status], count)
        oldest = GaugeMetricFamily(
            "siap_outbox_oldest_due_seconds",
            "How long the longest-waiting due message has waited for the worker")
        oldest.add_metric([], snapshot.outbox_oldest_due_seconds)
        last_run = GaugeMetricFamily("siap_job_last_run_timestamp_seconds",
                                     "When each scheduled job last finished a run (Unix time)",
                                     labels=["job"])
        actions = GaugeMetricFamily("siap_job_last_run_actions",
                                    "Actions each scheduled job took in its last run",
                                    labels=["job"])
        for run in snapshot.job_runs:
            last_run.add_metric([run.job], _epoch_seconds(run.finished_at))
            actions.add_metric([run.job], run.actions)
        return [files, late, outbox, oldest, last_run, actions]
