"""PostgreSQL keeps a connection's prepared statements across transactions that only read
(app/prepared_statements.py), while a transaction that wrote still rolls back."""

import pytest
from sqlalchemy import select, text

from app.extensions import db
from models import PermitType
from tests.support import make_pkkpr
from tests.test_request_overhead import statements_of

# psycopg prepares a statement at its fifth run on a connection (prepare_threshold).
ENOUGH_RUNS_TO_PREPARE = 6
PREPARED = text("SELECT count(*) FROM pg_prepared_statements")


@pytest.fixture(autouse=True)
def _postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (TEST_DATABASE_URL)")


def read_permit_types(connection):
    for _ in range(ENOUGH_RUNS_TO_PREPARE):
        connection.execute(select(PermitType.code)).all()


def test_a_transaction_that_only_read_keeps_the_prepared_statements():
    with db.engine.connect() as connection:
        read_permit_types(connection)
        connection.rollback()
        assert connection.execute(PREPARED).scalar() >= 1


def test_the_explain_of_a_select_counts_as_reading():
    with db.engine.connect() as connection:
        read_permit_types(connection)
        connection.exec_driver_sql("EXPLAIN (FORMAT JSON) SELECT 1").scalar()
        connection.rollback()
        assert connection.execute(PREPARED).scalar() >= 1


def test_a_transaction_that_wrote_rolls_back():
    renamed = text("UPDATE permit_type SET name = 'Diubah' WHERE code = 'PKKPR-NB'")
    with db.engine.connect() as connection:
        read_permit_types(connection)
        assert connection.execute(renamed).rowcount == 1
        read_permit_types(connection)
        connection.rollback()
        names = connection.execute(select(PermitType.name)).scalars().all()
        assert "Diubah" not in names
        assert connection.execute(PREPARED).scalar() == 0  # psycopg forgot them


def test_an_orm_flush_rolls_back_with_its_session():
    permit_type = db.session.scalars(select(PermitType).limit(1)).one()
    original = permit_type.name
    permit_type.name = "Diubah"
    db.session.flush()
    db.session.rollback()
    assert db.session.scalars(select(PermitType.name).where(
        PermitType.id == permit_type.id)).one() == original


def test_a_write_committed_earlier_does_not_make_a_later_read_roll_back():
    with db.engine.connect() as connection:
        connection.execute(text("UPDATE permit_type SET name = name WHERE code = 'PKKPR-NB'"))
        connection.commit()
        read_permit_types(connection)
        connection.rollback()
        assert connection.execute(PREPARED).scalar() >= 1


def test_a_transaction_a_failed_statement_aborted_rolls_back_and_the_connection_goes_on():
    with db.engine.connect() as connection:
        read_permit_types(connection)
        with pytest.raises(Exception, match="division by zero"):
            connection.execute(text("SELECT 1 / 0"))
        connection.rollback()
        assert connection.execute(text("SELECT 2")).scalar() == 2



def only_read(statements):
    assert statements
    return [s for s in statements if not s.lstrip().upper().startswith(("SELECT", "EXPLAIN"))] \
        == []


@pytest.mark.parametrize("url", ["/inboxpkkprnbview/list/", "/allfilespkkprnbview/list/",
                                 "/permohonan/{id}", "/beranda-petugas/", "/statistik/"])
def test_the_pages_staff_read_all_day_write_nothing_so_keep_their_plans(login_as, url):
    file = make_pkkpr("diajukan")
    assert only_read(statements_of(login_as("frontoffice"), url.format(id=file.id)))


def test_public_tracking_writes_nothing_so_keeps_its_plans(client):
    file = make_pkkpr("diajukan")
    assert only_read(statements_of(client, "/lacak/", "post", data={
        "nomor": file.registration_number, "akhiran": "7890"}))
