"""Two hosts, one service. Two app instances (gunicorn with deploy/gunicorn.conf.py, each
with a local folder and an instance folder of its own, as two machines would have) share
one PostgreSQL database, one S3 bucket (moto's server), one Redis and one signing service
(the loopback BSrE), behind Debian's nginx running deploy/nginx/siap.conf, which balances
between them. Each host also runs the notification worker.

Through nginx: a whole PKKPR file through the API, every request answered by the other
host than the one before (nginx's access log names the upstream of each request id); a
document uploaded on one host downloads on the other; a web session and an API token
hold on both; the tracking limit is counted once for both (Redis); the notification
workers of both hosts send each message once, and the scheduled jobs started on both at
the same moment take each action once.

The instances need PostgreSQL: these tests run in the PostgreSQL pass of the suite
(TEST_DATABASE_URL), where Redis and nginx are required as well."""

import io
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
from moto.server import ThreadedMotoServer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.storage.backends import s3_client
from tests.api.flow import (
    detail,
    download,
    tokens_of,
    upload_mandatory_documents,
    walk_a_pkkpr_file,
)
from tests.api.support import api
from tests.conftest import DEMO_PASSWORD
from tests.ops import nginx_site
from tests.ops.http_client import HttpClient
from tests.ops.support import free_port, wait_for
from tests.signing.fake_bsre import FakeBsre
from tests.storage.conftest import REGION, S3_SETTINGS
from tests.support import SIGNING_PASSPHRASE, pkkpr_application_data, real_pdf

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TRACKING_LIMIT = 8
KEPALA_DINAS_NIK = "3505010101700003"  # app/seed/demo.py

# One worker holds the whole module: its stack is built once.
pytestmark = pytest.mark.xdist_group("scale_out")


def _postgresql_server():
    suite = os.environ.get("TEST_DATABASE_URL", "")
    if not suite.startswith("postgresql"):
        pytest.skip("the scale-out test runs in the PostgreSQL pass (TEST_DATABASE_URL)")
    if not Path(nginx_site.NGINX).exists():
        pytest.fail("Debian's nginx is not installed (.ci/run installs it)")
    return make_url(suite).set(database="postgres")


