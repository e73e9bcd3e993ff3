"""Latency and SQL queries of the pages users wait on, throughput of transitions, signing
and notifications.

One in-process worker per database (Flask's test client, no network), warm caches.
Pages are measured at every scale in one run, requests alternating between the scales'
databases (so a slow moment of the machine hits both alike): SAMPLES requests per page
and scale after WARMUP."""

import os
import random
import statistics
import threading
import time
from contextlib import contextmanager

from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import event, func, select

from models import Application

WARMUP = 5
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
PASSWORD = "Rahasia123"  # DEMO_PASSWORD of the bench databases (see bench/run.py)
STAFF_USER = "frontoffice"
MONTH = {"start": "2026-10-01", "end": "2026-10-31"}  # the generated data's last full month

# The pages and what they are held to (bench/run.py): staff pages at most 6 queries,
# public ones at most 3.
STAFF, PUBLIC, API = "staff", "public", "api"
INBOX, PEER = "staff inbox", "plain FAB list (peer)"
PAGE_KINDS = {
    INBOX: STAFF,
    PEER: STAFF,
    "file page": STAFF,
    "public tracking": PUBLIC,
    "statistics": STAFF,
    "statistics, one month": STAFF,
    "all files, page 1": STAFF,
    "all files, deep page": STAFF,
    "API inbox": API,
}


class BenchPlainListView(ModelView):
    """The peer: Flask-AppBuilder's own list of the same table, as a developer would
    write it (no row filter, no computed columns), with the inbox's page size, order and
    search fields (FAB's default search form would offer every user and every file as
    choices: seconds per page, no fair peer)."""

    datamodel = SQLAInterface(Application)
    base_permissions = ["can_list"]
    list_columns = ["registration_number", "permit_type.name", "applicant_name", "status",
                    "status_changed_at"]
    search_columns = ["registration_number", "applicant_name", "status", "permit_type"]
    order_columns = ["status_changed_at", "applicant_name"]
    base_order = ("status_changed_at", "desc")
    page_size = 25


