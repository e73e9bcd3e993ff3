"""The officer's home page (issue 17): the files waiting for each action the officer
holds, late files first with the working days past their target, the walk-in files they
registered, and what they finished today; staff land there, the head of office lands
on the signing page with the number waiting in the menu."""

import re
from datetime import timedelta

import pytest
from flask import current_app, g
from sqlalchemy import event, select

from app.extensions import db
from app.office_time import day_starts_at
from app.security import roles
from app.services import signing_queue, workload
from app.workflow import clock
from app.workflow.access import inbox_counts
from app.workflow.engine import apply_action
from models import Agency, HistoryEvent
from tests.conftest import DEMO_PASSWORD
from tests.factories import make_user
from tests.signing.test_decree import ready_file
from tests.support import make_asset_use, make_pkkpr, user
from views.navbar import SIGNATURE_MENU, badge_count, menu_counts

HOME = "/beranda-petugas/"
GOR = "Gedung Olahraga Kanigoro"  # ASET-GOR: managed by DISPORAPAR


def late(application, days_past_standard):
    """The file has used its service standard (20 working days) and `days` more."""
    application.clock_days = application.permit_type.service_days + days_past_standard
    db.session.commit()
    return application


def queue(page, kind, action):
    """The part of the home page listing the files waiting for one action."""
    start = page.index(f'id="antrean-{kind}-{action}"')
    return page[start:page.index("</section>", start)]


def listed(html):
    """Registration numbers of the rows in `html`, in order."""
    return re.findall(r'data-file="([^"]+)"', html)


def count_of(html):
    return int(re.search(r'data-count="(\d+)"', html).group(1))


# --- the waiting files --------------------------------------------------------------


def test_the_front_office_sees_its_files_by_action_late_first_with_the_days_past_target(
        login_as):
    fresh = make_pkkpr("diajukan")
    overdue = late(make_pkkpr("diajukan"), 3)
    received = make_pkkpr("diterima_fo")
    elsewhere = make_pkkpr("diteruskan_dinas")

    page = login_as("frontoffice").get(HOME).get_data(as_text=True)
    receive = queue(page, "pkkpr_nb", "terima")
    assert count_of(receive) == 2
    assert listed(receive) == [overdue.registration_number, fresh.registration_number]
    assert re.search(rf'data-file="{overdue.registration_number}"[^>]*data-days-late="3"',
                     receive)
    assert re.search(rf'data-file="{fresh.registration_number}"[^>]*data-days-late="0"',
                     receive)
    forward = queue(page, "pkkpr_nb", "teruskan_pemeriksa")
    assert count_of(forward) == 1 and listed(forward) == [received.registration_number]
    assert elsewhere.registration_number not in page
    assert 'class="table table-stack' in page and 'data-label="' in page


def test_each_role_sees_the_files_of_its_own_actions(login_as):
    krk = make_pkkpr("diteruskan_dinas")
    sps = make_pkkpr("krk_terbit")
    numbering = make_pkkpr("rekomendasi_terbit")

    dpupr = login_as("dpupr").get(HOME).get_data(as_text=True)
    assert listed(queue(dpupr, "pkkpr_nb", "terbitkan_krk")) == [krk.registration_number]
    assert sps.registration_number not in dpupr
    atrbpn = login_as("atrbpn").get(HOME).get_data(as_text=True)
    assert listed(queue(atrbpn, "pkkpr_nb", "terbitkan_sps")) == [sps.registration_number]
    backoffice = login_as("backoffice").get(HOME).get_data(as_text=True)
    assert listed(queue(backoffice, "pkkpr_nb", "input_nomor_sk")) == [
        numbering.registration_number]
    assert krk.registration_number not in backoffice


def test_an_asset_officer_sees_only_the_files_of_their_own_agency(login_as):
    agency = db.session.scalar(select(Agency).where(Agency.code == "DISPORAPAR"))
    make_user(roles.PENGELOLA_ASET, username="pora", agency_id=agency.id)
    hall = make_asset_use("diteruskan_opd")  # BPKAD's
    gor = make_asset_use("diteruskan_opd", asset_name=GOR)

    pora = login_as("pora", "Rahasia123").get(HOME).get_data(as_text=True)
    assert listed(queue(pora, "aset", "terbitkan_rekomendasi")) == [gor.registration_number]
    assert hall.registration_number not in pora
    bpkad = login_as("pengelolaaset").get(HOME).get_data(as_text=True)
    assert listed(queue(bpkad, "aset", "terbitkan_rekomendasi")) == [hall.registration_number]


def test_the_counts_are_those_of_the_inbox(login_as):
    for status in ("diajukan", "diajukan", "diterima_fo"):
        make_pkkpr(status)
    make_asset_use("diajukan")
    officer = user("frontoffice")
    with current_app.test_request_context():
        queues = workload.waiting(officer)
        assert sum(len(q.files) for q in queues) == sum(inbox_counts(officer).values()) == 4


