"""Fixtures: one app and database per test session (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set); every test starts from the seeded baseline."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app import create_app
from app.cli import sync_permissions
from app.extensions import db
from app.notifications.templates import ensure_templates
from app.seed.assets import ensure_assets
from app.seed.catalogue import ensure_catalogue
from app.seed.demo import DEMO_USERS, ensure_demo_users
from app.workflow.document_templates import ensure_document_templates
from app.workflow.registry import forget_published
from tests.database import (
    recreate_schema,
    reset_to_baseline,
    snapshot_baseline,
    worker_database,
)
from views.keyset import forget_estimates

DEMO_PASSWORD = "Rahasia123"
_TMP = Path(tempfile.mkdtemp(prefix="siap-test-"))


def _database_url():
    """The session's database. Under pytest-xdist (`-n 2`) each worker gets its own:
    SQLite files are per process anyway, a PostgreSQL database gets the worker's name
    as a suffix (created when missing)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{_TMP / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return worker_database(url, worker) if worker else url


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: the test's own
    context (pushed for database access) would otherwise share `g`, and with it the
    signed-in user, between the clients of different users."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def seed_test_data():
    """What every test database holds: roles and grants, the catalogue and its assets,
    the message and document templates, one demo user per role."""
    sync_permissions()
    ensure_catalogue()
    ensure_assets()
    ensure_templates()
    ensure_document_templates()
    ensure_demo_users(DEMO_PASSWORD)


@pytest.fixture(scope="session")
def app():
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_database_url(),
        UPLOAD_FOLDER=str(_TMP / "uploads"),
        DEMO_PASSWORD=DEMO_PASSWORD,
    )
    app.instance_path = str(_TMP / "instance")
    app.test_client_class = IsolatedClient
    # Many logins run in a few seconds; tests that prove the limits use `rate_limits`.
    app.appbuilder.sm.limiter.enabled = False
    with app.app_context():
        recreate_schema()
        seed_test_data()
        app.config["SEED_BASELINE"] = snapshot_baseline()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def app_without_database(tmp_path_factory):
    """The app configured for a database nobody answers on (a closed port)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@"
                     "127.0.0.1:1/siap?connect_timeout=2",
                     UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.fixture(autouse=True)
def _clean_state(app):
    ctx = app.app_context()
    ctx.push()
    yield
    reset_to_baseline(app.config["SEED_BASELINE"])
    forget_published()  # the next test's database knows other process versions
    forget_estimates()  # nor its lists' counts
    app.appbuilder.sm.limiter.reset()
    app.config["WTF_CSRF_ENABLED"] = False
    ctx.pop()


@pytest.fixture
def rate_limits(app):
    """Switch the rate limits on (they are off in tests so many logins can run)."""
    limiter = app.appbuilder.sm.limiter
    limiter.enabled = True
    yield limiter
    limiter.enabled = False


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username, password=DEMO_PASSWORD):
    response = client.post(
        "/login/", data={"username": username, "password": password}, follow_redirects=False
    )
    assert response.status_code == 302, f"login of {username} failed"
    assert "/login" not in response.headers["Location"], f"login of {username} refused"
    return client


@pytest.fixture
def login_as(app):
    """login_as("frontoffice") → a test client signed in as that demo user."""

    def _login_as(username, password=DEMO_PASSWORD):
        return login(app.test_client(), username, password)

    return _login_as


@pytest.fixture
def demo_usernames():
    return list(DEMO_USERS)


def csrf_token_from(html):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)
