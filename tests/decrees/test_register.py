"""The decree register (Buku Register SK): every number of a year, gapless and in order,
with what became of it; the same rows as XLSX; for the back office and the head of
office, showing only the files they may see."""

import io
from datetime import date, datetime

import openpyxl
from flask import current_app
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.security import roles
from app.services import register as book
from app.services import revocation
from app.workflow import clock
from app.workflow.engine import apply_action
from models import Agency, Application
from tests.decrees.support import sign
from tests.factories import make_user
from tests.support import action_input, make_asset_use, make_pkkpr, user


def numbered(make=make_pkkpr, status="rekomendasi_terbit", sk_date=None):
    """A file the back office numbered (its SK number from the counter)."""
    application = make(status)
    form = action_input("input_nomor_sk")
    if sk_date:
        form["tanggal_sk"] = sk_date.isoformat()
    apply_action(application.id, "input_nomor_sk", user("backoffice"), form)
    db.session.expire_all()
    return db.session.get(Application, application.id)


def a_year_of_numbers():
    """One number of each fate: issued, cancelled at signature, revoked (with its
    revocation decree), awaiting signature, expired."""
    issued = numbered()
    cancelled = numbered()
    revoked = numbered()
    waiting = numbered()
    expired = numbered(sk_date=date(2020, 1, 6))
    for application in (issued, revoked, expired):
        sign(application.id)
    apply_action(cancelled.id, "tolak_ds", user("kepaladinas"),
                 MultiDict({"alasan": "Rekomendasi tidak sesuai"}))
    revocation.revoke(revoked.id, user("kepaladinas"), "Melanggar ketentuan")
    db.session.expire_all()
    return [db.session.get(Application, a.id)
            for a in (issued, cancelled, revoked, waiting, expired)]


def test_the_register_lists_every_number_of_the_year_gapless_in_order_with_its_fate(login_as):
    issued, cancelled, revoked, waiting, expired = a_year_of_numbers()
    year = clock.today().year
    rows = book.page(user("backoffice"), year, book.Section.SK)
    first = rows[0].seq
    assert [row.seq for row in rows] == list(range(first, first + 6))
    assert [(row.number, row.register, row.status) for row in rows] == [
        (issued.sk_number, "sk", "terbit"),
        (cancelled.sk_number, "sk", "dibatalkan"),
        (revoked.sk_number, "sk", "dicabut"),
        (waiting.sk_number, "sk", "belum_ditandatangani"),
        (expired.sk_number, "sk", "kedaluwarsa"),
        (revoked.decree.revocation_number, "sk_pencabutan", "belum_ditandatangani"),
    ]
    assert rows[4].dated == date(2020, 1, 6) and rows[0].holder == "Budi Santoso"
    assert rows[0].registration_number == issued.registration_number
    assert cancelled.rejection.number in rows[1].note
    assert revoked.sk_number in rows[5].note

    page = login_as("backoffice").get(f"/register-sk/?tahun={year}").get_data(as_text=True)
    positions = [page.index(f"<td>{row.number}</td>") for row in rows]
    assert positions == sorted(positions)
    for label in ("Terbit", "Dibatalkan", "Dicabut", "Menunggu tanda tangan", "Kedaluwarsa",
                  "SK pencabutan"):
        assert label in page, label

    letters = book.page(user("backoffice"), year, book.Section.PENOLAKAN)
    assert [row.number for row in letters] == [cancelled.rejection.number]
    page = login_as("backoffice").get(f"/register-sk/?tahun={year}&bagian=penolakan")
    assert cancelled.rejection.number in page.get_data(as_text=True)


def test_the_xlsx_export_has_the_same_rows_as_the_screen(login_as):
    a_year_of_numbers()
    year = clock.today().year
    response = login_as("kepaladinas").get(f"/register-sk/unduh.xlsx?tahun={year}")
    assert response.status_code == 200
    assert f"register-sk-{year}.xlsx" in response.headers["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Surat keputusan", "Surat penolakan"]
    for sheet, section in zip(workbook.worksheets, book.Section, strict=True):
        lines = list(sheet.iter_rows(values_only=True))
        assert lines[0][:3] == ("No. urut", "Nomor", "Tanggal")
        expected = book.page(user("kepaladinas"), year, section)
        assert [(line[0], line[1], line[7]) for line in lines[1:]] == [
            (row.seq, row.number, str(row.status_label)) for row in expected]
        assert all(isinstance(line[2], datetime) for line in lines[1:])


