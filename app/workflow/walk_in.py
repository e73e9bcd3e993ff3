"""The link a walk-in applicant gets in every message: an applicant registered by the front
office has no account (the file's owner_id is None), so their file page would ask for a
login they cannot give. Their messages carry a signed link to a read-only page of that
file instead, where the signed decree (and a rejection letter or revocation decree) can
be downloaded.

The link is signed with the app's SECRET_KEY under a salt of its own (itsdangerous):
nothing is stored. It is bound to the file and to the WhatsApp number it was sent to (a
corrected number ends the links sent to the wrong one), and it expires
WALKIN_LINK_DAYS days after the message that carried it; each message brings a fresh one.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.errors import NotFound, SiapError
from app.extensions import db
from app.links import public_url
from models import Application

SALT = "siap.walk-in-link"


class LinkNotValid(NotFound):
    default_message = _l("This link is not valid. Open the link exactly as it came in your "
                         "message, or track your application with its registration number.")


class LinkExpired(SiapError):
    status_code = 410
    default_message = _l("This link has expired. The link in the latest message about your "
                         "application works; you can also track it with its registration "
                         "number, or ask the DPMPTSP front office.")


def is_walk_in(application):
    return application.owner_id is None


def _serializer(application):
    salt = f"{SALT}:{application.id}:{application.applicant_whatsapp or ''}"
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def link_token(application):
    return _serializer(application).dumps(application.id)


def link_url(application):
    return public_url(f"/berkas/{application.id}/{link_token(application)}")


def open_link(application_id, token):
    """The walk-in file the link opens; LinkNotValid for a link that was never given
    (tampered, another file's, a file with an account), LinkExpired for one given more
    than WALKIN_LINK_DAYS days ago."""
    application = db.session.get(Application, application_id)
    if application is None or not is_walk_in(application) or not token:
        raise LinkNotValid()
    max_age = current_app.config["WALKIN_LINK_DAYS"] * 24 * 3600
    try:
        opened = _serializer(application).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired() from None
    except BadSignature:
        raise LinkNotValid() from None
    if opened != application.id:
        raise LinkNotValid()
    return application
