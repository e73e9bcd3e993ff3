"""The pages a person meets first, in a real browser: the home page, and the pages an
applicant uses on a phone (375×812): registration, tracking, their file page."""

import re

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.pages import PHONE, follow, page_width, past_the_edges  # noqa: E402

DRAFT_WITHOUT_DOCUMENTS = """
from app import create_app
from tests.support import make_pkkpr

with create_app().app_context():
    print(make_pkkpr("draft", documents=None).id)
"""


def test_the_home_page_links_to_sign_in_and_the_requirements(web):
    page = web.new_page()
    page.goto("/")
    expect(page.locator('.jumbotron a[href="/login/"]')).to_be_visible()
    follow(page, page.locator('.jumbotron a[href="/persyaratan/"]'))
    expect(page.locator("body")).to_contain_text("PKKPR Non Berusaha")
    web.shot(page, "requirements")


def test_the_home_page_register_button_opens_the_registration_form(web):
    page = web.new_page()
    page.goto("/")
    button = page.locator(".jumbotron a.btn-success")
    expect(button).to_have_attribute("href", re.compile(r"/register/"), timeout=2000)


def test_tracking_fits_a_phone(web):
    page = web.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/lacak/")
    assert page_width(page) <= PHONE["width"]
    assert past_the_edges(page) == []
    web.shot(page, "tracking-phone")


def test_the_applicant_pages_fit_a_phone(web, live_server):
    page = web.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/register/form")
    web.shot(page, "registration-phone")
    applicant = web.login("pemohon", viewport=PHONE, is_mobile=True, has_touch=True)
    applicant.goto(f"/permohonan/{live_server.run_python(DRAFT_WITHOUT_DOCUMENTS).strip()}")
    web.shot(applicant, "file-page-phone")
    for shown in (page, applicant):
        assert page_width(shown) <= PHONE["width"], f"{shown.url} is {page_width(shown)} px"
        assert past_the_edges(shown) == [], f"{shown.url} is cut off at the edges"

