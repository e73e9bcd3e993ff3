"""Fixtures of the scheduled jobs' tests."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.workflow.deadline_settings import SETTINGS
from models import PermitType


@pytest.fixture
def deadline_settings():
    """deadline_settings("PKKPR-NB", correction_days=5, ...) gives that permit type its
    own deadline settings; every permit type is back on the defaults afterwards (the
    seeded rows are not reset between tests)."""

    def override(code, **settings):
        permit_type = db.session.scalar(select(PermitType).where(PermitType.code == code))
        for name, value in settings.items():
            setattr(permit_type, name, value)
        db.session.commit()
        return permit_type

    yield override
    db.session.rollback()
    for permit_type in db.session.scalars(select(PermitType)):
        for setting in SETTINGS:
            setattr(permit_type, setting.name, None)
    db.session.commit()
