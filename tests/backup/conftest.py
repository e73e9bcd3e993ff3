"""Backups are made of PostgreSQL databases of their own, whatever database the suite
runs on: a source database with finished files, and a new empty database for each
restore. All are created on the test server (TEST_DATABASE_URL's when it is PostgreSQL,
else 127.0.0.1:5432) under unique names, owned by a role with a password, and dropped
at the end. On an SQLite run without a PostgreSQL server the tests are skipped; on a
PostgreSQL run they never are."""

import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.backup import postgres
from app.cli import siap_cli
from app.extensions import db
from tests.conftest import DEMO_PASSWORD, IsolatedClient, seed_test_data


@pytest.fixture(autouse=True)
def _clean_state():
    """These tests run apps of their own, not the session's app and database."""


def _server():
    suite = os.environ.get("TEST_DATABASE_URL", "")
    if suite.startswith("postgresql"):
        return make_url(suite).set(database="postgres"), True
    return make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres"), False


@pytest.fixture(scope="session")
def server():
    """An engine on the server's maintenance database, in autocommit."""
    url, required = _server()
    engine = create_engine(url.update_query_dict({"connect_timeout": "3"}),
                           isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except OperationalError:
        if required:
            raise
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    if shutil.which("pg_dump") is None and not required:
        pytest.skip("pg_dump is not installed (Debian: postgresql-client)")
    yield engine
    engine.dispose()


class Owner:
    """A role with a password: the database URLs carry it, as production's do."""

    def __init__(self, server):
        self.server = server
        self.name = f"siap_backup_{secrets.token_hex(4)}"
        self.password = f"Pw-{secrets.token_urlsafe(18)}"
        self.databases = []

    def new_database(self):
        name = f"{self.name}_{len(self.databases)}"
        with self.server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" OWNER "{self.name}"'))
        self.databases.append(name)
        return self.url(name)

    def url(self, database):
        return self.server.url.set(username=self.name, password=self.password,
                                   database=database, query={}).render_as_string(
            hide_password=False)


@pytest.fixture(scope="session")
def owner(server):
    role = Owner(server)
    with server.connect() as connection:
        connection.execute(text(f"CREATE ROLE \"{role.name}\" LOGIN PASSWORD '{role.password}'"))
    yield role
    with server.connect() as connection:
        for name in role.databases:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'DROP ROLE IF EXISTS "{role.name}"'))


@pytest.fixture(scope="session")
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="siap-backup-test-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def make_app(url, uploads, instance):
    """An app on `url` and the upload folder `uploads`. Every app of these tests shares
    one instance folder: the local signer's certificate authority lives there (the
    production signer, BSrE, keeps its keys outside the app)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(uploads),
                     DEMO_PASSWORD=DEMO_PASSWORD)
    app.instance_path = str(instance)
    app.test_client_class = IsolatedClient
    app.appbuilder.sm.limiter.enabled = False
    return app


def seed(app):
    with app.app_context():
        upgrade()
        seed_test_data()
        db.session.remove()


class Recorded:
    """The pg_dump and pg_restore runs of a command: their arguments and the password
    each was given."""

    def __init__(self):
        self.runs = []
        self._run = subprocess.run

    def __call__(self, arguments, env=None, **options):
        self.runs.append((list(arguments), (env or {}).get("PGPASSWORD")))
        return self._run(arguments, env=env, **options)


def invoke(app, *arguments):
    """`flask siap …` on `app`: (exit code, everything written to stdout and stderr,
    the pg_dump and pg_restore runs)."""
    recorded = Recorded()
    with pytest.MonkeyPatch.context() as patch, app.app_context():
        patch.setattr(postgres.subprocess, "run", recorded)
        result = app.test_cli_runner().invoke(siap_cli, list(arguments))
        db.session.remove()
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output, recorded.runs