class Host:
    """One app instance: its gunicorn, its notification worker, their logs."""

    def __init__(self, name, folder, environment):
        self.name, self.folder, self.environment = name, folder, environment
        self.port = int(environment["GUNICORN_BIND"].rsplit(":", 1)[1])
        self.address = f"127.0.0.1:{self.port}"
        self.processes = []

    def flask(self, *arguments, timeout=300):
        return subprocess.run([sys.executable, "-m", "flask", *arguments], cwd=ROOT,
                              env=self.environment, capture_output=True, text=True,
                              timeout=timeout, check=True).stdout

    def start(self, name, *command):
        log = self.folder / f"{name}.log"
        with open(log, "w") as output:
            process = subprocess.Popen([sys.executable, "-m", *command], cwd=ROOT,
                                       env=self.environment, stdout=output,
                                       stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process, log

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stored_files(self):
        """Files in this host's own folders (none: everything is in the bucket)."""
        uploads = self.folder / "uploads"
        return [p for p in uploads.rglob("*") if p.is_file()] if uploads.exists() else []


class Service:
    def __init__(self, hosts, https, nginx_folder, database_url, bucket, redis_prefix,
                 trust_roots):
        self.hosts, self.https, self.trust_roots = hosts, https, trust_roots
        self.nginx_folder, self.database = nginx_folder, create_engine(database_url)
        self.certificate = nginx_folder / "siap.crt"  # nginx_site's, for 127.0.0.1
        self.bucket, self.redis_prefix = bucket, redis_prefix

    def upstreams(self):
        """request id → the host (its address) nginx sent the request to."""
        time.sleep(0.3)  # nginx writes the line after the answer
        log = (self.nginx_folder / "logs" / "siap.access.log").read_text()
        return dict((request_id, upstream) for upstream, request_id in re.findall(
            r"upstream=(\S+) request_id=(\w+)", log))

    def hosts_of(self, client):
        upstreams = self.upstreams()
        return [upstreams[request_id] for _, _, request_id in client.request_ids]

    def scalar(self, sql, **values):
        with self.database.connect() as connection:
            return connection.execute(text(sql), values).scalar()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    server = create_engine(_postgresql_server(), isolation_level="AUTOCOMMIT")
    redis.Redis.from_url(REDIS_URL).ping()  # fails here, clearly, without Redis
    folder = tmp_path_factory.mktemp("scale-out")
    database = f"siap_scaleout_{secrets.token_hex(4)}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    database_url = server.url.set(database=database).render_as_string(hide_password=False)
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    bucket = f"siap-{uuid.uuid4().hex[:12]}"
    endpoint = "http://{}:{}".format(*s3.get_host_and_port())
    settings = {**S3_SETTINGS, "STORAGE_S3_ENDPOINT_URL": endpoint}
    s3_client(settings).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    bsre = FakeBsre(folder / "bsre").__enter__()
    bsre.register(KEPALA_DINAS_NIK, "Kepala DPMPTSP", SIGNING_PASSPHRASE)
    redis_prefix = f"siap-scaleout-{secrets.token_hex(4)}"
    shared = {
        **{k: v for k, v in os.environ.items()
           if not k.startswith(("SIAP_", "GUNICORN_", "STORAGE_", "TEST_"))},
        **settings,
        "SIAP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),  # the same on every host: sessions hold
        "DATABASE_URL": database_url,
        "STORAGE_URL": f"s3://{bucket}/siap",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "AUTH_RATE_LIMIT": "100 per minute",  # the walk signs in eight users
        "TRACKING_RATE_LIMIT": f"{TRACKING_LIMIT} per hour",
        "SIGNING_BACKEND": "bsre", "BSRE_URL": bsre.url,
        "BSRE_USERNAME": "esign", "BSRE_PASSWORD": "rahasia",
        "NOTIFICATION_BACKEND": "console",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "PUBLIC_BASE_URL": "https://localhost",
        "PROXY_COUNT": "1",
        "GUNICORN_WORKERS": "1",
        "FLASK_APP": "run.py",
    }
    hosts = []
    for name in ("host-a", "host-b"):
        home = folder / name
        home.mkdir()
        hosts.append(Host(name, home, {
            **shared,
            "UPLOAD_FOLDER": str(home / "uploads"),
            "SIAP_INSTANCE_DIR": str(home / "instance"),
            "PROMETHEUS_MULTIPROC_DIR": str(home / "prometheus"),
            "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        }))
    nginx = None
    try:
        hosts[0].flask("db", "upgrade")
        hosts[0].flask("siap", "seed-demo")
        for host in hosts:
            gunicorn, log = host.start("gunicorn", "gunicorn", "--config",
                                       str(ROOT / "deploy" / "gunicorn.conf.py"),
                                       "app:create_app()")
            wait_for(f"http://{host.address}/healthz", gunicorn, log)
            host.start("worker", "flask", "notifications", "worker", "--interval", "1")
        https_port = free_port()
        conf = nginx_site.write_config(folder / "nginx", [h.address for h in hosts],
                                       free_port(), https_port)
        nginx = nginx_site.start(conf)
        yield Service(hosts, f"https://127.0.0.1:{https_port}", folder / "nginx",
                      database_url, bucket, redis_prefix, bsre.trust_roots())
    finally:
        if nginx is not None:
            nginx_site.stop(nginx)
        for host in hosts:
            host.stop()
        bsre.__exit__(None, None, None)
        s3.stop()
        for key in redis.Redis.from_url(REDIS_URL).scan_iter(f"*/{redis_prefix}/*"):
            redis.Redis.from_url(REDIS_URL).delete(key)
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="module")
def walked(service):
    """The PKKPR file walked through the API; (client, tokens, file id)."""
    client = HttpClient(service.https, service.certificate)
    tokens = tokens_of(client)
    application_id = walk_a_pkkpr_file(
        client, tokens, service.trust_roots,
        lambda file_id: service.scalar(
            "SELECT sha256 FROM decree WHERE application_id = :id", id=file_id))
    return client, tokens, application_id


def alternates(hosts):
    return all(first != second for first, second in zip(hosts, hosts[1:], strict=False))


def test_a_pkkpr_file_through_the_api_alternates_hosts_on_every_request(service, walked):
    client, _, _ = walked
    hosts = service.hosts_of(client)
    assert len(hosts) > 50
    assert set(hosts) == {host.address for host in service.hosts}
    assert alternates(hosts), hosts
    # Every document, artifact and the decree went to the bucket, none to a host's disk.
    assert all(host.stored_files() == [] for host in service.hosts)
    objects = s3_client({**S3_SETTINGS, **service.hosts[0].environment}).list_objects_v2(
        Bucket=service.bucket, Prefix="siap/")
    assert objects["KeyCount"] >= 10


def test_a_document_uploaded_on_one_host_downloads_on_the_other(service, walked):
    client, tokens, _ = walked
    pemohon = tokens["pemohon"]
    body = api(client, pemohon, "POST", "/applications",
               json={"permit_type": "PKKPR-NB", **pkkpr_application_data()}).get_json()
    requirement = body["requirements"][0]
    content = real_pdf("KTP diunggah di satu host")
    uploaded = api(client, pemohon, "POST", f"/applications/{body['id']}/documents",
                   content_type="multipart/form-data",
                   data={"requirement_id": str(requirement["id"]),
                         "file": (io.BytesIO(content), "ktp.pdf")})
    assert uploaded.status_code == 201, uploaded.get_json()
    document = next(d for d in uploaded.get_json()["documents"]
                    if d["requirement_id"] == requirement["id"])
    assert download(client, pemohon, body["id"], document["file_id"]).data == content
    upload_host, download_host = service.hosts_of(client)[-2:]
    assert upload_host != download_host


def test_a_web_session_and_an_api_token_hold_on_both_hosts(service, walked):
    client, tokens, _ = walked
    for _ in service.hosts:  # two requests in a row: one on each host
        assert api(client, tokens["frontoffice"], "GET", "/applications?inbox=1"
                   ).status_code == 200
    browser = requests.Session()
    # REQUESTS_CA_BUNDLE in the environment would win over the session's own trust.
    browser.trust_env, browser.verify = False, str(service.certificate)
    page = browser.get(f"{service.https}/login/", timeout=30)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    # Over HTTPS Flask-WTF also wants the referrer to be the site itself.
    signed_in = browser.post(f"{service.https}/login/", timeout=30, allow_redirects=False,
                             headers={"Referer": f"{service.https}/login/"},
                             data={"csrf_token": csrf, "username": "frontoffice",
                                   "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302, signed_in.text[:300]
    assert "/login" not in signed_in.headers["Location"]
    answered_by = set()
    for _ in range(4):
        inbox = browser.get(f"{service.https}/inboxview/list/", timeout=30,
                            allow_redirects=False)
        assert inbox.status_code == 200, inbox.headers.get("Location")
        answered_by.add(service.upstreams()[inbox.headers["X-Request-ID"]])
    assert answered_by == {host.address for host in service.hosts}


def test_the_tracking_limit_is_counted_once_for_both_hosts(service, walked):
    client, _, _ = walked
    store = redis.Redis.from_url(REDIS_URL)

    def counted():  # the service's own counter: under its prefix, in the shared Redis
        return sum(int(store.get(key) or 0) for key in
                   store.scan_iter(f"*/{service.redis_prefix}/*/tracking/*"))

    before = counted()
    answers = [api(client, None, "GET", "/track",
                   query_string={"number": "PKKPR-NB/2026/999999", "phone_suffix": "0000"})
               for _ in range(TRACKING_LIMIT + 2)]
    statuses = [answer.status_code for answer in answers]
    allowed = TRACKING_LIMIT - before
    assert 429 not in statuses[:allowed] and statuses[allowed:] == [429] * (len(statuses) -
                                                                            allowed)
    assert counted() == TRACKING_LIMIT
    assert len(set(service.hosts_of(client)[-len(answers):])) == 2


def test_the_workers_of_both_hosts_send_each_message_once(service, walked):
    deadline = time.monotonic() + 90
    while service.scalar("SELECT count(*) FROM notification_outbox WHERE status IN "
                         "('pending', 'sending') AND next_attempt_at <= now()") and \
            time.monotonic() < deadline:
        time.sleep(1)
    sent = service.scalar("SELECT count(*) FROM notification_outbox WHERE status = 'sent'")
    assert sent >= 10
    logs = "".join((host.folder / "worker.log").read_text() for host in service.hosts)
    ids = re.findall(r"message (\d+) \(", logs)
    assert len(ids) == len(set(ids)) == sent


def test_the_jobs_started_on_both_hosts_at_once_take_each_action_once(service, walked):
    client, tokens, _ = walked
    pemohon = tokens["pemohon"]
    for _ in range(3):  # files that wait on the front office, soon late
        body = api(client, pemohon, "POST", "/applications",
                   json={"permit_type": "PKKPR-NB", **pkkpr_application_data()}).get_json()
        upload_mandatory_documents(client, pemohon, body)
        submitted = api(client, pemohon, "POST", f"/applications/{body['id']}/actions/ajukan",
                        json={"expected_version": detail(client, pemohon,
                                                         body["id"])["version"]})
        assert submitted.status_code == 200, submitted.get_json()
    later = "2030-01-07T08:00:00"  # a Monday years on: every file is late by then
    planned = service.hosts[0].flask("siap", "jobs", "run-due", "--now", later, "--dry-run")
    expected = int(re.search(r"Jobs: (\d+) action", planned).group(1))
    assert expected > 0
    runs = [host.start(f"jobs-{index}", "flask", "siap", "jobs", "run-due", "--now", later)
            for index, host in enumerate(service.hosts)]
    for process, _ in runs:
        assert process.wait(timeout=300) == 0
    taken = [int(re.search(r"Jobs: (\d+) action", log.read_text()).group(1))
             for _, log in runs]
    assert sum(taken) == expected
    assert service.scalar("SELECT count(*) FROM job_action") == expected
