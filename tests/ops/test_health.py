"""/healthz says the process answers and touches nothing else; /readyz says the
database answers at the migrations' head and storage takes a file. Neither says why it
is not ready, sets a cookie, signs anyone in or runs the app's other request hooks."""

import os

import pytest
from sqlalchemy import text

from app.extensions import db
from app.storage.backends import EXTENSION, LocalFolder
from tests.conftest import login


def files_under(folder):
    return sorted(os.path.join(root, name) for root, _, names in os.walk(folder)
                  for name in names)


def test_healthz_answers_ok_in_plain_text_without_touching_the_database(client, statements):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert statements == []


def test_healthz_answers_while_the_database_is_down(app_without_database):
    with app_without_database.app_context():
        response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 200


def test_a_signed_in_browser_gets_no_cookie_and_no_user_lookup_from_the_checks(
        app, statements):
    client = login(app.test_client(), "frontoffice")
    statements.clear()
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    assert not [s for s in statements if "ab_user" in s or "user_session" in s]


def test_the_checks_run_none_of_the_apps_other_request_hooks(app, client):
    """Flask-AppBuilder's user, CSRF, the rate limiter and the menus run before every
    other request; a hook added at the end stands for them."""
    calls = []
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.append(lambda: calls.append(1))
    try:
        client.get("/healthz")
        client.get("/readyz")
        assert calls == []
        client.get("/lacak/")
        assert calls == [1]
    finally:
        hooks.pop()


def test_readyz_answers_ok_when_database_migrations_and_storage_are_ready(app, client):
    before = files_under(app.config["UPLOAD_FOLDER"])
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert files_under(app.config["UPLOAD_FOLDER"]) == before  # the probe file is gone


def test_readyz_is_503_while_the_database_is_down_and_says_nothing_of_it(
        app_without_database):
    with app_without_database.app_context():
        response = app_without_database.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready\n"


@pytest.fixture
def schema_one_migration_behind():
    head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    db.session.commit()


def test_readyz_is_503_until_the_migrations_reach_their_head(client,
                                                              schema_one_migration_behind):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready\n"


def test_readyz_is_503_when_storage_takes_no_file(app, client, monkeypatch, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    monkeypatch.setitem(app.extensions, EXTENSION, LocalFolder(not_a_folder))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready\n"
    assert "a-file" not in response.get_data(as_text=True)


def test_the_reason_goes_to_the_log(app, client, monkeypatch, tmp_path, caplog):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    monkeypatch.setitem(app.extensions, EXTENSION, LocalFolder(not_a_folder))
    client.get("/readyz")
    assert "not ready: storage failed" in caplog.text
