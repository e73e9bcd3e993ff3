"""Two overlapping recommendations for one exclusive asset at the same moment: at most
one passes, guaranteed by PostgreSQL's exclusion constraint even when both passed the
application's check."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.errors import Conflict
from app.extensions import db
from app.workflow import assets
from app.workflow.engine import apply_action
from models import Application
from tests.support import TODAY, make_asset_use, recommendation_input, user
from tests.workflow.test_concurrency import run_concurrently

START = TODAY + timedelta(days=40)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's (TEST_DATABASE_URL)")


def test_two_overlapping_recommendations_at_once_let_exactly_one_pass(app, monkeypatch):
    files = [make_asset_use(), make_asset_use()]
    ids = [f.id for f in files]
    numbers = {f.id: f.registration_number for f in files}
    both_checked = threading.Barrier(2, timeout=20)
    checked_once = threading.local()
    find_clash = assets.clash_with

    def clash_with_after_both_checked(*args, **kwargs):
        """Both threads pass the application's check before either books."""
        clash = find_clash(*args, **kwargs)
        if not getattr(checked_once, "done", False):
            checked_once.done = True
            both_checked.wait()
        return clash

    monkeypatch.setattr(assets, "clash_with", clash_with_after_both_checked)
    results = run_concurrently(app, 2, lambda i: apply_action(
        ids[i], "terbitkan_rekomendasi", user("pengelolaaset"),
        recommendation_input(START + timedelta(days=i), START + timedelta(days=i + 2))).id)
    winners = [r for r in results if isinstance(r, int)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, repr(results)
    assert numbers[winners[0]] in str(losers[0].message)
    db.session.expire_all()
    loser_id = next(i for i in ids if i != winners[0])
    assert db.session.get(Application, loser_id).status == "diteruskan_opd"
    assert db.session.get(Application, winners[0]).status == "menunggu_pembayaran"


def test_the_database_itself_refuses_overlapping_exclusive_bookings():
    first, second = make_asset_use(), make_asset_use()
    book = text("UPDATE asset_use SET booking = 'eksklusif', approved_start = :start, "
                "approved_end = :end WHERE application_id = :id")
    db.session.execute(book, {"id": first.id, "start": START, "end": START})
    with pytest.raises(IntegrityError, match="ex_asset_use_exclusive_booking"):
        db.session.execute(book, {"id": second.id, "start": START, "end": START})
    db.session.rollback()


def test_a_second_booking_of_the_asset_waits_for_the_first_before_writing(app):
    """Bookings of one asset are written one at a time: the second waits for the asset
    itself, not inside the exclusion constraint's check (where two writers at the same
    instant wait for each other: a deadlock), then meets the first's period."""
    first, second = make_asset_use(), make_asset_use()
    ids, number = (first.id, second.id), first.registration_number
    db.session.commit()
    first_booked, first_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def first_books():
        with app.app_context():
            assets.book(db.session.get(Application, ids[0]), START, START + timedelta(days=2))
            first_booked.set()
            first_may_commit.wait(20)
            db.session.commit()
            db.session.remove()

    def second_books():
        with app.app_context():
            try:
                assets.book(db.session.get(Application, ids[1]), START + timedelta(days=1),
                            START + timedelta(days=3))
                outcome["second"] = "booked"
            except Conflict as refusal:
                outcome["second"] = str(refusal.message)
            db.session.rollback()
            db.session.remove()

    threads = [threading.Thread(target=first_books), threading.Thread(target=second_books)]
    threads[0].start()
    assert first_booked.wait(20)
    threads[1].start()
    waiting = text("SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                   "AND datname = current_database()")
    for _ in range(100):
        waits = db.session.execute(waiting).scalars().all()
        db.session.rollback()
        if waits:
            break
        time.sleep(0.05)
    first_may_commit.set()
    for thread in threads:
        thread.join(30)
    assert len(waits) == 1 and "FROM asset " in waits[0] and "FOR NO KEY UPDATE" in waits[0]
    assert number in outcome["second"]
