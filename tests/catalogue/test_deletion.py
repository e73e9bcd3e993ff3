"""A requirement, permit type, agency or asset that files use cannot be deleted."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from models import Requirement
from tests.support import make_pkkpr, pkkpr_type


def test_the_database_refuses_deleting_a_used_requirement_behind_the_screens():
    make_pkkpr("diajukan")
    requirement = pkkpr_type().requirements[0]
    with pytest.raises(IntegrityError):
        db.session.execute(text("DELETE FROM permit_requirement WHERE id = :id"),
                           {"id": requirement.id})
    db.session.rollback()
    assert db.session.get(Requirement, requirement.id) is not None
