"""Latency and SQL queries of the pages users wait on, throughput of transitions, signing
and notifications — against the database in DATABASE_URL (filled by bench.generate).

One in-process worker (Flask's test client, no network), warm caches; each page is
requested REPEATS times after WARMUP requests."""

import random
import statistics
import threading
import time
from contextlib import contextmanager

from sqlalchemy import event, func, select

WARMUP, REPEATS = 3, 30
PASSWORD = "Rahasia123"  # DEMO_PASSWORD of the bench database (see the Makefile)


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


def time_page(engine, call):
    """(median ms, p95 ms, queries per request) of `call()`, which must answer 200."""
    for _ in range(WARMUP):
        assert call().status_code == 200
    durations = []
    with counting_queries(engine) as queries:
        for _ in range(REPEATS):
            started = time.perf_counter()
            response = call()
            durations.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    return statistics.median(durations), percentile(durations, 0.95), queries[0] / REPEATS


def pages(app):
    """The measured pages: name → callable making one request."""
    from app.extensions import db
    from models import Application, SiapUser

    staff = login(app.test_client(), "frontoffice")
    applicant = login(app.test_client(), "pemohon")
    public = app.test_client()
    headers = api_token(app.test_client(), "frontoffice")
    with app.app_context():
        rng = random.Random(3)
        ids = db.session.scalars(select(Application.id).where(
            Application.kind == "pkkpr_nb", Application.status != "draft")).all()
        sample = [rng.choice(ids) for _ in range(WARMUP + REPEATS)]
        tracked = db.session.execute(
            select(Application.registration_number, Application.applicant_whatsapp)
            .where(Application.id.in_(sample))).all()
        owner = db.session.scalar(select(SiapUser.id).where(SiapUser.username == "pemohon"))
        own = db.session.scalar(select(func.count(Application.id)).where(
            Application.owner_id == owner))
    files, lookups = iter(sample * 3), iter(tracked * 10)

    def tracking():
        number, phone = next(lookups)
        return public.post("/lacak/", data={"nomor": number, "akhiran": phone[-4:]})

    return own, {
        "staff inbox (25 rows)": lambda: staff.get("/inboxpkkprnbview/list/"),
        "staff inbox (100 rows)": lambda: staff.get(
            "/inboxpkkprnbview/list/?psize_InboxPkkprNbView=100"),
        "applicant's list": lambda: applicant.get("/myapplicationsview/list/"),
        "application page": lambda: staff.get(f"/permohonan/{next(files)}"),
        "public tracking": tracking,
        "statistics": lambda: staff.get("/statistik/"),
        "API list (inbox)": lambda: staff.get("/api/v1/applications?inbox=1",
                                              headers=headers),
    }


def measure_pages(app):
    from app.extensions import db

    own, calls = pages(app)
    with app.app_context():
        engine = db.engine
    return own, {name: time_page(engine, call) for name, call in calls.items()}


def transitions_per_second(app, clients=16, per_client=10):
    """`terima` on distinct submitted files from 16 threads; then every file must have
    moved exactly once with one history event."""
    from app.extensions import db
    from app.workflow.engine import apply_action
    from models import Application, HistoryEvent, SiapUser

    with app.app_context():
        ids = db.session.scalars(select(Application.id).where(
            Application.status == "diajukan").limit(clients * per_client)).all()
        officer = db.session.scalar(select(SiapUser.id).where(
            SiapUser.username == "frontoffice"))
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
            HistoryEvent.application_id.in_(ids), HistoryEvent.action == "terima",
            HistoryEvent.to_status == "diterima_fo"))
    consistent = not errors and moved == len(ids) and events >= len(ids)
    return len(ids) / elapsed, consistent, len(ids)


def seconds_per_signed_decree(app, count=5):
    """Render a decree and sign it with the local signer, `count` times."""
    from app.extensions import db
    from app.signing import get_signer
    from app.workflow.decrees import render_decree
    from models import Application, SiapUser

    with app.app_context():
        signer_user = db.session.scalar(select(SiapUser).where(
            SiapUser.username == "kepaladinas"))
        application = db.session.scalar(select(Application).where(
            Application.kind == "pkkpr_nb", Application.status == "siap_ds").limit(1))
        application.sk_number = application.sk_number or "503/999/409.110/2026"
        sign = get_signer().sign
        sign(render_decree(application, draft=False), signer_user, "Bench-DS-1", "bench")
        started = time.perf_counter()
        for _ in range(count):
            sign(render_decree(application, draft=False), signer_user, "Bench-DS-1", "bench")
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
        sent = send_pending(batch_size=50, backend=backend).get("sent", 0)
        return sent / (time.perf_counter() - started)


def make_app():
    from app import create_app

    app = create_app("development")
    app.config["WTF_CSRF_ENABLED"] = False
    app.appbuilder.sm.limiter.enabled = False
    return app

