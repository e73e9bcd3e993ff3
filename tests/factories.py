"""Factories with keyword defaults. Tests that change a user create their own, so the
seeded demo users stay as they are."""

import itertools

from flask import current_app
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.security import roles
from models import SiapUser

_serial = itertools.count(1)


def make_user(role=roles.PEMOHON, username=None, password="Rahasia123", **fields):
    n = next(_serial)
    username = username or f"pengguna{n}"
    user = SiapUser(
        username=username,
        first_name=fields.pop("first_name", "Pengguna"),
        last_name=fields.pop("last_name", f"Uji {n}"),
        email=fields.pop("email", f"{username}@example.id"),
        nik=fields.pop("nik", None),
        whatsapp=fields.pop("whatsapp", "+6281299990000"),
        active=True,
        password=generate_password_hash(password),
        roles=[current_app.appbuilder.sm.find_role(role)],
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user
