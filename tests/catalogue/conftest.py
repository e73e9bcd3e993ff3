"""The tests here change seeded catalogue rows (deactivate them, make a requirement
mandatory); the baseline reset only removes added rows, so they are put back."""

import pytest
from sqlalchemy import select, update

from app.extensions import db
from models import Agency, Asset, PermitCategory, PermitType, Requirement

CATALOGUE = (PermitCategory, PermitType, Requirement, Agency, Asset)


@pytest.fixture(autouse=True)
def _seeded_catalogue_restored():
    with db.engine.connect() as connection:
        saved = {model: connection.execute(select(model.__table__)).mappings().all()
                 for model in CATALOGUE}
    yield
    db.session.rollback()
    with db.engine.begin() as connection:
        for model, rows in saved.items():
            table = model.__table__
            for row in rows:
                connection.execute(update(table).where(table.c.id == row["id"])
                                   .values(**dict(row)))
