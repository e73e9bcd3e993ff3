"""Two officers at once: exactly one wins; SK numbers stay unique and gapless under
contention. Proven on PostgreSQL (SQLite serialises every writer anyway)."""

import threading

import pytest
from sqlalchemy import func, select

from app.errors import Conflict
from app.extensions import db
from app.workflow import engine
from app.workflow.engine import apply_action
from models import Application, HistoryEvent
from tests.support import action_input, make_pkkpr, user


@pytest.fixture(autouse=True)
def _postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (TEST_DATABASE_URL)")


def run_concurrently(app, count, work):
    """Run work(i) in `count` threads, each in its own app context and session; return
    the results (the value, or the exception raised)."""
    results = [None] * count

    def runner(index):
        with app.app_context():
            try:
                results[index] = work(index)
            except Exception as error:  # noqa: BLE001  (the test inspects it)
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def status_set_once_all_loaded(monkeypatch, parties):
    """The engine sets a status only once `parties` threads have loaded their file: every
    transaction overlaps every other."""
    all_loaded = threading.Barrier(parties, timeout=20)
    set_status = engine.set_status

    def set_status_after_all_loaded(*args, **kwargs):
        all_loaded.wait()
        return set_status(*args, **kwargs)

    monkeypatch.setattr(engine, "set_status", set_status_after_all_loaded)


def test_the_same_action_twice_at_once_succeeds_exactly_once(app, monkeypatch):
    application_id = make_pkkpr("diajukan").id  # threads must not touch this session
    status_set_once_all_loaded(monkeypatch, 2)
    results = run_concurrently(
        app, 2, lambda _: apply_action(application_id, "terima", user("frontoffice")).status
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "str"], repr(results)
    conflict = next(r for r in results if isinstance(r, Conflict))
    assert conflict.message is Conflict.default_message
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == "diterima_fo"
    receipts = db.session.scalar(
        select(func.count(HistoryEvent.id)).where(
            HistoryEvent.application_id == application_id, HistoryEvent.action == "terima"
        )
    )
    assert receipts == 1


def test_sk_numbers_stay_unique_and_gapless_when_back_offices_press_at_once(app):
    count = 8
    files = [make_pkkpr("rekomendasi_terbit").id for _ in range(count)]
    start = threading.Barrier(count, timeout=20)

    def enter_sk_number(index):
        start.wait()
        return apply_action(files[index], "input_nomor_sk", user("backoffice"),
                            action_input("input_nomor_sk")).sk_number

    numbers = run_concurrently(app, count, enter_sk_number)
    assert all(isinstance(n, str) for n in numbers), numbers
    sequence = sorted(int(n.split("/")[1]) for n in numbers)
    assert sequence == list(range(1, count + 1))


def test_the_statistics_summaries_lose_no_count_when_files_move_at_once(app, monkeypatch):
    """Four files of one day and type accepted at once: each transaction adds to the same
    summary rows (one status down, the next up), and every count arrives."""
    from tests.workflow.test_summaries import assert_equal_to_a_rebuild, summaries

    ids = [make_pkkpr("diajukan").id for _ in range(4)]
    status_set_once_all_loaded(monkeypatch, 4)
    results = run_concurrently(
        app, 4, lambda i: apply_action(ids[i], "terima", user("frontoffice")).status)
    assert results == ["diterima_fo"] * 4, repr(results)
    db.session.expire_all()
    files = {row[0]: row[1] for row in summaries()["statistics_files"]}
    assert files == {"diterima_fo": 4}  # the day's row; the month's is the same key
    assert_equal_to_a_rebuild()
