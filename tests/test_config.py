"""Production refuses to start without a real secret key and database URL."""

import secrets

import pytest

from app import create_app
from config import ConfigurationError

STRONG_KEY = secrets.token_hex(32)
PUBLIC = "https://siapnloss.blitarkab.go.id"


@pytest.mark.parametrize("key", [None, "", "short", "dev-key-change-me-please-0123456789abcdef"])
def test_production_refuses_a_missing_or_development_secret_key(key):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=key, SQLALCHEMY_DATABASE_URI="sqlite://",
                   PUBLIC_BASE_URL=PUBLIC)


def test_production_refuses_to_start_without_a_database_url():
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app("production", SECRET_KEY=STRONG_KEY, SQLALCHEMY_DATABASE_URI=None,
                   PUBLIC_BASE_URL=PUBLIC)


def test_production_starts_with_a_strong_key_and_secure_cookies():
    app = create_app("production", SECRET_KEY=STRONG_KEY, SQLALCHEMY_DATABASE_URI="sqlite://",
                     PUBLIC_BASE_URL=PUBLIC)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["FAB_CREATE_DB"] is False


def test_the_upload_folder_is_outside_every_static_folder(app):
    from pathlib import Path

    upload = Path(app.config["UPLOAD_FOLDER"]).resolve()
    static_folders = [Path(app.static_folder).resolve()]
    static_folders += [Path(bp.static_folder).resolve() for bp in app.blueprints.values()
                       if bp.static_folder]
    assert all(static not in upload.parents and static != upload for static in static_folders)
