"""/metrics: request latency and count per endpoint (never a raw path), the service's
gauges read at scrape time, failed signatures and the scheduled jobs' last runs; for the
configured addresses or a bearer token only."""

import secrets
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from app.extensions import db
from app.jobs import JOBS, run_due
from app.jobs.digests import late_files
from app.observability import metrics_endpoint, service_gauges
from app.observability.counters import EVENTS
from app.office_time import day_starts_at
from app.services import operations
from app.signing import SigningError
from app.workflow import clock, decrees
from config import ConfigurationError
from models import Holiday, JobRun, OutboxMessage, StageTarget
from models.application import utcnow
from tests.signing.test_decree import ready_file
from tests.support import make_asset_use, make_pkkpr, permit_type, user

TOKEN = secrets.token_hex(32)


def scrape(client, **options):
    response = client.get("/metrics", **options)
    assert response.status_code == 200, response.status_code
    return response


def samples(response):
    """{(name, sorted label items): value} of a scrape."""
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(response, name, **labels):
    return samples(response).get((name, tuple(sorted(labels.items()))))


# --- who may scrape ------------------------------------------------------------------


def test_this_host_may_scrape(client):
    response = scrape(client)
    assert response.mimetype == "text/plain"
    assert "siap_http_request_duration_seconds" in response.get_data(as_text=True)


@pytest.mark.parametrize("address", ["10.0.5.20", "192.0.2.7", "2001:db8::5"])
def test_another_address_gets_404(client, address):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 404
    assert "siap_" not in response.get_data(as_text=True)


def test_a_configured_network_may_scrape(app, client, monkeypatch):
    monkeypatch.setitem(app.extensions, "siap_metrics_networks",
                        metrics_endpoint.allowed_networks("127.0.0.1, 10.0.5.0/24"))
    scrape(client, environ_base={"REMOTE_ADDR": "10.0.5.20"})
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.0.6.20"}).status_code == 404


def test_an_ipv4_address_written_as_ipv6_is_the_same_address(client):
    scrape(client, environ_base={"REMOTE_ADDR": "::ffff:127.0.0.1"})


