"""Configuration classes, read from the environment.

`SIAP_ENV` chooses the class: ``production`` (the default, used by gunicorn),
``development`` (``make run``) or ``testing`` (the test suite).
"""

import json
import math
import os
import re
import zlib
from collections import Counter
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SIAP_INSTANCE_DIR", BASE_DIR / "instance"))
TRANSLATIONS_DIR = BASE_DIR / "translations"

# Keys that must never be used outside a developer's machine: these words, standing alone
# (a random key may well contain "dev" among its letters).
DEVELOPMENT_SECRET_MARKERS = re.compile(
    r"(^|[^a-z0-9])(dev|development|change-?me|secret|test|example)([^a-z0-9]|$)")


def _flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _channel_list(value):
    return [name.strip() for name in value.split(",") if name.strip()]


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
    # Roles are edited in the role editor; Flask-AppBuilder's raw permission lists
    # (can_add on XyzView) are for developers, not for the office's admin.
    FAB_ADD_SECURITY_PERMISSION_VIEW = False
    FAB_ADD_SECURITY_VIEW_MENU_VIEW = False
    FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW = False
    # The validator itself (app.security.passwords) is set by create_app.
    FAB_PASSWORD_COMPLEXITY_ENABLED = True

    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = True
    AUTH_USER_REGISTRATION_ROLE = "Pemohon"
    RECAPTCHA_ENABLED = False
    # Sign-in attempts per client address, one counter for the page and the API
    # (app/security/http.py; Flask-AppBuilder's own page-only limit stays off).
    AUTH_RATE_LIMITED = False
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    # Per account: wrong passwords in a row before it locks, and the first lock's length
    # (doubling with each further failure, at most a day).
    LOGIN_LOCK_AFTER = int(os.environ.get("LOGIN_LOCK_AFTER", "5"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "5"))
    # The signing passphrase: wrong attempts per signer within the window (web and API).
    PASSPHRASE_MAX_ATTEMPTS = int(os.environ.get("PASSPHRASE_MAX_ATTEMPTS", "5"))
    PASSPHRASE_WINDOW_MINUTES = int(os.environ.get("PASSPHRASE_WINDOW_MINUTES", "15"))
    # A browser session unused for this long ends (server-side, app/security/sessions.py).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
    REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "5 per minute")
    # "Forgot password" (app/security/password_reset.py): a code is good for this long,
    # for this many wrong entries; an account gets at most this many codes an hour; per
    # client address, requests for a code and wrong codes are limited.
    PASSWORD_RESET_MINUTES = int(os.environ.get("PASSWORD_RESET_MINUTES", "30"))
    PASSWORD_RESET_MAX_ATTEMPTS = int(os.environ.get("PASSWORD_RESET_MAX_ATTEMPTS", "5"))
    PASSWORD_RESET_CODES_PER_HOUR = int(os.environ.get("PASSWORD_RESET_CODES_PER_HOUR", "3"))
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "10 per hour")
    PASSWORD_RESET_CODE_RATE_LIMIT = os.environ.get("PASSWORD_RESET_CODE_RATE_LIMIT",
                                                    "20 per hour")
    # Unsuccessful public tracking lookups per address.
    TRACKING_RATE_LIMIT = os.environ.get("TRACKING_RATE_LIMIT", "10 per hour")
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Keys in a shared Redis: one prefix per service, so two services never share counts.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "siap")
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
    # Where stored files live (app/storage/backends.py): unset, UPLOAD_FOLDER;
    # file:///path, that folder; s3://bucket/prefix, a bucket of an S3-compatible store
    # (endpoint for MinIO or a regional cloud; without keys boto3 looks for them itself).
    STORAGE_URL = os.environ.get("STORAGE_URL", "")
    STORAGE_S3_ENDPOINT_URL = os.environ.get("STORAGE_S3_ENDPOINT_URL", "")
    STORAGE_S3_REGION = os.environ.get("STORAGE_S3_REGION", "")
    STORAGE_S3_ACCESS_KEY_ID = os.environ.get("STORAGE_S3_ACCESS_KEY_ID", "")
    STORAGE_S3_SECRET_ACCESS_KEY = os.environ.get("STORAGE_S3_SECRET_ACCESS_KEY", "")
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

    # Every call to another service (Twilio, BSrE): seconds to connect, and to wait for
    # the answer (BSrE signing has its own, longer read timeout).
    HTTP_CONNECT_TIMEOUT = float(os.environ.get("HTTP_CONNECT_TIMEOUT", "5"))
    HTTP_READ_TIMEOUT = float(os.environ.get("HTTP_READ_TIMEOUT", "20"))
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
    # The chain of channels a message tries in turn (README, "Channels"): the default,
    # and per message kind (a template key), e.g. NOTIFICATION_CHANNELS_BY_KIND=
    # '{"akun_dikunci": ["sms", "email"]}'. A recipient without an address for a channel
    # skips it.
    NOTIFICATION_CHANNELS = _channel_list(os.environ.get("NOTIFICATION_CHANNELS",
                                                         "whatsapp,sms,email"))
    NOTIFICATION_CHANNELS_BY_KIND = json.loads(
        os.environ.get("NOTIFICATION_CHANNELS_BY_KIND") or "{}")
    # A WhatsApp or SMS message without a delivery report after this long moves on to the
    # next channel.
    NOTIFICATION_DELIVERY_TIMEOUT_MINUTES = int(
        os.environ.get("NOTIFICATION_DELIVERY_TIMEOUT_MINUTES", "60"))
    # Per message kind, where waiting that long would be too late: a password-reset code
    # is valid PASSWORD_RESET_MINUTES, so its next channel must be tried well before.
    NOTIFICATION_DELIVERY_TIMEOUT_MINUTES_BY_KIND = json.loads(
        os.environ.get("NOTIFICATION_DELIVERY_TIMEOUT_MINUTES_BY_KIND")
        or '{"reset_kata_sandi": 5}')
    # SMS through Twilio (with NOTIFICATION_BACKEND=twilio): the sender number in E.164
    # or a Messaging Service SID (MG...).
    TWILIO_SMS_FROM = os.environ.get("TWILIO_SMS_FROM", "")
    # A walk-in applicant (no account) gets a signed link to a read-only page of their
    # file in each message, valid this many days from that message (app/workflow/walk_in.py).
    WALKIN_LINK_DAYS = int(os.environ.get("WALKIN_LINK_DAYS", "90"))
    # E-mail: "console" (logs it) or "smtp" (Flask-Mailman with the MAIL_* settings).
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "console")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)  # STARTTLS on the submission port
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)  # implicit TLS (port 465) instead
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "SIAP n LOSS <noreply@siapnloss.blitarkab.go.id>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "20"))
    # Retribution invoices (SKRD) for asset use: days to pay. Where to pay and who signs
    # are each agency's SKRD settings (an admin screen), the wording is the SKRD template.
    SKRD_DUE_DAYS = int(os.environ.get("SKRD_DUE_DAYS", "30"))
    # Renewal (perpanjangan): calendar days after a permit's validity ends during which
    # its holder may still renew it rather than apply anew (app/services/renewal.py).
    RENEWAL_GRACE_DAYS = int(os.environ.get("RENEWAL_GRACE_DAYS", "90"))
    # The deadlines' numbers, in working days (app/jobs/): the defaults of every permit
    # type, each of which may override them (Katalog Izin → Jenis Izin; resolved by
    # app/workflow/deadline_settings.py). Reminders: working days before the deadline.
    BILLING_REMINDER_DAYS = (3, 1)  # the PNBP billing code's expiry
    SKRD_REMINDER_DAYS = (3, 1)  # the SKRD's due date
    CORRECTION_DAYS = 14  # for the applicant to correct a file returned to them
    CORRECTION_REMINDER_DAYS = ("50%", 2)  # half-time (a share of the period), 2 days before
    REOPEN_DAYS = 30  # after a file lapsed uncorrected, the front office may reopen it
    VALIDITY_REMINDER_DAYS = (90, 30)  # the end of a permit's validity
    # Daily digests to officers (app/jobs/digests.py), sent by the first pass on or after
    # DIGEST_HOUR (WIB) of each working day: the late files to those who hold their next
    # action, the files past the permit type's service standard also to every user of
    # ESCALATION_ROLE (a role name), the decrees waiting for the signature more than
    # SIGNING_DIGEST_AFTER_DAYS working days to whoever signs them, and the files that
    # entered the queue of an officer who chose a daily digest. A digest lists at most
    # DIGEST_MAX_FILES files and counts the rest (a WhatsApp message stays short).
    DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))
    ESCALATION_ROLE = os.environ.get("ESCALATION_ROLE", "Kepala Dinas")
    SIGNING_DIGEST_AFTER_DAYS = int(os.environ.get("SIGNING_DIGEST_AFTER_DAYS", "1"))
    DIGEST_MAX_FILES = int(os.environ.get("DIGEST_MAX_FILES", "10"))
    # Personal data (UU 27/2022, app/jobs/retention.py): the applicant's uploads of a file
    # (KTP, NPWP, proof of land ownership...) are deleted this many years after the file
    # ended (README, "Personal data"); decrees, issued documents and the register stay. A
    # pass handles at most PERSONAL_DOCUMENT_RETENTION_BATCH files.
    PERSONAL_DOCUMENT_RETENTION_YEARS = int(
        os.environ.get("PERSONAL_DOCUMENT_RETENTION_YEARS", "5"))
    PERSONAL_DOCUMENT_RETENTION_BATCH = int(
        os.environ.get("PERSONAL_DOCUMENT_RETENTION_BATCH", "200"))
    # `flask siap jobs loop`: seconds between passes.
    JOBS_INTERVAL_SECONDS = int(os.environ.get("JOBS_INTERVAL_SECONDS", "300"))
    # Numbers of the revocation decrees and of the rejection letters ({seq}, {year},
    # {month}, {roman_month}, {code}: the permit type). A revocation decree with the SK
    # format of its permit type takes the next number of the same decree register.
    REVOCATION_NUMBER_FORMAT = os.environ.get("REVOCATION_NUMBER_FORMAT",
                                              "503/{seq:03d}/409.110/{year}")
    REJECTION_NUMBER_FORMAT = os.environ.get("REJECTION_NUMBER_FORMAT",
                                             "503/{seq:03d}/SP/409.110/{year}")
    # The public address in decree QR codes and in messages' links, e.g.
    # https://siapnloss.blitarkab.go.id; required in production, in development the address
    # the app is served on (app/links.py).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    # The map's background (app/templates/application/_site_map.html): a tile URL such as
    # https://gis.blitarkab.go.id/tiles/{z}/{x}/{y}.png (the regency's GIS server) or
    # https://tile.openstreetmap.org/{z}/{x}/{y}.png, and the credit it requires. The
    # Content-Security-Policy lets images come from that origin only. Empty: the map draws
    # the shapes on a plain coordinate grid and nothing is requested from another host.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
    # Message texts are personal data: the console backend logs them in development only.
    LOG_MESSAGE_BODIES = False
    # Operations (README, "Operations"): log lines as JSON (production) or text; who may
    # read /metrics (addresses or networks, comma-separated, and/or a bearer token of at
    # least 32 characters); how long the service's gauges are reused between scrapes.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    METRICS_ALLOWED_ADDRESSES = os.environ.get("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    METRICS_GAUGES_SECONDS = int(os.environ.get("METRICS_GAUGES_SECONDS", "30"))


