"""Daily digests to officers, taken by `run_due` at chosen moments on files moved through
the engine: late files to the officers holding their next action (of the file's agency
only), files past the service standard also to the escalation role, decrees waiting for
the signature to the head of office, and the queue of an officer who chose a daily digest
instead of a message per file. Each goes once a working day, however often a pass runs,
and again the next day."""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import event, func, select

from app.extensions import db
from app.jobs import run_due
from app.jobs.cli import _moment
from app.jobs.digests import late_files_digest
from app.security import roles
from app.workflow import clock, engine
from app.workflow.engine import apply_action
from models import Agency, InAppNotification, JobAction, OutboxMessage, StageTarget
from tests.factories import make_user
from tests.jobs.test_reminders import messages
from tests.signing.test_decree import ready_file
from tests.support import action_input, make_asset_use, make_pkkpr, permit_type, user

HALL_TYPE = "ASET-GEDUNG-PERTEMUAN"  # service standard: 5 working days



def link(body):
    """The link a digest gives (on the line before the signature)."""
    return next(word for word in body.split() if word.startswith("http"))

def working_day(days):
    """The office's date `days` working days from today."""
    return clock.working_calendar().add(clock.today(), days)


def at(day, hour=8, minute=0):
    """That day at that hour, WIB, as a pass's moment."""
    return _moment(f"{day.isoformat()}T{hour:02d}:{minute:02d}")


def stage_target(code, status, days):
    db.session.add(StageTarget(permit_type_id=permit_type(code).id, status=status, days=days))
    db.session.commit()


def received_by_the_front_office():
    """A PKKPR file the front office received (through the engine): it waits for the front
    office to forward it to the examiner."""
    application = make_pkkpr("diajukan")
    apply_action(application.id, "terima", user("frontoffice"))
    return application


def with_the_managing_agency():
    """A hall file the examiner forwarded to BPKAD (through the engine)."""
    application = make_asset_use("diperiksa")
    apply_action(application.id, "teruskan_dinas", user("pemeriksa"))
    return application


def waiting_for_the_signature():
    application = ready_file("rekomendasi_terbit")
    apply_action(application.id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))
    return application


def recipients(key):
    return sorted(m.recipient_user_id for m in messages(key))


def digest_to(username, key):
    found = [m for m in messages(key) if m.recipient_user_id == user(username).id]
    assert len(found) == 1, f"{username}: {len(found)} digests {key}"
    return found[0].body


@pytest.fixture
def acting_at(monkeypatch):
    """Officers act at a chosen moment (the engine's clock)."""

    def _at(moment):
        monkeypatch.setattr(engine, "utcnow", lambda: moment)

    return _at


# --- late files --------------------------------------------------------------------------


def test_a_file_past_its_stage_target_goes_to_each_officer_who_moves_it_on_once_a_day():
    stage_target("PKKPR-NB", "diterima_fo", 2)
    late = received_by_the_front_office()
    make_pkkpr("diperiksa")  # no stage target: on time
    second = make_user(roles.FRONT_OFFICE, username="fo.kedua")
    assert run_due(at(working_day(2))) == []  # two days in: still within the target
    taken = run_due(at(working_day(3)))
    assert [d.job for d in taken] == ["late_files_digest"] * 2
    assert recipients("ringkasan_terlambat") == sorted([user("frontoffice").id, second.id])
    body = digest_to("frontoffice", "ringkasan_terlambat")
    assert "1 berkas melewati target waktu" in body
    assert (f"{late.registration_number} (PKKPR Non Berusaha, Diterima Front Office): "
            "1 hari kerja lewat target tahap") in body
    assert "standar pelayanan" not in body
    assert link(body).endswith("/inboxview/list/")
    assert run_due(at(working_day(3), 10)) == []  # the same day again: nothing more
    assert len(messages("ringkasan_terlambat")) == 2
    next_day = run_due(at(working_day(4)))
    assert len(next_day) == 2
    assert "2 hari kerja lewat target tahap" in messages("ringkasan_terlambat")[-1].body


