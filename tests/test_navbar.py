"""The navbar's menu is rendered once per process for each set of roles, permissions and
language (views/navbar.py), and still shows each user their own entries, a changed grant
on the next page, and badges counted on every page."""

import re

import pytest
from flask import template_rendered
from sqlalchemy import text

from app.extensions import db
from tests.support import make_pkkpr

ENTRIES = "appbuilder/navbar_menu_entries.html"
INBOX_ENTRY = 'href="/inboxpkkprnbview/list/"'


@pytest.fixture
def menu_renders(app):
    """How many times the menu's entries were rendered (template by template)."""
    rendered = []

    def record(_sender, template, context, **_):
        rendered.append(template.name)

    template_rendered.connect(record, app)
    yield lambda: rendered.count(ENTRIES)
    template_rendered.disconnect(record, app)


def inbox_badge(page):
    start = page.index(INBOX_ENTRY)
    entry = page[start:page.index("</a>", start)]
    found = re.search(r'class="badge"[^>]*>(\d+)</span>', entry)
    return int(found.group(1)) if found else 0


def test_the_menu_is_rendered_once_for_a_set_of_permissions(login_as, menu_renders):
    first, second = login_as("frontoffice"), login_as("frontoffice")
    db.session.execute(text("UPDATE ab_role SET name = name"))  # every process forgets
    db.session.commit()
    for client in (first, second, first):
        page = client.get("/statistik/").get_data(as_text=True)
        assert INBOX_ENTRY in page
    assert menu_renders() == 1


def test_each_set_of_roles_gets_its_own_menu(login_as):
    staff = login_as("frontoffice").get("/inboxpkkprnbview/list/").get_data(as_text=True)
    applicant = login_as("pemohon").get("/dasbor/").get_data(as_text=True)
    assert INBOX_ENTRY in staff and INBOX_ENTRY not in applicant
    assert 'href="/myapplicationsview/list/"' in applicant


def test_the_badges_are_counted_on_every_page(login_as):
    client = login_as("frontoffice")
    before = inbox_badge(client.get("/statistik/").get_data(as_text=True))
    make_pkkpr("diajukan")
    make_pkkpr("diajukan")
    assert inbox_badge(client.get("/statistik/").get_data(as_text=True)) == before + 2


def test_a_menu_entry_taken_away_is_gone_on_the_next_page(login_as):
    client = login_as("frontoffice")
    assert INBOX_ENTRY in client.get("/statistik/").get_data(as_text=True)
    db.session.execute(text(
        "DELETE FROM ab_permission_view_role WHERE role_id = "
        "(SELECT id FROM ab_role WHERE name = 'Front Office') AND permission_view_id = "
        "(SELECT pv.id FROM ab_permission_view pv JOIN ab_permission p ON p.id = "
        "pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id "
        "WHERE p.name = 'menu_access' AND v.name = 'Inbox pkkpr_nb')"))
    db.session.commit()
    assert INBOX_ENTRY not in client.get("/statistik/").get_data(as_text=True)


def menu_part(page):
    return page[page.index('<ul class="nav navbar-nav">'):page.index("navbar-right")]


def test_the_menu_follows_the_language(login_as):
    client = login_as("frontoffice")
    assert "Statistik" in menu_part(client.get("/statistik/").get_data(as_text=True))
    client.get("/lang/en")
    menu = menu_part(client.get("/statistik/").get_data(as_text=True))
    assert "Statistics" in menu and "Statistik" not in menu


def test_the_inbox_follows_a_role_given_to_the_user(login_as):
    """A role given to a user changes no grant (nothing kept is forgotten), yet their
    inbox is built anew: it is kept per user as they are, roles included."""
    client = login_as("frontoffice")
    make_pkkpr("diteruskan_dinas")  # waits for the DPUPR's KRK
    before = inbox_badge(client.get("/statistik/").get_data(as_text=True))
    db.session.execute(text(
        "INSERT INTO ab_user_role (user_id, role_id) SELECT u.id, r.id FROM ab_user u, "
        "ab_role r WHERE u.username = 'frontoffice' AND r.name = 'DPUPR'"))
    db.session.commit()
    assert inbox_badge(client.get("/statistik/").get_data(as_text=True)) == before + 1