class DevelopmentConfig(Config):
    # Empty: create_app makes one under instance/ (mode 0600) and keeps it there.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    LOG_MESSAGE_BODIES = _flag("LOG_MESSAGE_BODIES", True)
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
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
    # The tests' own folder, whatever the shell says; tests/storage adds a bucket.
    STORAGE_URL = ""


class ProductionConfig(Config):
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


class ConfigurationError(RuntimeError):
    pass


# A secret key must carry at least this many bits by a per-character estimate (random hex
# keys of 32 characters give 93 to 128, of 64 characters 220 to 256).
MIN_SECRET_BITS = 80
# e.g. "abcde" or "54321"; six in a row is a pattern, not chance (1 in 20,000 random keys
# has five).
LONGEST_SEQUENCE = 5


def _estimated_bits(text):
    counts = Counter(text)
    return -sum(n * math.log2(n / len(text)) for n in counts.values())


def _deflated_size(text):
    """Bytes of raw DEFLATE (no header): a key that repeats itself shrinks."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return len(packer.compress(text.encode()) + packer.flush())


def _longest_sequence(text):
    """The length of the longest run such as "abcd" or "4321"."""
    longest, run, direction = 1, 1, 0
    for previous, current in zip(text, text[1:], strict=False):
        step = ord(current) - ord(previous)
        if step in (1, -1):
            run = run + 1 if step == direction else 2
            direction = step
        else:
            run, direction = 1, 0
        longest = max(longest, run)
    return longest


def weak_secret_reason(key):
    """Why a SECRET_KEY is not fit for production, or None."""
    if len(key) < 32:
        return "it is missing or shorter than 32 characters"
    if DEVELOPMENT_SECRET_MARKERS.search(key.lower()):
        return "it is a development key"
    if _longest_sequence(key) > LONGEST_SEQUENCE:
        return "it contains a run of sequential characters"
    if _estimated_bits(key) < MIN_SECRET_BITS or _deflated_size(key) < len(key) // 2:
        return "it repeats characters or patterns (low entropy)"
    return None


def check_production_config(config):
    """Refuse to serve real users with a weak secret, debugging on, or no database or
    public address."""
    reason = weak_secret_reason(config.get("SECRET_KEY") or "")
    if reason:
        raise ConfigurationError(
            f"SECRET_KEY is not fit for production: {reason}. Set a random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if config.get("DEBUG"):
        raise ConfigurationError("Debugging is on (FLASK_DEBUG): never in production.")
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigurationError("DATABASE_URL is not set (a PostgreSQL URL in production).")
    if not (config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        raise ConfigurationError(
            "PUBLIC_BASE_URL is not set to the https:// address the public uses (it is "
            "printed in decree QR codes and in notification links).")