def test_only_the_back_office_the_head_of_office_and_admins_open_the_register(client,
                                                                              login_as):
    for username in ("backoffice", "kepaladinas", "admin"):
        for url in ("/register-sk/", "/register-sk/unduh.xlsx"):
            assert login_as(username).get(url).status_code == 200, (username, url)
    for username in ("pemohon", "frontoffice", "dpupr"):
        for url in ("/register-sk/", "/register-sk/unduh.xlsx"):
            assert login_as(username).get(url).status_code == 403, (username, url)
    assert client.get("/register-sk/").status_code == 302  # to the login page
    menu = login_as("backoffice").get("/permohonan/baru").get_data(as_text=True)
    assert "Buku Register SK" in menu
    assert "Buku Register SK" not in login_as("pemohon").get("/permohonan/baru").get_data(
        as_text=True)


def test_the_register_shows_only_the_numbers_of_files_the_user_may_see(app):
    pkkpr = numbered()
    hall = numbered(make_asset_use, "penyiapan_sk")
    security = current_app.appbuilder.sm
    role = security.add_role("Register BPKAD")
    for permission, view in (("can_read", "DecreeRegister"),
                             ("lihat_instansi", "Workflow aset")):
        security.add_permission_role(role, security.find_permission_view_menu(permission, view))
    bpkad = db.session.query(Agency).filter_by(code="BPKAD").one()
    officer = make_user(roles.PEMOHON, agency_id=bpkad.id)
    officer.roles = [role]
    db.session.commit()
    seen = [row.number for row in book.page(officer, clock.today().year, book.Section.SK)]
    assert hall.sk_number in seen and pkkpr.sk_number not in seen
    everything = [row.number for row in book.page(user("backoffice"), clock.today().year,
                                                  book.Section.SK)]
    assert {hall.sk_number, pkkpr.sk_number} <= set(everything)


def test_a_page_is_bounded_and_the_next_one_follows_by_key(login_as, monkeypatch):
    files = [numbered() for _ in range(3)]
    monkeypatch.setattr(book, "PAGE_SIZE", 2)
    backoffice = login_as("backoffice")
    page = backoffice.get("/register-sk/").get_data(as_text=True)
    assert files[1].sk_number in page and files[2].sk_number not in page
    after = book.page(user("backoffice"), clock.today().year, book.Section.SK, size=2)[-1]
    assert f"setelah={after.entry_id}" in page
    page = backoffice.get(f"/register-sk/?setelah={after.entry_id}").get_data(as_text=True)
    assert files[2].sk_number in page and files[1].sk_number not in page


def test_a_page_of_the_register_is_read_in_one_query():
    for _ in range(5):
        numbered()
    statements = []

    def count(*_):
        statements.append(1)

    backoffice = user("backoffice")
    with current_app.test_request_context():  # permissions are read once per request
        book.page(backoffice, clock.today().year, book.Section.SK)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            rows = book.page(backoffice, clock.today().year, book.Section.SK)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(rows) == 5 and len(statements) == 1


def test_a_year_that_is_not_a_year_is_reported_and_this_year_shown(login_as):
    page = login_as("backoffice").get("/register-sk/?tahun=dua-ribu&bagian=lain")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nilai bilangan bulat tidak valid." in text
    assert f"<small>{clock.today().year}</small>" in text


def test_the_migration_enters_the_numbers_given_before_it_in_the_register(app):
    from tests.test_migrations import _migrate

    number = numbered().sk_number
    entry = {(row.sequence, row.seq) for row in book.page(
        user("backoffice"), clock.today().year, book.Section.SK) if row.number == number}
    legacy = make_pkkpr("ditolak")
    legacy.sk_number, legacy.sk_date = "SK-LAMA/7", datetime(2025, 3, 1)
    db.session.commit()
    _migrate("0012")
    _migrate("head")
    rows = {row.number: row for year in (2025, clock.today().year) for row in
            book.page(user("backoffice"), year, book.Section.SK)}
    assert {(rows[number].sequence, rows[number].seq)} == entry
    assert (rows["SK-LAMA/7"].sequence, rows["SK-LAMA/7"].seq) == ("sk:lama", 1)
    assert rows["SK-LAMA/7"].status == "dibatalkan"
