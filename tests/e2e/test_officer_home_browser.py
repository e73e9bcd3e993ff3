"""Issue 17 in a real browser: the head of office signs in on a phone and lands on the
signing page, with the number waiting in the menu and thumb-sized checkboxes, and signs
with the progress shown; an officer lands on their home page and finds a file by its
registration number from the navbar's search box."""

import re

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.pages import PHONE, page_width  # noqa: E402
from tests.support import SIGNING_PASSPHRASE  # noqa: E402

# Three decrees waiting for the signature and a file at the examiner, put in place
# without the browser (the flows that bring files there are in test_pkkpr_browser).
FILES = """
from app import create_app
from tests.signing.test_decree import ready_file
from tests.support import make_pkkpr

with create_app().app_context():
    waiting = [ready_file() for _ in range(3)]
    examined = make_pkkpr("diperiksa", registration_number="PKKPR-NB/2026/000777")
    print(" ".join(f.registration_number for f in waiting), examined.registration_number)
"""
TAP = 44  # px: the smallest target a thumb hits reliably


@pytest.fixture(scope="module")
def numbers(live_server):
    *waiting, examined = live_server.run_python(FILES).split()
    return waiting, examined


def open_signing_menu(page):
    """The phone's collapsed navbar → the Applications group (its signing entry)."""
    page.locator(".navbar-toggle").click()
    page.locator(".navbar .dropdown-toggle").filter(has_text="Permohonan").first.click()
    entry = page.locator('.navbar .dropdown-menu a[href="/tandatangan/"]')
    expect(entry).to_be_visible()
    return entry


def test_the_head_of_office_lands_on_the_signing_page_of_a_phone_and_signs(web, numbers):
    waiting, _ = numbers
    kepala = web.login("kepaladinas", viewport=PHONE, is_mobile=True, has_touch=True)
    expect(kepala).to_have_url(re.compile(r"/tandatangan/$"))
    entry = open_signing_menu(kepala)
    expect(entry.locator(".badge")).to_have_text("3")
    web.shot(kepala, "head-of-office-menu-count")

    kepala.goto("/tandatangan/")
    for control in [kepala.locator("label:has(#ds-all)"),
                    *kepala.locator("label:has(input.ds-file)").all()]:
        box = control.bounding_box()
        assert box["width"] >= TAP and box["height"] >= TAP, box
    assert page_width(kepala) <= PHONE["width"], "the signing page scrolls sideways"
    web.shot(kepala, "signing-page-phone")

    for number in waiting[:2]:
        kepala.locator(".ds-card").filter(has_text=number).locator("input.ds-file").check()
    kepala.fill("#passphrase", SIGNING_PASSPHRASE)
    button = kepala.locator("#ds-form .ds-sign button[type=submit]")
    button.click()
    expect(button).to_be_disabled()  # no second batch while the first runs
    web.shot(kepala, "signing-in-progress")
    expect(kepala.locator("#ds-summary .alert-success")).to_contain_text("2 ", timeout=60_000)
    expect(kepala.locator("#ds-summary .alert-danger")).to_have_count(0)
    expect(kepala.locator(".ds-card")).to_have_count(1)
    expect(button).to_be_enabled()
    expect(kepala.locator('.navbar a[href="/tandatangan/"] .badge')).to_have_text("1")
    web.shot(kepala, "signed-with-summary")
    kepala.reload()
    expect(kepala.locator(".ds-card")).to_have_count(1)
    expect(kepala.locator(".ds-card").filter(has_text=waiting[2])).to_have_count(1)


def test_an_officer_finds_a_file_by_its_registration_number(web, numbers):
    _, examined = numbers
    examiner = web.login("pemeriksa")
    expect(examiner).to_have_url(re.compile(r"/beranda-petugas/$"))
    expect(examiner.locator("#antrean-pkkpr_nb-teruskan_dinas")).to_contain_text(examined)
    web.shot(examiner, "officer-home")
    examiner.fill("#navbar-cari", examined.lower())
    with examiner.expect_navigation():
        examiner.locator(".siap-search button[type=submit]").click()
    expect(examiner).to_have_url(re.compile(r"/permohonan/\d+$"))
    expect(examiner.locator(".page-header h1")).to_contain_text(examined)
    web.shot(examiner, "found-by-registration-number")