def test_no_digest_before_the_hour_nor_on_a_day_off(app):
    stage_target("PKKPR-NB", "diterima_fo", 1)
    received_by_the_front_office()
    day = working_day(3)
    assert run_due(at(day, app.config["DIGEST_HOUR"] - 1, 59)) == []
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    assert run_due(at(saturday, 9)) == []
    assert len(run_due(at(day, app.config["DIGEST_HOUR"]))) == 1


def test_an_agencys_late_file_goes_to_its_own_officers_not_to_another_agencys():
    stage_target(HALL_TYPE, "diteruskan_opd", 1)
    late = with_the_managing_agency()
    other_agency = db.session.scalar(select(Agency).where(Agency.code != "BPKAD"))
    stranger = make_user(roles.PENGELOLA_ASET, username="aset.lain", agency_id=other_agency.id)
    run_due(at(working_day(2)))
    assert recipients("ringkasan_terlambat") == [user("pengelolaaset").id]
    assert stranger.id not in recipients("ringkasan_terlambat")
    assert late.registration_number in digest_to("pengelolaaset", "ringkasan_terlambat")


def test_past_the_service_standard_a_file_also_goes_to_the_escalation_role():
    stage_target("PKKPR-NB", "diterima_fo", 2)
    behind_its_stage = received_by_the_front_office()  # PKKPR: 20 days to the standard
    past_the_standard = with_the_managing_agency()  # a hall: 5 days
    run_due(at(working_day(6)))
    assert recipients("ringkasan_terlambat") == sorted(
        user(name).id for name in ("frontoffice", "pengelolaaset", "kepaladinas"))
    head = digest_to("kepaladinas", "ringkasan_terlambat")
    assert past_the_standard.registration_number in head
    assert "1 hari kerja lewat standar pelayanan" in head
    assert behind_its_stage.registration_number not in head
    assert link(head).endswith("/allapplicationsview/list/")  # none of them waits for the head
    assert past_the_standard.registration_number not in digest_to("frontoffice",
                                                                  "ringkasan_terlambat")


def test_the_escalation_role_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "ESCALATION_ROLE", roles.KEPALA_BIDANG_PERIZINAN)
    past_the_standard = with_the_managing_agency()
    run_due(at(working_day(6)))
    assert recipients("ringkasan_terlambat") == sorted(
        user(name).id for name in ("pengelolaaset", "kabidperizinan"))
    assert past_the_standard.registration_number in digest_to("kabidperizinan",
                                                              "ringkasan_terlambat")


def test_a_digest_lists_a_limited_number_of_files_and_counts_the_rest(app, monkeypatch):
    monkeypatch.setitem(app.config, "DIGEST_MAX_FILES", 2)
    stage_target("PKKPR-NB", "diterima_fo", 1)
    files = [received_by_the_front_office() for _ in range(3)]
    run_due(at(working_day(2)))
    body = digest_to("frontoffice", "ringkasan_terlambat")
    assert "3 berkas melewati target waktu" in body and "dan 1 berkas lainnya" in body
    assert sum(f.registration_number in body for f in files) == 2
    assert body.count("\n") == 2  # the list is one line: a WhatsApp template variable
    # may not hold a line break


def statements_listing_the_late_digests(moment):
    statements = []

    def count(*_):
        statements.append(1)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        listed = list(late_files_digest(moment))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return listed, len(statements)


def test_listing_the_late_files_takes_as_many_queries_for_many_files_as_for_few():
    stage_target("PKKPR-NB", "diterima_fo", 1)
    stage_target(HALL_TYPE, "diteruskan_opd", 1)
    moment = at(working_day(6))
    for _ in range(2):
        received_by_the_front_office()
        with_the_managing_agency()
    few, few_statements = statements_listing_the_late_digests(moment)
    for _ in range(4):
        received_by_the_front_office()
        with_the_managing_agency()
    many, many_statements = statements_listing_the_late_digests(moment)
    assert len(few) == len(many) == 3  # front office, the agency, the head (hall files)
    assert many_statements == few_statements


