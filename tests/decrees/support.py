"""Signed permits to look at: a PKKPR decree and an asset-use permit signed through the
engine, and a way to look at them on another day; files rejected or revoked."""

from datetime import date, datetime, timedelta

from werkzeug.datastructures import MultiDict

from app import office_time
from app.extensions import db
from app.services import revocation
from app.workflow import validity
from app.workflow.engine import apply_action
from models import Application
from tests.signing.test_decree import ready_file
from tests.support import HALL, SIGNING_PASSPHRASE, make_asset_use, user


def sign(application_id):
    apply_action(application_id, "tandatangani", user("kepaladinas"),
                 MultiDict({"passphrase": SIGNING_PASSPHRASE}))
    db.session.expire_all()
    return db.session.get(Application, application_id)


def signed_pkkpr(sk_date=date(2026, 11, 30)):
    application = ready_file()
    application.sk_date = datetime.combine(sk_date, datetime.min.time())
    db.session.commit()
    return sign(application.id)


def signed_asset_use(start=None, end=None):
    start = start or office_time.today() + timedelta(days=30)
    end = end or start + timedelta(days=2)
    application = make_asset_use("siap_ds", asset_name=HALL, start=start, end=end,
                                 booking="eksklusif", fee=1500000)
    application.sk_number = f"503/{application.id:03d}/409.110/2026"
    application.sk_date = datetime.combine(office_time.today(), datetime.min.time())
    db.session.commit()
    return sign(application.id)


def on_day(monkeypatch, day):
    """Make `day` the office's today for the decree states."""
    monkeypatch.setattr(validity, "today", lambda: day)


def rejected(application, action="tolak", username="dpupr", *, reason):
    """The file once `username` rejected it with `reason` through the engine."""
    apply_action(application.id, action, user(username), MultiDict({"alasan": reason}))
    db.session.expire_all()
    return db.session.get(Application, application.id)


def revoked(application, *, reason):
    """The file once the head of office revoked its signed permit."""
    revocation.revoke(application.id, user("kepaladinas"), reason)
    db.session.expire_all()
    return db.session.get(Application, application.id)