def test_the_walk_in_files_an_officer_registered_wait_for_them_on_the_home_page(login_as):
    walk_in = make_pkkpr("draft", owner=None, created_by="frontoffice")
    page = login_as("frontoffice").get(HOME).get_data(as_text=True)
    section = page[page.index('id="walk-in"'):]
    assert f'href="/permohonan/{walk_in.id}"' in section


# --- finished today -------------------------------------------------------------------


def test_what_the_officer_did_today_is_listed_and_yesterday_is_not(login_as):
    today_file = make_pkkpr("diajukan")
    yesterday_file = make_pkkpr("diajukan")
    someone_elses = make_pkkpr("diajukan")
    apply_action(today_file.id, "terima", user("frontoffice"))
    apply_action(yesterday_file.id, "terima", user("frontoffice"))
    officer = make_user(roles.FRONT_OFFICE, username="fo2")
    apply_action(someone_elses.id, "terima", officer)
    moved = db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == yesterday_file.id, HistoryEvent.action == "terima"))
    moved.created_at = day_starts_at(clock.today()) - timedelta(minutes=1)  # 23.59 WIB
    db.session.commit()

    page = login_as("frontoffice").get(HOME).get_data(as_text=True)
    finished = page[page.index('id="selesai-hari-ini"'):]
    assert listed(finished) == [today_file.registration_number]
    assert "Terima" in finished  # the action's label


# --- query counts ---------------------------------------------------------------------


@pytest.fixture
def steady_processes(app):
    """The published processes are not looked up again during the test: a count of
    queries does not depend on how long the test took."""
    before = app.config.get("PROCESS_RECHECK_SECONDS")
    app.config["PROCESS_RECHECK_SECONDS"] = 3600
    yield
    if before is None:
        app.config.pop("PROCESS_RECHECK_SECONDS")
    else:
        app.config["PROCESS_RECHECK_SECONDS"] = before


def statements_of(client, url):
    statements = []

    def count(*_):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_home_page_reads_the_same_number_of_queries_for_few_or_many_files(
        login_as, steady_processes):
    frontoffice = login_as("frontoffice")
    for status in ("diajukan", "diterima_fo"):
        apply_action(make_pkkpr("diajukan").id, "terima", user("frontoffice"))
        make_pkkpr(status)
    make_pkkpr("draft", owner=None, created_by="frontoffice")
    frontoffice.get(HOME)  # what each process keeps (grants, days off) is read once
    few = statements_of(frontoffice, HOME)
    for _ in range(4):
        apply_action(make_pkkpr("diajukan").id, "terima", user("frontoffice"))
        make_pkkpr("diajukan")
        make_pkkpr("diterima_fo")
        make_asset_use("diajukan")
        make_pkkpr("draft", owner=None, created_by="frontoffice")
    assert statements_of(frontoffice, HOME) == few


# --- where staff land -------------------------------------------------------------------


def signed_in_landing(app, username, password=DEMO_PASSWORD):
    response = app.test_client().post("/login/", data={"username": username,
                                                       "password": password},
                                      follow_redirects=True)
    assert response.status_code == 200
    return response.request.path


@pytest.mark.parametrize("username", ["frontoffice", "pemeriksa", "dpupr", "atrbpn",
                                      "pengelolaaset", "backoffice", "kabidperizinan"])
def test_officers_land_on_their_home_page_after_signing_in_and_on_the_front_page(
        app, login_as, username):
    assert signed_in_landing(app, username) == HOME
    response = login_as(username).get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith(HOME)


def test_the_head_of_office_lands_on_the_signing_page(app, login_as):
    assert signed_in_landing(app, "kepaladinas") == "/tandatangan/"
    assert login_as("kepaladinas").get("/").headers["Location"].endswith("/tandatangan/")


def test_applicants_the_admin_and_visitors_keep_the_front_page(app, client, login_as):
    for username in ("pemohon", "admin"):
        assert signed_in_landing(app, username) == "/"
        assert login_as(username).get("/").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and "jumbotron" in page.get_data(as_text=True)


def test_the_applicant_keeps_their_dashboard_and_staff_are_sent_home(login_as):
    assert login_as("pemohon").get("/dasbor/").status_code == 200
    response = login_as("frontoffice").get("/dasbor/")
    assert response.status_code == 302 and response.headers["Location"].endswith(HOME)


def test_the_home_page_is_for_staff_only(client, login_as):
    assert login_as("pemohon").get(HOME).status_code == 403
    assert "/login/" in client.get(HOME).headers["Location"]


def test_staff_have_the_home_page_in_their_menu_and_no_applicant_dashboard(login_as):
    page = login_as("frontoffice").get(HOME).get_data(as_text=True)
    assert f'href="{HOME}"' in page and 'href="/dasbor/"' not in page
    applicant = login_as("pemohon").get("/dasbor/").get_data(as_text=True)
    assert 'href="/dasbor/"' in applicant and f'href="{HOME}"' not in applicant