def test_the_bearer_token_opens_it_from_anywhere(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    elsewhere = {"REMOTE_ADDR": "192.0.2.7"}
    scrape(client, environ_base=elsewhere, headers={"Authorization": f"Bearer {TOKEN}"})
    for wrong in (f"Bearer {TOKEN[:-1]}x", f"Basic {TOKEN}", TOKEN, "Bearer "):
        response = client.get("/metrics", environ_base=elsewhere,
                              headers={"Authorization": wrong})
        assert response.status_code == 404


def test_without_a_token_configured_no_bearer_opens_it(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"},
                          headers={"Authorization": "Bearer "})
    assert response.status_code == 404


def test_a_request_forwarded_by_a_proxy_the_app_does_not_trust_is_not_this_host(client):
    """nginx on this host connects from 127.0.0.1: without PROXY_COUNT the app cannot
    tell who is behind it."""
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 404


def test_addresses_that_are_not_addresses_are_refused_at_start_up():
    with pytest.raises(ConfigurationError, match="METRICS_ALLOWED_ADDRESSES"):
        metrics_endpoint.allowed_networks("127.0.0.1, prometheus.internal")


def test_a_short_token_is_refused_at_start_up():
    bare = Flask("bare")
    bare.config["METRICS_TOKEN"] = "rahasia"
    with pytest.raises(ConfigurationError, match="METRICS_TOKEN"):
        metrics_endpoint.init_app(bare)


# --- requests ------------------------------------------------------------------------


def test_requests_are_counted_by_endpoint_method_and_status_never_by_path(client):
    token = "tiada-" + secrets.token_hex(8)
    before = scrape(client)
    for _ in range(3):
        client.get(f"/verifikasi/{token}")
    after = scrape(client)
    labels = {"endpoint": "VerificationView.show", "method": "GET", "status": "404"}
    name = "siap_http_request_duration_seconds_count"
    assert (value(after, name, **labels) or 0) - (value(before, name, **labels) or 0) == 3
    assert token not in after.get_data(as_text=True)


def test_paths_without_a_route_and_odd_methods_share_one_label_each(client):
    client.get(f"/{secrets.token_hex(8)}")
    client.open("/healthz", method="BREW")
    text = scrape(client).get_data(as_text=True)
    assert 'endpoint="unmatched",method="GET",status="404"' in text
    assert 'method="other"' in text and "BREW" not in text


# --- the service's gauges ------------------------------------------------------------


def test_files_are_counted_per_process_and_status(client, fresh_gauges):
    before = scrape(client)
    make_pkkpr("diajukan")
    make_pkkpr("diajukan")
    make_asset_use("diperiksa")
    after = scrape(client)

    def grown(process, status):
        return (value(after, "siap_files", process=process, status=status) -
                (value(before, "siap_files", process=process, status=status) or 0))

    assert grown("pkkpr_nb", "diajukan") == 2
    assert grown("aset", "diperiksa") == 1
    assert value(after, "siap_service_gauges_up") == 1


def test_the_outbox_counts_waiting_and_failed_messages(client, fresh_gauges):
    now = utcnow()
    for status, due in (("pending", now - timedelta(minutes=10)), ("pending", now),
                        ("failed", now), ("sent", now)):
        db.session.add(OutboxMessage(recipient_number="+6281234567890", body="uji",
                                     template_key="status_berubah", status=status,
                                     next_attempt_at=due))
    db.session.commit()
    response = scrape(client)
    assert value(response, "siap_outbox_messages", status="pending") == 2
    assert value(response, "siap_outbox_messages", status="failed") == 1
    assert 590 <= value(response, "siap_outbox_oldest_due_seconds") <= 700


def test_each_jobs_last_run_is_recorded_even_when_it_found_nothing(client, fresh_gauges):
    assert db.session.query(JobRun).count() == 0
    run_due(utcnow(), dry_run=True)
    assert db.session.query(JobRun).count() == 0  # a dry run is not a run
    started = utcnow()
    run_due(utcnow())
    runs = {run.job: run for run in db.session.query(JobRun)}
    assert set(runs) == {job.__name__ for job in JOBS}
    assert all(run.finished_at >= started and run.actions == 0 for run in runs.values())
    response = scrape(client)
    seconds = value(response, "siap_job_last_run_timestamp_seconds", job="queue_digest")
    assert abs(seconds - (runs["queue_digest"].finished_at - datetime(1970, 1, 1))
               .total_seconds()) < 1
    assert value(response, "siap_job_last_run_actions", job="queue_digest") == 0


def test_a_later_run_replaces_the_earlier(fresh_gauges):
    run_due(utcnow())
    first = {run.job: run.finished_at for run in db.session.query(JobRun)}
    db.session.expire_all()
    run_due(utcnow())
    second = {run.job: run.finished_at for run in db.session.query(JobRun)}
    assert db.session.query(JobRun).count() == len(JOBS)
    assert all(second[job] >= first[job] for job in first)


def test_a_failed_signature_is_counted_by_its_reason(monkeypatch):
    application = ready_file()

    class Unreachable:
        name = "stub"

        def sign(self, *args, **kwargs):
            raise SigningError("unavailable")

    monkeypatch.setattr(decrees, "get_signer", lambda: Unreachable())
    sample = ("siap_signatures_failed_total", {"reason": "unavailable"})
    before = EVENTS.get_sample_value(*sample) or 0
    with pytest.raises(SigningError):
        decrees.sign_decree_of(application.id, user("kepaladinas"), "frasa-sandi")
    assert EVENTS.get_sample_value(*sample) == before + 1


def test_the_gauges_are_read_once_per_interval(app, client, monkeypatch, statements):
    monkeypatch.setitem(app.config, "METRICS_GAUGES_SECONDS", 3600)
    gauges = app.extensions["siap_service_gauges"]
    monkeypatch.setattr(gauges, "read_at", None)
    scrape(client)
    first = len(statements)
    scrape(client)
    assert len(statements) == first  # the second scrape read nothing


def test_a_scrape_answers_when_the_gauges_cannot_be_read(client, fresh_gauges, monkeypatch):
    def down(now):
        raise RuntimeError("database gone")

    monkeypatch.setattr(operations, "snapshot", down)
    response = scrape(client)
    assert value(response, "siap_service_gauges_up") == 0
    assert "database gone" not in response.get_data(as_text=True)


def test_the_gauges_take_the_same_few_queries_for_many_files_as_for_few(statements):
    def queries():
        statements.clear()
        operations.snapshot(utcnow())
        return len(statements)

    queries()  # the first also reads what is cached per process (published processes)
    few = queries()
    for _ in range(5):
        make_pkkpr("diajukan")
    assert queries() == few


# --- late files: the same count as the digest's, in SQL ---------------------------------


def test_day_cutoffs_count_working_days_as_the_clock_does():
    calendar = clock.WorkingCalendar([date(2026, 12, 3)])  # a Thursday off
    today = date(2026, 12, 8)  # a Tuesday
    cutoffs = operations.day_cutoffs(calendar, today, 5)
    for days, cutoff in enumerate(cutoffs):
        for offset in range(0, 20):
            start = today - timedelta(days=offset)
            late = calendar.days_between(start, today) > days
            assert (day_starts_at(start) < cutoff) == late, (days, start)


def spread_files():
    """Running files of both kinds whose stage and clock began on different days, some
    with days already used; a stage target and a day off in between."""
    db.session.add(StageTarget(permit_type_id=permit_type("PKKPR-NB").id, status="diajukan",
                               days=2))
    db.session.add(Holiday(date=clock.today() - timedelta(days=4), name="Cuti (uji)"))
    now = utcnow()
    files = []
    for number, (stage_days_ago, clock_days) in enumerate(
            [(0, 0), (1, 0), (3, 0), (4, 2), (6, 10), (9, 0), (13, 15), (21, 3), (30, 0)]):
        application = make_pkkpr("diajukan") if number % 2 else make_asset_use("diperiksa")
        application.status_changed_at = now - timedelta(days=stage_days_ago)
        application.clock_running_since = now - timedelta(days=stage_days_ago)
        application.clock_days = clock_days
        files.append(application)
    db.session.commit()
    return files


def test_late_files_are_those_the_late_files_digest_finds(app):
    spread_files()
    counts = set()
    for days_ahead in range(-2, 25):
        now = utcnow() + timedelta(days=days_ahead)
        calendar = clock.working_calendar()
        expected = Counter(late.application.kind
                           for late in late_files(now, calendar, clock.stage_targets()))
        assert operations.late_files_by_process(now) == dict(expected), now
        counts.add(sum(expected.values()))
    assert len(counts) > 2  # the moments cover few, some and many late files


def test_the_late_gauge_names_every_process_with_files(client, fresh_gauges):
    spread_files()
    response = scrape(client)
    now = utcnow()
    expected = Counter(late.application.kind for late in
                       late_files(now, clock.working_calendar(), clock.stage_targets()))
    for process in ("pkkpr_nb", "aset"):
        assert value(response, "siap_files_late", process=process) == expected[process]


def test_gauges_helper_writes_unix_time():
    assert service_gauges._epoch_seconds(datetime(1970, 1, 2)) == 86400
