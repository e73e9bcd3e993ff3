"""The applicant's dashboard: own files with status, clock and next step, what waits for
them, and their latest notifications."""

from app.workflow.engine import apply_action
from tests.factories import make_user
from tests.support import make_pkkpr, returned_pkkpr, user


def test_the_dashboard_lists_own_files_with_clock_next_step_and_notifications(login_as):
    draft = make_pkkpr("draft")
    paying = make_pkkpr("menunggu_pembayaran")
    examined = make_pkkpr("diajukan")
    apply_action(examined.id, "terima", user("frontoffice"))  # notifies the applicant
    other = make_user(username="lain")
    foreign = make_pkkpr("diajukan", owner=other.username)

    page = login_as("pemohon").get("/dasbor/").get_data(as_text=True)
    assert page.count("/permohonan/") >= 3
    assert paying.registration_number in page and examined.registration_number in page
    assert foreign.registration_number not in page
    waiting = page[page.index('id="tugas"'):page.index('id="permohonan"')]
    assert paying.registration_number in waiting and "Unggah Bukti Bayar" in waiting
    assert f"Draft #{draft.id}" in waiting and "lalu ajukan" in waiting
    assert examined.registration_number not in waiting
    assert "hari kerja" in page and "dijeda: menunggu pemohon" in page
    notes = page[page.index('id="notifikasi"'):]
    assert examined.registration_number in notes


def test_the_file_page_shows_the_clock_and_who_holds_the_file(login_as):
    application = make_pkkpr("diteruskan_dinas")
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    clock_line = page[page.index('id="jam"'):page.index('id="jam"') + 600]
    assert "0 dari 20 hari kerja" in clock_line and "DPUPR" in clock_line


def test_staff_have_no_dashboard(login_as):
    assert login_as("dpupr").get("/dasbor/").status_code in (302, 403)


def test_the_dashboard_reads_as_many_queries_for_many_returned_files_as_for_one(login_as):
    from sqlalchemy import event

    from app.extensions import db

    def statements_of_the_dashboard():
        client = login_as("pemohon")
        statements = []

        def count(*args):
            statements.append(1)

        client.get("/dasbor/")  # per-process caches warmed: only the page's own reads count
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = client.get("/dasbor/").get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return page, len(statements)

    returned_pkkpr()
    one_page, one = statements_of_the_dashboard()
    for _ in range(3):
        returned_pkkpr()
    many_page, many = statements_of_the_dashboard()
    assert one_page.count('class="alert alert-warning koreksi"') == 1
    assert many_page.count('class="alert alert-warning koreksi"') == 4
    assert many == one
