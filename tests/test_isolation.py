"""Each test starts from the seeded data: a seeded row a test edits is put back."""

from app.extensions import db
from tests.support import permit_type

HALL_TYPE = "ASET-GEDUNG-PERTEMUAN"


def test_a_test_edits_a_seeded_permit_type():
    hall = permit_type(HALL_TYPE)
    assert hall.renewable and hall.active
    hall.renewable = hall.active = False
    db.session.commit()


def test_the_next_test_finds_it_as_seeded():
    hall = permit_type(HALL_TYPE)
    assert hall.renewable and hall.active
