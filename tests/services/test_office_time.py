"""The office's date is Blitar's (WIB), not the server's: from 17.00 UTC it is already the
next day at the office, and on New Year's Eve the next year."""

import ast
from datetime import date, datetime
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from app import office_time
from app.extensions import db
from app.workflow import engine
from app.workflow.engine import apply_action
from app.workflow.pkkpr_forms import not_in_future, not_in_past
from models import Application
from tests.support import make_pkkpr, user

EVENING_UTC = datetime(2026, 11, 30, 18, 30)  # 1 December 2026, 01.30 WIB
NEW_YEAR_UTC = datetime(2026, 12, 31, 17, 30)  # 1 January 2027, 00.30 WIB
ROOT = Path(__file__).resolve().parents[2]


class Field:
    def __init__(self, value):
        self.data = value


def test_after_five_in_the_afternoon_utc_the_office_is_on_the_next_day(monkeypatch):
    monkeypatch.setattr(office_time, "utcnow", lambda: EVENING_UTC)
    assert office_time.today() == date(2026, 12, 1)
    assert office_time.office_date(datetime(2026, 11, 30, 16, 59)) == date(2026, 11, 30)


def test_a_payment_made_today_in_blitar_is_not_in_the_future(monkeypatch):
    monkeypatch.setattr(office_time, "utcnow", lambda: EVENING_UTC)
    not_in_future(None, Field(date(2026, 12, 1)))
    with pytest.raises(ValidationError):
        not_in_future(None, Field(date(2026, 12, 2)))
    with pytest.raises(ValidationError):
        not_in_past(None, Field(date(2026, 11, 30)))


def test_a_file_submitted_half_past_midnight_on_new_years_day_is_numbered_in_the_new_year(
        monkeypatch):
    application = make_pkkpr("draft")
    monkeypatch.setattr(engine, "utcnow", lambda: NEW_YEAR_UTC)
    apply_action(application.id, "ajukan", user("pemohon"), MultiDict())
    db.session.expire_all()
    number = db.session.get(Application, application.id).registration_number
    assert number.startswith("PKKPR-NB/2027/")


def _server_dates(path):
    """`date.today()`, `datetime.now()` without a zone, and `….date()` of `utcnow()`."""
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        call, owner = node.func.attr, ast.unparse(node.func.value)
        if (call, owner) == ("today", "date") or (call == "now" and owner == "datetime"
                                                  and not node.args and not node.keywords):
            yield f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}"
        if call == "date" and "utcnow()" in owner:
            yield f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}"


def test_no_code_reads_the_servers_calendar():
    found = [hit for package in ("app", "views", "api", "models")
             for path in sorted((ROOT / package).rglob("*.py")) for hit in _server_dates(path)]
    assert found == [], "use app.office_time.today() / office_date(): " + ", ".join(found)