# --- the head of office ------------------------------------------------------------------


def signing_entry(page):
    start = page.index('href="/tandatangan/"')
    return page[start:page.index("</a>", start)]


def test_the_signing_menu_entry_shows_the_number_waiting(login_as):
    for _ in range(3):
        ready_file()
    page = login_as("kepaladinas").get("/tandatangan/").get_data(as_text=True)
    assert re.search(r'class="badge[^"]*"[^>]*>3</span>', signing_entry(page))


def test_the_menus_badges_are_one_statement_and_count_signatures_only_for_signers(
        app, steady_processes):
    ready_file()
    ready_file()
    statements = []

    def record(_connection, _cursor, statement, *_):
        statements.append(statement)

    for username, signatures in (("kepaladinas", 2), ("backoffice", 0)):
        with app.app_context(), app.test_request_context():  # a request's own `g`
            g.user = user(username)
            menu_counts()  # the permissions and processes, read once a request
            del g._siap_menu_counts
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", record)
            try:
                assert badge_count(SIGNATURE_MENU) == signatures
                assert badge_count("Inbox pkkpr") == inbox_counts(g.user).get("pkkpr", 0)
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
            assert len(statements) == 2, username  # the badges once, then the oracle
            # The documents waiting for a signature are counted for a signer only.
            assert ("signed_at IS NULL" in statements[0]) == bool(signatures), username


def test_the_count_is_what_the_signing_page_lists(login_as):
    files = [ready_file() for _ in range(2)]
    kepala = user("kepaladinas")
    with current_app.test_request_context():
        listed_ids = {a.id for a in db.session.scalars(signing_queue.decrees_waiting(kepala))}
        assert listed_ids == {f.id for f in files}
        g.user = kepala
        assert badge_count(SIGNATURE_MENU) == 2  # the menu's count


def test_the_signing_page_offers_large_tap_targets_and_a_progress_script(login_as):
    ready_file()
    page = login_as("kepaladinas").get("/tandatangan/").get_data(as_text=True)
    assert re.search(r'<label class="ds-tap[^"]*"[^>]*>\s*<input type="checkbox" id="ds-all"',
                     page)
    assert re.search(r'<label class="ds-tap[^"]*"[^>]*>\s*<input type="checkbox" '
                     r'class="ds-file"', page)
    assert "/static/js/officer-home.js" in page and "data-batch-sign" in page


# --- progress while signing and numbering -------------------------------------------------


def sign_one(client, application_id, passphrase):
    from tests.support import SIGNING_PASSPHRASE  # noqa: F401 (the passphrase of the seed)

    return client.post("/tandatangan/", data={"application_id": str(application_id),
                                              "passphrase": passphrase},
                       headers={"Accept": "application/json"})


def test_the_page_signs_one_file_per_request_and_answers_how_it_went(login_as):
    from tests.support import SIGNING_PASSPHRASE

    first, second = ready_file(), ready_file()
    kepala = login_as("kepaladinas")
    answer = sign_one(kepala, first.id, SIGNING_PASSPHRASE)
    assert answer.status_code == 200 and answer.is_json
    assert answer.get_json() == {"outcome": "signed", "message": None, "stop": False,
                                 "label": first.registration_number}
    db.session.expire_all()
    assert first.status == "selesai" and second.status == "siap_ds"
    again = sign_one(kepala, first.id, SIGNING_PASSPHRASE).get_json()
    assert again["outcome"] == "failed" and again["stop"] is False  # the next may go on


def test_a_wrong_passphrase_stops_the_pages_batch(login_as):
    from tests.decrees.support import signed_pkkpr

    signed_pkkpr()  # the signer's key exists (the local signer makes it at the first use)
    application = ready_file()
    answer = sign_one(login_as("kepaladinas"), application.id, "salah-sekali").get_json()
    assert answer["outcome"] == "failed" and answer["stop"] is True and answer["message"]
    db.session.expire_all()
    assert application.status == "siap_ds"


def test_one_file_per_request_keeps_the_pages_rules(login_as):
    application = ready_file()
    refused = sign_one(login_as("backoffice"), application.id, "x")
    assert refused.status_code == 403
    empty = login_as("kepaladinas").post("/tandatangan/", data={"passphrase": "x"},
                                         headers={"Accept": "application/json"})
    assert empty.status_code == 400 and empty.get_json()["outcome"] == "failed"


def test_the_numbering_and_action_forms_cannot_be_sent_twice(login_as):
    application = make_pkkpr("rekomendasi_terbit")
    page = login_as("backoffice").get(
        f"/permohonan/{application.id}/aksi/input_nomor_sk").get_data(as_text=True)
    assert re.search(r'<form method="post"[^>]*data-busy="[^"]+"', page)
    assert "/static/js/officer-home.js" in page
