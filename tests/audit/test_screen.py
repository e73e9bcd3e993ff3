"""Keamanan → Log Audit: the Admin lists, filters, reads and exports the audit log;
nobody else reaches it, and no route adds, edits or deletes an entry."""

import csv
import io
import re
from datetime import datetime

import pytest
from flask import current_app
from flask_appbuilder.security.sqla.models import PermissionView
from openpyxl import load_workbook
from sqlalchemy import select

from app import audit
from app.extensions import db
from models import AuditEntry
from tests.audit.support import entries, only

LIST, SHOW, CSV, XLSX = ("/log-audit/list/", "/log-audit/show/{}", "/log-audit/unduh.csv",
                         "/log-audit/unduh.xlsx")
# Flask-AppBuilder's filter indexes: text "contains" 2 and "equal" 3; a number's "equal"
# 0; the time's "from date" 0 and "until date" 1 (views/audit.py).
CONTAINS, EQUAL, NUMBER_EQUAL, FROM, UNTIL = 2, 3, 0, 0, 1


def add(event, when=None, **columns):
    """An entry as the log would hold it (inserting is all the log allows)."""
    entry = AuditEntry(event=event, created_at=when or datetime(2026, 11, 30, 3, 0),
                       **columns)
    db.session.add(entry)
    db.session.commit()
    return entry.id


@pytest.fixture
def logged(app):
    """A few entries of different events, people, objects and office days (WIB)."""
    return {
        "failed": add(audit.LOGIN_FAILED, address="10.0.0.5", object_type="user",
                      object_id=7, object_label="ani",
                      details={"username": "ani", "reason": "wrong_password"},
                      when=datetime(2026, 11, 30, 16, 30)),  # 30 Nov 23.30 WIB
        "config": add(audit.CONFIG_UPDATED, actor_id=1, actor_name="admin",
                      address="10.0.0.1", object_type="permit_type", object_id=1,
                      object_label="PKKPR Non Berusaha",
                      details={"changes": {"service_days": [20, 15]}},
                      when=datetime(2026, 11, 30, 17, 30)),  # 1 Dec 00.30 WIB
        "download": add(audit.FILE_DOWNLOADED, actor_id=3, actor_name="frontoffice",
                        address="10.0.0.3", object_type="application", object_id=42,
                        object_label="PKKPR/2026/00042",
                        when=datetime(2026, 12, 2, 2, 0)),
    }


def listed(client, query=""):
    page = client.get(f"{LIST}?{query}")
    assert page.status_code == 200
    return {int(pk) for pk in re.findall(r'/log-audit/show/(\d+)"', page.get_data(as_text=True))}


def audit_ids(found, *names):
    return {found[name] for name in names}


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def test_the_admin_lists_every_entry_newest_first_with_times_in_wib(admin, logged):
    page = admin.get(LIST).get_data(as_text=True)
    shown = [int(pk) for pk in re.findall(r'/log-audit/show/(\d+)"', page)]
    assert shown[:3] == [logged["download"], logged["config"], logged["failed"]]
    assert "1 Des 2026 00.30" in page and "30 Nov 2026 23.30" in page
    assert "admin (#1)" in page and "PKKPR/2026/00042" in page


@pytest.mark.parametrize(("query", "expected"), [
    (f"_flt_{EQUAL}_event={audit.LOGIN_FAILED}", ["failed"]),
    (f"_flt_{CONTAINS}_actor_name=front", ["download"]),
    (f"_flt_{NUMBER_EQUAL}_actor_id=1", ["config"]),
    (f"_flt_{EQUAL}_object_type=permit_type", ["config"]),
    (f"_flt_{EQUAL}_object_type=user&_flt_{NUMBER_EQUAL}_object_id=7", ["failed"]),
    (f"_flt_{CONTAINS}_object_label=PKKPR", ["config", "download"]),
    (f"_flt_{FROM}_created_at=2026-12-01", ["config", "download"]),
    (f"_flt_{UNTIL}_created_at=2026-11-30", ["failed"]),
    (f"_flt_{FROM}_created_at=2026-12-01&_flt_{UNTIL}_created_at=2026-12-01", ["config"]),
    (f"_flt_{FROM}_created_at=bukan-tanggal", []),
], ids=["event", "actor name", "actor id", "object type", "object", "object label",
        "from a day", "until a day", "one day", "not a date"])
