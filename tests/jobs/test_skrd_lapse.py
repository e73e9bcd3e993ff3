"""An SKRD that falls due unpaid: the day after its due date the scheduled jobs close the
file as lapsed (gugur), release the booked period — which another applicant can then
book — and tell the applicant. Before it passes, the agency may extend the due date
once, with a reason."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.documents.formatting import tanggal
from app.errors import SiapError
from app.extensions import db
from app.jobs import run_due
from app.jobs.deadlines import lapsed_deadlines
from app.workflow.engine import apply_action
from models import HistoryEvent
from tests.assets.test_skrd import recommend
from tests.jobs.test_billing_expiry import morning, reload
from tests.jobs.test_reminders import days_before, messages
from tests.support import make_asset_use, recommendation_input, user

pytestmark = pytest.mark.usefixtures("app")


def recommend_the_same_period(application):
    use = application.asset_use
    other = make_asset_use(start=use.approved_start, end=use.approved_end)
    apply_action(other.id, "terbitkan_rekomendasi", user("pengelolaaset"),
                 recommendation_input(use.approved_start, use.approved_end))
    return reload(other)


def extension(new_due, reason="Pemohon menunggu pencairan dana kegiatan."):
    return MultiDict({"jatuh_tempo_baru": new_due.isoformat(), "alasan": reason})


def test_unpaid_at_the_due_date_the_file_lapses_and_the_period_is_free_again(login_as):
    application, skrd = recommend(login_as)
    due = application.payment_due_on
    with pytest.raises(SiapError):  # booked: nobody else gets the period
        recommend_the_same_period(application)
    # The other file, refused the period, waits with the agency past its service standard:
    # its officers' daily digests are not this test's business.
    deadlines = (lapsed_deadlines,)
    assert run_due(morning(due), jobs=deadlines) == []  # the due date is still in time
    assert [d.job for d in run_due(morning(due + timedelta(days=1)), jobs=deadlines)] == [
        "lapsed_deadlines"]
    application = reload(application)
    assert application.status == "gugur" and application.asset_use.booking is None
    assert application.payment_due_on is None and application.finished_at is not None
    event = db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application.id,
        HistoryEvent.action == "retribusi_lewat_tempo"))
    assert event.data["nomor_skrd"] == skrd.number and event.data["tenggat"] == due.isoformat()
    released = event.data["pemesanan_dilepas"]
    assert released["mulai"] == application.asset_use.approved_start.isoformat()
    told = messages("status_pemohon", application.id)[-1].body
    assert "Gugur" in told and "tidak dibayar" in told
    assert recommend_the_same_period(application).status == "menunggu_pembayaran"
    later = run_due(morning(due + timedelta(days=2)))
    assert application.id not in {d.application_id for d in later}  # taken once


@pytest.fixture
def short_due(app, monkeypatch):
    """Five days to pay, so that the due date can move before the use begins."""
    monkeypatch.setitem(app.config, "SKRD_DUE_DAYS", 5)


@pytest.mark.usefixtures("short_due")
def test_the_agency_extends_the_due_date_once_and_the_file_waits_until_then(login_as):
    application, _ = recommend(login_as)
    due = application.payment_due_on
    new_due = due + timedelta(days=3)
    agency = user("pengelolaaset")
    queue_messages = len(messages("antrian_petugas", application.id))
    apply_action(application.id, "perpanjang_jatuh_tempo", agency, extension(new_due))
    application = reload(application)
    assert application.status == "menunggu_pembayaran" and application.payment_due_on == new_due
    event = db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application.id,
        HistoryEvent.action == "perpanjang_jatuh_tempo"))
    assert event.data == {"jatuh_tempo_lama": due.isoformat(),
                          "jatuh_tempo_baru": new_due.isoformat()}
    assert event.comment == "Pemohon menunggu pencairan dana kegiatan."
    told = messages("status_pemohon", application.id)[-1].body
    assert f"diperpanjang sampai {tanggal(new_due)}" in told
    assert "Alasan perpanjangan: Pemohon menunggu pencairan dana kegiatan." in told
    assert f"paling lambat {tanggal(new_due)}" in told  # the next step, with the amount
    assert len(messages("antrian_petugas", application.id)) == queue_messages  # same queue
    with pytest.raises(SiapError) as twice:
        apply_action(application.id, "perpanjang_jatuh_tempo", agency,
                     extension(new_due + timedelta(days=1)))
    assert "satu kali" in str(twice.value.message)
    after_the_old_date = run_due(morning(due + timedelta(days=1)))
    assert "lapsed_deadlines" not in {d.job for d in after_the_old_date}  # extended
    assert reload(application).status == "menunggu_pembayaran"
    assert len(run_due(days_before(new_due, 1))) == 1  # reminded of the new date
    assert "retribusi" in messages("pengingat_retribusi", application.id)[-1].body


@pytest.mark.usefixtures("short_due")
def test_an_extension_must_be_later_and_before_the_use_begins(login_as):
    application, _ = recommend(login_as)
    agency = user("pengelolaaset")
    for new_due in (application.payment_due_on,
                    application.asset_use.approved_start):
        with pytest.raises(SiapError) as refused:
            apply_action(application.id, "perpanjang_jatuh_tempo", agency, extension(new_due))
        assert "jatuh_tempo_baru" in refused.value.field_errors
    with pytest.raises(SiapError):
        apply_action(application.id, "perpanjang_jatuh_tempo", agency,
                     extension(application.payment_due_on + timedelta(days=1), reason=""))
    assert reload(application).payment_due_on == application.payment_due_on