# --- decrees waiting for the signature ---------------------------------------------------


def test_decrees_waiting_more_than_a_working_day_go_into_the_head_of_offices_digest():
    waiting = [waiting_for_the_signature() for _ in range(2)]
    assert [d.job for d in run_due(at(working_day(1)))] == []  # one day: not yet
    taken = run_due(at(working_day(2)))
    assert [d.job for d in taken] == ["signing_digest"]
    assert recipients("ringkasan_tanda_tangan") == [user("kepaladinas").id]
    body = digest_to("kepaladinas", "ringkasan_tanda_tangan")
    assert "2 berkas menunggu tanda tangan Anda lebih dari 1 hari kerja" in body
    assert all(f.registration_number in body for f in waiting)
    assert "2 hari kerja" in body and link(body).endswith("/tandatangan/")
    assert run_due(at(working_day(2), 15)) == []
    assert [d.job for d in run_due(at(working_day(3)))] == ["signing_digest"]


def test_a_signed_decree_leaves_the_signing_digest():
    waiting, signed = waiting_for_the_signature(), waiting_for_the_signature()
    apply_action(signed.id, "tandatangani", user("kepaladinas"),
                 action_input("tandatangani"))
    run_due(at(working_day(2)))
    body = digest_to("kepaladinas", "ringkasan_tanda_tangan")
    assert "1 berkas menunggu tanda tangan" in body
    assert waiting.registration_number in body and signed.registration_number not in body


# --- the officer's choice: a daily digest instead of a message per file ------------------


def submitted(applicant="pemohon"):
    application = make_pkkpr("draft", owner=applicant)
    apply_action(application.id, "ajukan", user(applicant))
    return application


def test_an_officer_who_chose_the_digest_gets_no_message_per_file_but_the_notification():
    daily = make_user(roles.FRONT_OFFICE, username="fo.harian", queue_messages="daily_digest")
    application = submitted()
    queue = messages("antrian_petugas", application.id)
    assert user("frontoffice").id in {m.recipient_user_id for m in queue}
    assert daily.id not in {m.recipient_user_id for m in queue}
    noted = db.session.scalars(select(InAppNotification).where(
        InAppNotification.user_id == daily.id,
        InAppNotification.application_id == application.id)).all()
    assert len(noted) == 1 and application.registration_number in noted[0].text


def test_the_daily_digest_lists_the_files_that_entered_the_queue_since_the_last_one(
        acting_at):
    daily = make_user(roles.FRONT_OFFICE, username="fo.harian", queue_messages="daily_digest")
    first = submitted()
    day = working_day(1)
    taken = run_due(at(day))
    assert [d.job for d in taken] == ["queue_digest"]
    assert recipients("ringkasan_antrean") == [daily.id]
    body = messages("ringkasan_antrean")[0].body
    assert "1 berkas baru masuk ke antrean Anda" in body
    assert f"{first.registration_number} (PKKPR Non Berusaha, Diajukan)" in body
    assert "Seluruhnya 1 berkas menunggu tindakan Anda" in body
    assert link(body).endswith("/inboxview/list/")
    assert run_due(at(day, 16)) == []  # twice the same day: nothing more
    acting_at(at(day, 14))  # a file arrives in the afternoon
    second = submitted()
    assert run_due(at(day, 17)) == []
    run_due(at(working_day(2)))
    latest = messages("ringkasan_antrean")[-1].body
    assert len(messages("ringkasan_antrean")) == 2
    assert second.registration_number in latest and first.registration_number not in latest
    assert "Seluruhnya 2 berkas" in latest
    assert run_due(at(working_day(3))) == []  # nothing new: no digest


def test_officers_of_a_message_per_file_get_no_queue_digest():
    submitted()
    assert run_due(at(working_day(1))) == []
    assert messages("ringkasan_antrean") == []