def test_the_list_filters_by_event_actor_date_and_object(admin, logged, query, expected):
    found = listed(admin, query) & set(logged.values())
    assert found == audit_ids(logged, *expected)


def test_the_search_form_offers_the_events_and_object_types_by_name(admin, logged):
    page = admin.get(LIST).get_data(as_text=True)  # the form's fields as JSON for its script
    for value in (audit.LOGIN_FAILED, audit.EXPORTED, "permit_type"):
        assert f'option value=\\"{value}\\"' in page, value


def test_the_show_page_gives_everything_and_no_way_to_change_it(admin, logged):
    page = admin.get(SHOW.format(logged["config"])).get_data(as_text=True)
    for expected in ("admin", "10.0.0.1", "PKKPR Non Berusaha", "service_days",
                     "1 Des 2026 00.30"):
        assert expected in page, expected
    assert "/log-audit/edit" not in page and "/log-audit/delete" not in page


def test_the_csv_export_holds_the_filtered_entries_and_is_itself_recorded(admin, logged):
    response = admin.get(f"{CSV}?_flt_{CONTAINS}_object_label=PKKPR",
                         environ_base={"REMOTE_ADDR": "10.7.7.7"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="log-audit.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert [row[0] for row in rows[1:]] == [str(logged["download"]), str(logged["config"])]
    config = rows[2]
    assert config[1] == "1 Des 2026 00.30" and config[2] == "2026-11-30 17:30:00"
    assert config[4] == audit.CONFIG_UPDATED and config[6] == "admin"
    assert '"service_days"' in config[11]

    entry = only(audit.EXPORTED)
    assert (entry.actor_name, entry.address) == ("admin", "10.7.7.7")
    assert entry.details == {"what": "audit_log", "format": "csv", "filters": {
        f"_flt_{CONTAINS}_object_label": ["PKKPR"]}}


def test_the_xlsx_export_holds_every_entry(admin, logged):
    response = admin.get(XLSX)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(logged.values()) <= set(ids)
    assert only(audit.EXPORTED).details["format"] == "xlsx"


def test_text_that_a_spreadsheet_would_run_is_exported_as_text(admin):
    entry_id = add(audit.LOGIN_FAILED, details={"username": "=HYPERLINK(\"x\")"},
                   object_label="=1+1")
    rows = list(csv.reader(io.StringIO(admin.get(CSV).get_data(as_text=True).lstrip(
        "\ufeff")), delimiter=";"))
    row = next(row for row in rows if row[0] == str(entry_id))
    assert row[10] == "'=1+1"


NOT_ADMINS = ("pemohon", "frontoffice", "pemeriksa", "dpupr", "atrbpn", "pengelolaaset",
              "backoffice", "kabidperizinan", "kepaladinas")


@pytest.mark.parametrize("username", NOT_ADMINS)
def test_no_other_role_reaches_any_audit_route(login_as, logged, username):
    client = login_as(username)
    for url in (LIST, SHOW.format(logged["config"]), CSV, XLSX):
        assert client.get(url).status_code == 403, url
    assert "/log-audit/" not in client.get("/").get_data(as_text=True)
    assert entries(audit.EXPORTED) == []


def test_an_anonymous_visitor_is_sent_to_sign_in(client, logged):
    for url in (LIST, SHOW.format(logged["config"]), CSV, XLSX):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_the_admins_menu_has_the_audit_log(admin):
    assert 'href="/log-audit/list/"' in admin.get("/users/list/").get_data(as_text=True)


def test_no_route_adds_edits_or_deletes_an_entry_and_no_such_permission_exists(admin, logged):
    endpoints = {rule.endpoint for rule in current_app.url_map.iter_rules()
                 if rule.endpoint.startswith("AuditLogView.")}
    assert endpoints == {"AuditLogView.list", "AuditLogView.show", "AuditLogView.export"}
    permissions = {pv.permission.name for pv in db.session.scalars(select(PermissionView))
                   if pv.view_menu.name == "AuditLog"}
    assert permissions == {"can_list", "can_show", "can_export"}
    for url in (f"/log-audit/edit/{logged['config']}", f"/log-audit/delete/{logged['config']}",
                "/log-audit/add", "/log-audit/action_post"):
        assert admin.post(url).status_code in (404, 405), url
    assert len(entries()) >= 3
