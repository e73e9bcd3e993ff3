"""Creating and updating user accounts in one transaction each."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from app.errors import InvalidInput
from app.extensions import db
from models import SiapUser

DUPLICATE_MESSAGES = {
    "username": _l("This user name is already taken."),
    "email": _l("This email address is already registered."),
    "nik": _l("This NIK is already registered. Sign in, or ask the front office to help."),
    "nip": _l("This NIP belongs to another account."),
}


@dataclass
class Registration:
    full_name: str
    nik: str
    whatsapp: str
    email: str
    username: str
    password: str


def split_full_name(full_name):
    """FAB keeps first and last name apart; a single-word name keeps an empty last name."""
    first, _, rest = " ".join(full_name.split()).partition(" ")
    return first, rest


def find_duplicates(username=None, email=None, nik=None, nip=None, exclude_user_id=None):
    """Field name → message for each value another account already uses."""
    checks = {
        "username": (func.lower(SiapUser.username), (username or "").lower()),
        "email": (func.lower(SiapUser.email), (email or "").lower()),
        "nik": (SiapUser.nik, nik),
        "nip": (SiapUser.nip, nip),
    }
    found = {}
    for field, (column, value) in checks.items():
        if not value:
            continue
        query = select(SiapUser.id).where(column == value)
        if exclude_user_id is not None:
            query = query.where(SiapUser.id != exclude_user_id)
        if db.session.execute(query.limit(1)).first():
            found[field] = DUPLICATE_MESSAGES[field]
    return found


def register_applicant(registration):
    """Create an active Pemohon account, or raise InvalidInput listing every problem."""
    duplicates = find_duplicates(
        registration.username, registration.email, registration.nik
    )
    if duplicates:
        raise InvalidInput(duplicates)
    sm = current_app.appbuilder.sm
    first_name, last_name = split_full_name(registration.full_name)
    user = SiapUser(
        first_name=first_name,
        last_name=last_name,
        username=registration.username,
        email=registration.email,
        nik=registration.nik,
        whatsapp=registration.whatsapp,
        active=True,
        password=generate_password_hash(registration.password),
        roles=[sm.find_role(current_app.config["AUTH_USER_REGISTRATION_ROLE"])],
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Another registration with the same values won the race.
        db.session.rollback()
        raise InvalidInput(
            find_duplicates(registration.username, registration.email, registration.nik)
            or {"username": DUPLICATE_MESSAGES["username"]}
        ) from None
    return user
