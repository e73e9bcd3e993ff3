"""Grouped display: staff menus have one group per permit kind with its inbox and the
number of files waiting; the catalogue and the new-application page group permit types
by category, including those an admin adds."""

import re

from sqlalchemy import select

from app.extensions import db
from models import PermitCategory, PermitType
from tests.support import make_asset_use, make_pkkpr

PKKPR_GROUP, ASSET_GROUP = "PKKPR Non Berusaha", "Izin Pemanfaatan Aset"


def inbox_badge(page, kind):
    match = re.search(rf'href="/inbox{kind}view/list/".*?</a>', page, re.S)
    badge = re.search(r'class="badge"[^>]*>(\d+)<', match.group(0)) if match else None
    return int(badge.group(1)) if badge else 0


def test_each_role_sees_the_menu_groups_of_the_kinds_it_works_on(login_as):
    expectations = {
        "frontoffice": (True, True), "dpupr": (True, False), "pengelolaaset": (False, True),
        "kepaladinas": (True, True), "pemohon": (False, False),
    }
    for username, (pkkpr, asset) in expectations.items():
        page = login_as(username).get("/lacak/").get_data(as_text=True)  # menus only
        assert (PKKPR_GROUP in page) == pkkpr, username
        assert (ASSET_GROUP in page) == asset, username


def test_an_inbox_in_the_menu_shows_how_many_files_wait(login_as):
    for _ in range(3):
        make_pkkpr("diajukan")
    make_asset_use("diajukan")
    make_pkkpr("diperiksa")  # waits for the examiner, not the front office
    page = login_as("frontoffice").get("/lacak/").get_data(as_text=True)
    assert inbox_badge(page, "pkkprnb") == 3
    assert inbox_badge(page, "aset") == 1
    inbox = login_as("frontoffice").get("/inboxpkkprnbview/list/").get_data(as_text=True)
    assert inbox.count("/permohonan/") >= 3 and "hari kerja" in inbox


def test_a_category_and_permit_type_added_by_the_admin_appear_grouped(login_as):
    admin = login_as("admin")
    response = admin.post("/permitcategoryview/add", data={
        "name": "Pemanfaatan Ruang Laut", "position": "5", "icon": "fa-water",
        "description": ""})
    assert response.status_code == 302
    category = db.session.scalar(select(PermitCategory).where(
        PermitCategory.name == "Pemanfaatan Ruang Laut"))
    response = admin.post("/permittypeview/add", data={
        "category": str(category.id), "code": "PKKPR-PANTAI", "name": "PKKPR Kawasan Pantai",
        "workflow_kind": "pkkpr_nb", "service_days": "20", "active": "y", "position": "0",
        "registration_format": "{code}/{year}/{seq:06d}",
        "sk_format": "503/{seq:03d}/409.110/{year}"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1000:]
    assert db.session.scalar(select(PermitType).where(PermitType.code == "PKKPR-PANTAI"))
    for page in (login_as("pemohon").get("/permohonan/baru").get_data(as_text=True),
                 login_as("pemohon").get("/persyaratan/").get_data(as_text=True)):
        group = page.index("Pemanfaatan Ruang Laut")
        assert group < page.index("PKKPR Kawasan Pantai") < page.index("Tata Ruang")


def test_the_lists_show_times_in_the_offices_zone_as_people_write_them(login_as):
    """"Since" is the office's time (WIB) as "30 Nov 2026 07.56", never the stored UTC
    with seconds and microseconds."""
    from datetime import datetime

    from app.extensions import db

    application = make_pkkpr("diajukan")
    application.status_changed_at = datetime(2026, 11, 30, 0, 56, 29, 791646)
    db.session.commit()
    inbox = login_as("frontoffice").get("/inboxpkkprnbview/list/").get_data(as_text=True)
    assert "30 Nov 2026 07.56" in inbox
    assert "00:56:29" not in inbox and ".791646" not in inbox


def test_list_and_show_pages_show_values_as_people_read_them(login_as):
    """Flask-AppBuilder prints a column's raw value: "True", "None", "2026-11-30
    00:56:29.791646". Every list and show page shows Ya/Tidak, "—" and WIB times."""
    admin = login_as("admin")
    users = admin.get("/users/list/").get_data(as_text=True)
    shown = admin.get("/users/show/1").get_data(as_text=True)
    for page in (users, shown):
        assert not re.search(r">\s*(True|False|None)\s*<", page)
    assert re.search(r">\s*Ya\s*<", shown)
    assert re.search(r">\s*—\s*<", shown)  # the admin has no NIK
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown)
