"""Browser tests: the app served by a real gunicorn process on 127.0.0.1 with a fresh
SQLite database, driven by Playwright through Debian's Chromium (never a downloaded
browser). They run with `make e2e` (see _requested); skipped, with the reason, where
/usr/bin/chromium is missing.

Screenshots and the server's log go to test-artifacts/e2e/ (kept by CI)."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
E2E_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "Demo-E2E-2026"
STARTUP_SECONDS = 60


def _requested(config):
    """Browser tests take minutes: they run under `make e2e`, when tests/e2e (or a file
    in it) is named on the command line, or with SIAP_E2E=1; a plain `pytest` or
    `make test` skips them."""
    if os.environ.get("SIAP_E2E", "").strip().lower() in {"1", "true", "yes", "on"}:
        return True
    for arg in config.args:
        path = Path(config.invocation_params.dir, arg.split("::", 1)[0]).resolve()
        if path == E2E_DIR or E2E_DIR in path.parents:
            return True
    return False


def _skip_reason(config):
    if not _requested(config):
        return "browser tests run with `make e2e` (or `pytest tests/e2e`, or SIAP_E2E=1)"
    if not CHROMIUM.exists():
        return (f"browser tests need Debian's Chromium at {CHROMIUM} "
                "(apt-get install chromium); the rest of the suite runs without it")
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "browser tests need the playwright package (pip install -r requirements.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason(config)
    if reason:
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if E2E_DIR in Path(str(item.fspath)).parents:
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _clean_state():
    """Overrides the suite's in-process database reset: these tests talk to their own
    server and never touch the test app."""
    yield


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _scratch_dir(prefix):
    """A temporary folder, in memory where there is tmpfs: seed-demo's permission sync
    commits some 750 times, each waiting for the disk (33 s on disk, 12 s in memory)."""
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=where))


def _server_env(base, database, public_url):
    """Development mode, everything under `base`, nothing shared with `make run`."""
    return {
        **os.environ,
        "SIAP_ENV": "development",
        "FLASK_APP": "run.py",
        "SIAP_INSTANCE_DIR": str(base / "instance"),
        "DATABASE_URL": f"sqlite:///{database}",
        "UPLOAD_FOLDER": str(base / "uploads"),
        "SECRET_KEY": secrets.token_hex(32),
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "PUBLIC_BASE_URL": public_url,
        "SIGNING_BACKEND": "local",
        "NOTIFICATION_BACKEND": "console",
        "SESSION_COOKIE_SECURE": "0",
        # One address signs in as every role within a minute.
        "AUTH_RATE_LIMIT": "200 per minute",
        "PYTHONUNBUFFERED": "1",
    }


class SeededDatabase:
    """A database as `make run` prepares it (migrations, then seed-demo), built once per
    session; every server starts from a copy of it."""

    def __init__(self):
        self.base = _scratch_dir("siap-e2e-seed-")
        self.path = self.base / "seed.db"
        self.log_path = self.base / "seed.log"

    def build(self):
        env = _server_env(self.base, self.path, "http://127.0.0.1")
        with self.log_path.open("a") as log:
            for command in (["db", "upgrade"], ["siap", "seed-demo"]):
                subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, check=True, timeout=300)
        return self

    def remove(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if self.log_path.exists():
            shutil.copyfile(self.log_path, ARTIFACTS / "seed.log")
        shutil.rmtree(self.base, ignore_errors=True)


class LiveServer:
    """gunicorn serving create_app() in development mode on a fresh copy of the seeded
    database, with its own instance folder (secret key, signing CA) and uploads."""

    def __init__(self, seeded, name):
        self.name = name
        self.base = _scratch_dir(f"siap-e2e-{name}-")
        self.database = self.base / "e2e.db"
        shutil.copyfile(seeded.path, self.database)
        self.instance = self.base / "instance"
        self.uploads = self.base / "uploads"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.base / "server.log"
        self.password = DEMO_PASSWORD
        self.process = None
        self.env = _server_env(self.base, self.database, self.url)

    def start(self):
        self.instance.mkdir(parents=True)
        self.uploads.mkdir(parents=True)
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "4", "--timeout", "120",
             "--graceful-timeout", "5", "--access-logfile", "-",
             "--access-logformat", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
             "app:create_app()"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"the server did not answer in {STARTUP_SECONDS} s:\n"
                           f"{self.log_tail()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if self.log_path.exists():
            shutil.copyfile(self.log_path, ARTIFACTS / f"server-{self.name}.log")
        shutil.rmtree(self.base, ignore_errors=True)

    def log_tail(self, lines=60):
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def run_python(self, code):
        """Run `code` in the server's environment (its database and uploads), for the
        few tests that put data in place without the browser. Returns its output."""
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    @property
    def signing_ca(self):
        """The local signer's root CA, under the server's instance folder."""
        return self.instance / "signing" / "ca-cert.pem"


def _flow_name(module_name):
    return module_name.rsplit(".", 1)[-1].removeprefix("test_").removesuffix("_browser")


@pytest.fixture(scope="session")
def seeded_database():
    seeded = SeededDatabase()
    try:
        yield seeded.build()
    finally:
        seeded.remove()


@pytest.fixture(scope="module")
def live_server(seeded_database, request):
    """One server per test module: each flow starts from a fresh, seeded database."""
    server = LiveServer(seeded_database, _flow_name(request.module.__name__))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def artifacts(request):
    """test-artifacts/e2e/<flow>/, emptied when a test module starts."""
    folder = ARTIFACTS / _flow_name(request.module.__name__)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def web(browser, live_server, artifacts, request):
    """Signed-in browser sessions per role, screenshots, and the checks that every request
    stays on 127.0.0.1, no page breaks its Content-Security-Policy or throws, and no
    response is a server error."""
    from tests.e2e.pages import Web

    web = Web(browser, live_server, artifacts)
    report = None
    try:
        yield web
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            web.shot_every_page("FAILED")
    finally:
        web.close()
    if report is not None and report.passed:  # not after a failure or an expected one
        web.assert_clean()
