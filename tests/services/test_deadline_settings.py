"""The deadlines' numbers: the application's defaults, which a permit type may override
in the catalogue screen (checked there, with the rule in Indonesian)."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.workflow.deadline_settings import (
    Share,
    as_text,
    parse_reminders,
    reminder_days,
    setting,
)
from models import PermitType
from tests.support import pkkpr_type


def test_without_its_own_numbers_a_permit_type_has_the_defaults(app):
    permit_type = pkkpr_type()
    assert setting(permit_type, "billing_reminder_days") == (3, 1)
    assert setting(permit_type, "skrd_reminder_days") == (3, 1)
    assert setting(permit_type, "correction_days") == 14
    assert setting(permit_type, "correction_reminder_days") == (Share(50), 2)
    assert setting(permit_type, "reopen_days") == 30
    assert setting(permit_type, "validity_reminder_days") == (90, 30)


def test_its_own_numbers_replace_the_defaults(app):
    permit_type = PermitType(correction_days=10, correction_reminder_days="25%, 1",
                             validity_reminder_days="")
    assert setting(permit_type, "correction_days") == 10
    assert setting(permit_type, "correction_reminder_days") == (Share(25), 1)
    assert setting(permit_type, "validity_reminder_days") == (90, 30)  # empty: the default


def test_half_time_is_worked_out_on_the_deadlines_period(app):
    permit_type = pkkpr_type()
    assert reminder_days(permit_type, "correction_reminder_days", period=14) == (7, 2)
    assert reminder_days(permit_type, "correction_reminder_days", period=15) == (7, 2)
    assert reminder_days(permit_type, "correction_reminder_days", period=4) == (2,)
    assert reminder_days(permit_type, "correction_reminder_days", period=1) == (2,)


@pytest.mark.parametrize("text", ["", "0", "tiga", "3,,1", "366", "50%", "1, 2, 3, 4, 5, 6"])
def test_a_list_of_reminders_is_whole_working_days(text):
    with pytest.raises(ValueError):
        parse_reminders(text)


@pytest.mark.parametrize("text", ["0%", "100%", "-1"])
def test_a_share_is_between_1_and_99_percent(text):
    with pytest.raises(ValueError):
        parse_reminders(text, shares=True)


def test_reminders_are_written_tidily():
    assert as_text(parse_reminders(" 1,3 ,3")) == "3, 1"
    assert as_text(parse_reminders("2, 50 %", shares=True)) == "50%, 2"


def add_permit_type(admin, **settings):
    pkkpr = pkkpr_type()
    data = {"category": str(pkkpr.category_id), "code": "UJI-TENGGAT", "name": "Uji tenggat",
            "workflow_kind": "pkkpr_nb", "service_days": "5", "position": "0",
            "registration_format": "{code}/{year}/{seq:06d}",
            "sk_format": "503/{seq:03d}/409.110/{year}", **settings}
    return admin.post("/permittypeview/add", data=data)


def added():
    return db.session.scalar(select(PermitType).where(PermitType.code == "UJI-TENGGAT"))


def test_the_admin_sets_a_permit_types_own_numbers(login_as):
    admin = login_as("admin")
    form = admin.get("/permittypeview/add").get_data(as_text=True)
    assert "Masa perbaikan (hari kerja)" in form
    assert "Kosongkan untuk memakai nilai bawaan: 50%, 2." in form
    response = add_permit_type(admin, correction_days="10", correction_reminder_days="2,50%",
                               billing_reminder_days="1, 5", reopen_days="")
    assert response.status_code == 302
    permit_type = added()
    assert permit_type.correction_days == 10 and permit_type.reopen_days is None
    assert permit_type.correction_reminder_days == "50%, 2"
    assert permit_type.billing_reminder_days == "5, 1"
    assert setting(permit_type, "skrd_reminder_days") == (3, 1)


@pytest.mark.parametrize(("settings", "message"), [
    ({"correction_days": "0"}, "bilangan bulat hari kerja dari 1 sampai 365"),
    ({"reopen_days": "400"}, "bilangan bulat hari kerja dari 1 sampai 365"),
    ({"billing_reminder_days": "3, satu"}, "misalnya 3, 1"),
    ({"validity_reminder_days": "50%"}, "misalnya 3, 1"),
    ({"correction_reminder_days": "150%"}, "persentase masa perbaikan dari 1% sampai 99%"),
    ({"correction_days": "5", "correction_reminder_days": "5"},
     "lebih kecil daripada masa perbaikan (5)"),
    ({"correction_reminder_days": "14"}, "lebih kecil daripada masa perbaikan (14)"),
], ids=["zero-days", "too-many-days", "not-a-number", "share-of-a-payment",
        "share-over-99", "reminder-at-the-return", "reminder-at-the-default-return"])
def test_the_screen_refuses_numbers_that_are_not_working_days(login_as, settings, message):
    page = add_permit_type(login_as("admin"), **settings).get_data(as_text=True)
    assert message in page
    assert added() is None
