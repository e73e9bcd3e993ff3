"""The staff's search box (issue 17): a file by registration number, SK number, the
applicant's NIK or name, among the files the officer may see; one match opens the file,
several are listed, none says so. Applicants have no search."""

import re

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.security import roles
from app.services.staff_search import MAX_RESULTS
from models import Agency
from tests.factories import make_user
from tests.support import make_asset_use, make_pkkpr
from tests.test_officer_home import steady_processes  # noqa: F401 (a fixture)

SEARCH = "/cari/"
GOR = "Gedung Olahraga Kanigoro"  # ASET-GOR: DISPORAPAR's


def search(client, text):
    return client.get(SEARCH, query_string={"q": text})


def opens(response, application):
    return (response.status_code == 302
            and response.headers["Location"].endswith(f"/permohonan/{application.id}"))


def rows(response):
    page = response.get_data(as_text=True)
    return re.findall(r'data-file="([^"]+)"', page)


def named(name, nik, status="diperiksa", **options):
    application = make_pkkpr(status, **options)
    application.applicant_name, application.applicant_nik = name, nik
    db.session.commit()
    return application


def test_a_registration_number_opens_its_file_in_full_or_in_lower_case(login_as):
    application = make_pkkpr("diperiksa", registration_number="PKKPR-NB/2026/000123")
    officer = login_as("pemeriksa")
    assert opens(search(officer, "PKKPR-NB/2026/000123"), application)
    assert opens(search(officer, "  pkkpr-nb/2026/000123 "), application)


def test_the_beginning_of_a_number_lists_the_files_it_begins(login_as):
    first = make_pkkpr("diperiksa", registration_number="PKKPR-NB/2026/000124")
    second = make_pkkpr("diperiksa", registration_number="PKKPR-NB/2026/000125")
    make_pkkpr("diperiksa", registration_number="PKKPR-NB/2025/000126")
    response = search(login_as("pemeriksa"), "PKKPR-NB/2026/00012")
    assert response.status_code == 200
    assert sorted(rows(response)) == [first.registration_number, second.registration_number]
    page = response.get_data(as_text=True)
    assert 'class="table table-stack' in page and 'data-label="' in page


def test_an_sk_number_opens_its_file(login_as):
    application = make_pkkpr("siap_ds")
    application.sk_number = "503/077/409.110/2026"
    db.session.commit()
    assert opens(search(login_as("backoffice"), "503/077/409.110/2026"), application)


def test_a_nik_in_full_opens_the_file_and_its_beginning_lists_the_files(login_as):
    one = named("Sri Wahyuni", "3505016601900001")
    two = named("Sri Rahayu", "3505016601900002")
    named("Lain Orang", "3506016601900003")
    officer = login_as("frontoffice")
    assert opens(search(officer, "3505016601900001"), one)
    assert sorted(rows(search(officer, "350501660190"))) == sorted(
        [one.registration_number, two.registration_number])


def test_a_name_is_found_in_any_case_and_by_any_part(login_as):
    found = named("Siti Nurhaliza", "3505014506900009")
    officer = login_as("frontoffice")
    assert opens(search(officer, "nurHALIZA"), found)
    assert opens(search(officer, "siti nurhaliza"), found)


def test_no_match_says_so_in_a_page_of_its_own(login_as):
    response = search(login_as("frontoffice"), "TIDAK-ADA/9999")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="tidak-ditemukan"' in page and "TIDAK-ADA/9999" in page


def test_an_empty_search_shows_the_form(login_as):
    response = search(login_as("frontoffice"), "   ")
    assert response.status_code == 200 and 'name="q"' in response.get_data(as_text=True)


def test_a_file_an_officer_may_not_see_is_not_found(login_as):
    agency = db.session.scalar(select(Agency).where(Agency.code == "DISPORAPAR"))
    make_user(roles.PENGELOLA_ASET, username="pora", agency_id=agency.id)
    hall = make_asset_use("diteruskan_opd")  # BPKAD's
    gor = make_asset_use("diteruskan_opd", asset_name=GOR)
    pkkpr = make_pkkpr("diperiksa")
    pora = login_as("pora", "Rahasia123")
    assert opens(search(pora, gor.registration_number), gor)
    for hidden in (hall, pkkpr):
        response = search(pora, hidden.registration_number)
        assert response.status_code == 200 and rows(response) == []
        assert hidden.registration_number not in rows(response)
    # nor by the applicant's name: both are Siti Aminah's, only the GOR's is found
    assert opens(search(pora, "siti aminah"), gor)
    # the land office sees no asset file at all
    assert rows(search(login_as("atrbpn"), hall.registration_number)) == []


def test_drafts_are_not_found_by_staff(login_as):
    draft = named("Rahasia Draf", "3505010000000077", status="draft")
    response = search(login_as("frontoffice"), "Rahasia Draf")
    assert not opens(response, draft) and rows(response) == []


def test_applicants_and_visitors_have_no_search(client, login_as):
    make_pkkpr("diperiksa")
    assert search(login_as("pemohon"), "Budi").status_code == 403
    assert "/login/" in search(client, "Budi").headers["Location"]


def test_the_search_box_is_in_the_staffs_menu_only(login_as):
    officer = login_as("frontoffice").get("/beranda-petugas/").get_data(as_text=True)
    assert re.search(r'<form[^>]*action="/cari/"[^>]*method="get"', officer)
    for username, page in (("pemohon", "/dasbor/"), ("admin", "/")):
        assert 'action="/cari/"' not in login_as(username).get(page).get_data(as_text=True)


def test_many_matches_are_listed_up_to_the_limit(login_as):
    for _ in range(MAX_RESULTS + 2):
        make_pkkpr("diperiksa")
    response = search(login_as("frontoffice"), "Budi Santoso")
    assert len(rows(response)) == MAX_RESULTS
    assert 'id="lebih-banyak"' in response.get_data(as_text=True)


@pytest.mark.usefixtures("steady_processes")
@pytest.mark.parametrize("text", ["TEST/", "Budi"])
def test_a_search_reads_the_same_number_of_queries_for_few_or_many_files(login_as, text):
    officer = login_as("frontoffice")

    def statements():
        found = []

        def count(*_):
            found.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert search(officer, text).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(found)

    for _ in range(2):
        make_pkkpr("diperiksa")
    search(officer, text)  # what each process keeps (grants, days off) is read once
    few = statements()
    for _ in range(6):
        make_pkkpr("diperiksa")
        make_asset_use("diajukan")
    assert statements() == few