@contextmanager
def counting_queries(engine):
    counter = [0]

    def count(*_):
        counter[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def login(client, username):
    response = client.post("/login/", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"login of {username} failed"
    return client


def api_token(client, username):
    response = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"})
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def make_app(database_url):
    """The app on one bench database, with the peer list registered and granted to the
    staff user's role (before any request: Flask allows no new routes after one)."""
    from app import create_app
    from app.extensions import db
    from app.security.roles import FRONT_OFFICE

    app = create_app("development", SQLALCHEMY_DATABASE_URI=database_url)
    app.config["WTF_CSRF_ENABLED"] = False
    app.appbuilder.sm.limiter.enabled = False
    with app.app_context():
        app.appbuilder.add_view_no_menu(BenchPlainListView)
        sm = app.appbuilder.sm
        grant = sm.add_permission_view_menu("can_list", "BenchPlainListView")
        sm.add_permission_role(sm.find_role(FRONT_OFFICE), grant)
        db.session.remove()
    return app


def pages(app):
    """The measured pages: name → callable making one request."""
    from app.extensions import db
    from views.keyset import encode_cursor

    staff = login(app.test_client(), STAFF_USER)
    public = app.test_client()
    headers = api_token(app.test_client(), STAFF_USER)
    with app.app_context():
        rng = random.Random(3)
        ids = db.session.scalars(select(Application.id).where(
            Application.kind == "pkkpr_nb", Application.status != "draft")).all()
        sample = [rng.choice(ids) for _ in range(WARMUP + SAMPLES)]
        tracked = db.session.execute(
            select(Application.registration_number, Application.applicant_whatsapp)
            .where(Application.id.in_(sample))).all()
        # The deepest full page of the kind's "all files" list (newest first): the rows
        # after the 26th oldest, as its "next page" links name them.
        oldest = db.session.execute(
            select(Application.status_changed_at, Application.id)
            .where(Application.kind == "pkkpr_nb", Application.status != "draft")
            .order_by(Application.status_changed_at, Application.id).offset(25).limit(1)
        ).one()
        deep_page = {"after": encode_cursor(oldest)}
    files, lookups = iter(sample * 3), iter(tracked * 10)

    def tracking():
        number, phone = next(lookups)
        return public.post("/lacak/", data={"nomor": number, "akhiran": phone[-4:]})

    return {
        INBOX: lambda: staff.get("/inboxpkkprnbview/list/"),
        PEER: lambda: staff.get("/benchplainlistview/list/"),
        "file page": lambda: staff.get(f"/permohonan/{next(files)}"),
        "public tracking": tracking,
        "statistics": lambda: staff.get("/statistik/"),
        "statistics, one month": lambda: staff.get("/statistik/", query_string=MONTH),
        "all files, page 1": lambda: staff.get("/allfilespkkprnbview/list/"),
        "all files, deep page": lambda: staff.get("/allfilespkkprnbview/list/",
                                                  query_string=deep_page),
        "API inbox": lambda: staff.get("/api/v1/applications?inbox=1", headers=headers),
    }


def measure_interleaved(apps):
    """{scale: {page: (p50 ms, p95 ms, queries per request)}}, the scales' requests
    alternating (their order swapped every round)."""
    from app.extensions import db

    engines, calls = {}, {}
    for scale, app in apps.items():
        with app.app_context():
            engines[scale] = db.engine
        calls[scale] = pages(app)
    scales = list(apps)
    results = {scale: {} for scale in scales}
    for name in PAGE_KINDS:
        durations = {scale: [] for scale in scales}
        queries = dict.fromkeys(scales, 0)
        for scale in scales:
            for _ in range(WARMUP):
                assert calls[scale][name]().status_code == 200, (name, scale)
        for round_number in range(SAMPLES):
            order = scales if round_number % 2 == 0 else scales[::-1]
            for scale in order:
                with counting_queries(engines[scale]) as counted:
                    started = time.perf_counter()
                    response = calls[scale][name]()
                    durations[scale].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (name, scale, response.status_code)
                queries[scale] += counted[0]
        for scale in scales:
            results[scale][name] = (statistics.median(durations[scale]),
                                    percentile(durations[scale], 0.95),
                                    queries[scale] / SAMPLES)
        print(f"  {name}: " + ", ".join(
            f"{scale}: p95 {results[scale][name][1]:.1f} ms" for scale in scales))
    return results


def transitions_per_second(app, clients=16, per_client=10):
    """`terima` on distinct submitted files from 16 threads; then every file must have
    moved exactly once with one history event."""
    from app.extensions import db
    from app.workflow.engine import apply_action
    from bench.generate import submit_for_throughput
    from models import Application, HistoryEvent, SiapUser

    ids = submit_for_throughput(app.config["SQLALCHEMY_DATABASE_URI"], clients * per_client)
    with app.app_context():
        officer = db.session.scalar(select(SiapUser.id).where(
            SiapUser.username == "frontoffice"))
        events_before = db.session.scalar(select(func.max(HistoryEvent.id)))
    chunks = [ids[i::clients] for i in range(clients)]
    errors = []

    def work(chunk):
        with app.app_context():
            user = db.session.get(SiapUser, officer)
            for application_id in chunk:
                try:
                    apply_action(application_id, "terima", user)
                except Exception as error:  # noqa: BLE001  (reported below)
                    errors.append(repr(error))
            db.session.remove()

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with app.app_context():
        moved = db.session.scalar(select(func.count(Application.id)).where(
            Application.id.in_(ids), Application.status == "diterima_fo"))
        events = db.session.scalar(select(func.count(HistoryEvent.id)).where(
            HistoryEvent.id > events_before, HistoryEvent.application_id.in_(ids),
            HistoryEvent.action == "terima", HistoryEvent.to_status == "diterima_fo"))
    consistent = not errors and moved == len(ids) and events == len(ids)
    return len(ids) / elapsed, consistent, len(ids)


def seconds_per_signed_decree(app, count=5):
    """Render a decree (its draft: the same pages) and sign it with the local signer,
    `count` times."""
    from app.extensions import db
    from app.signing import get_signer
    from app.workflow.decrees import render_draft
    from models import Application, SiapUser

    with app.app_context():
        signer_user = db.session.scalar(select(SiapUser).where(
            SiapUser.username == "kepaladinas"))
        application = db.session.scalar(select(Application).where(
            Application.kind == "pkkpr_nb", Application.status == "siap_ds").limit(1))
        application.sk_number = application.sk_number or "503/999/409.110/2026"
        sign = get_signer().sign
        sign(render_draft(application), signer_user, "Bench-DS-1", "bench")
        started = time.perf_counter()
        for _ in range(count):
            sign(render_draft(application), signer_user, "Bench-DS-1", "bench")
        elapsed = (time.perf_counter() - started) / count
        db.session.rollback()
    return elapsed


def notifications_per_second(app, count=300):
    """The worker sending queued WhatsApp messages through a fake Twilio (no network)."""
    from app.extensions import db
    from app.notifications.backends import TwilioBackend
    from app.notifications.worker import send_pending
    from models import OutboxMessage
    from tests.notifications.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioHttp

    with app.app_context():
        db.session.query(OutboxMessage).delete()
        for n in range(count):
            db.session.add(OutboxMessage(recipient_number=f"+62812{n:08d}",
                                         template_key="status_pemohon", body="Uji",
                                         variables={}))
        db.session.commit()
        backend = TwilioBackend(ACCOUNT_SID, AUTH_TOKEN, "whatsapp:+14155238886",
                                http_client=FakeTwilioHttp())
        started = time.perf_counter()
        sent = send_pending(batch_size=50, backends={"whatsapp": backend}).get("sent", 0)
        return sent / (time.perf_counter() - started)