# --- previewing ---------------------------------------------------------------------------


def test_a_dry_run_lists_one_line_per_digest_and_changes_nothing(app):
    stage_target("PKKPR-NB", "diterima_fo", 1)
    received_by_the_front_office()
    waiting_for_the_signature()
    moment = at(working_day(2))
    wib = (moment + timedelta(hours=7)).isoformat()
    outbox_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    result = CliRunner().invoke(app.cli, ["siap", "jobs", "run-due", "--now", wib,
                                          "--dry-run"], catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if line.startswith("[dry-run]")]
    assert len(lines) == 2
    assert "ringkasan berkas terlambat untuk Sari Front Office (frontoffice): 1 berkas" in \
        result.output
    assert "ringkasan berkas menunggu tanda tangan untuk Kepala DPMPTSP (kepaladinas)" in \
        result.output
    assert "2 action(s) would be taken" in result.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == outbox_before
    assert db.session.scalar(select(func.count()).select_from(JobAction)) == 0
    assert len(run_due(moment)) == 2  # the real pass still sends them


# --- where the officer chooses ------------------------------------------------------------


def test_an_officer_chooses_the_daily_digest_in_their_profile(login_as):
    officer = make_user(roles.BACK_OFFICE, username="rina")
    client = login_as("rina")
    form = client.get("/profil/form").get_data(as_text=True)
    assert "Pesan tentang antrean saya" in form and "Satu ringkasan harian" in form
    response = client.post("/profil/form", data={
        "first_name": officer.first_name, "last_name": officer.last_name,
        "email": officer.email, "whatsapp": officer.whatsapp,
        "queue_messages": "daily_digest"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(officer), officer.id).queue_messages == "daily_digest"


def test_an_applicants_profile_does_not_offer_the_digest(login_as):
    make_user(roles.PEMOHON, username="ani")
    assert 'name="queue_messages"' not in login_as("ani").get("/profil/form").get_data(
        as_text=True)


def test_the_admin_sets_an_officers_choice_in_the_user_screen(login_as):
    officer = make_user(roles.FRONT_OFFICE, username="fo.admin")
    admin = login_as("admin")
    page = admin.get(f"/users/edit/{officer.id}").get_data(as_text=True)
    assert 'name="queue_messages"' in page
    response = admin.post(f"/users/edit/{officer.id}", data={
        "first_name": officer.first_name, "last_name": officer.last_name,
        "username": officer.username, "email": officer.email, "active": "y",
        "roles": str(officer.roles[0].id), "whatsapp": officer.whatsapp, "nik": "",
        "nip": "", "pangkat_golongan": "", "queue_messages": "daily_digest"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(officer), officer.id).queue_messages == "daily_digest"
    shown = admin.get(f"/users/show/{officer.id}").get_data(as_text=True)
    assert "Satu ringkasan harian" in shown


def test_a_form_without_the_choice_keeps_a_message_per_file(login_as):
    officer = make_user(roles.BACK_OFFICE, username="rina")
    login_as("rina").post("/profil/form", data={
        "first_name": "Rina", "last_name": officer.last_name, "email": officer.email,
        "whatsapp": officer.whatsapp})
    db.session.expire_all()
    assert db.session.get(type(officer), officer.id).queue_messages == "each_file"


def test_an_unknown_choice_is_refused(login_as):
    make_user(roles.BACK_OFFICE, username="rina")
    page = login_as("rina").post("/profil/form", data={
        "first_name": "Rina", "last_name": "X", "whatsapp": "+6281200009999",
        "queue_messages": "hourly"}).get_data(as_text=True)
    assert "Pilihan tidak valid" in page
    assert user("rina").queue_messages == "each_file"


def test_new_message_kinds_have_templates():
    from app.notifications.templates import DEFAULTS, check_template

    for key in ("ringkasan_terlambat", "ringkasan_tanda_tangan", "ringkasan_antrean"):
        assert check_template(key, DEFAULTS[key][2]) is None
