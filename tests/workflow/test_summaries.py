"""The statistics' summaries (models/statistics.py) stay equal to what a rebuild from the
files computes, whatever writes the files: the engine's transitions, the clock, a
survey answer, a revocation, a correction of a date, a deletion. Run on SQLite and on
PostgreSQL (TEST_DATABASE_URL)."""

from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import office_time
from app.extensions import db
from app.services import survey
from app.workflow.engine import apply_action
from app.workflow.summaries import rebuild
from models import SKM_ELEMENTS, Application, SurveyResponse
from models.application import utcnow
from models.statistics import SUMMARY_MODELS, FileCount
from tests.decrees.support import rejected, revoked, signed_asset_use, signed_pkkpr
from tests.support import action_input, make_asset_use, make_pkkpr, returned_pkkpr, user


def summaries():
    """Every summary's rows with a non-zero counter, as plain tuples."""
    db.session.flush()
    tables = {}
    for model in SUMMARY_MODELS:
        table = model.__table__
        counters = [c for c in table.c if not c.primary_key and c.name != "month"]
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [tuple(row) for row in rows
                              if any(getattr(row, c.name) for c in counters)]
    return tables


def assert_equal_to_a_rebuild():
    kept = summaries()
    rebuild(db.session.connection())
    assert summaries() == kept
    db.session.commit()


def act(application, action, username, **data):
    formdata = action_input(action)
    formdata.update(MultiDict(data))
    apply_action(application.id, action, user(username), formdata)
    db.session.expire_all()
    return db.session.get(Application, application.id)


def days_ago(application, days):
    """As if the file had entered its status `days` days ago (its stage then lasts)."""
    application.status_changed_at = utcnow() - timedelta(days=days)
    if application.clock_running_since is not None:
        application.clock_running_since = application.status_changed_at
    db.session.commit()
    return application


def test_the_summaries_equal_a_rebuild_after_a_mixed_series_of_real_transitions():
    submitted = make_pkkpr("draft")
    submitted = act(submitted, "ajukan", "pemohon")
    days_ago(submitted, 9)
    submitted = act(submitted, "terima", "frontoffice")
    days_ago(submitted, 4)
    act(submitted, "teruskan_pemeriksa", "frontoffice")

    returned = days_ago(returned_pkkpr(), 3)  # paused: waits on the applicant
    act(returned, "tarik_permohonan", "pemohon", alasan="Kegiatan tidak jadi")

    refused = days_ago(make_pkkpr("diteruskan_dinas"), 12)
    rejected(refused, reason="Tidak sesuai rencana tata ruang")

    signed = signed_pkkpr()  # finished: counted in the clock histogram
    survey.submit_survey(signed.id, user("pemohon"),
                         MultiDict(dict.fromkeys(SKM_ELEMENTS, "3")))
    signed_asset_use()
    make_asset_use("diteruskan_opd")
    revoked(signed, reason="Izin dipakai untuk kegiatan lain")  # leaves the granted states
    assert_equal_to_a_rebuild()

    # A correction of the submission date moves the file, its stages and its answer.
    moved = db.session.get(Application, submitted.id)
    moved.submitted_at -= timedelta(days=40)
    db.session.commit()
    assert_equal_to_a_rebuild()

    # Files deleted with their history and their answer take their counts with them.
    answered = make_pkkpr("ditolak")
    db.session.add(SurveyResponse(application=answered, respondent_id=user("pemohon").id,
                                  **dict.fromkeys(SKM_ELEMENTS, 2)))
    db.session.commit()
    assert_equal_to_a_rebuild()
    db.session.delete(answered)
    db.session.delete(db.session.get(Application, submitted.id))
    db.session.commit()
    assert_equal_to_a_rebuild()


def test_a_rebuild_changes_nothing_when_run_twice():
    make_pkkpr("diperiksa")
    signed_pkkpr()
    rebuild(db.session.connection())
    first = summaries()
    rebuild(db.session.connection())
    assert summaries() == first
    assert first["statistics_files"] and first["statistics_clock"]


def test_a_withdrawn_file_counts_under_its_new_status():
    application = make_pkkpr("diajukan")
    act(application, "tarik_permohonan", "pemohon", alasan="Salah pilih jenis izin")
    statuses = db.session.scalars(select(FileCount.status).where(FileCount.files > 0)).all()
    assert statuses == ["ditarik"] * 3  # its day, its month and all time
    assert_equal_to_a_rebuild()


def test_without_a_date_range_the_histograms_are_read_from_all_time_rows_only():
    """The stage and clock histograms have a row per working day, type and status in
    every month: read per month, a million files over years would be many rows; their
    all-time rows are as few at a million files as at a thousand."""
    from app.services import statistics as stats
    from models.statistics import ALL_TIME, StageCount

    apply_action(make_pkkpr("diajukan").id, "terima", user("frontoffice"))
    db.session.commit()
    everything = stats.StatisticsFilter()
    before = stats.stage_times(user("frontoffice"), everything)
    assert [(s.status, s.transitions) for s in before] == [("diajukan", 1)]
    # Empty every row but the all-time ones: without a date range nothing changes.
    db.session.execute(StageCount.__table__.update().where(StageCount.day != ALL_TIME)
                       .values(transitions=0))
    assert stats.stage_times(user("frontoffice"), everything) == before
    month = office_time.today().replace(day=1)  # a range of days: their rows, now empty
    assert stats.stage_times(user("frontoffice"), stats.StatisticsFilter(
        start=month, end=month + timedelta(days=27))) == []
    db.session.rollback()
