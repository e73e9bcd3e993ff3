"""Configuration classes, read from the environment.

`SIAP_ENV` chooses the class: ``production`` (the default, used by gunicorn),
``development`` (``make run``) or ``testing`` (the test suite).
"""

import os
import secrets
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SIAP_INSTANCE_DIR", BASE_DIR / "instance"))
TRANSLATIONS_DIR = BASE_DIR / "translations"

# Keys that must never be used outside a developer's machine.
DEVELOPMENT_SECRET_MARKERS = ("dev", "change-me", "changeme", "secret", "test")


def _flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key():
    """A random key generated once per checkout and kept under instance/."""
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
    return key_file.read_text().strip()


class Config:
    APP_NAME = "SIAP n LOSS"
    APP_ICON = ""
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Flask-AppBuilder: the schema comes from Alembic migrations and permissions
    # are synchronised by `flask siap seed-roles`, never at start-up.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = _flag("FAB_UPDATE_PERMS", False)
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.SiapSecurityManager"
    FAB_INDEX_VIEW = "views.home.HomeView"
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = False
    # The validator itself (app.security.passwords) is set by create_app.
    FAB_PASSWORD_COMPLEXITY_ENABLED = True

    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = True
    AUTH_USER_REGISTRATION_ROLE = "Pemohon"
    RECAPTCHA_ENABLED = False
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "5 per minute")
    # Unsuccessful public tracking lookups per address.
    TRACKING_RATE_LIMIT = os.environ.get("TRACKING_RATE_LIMIT", "10 per hour")
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(TRANSLATIONS_DIR)
    LANGUAGES = {
        "id": {"flag": "id", "name": "Bahasa Indonesia"},
        "en": {"flag": "gb", "name": "English"},
    }

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Number of reverse proxies in front of the app (X-Forwarded-For/-Proto).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Uploaded files live outside every static folder and are served only
    # through permission-checked endpoints.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "25")) * 1024 * 1024
    # Every uploaded PDF and image is parsed in a child process (app/storage/inspector.py)
    # with at most this much CPU time and memory; a file that needs more is refused.
    UPLOAD_CHECK_SECONDS = float(os.environ.get("UPLOAD_CHECK_SECONDS", "2"))
    UPLOAD_CHECK_MEMORY_MB = int(os.environ.get("UPLOAD_CHECK_MEMORY_MB", "768"))
    # Larger images are refused (a decompression bomb decodes to gigabytes).
    UPLOAD_IMAGE_MAX_PIXELS = int(os.environ.get("UPLOAD_IMAGE_MAX_PIXELS", "50000000"))
    # PDFs with more objects are refused before they are walked (scans and office
    # documents have a few thousand).
    UPLOAD_PDF_MAX_OBJECTS = int(os.environ.get("UPLOAD_PDF_MAX_OBJECTS", "100000"))

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD")

    # Digital signatures: "local" (development; a CA under instance/signing) or "bsre".
    SIGNING_BACKEND = os.environ.get("SIGNING_BACKEND", "local")
    BSRE_URL = os.environ.get("BSRE_URL", "")
    BSRE_USERNAME = os.environ.get("BSRE_USERNAME", "")
    BSRE_PASSWORD = os.environ.get("BSRE_PASSWORD", "")
    BSRE_TIMEOUT = float(os.environ.get("BSRE_TIMEOUT", "30"))
    # WhatsApp notifications: "console" (logs them) or "twilio".
    NOTIFICATION_BACKEND = os.environ.get("NOTIFICATION_BACKEND", "console")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
    TWILIO_WHATSAPP_FROM = os.environ.get("TWILIO_WHATSAPP_FROM", "")
    NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "6"))
    NOTIFICATION_RETRY_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_SECONDS", "30"))
    # Retribution invoices (SKRD) for asset use: days to pay, and how to pay.
    SKRD_DUE_DAYS = int(os.environ.get("SKRD_DUE_DAYS", "30"))
    SKRD_PAYMENT_INSTRUCTIONS = os.environ.get(
        "SKRD_PAYMENT_INSTRUCTIONS",
        "Bayar melalui teller atau kanal elektronik Bank Jatim ke Rekening Kas Umum Daerah "
        "Kabupaten Blitar dengan menyebut nomor SKRD ini, lalu unggah bukti bayar di "
        "SIAP n LOSS.",
    )
    # The public address printed in decree QR codes, e.g. https://siapnloss.blitarkab.go.id
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'siap.db'}"
    )
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestingConfig(DevelopmentConfig):
    TESTING = True
    SECRET_KEY = "test-only-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class ProductionConfig(Config):
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


class ConfigurationError(RuntimeError):
    pass


def check_production_config(config):
    """Refuse to serve real users with a missing or development secret."""
    key = config.get("SECRET_KEY") or ""
    if len(key) < 32 or any(marker in key.lower() for marker in DEVELOPMENT_SECRET_MARKERS):
        raise ConfigurationError(
            "SECRET_KEY is missing or is a development key: set a random value of "
            "at least 32 characters (python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigurationError("DATABASE_URL is not set (a PostgreSQL URL in production).")
