"""A permit's validity is data: fixed when the decree is signed, and shown as berlaku,
kedaluwarsa or dicabut on the file page, the verification page and both APIs."""

from datetime import date, timedelta

import pytest

from app import office_time
from app.extensions import db
from app.workflow.validity import anniversary, validity_of
from models import Decree
from tests.api.support import api, token
from tests.decrees.support import on_day, signed_asset_use, signed_pkkpr


def test_a_pkkpr_decree_is_in_force_for_three_years_from_its_sk_date_less_a_day():
    application = signed_pkkpr(sk_date=date(2026, 11, 30))
    decree = application.decree
    assert (decree.valid_from, decree.valid_until) == (date(2026, 11, 30), date(2029, 11, 29))


def test_an_asset_use_permit_is_in_force_for_the_approved_period():
    start = office_time.today() + timedelta(days=30)
    application = signed_asset_use(start=start, end=start + timedelta(days=2))
    decree = application.decree
    assert (decree.valid_from, decree.valid_until) == (start, start + timedelta(days=2))


def test_a_pkkpr_decree_of_29_february_ends_on_28_february():
    assert anniversary(date(2028, 2, 29), 3) == date(2031, 3, 1)
    application = signed_pkkpr(sk_date=date(2028, 2, 29))
    assert application.decree.valid_until == date(2031, 2, 28)


def test_a_decree_template_may_give_another_number_of_years():
    application = signed_pkkpr(sk_date=date(2026, 11, 30))
    assert validity_of(application, date(2026, 11, 30), years=5).valid_until == date(2031, 11, 29)


# --- the state, where people look --------------------------------------------------


def file_page(login_as, application):
    return login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)


def verification_page(client, application):
    return client.get(f"/verifikasi/{application.decree.token}").get_data(as_text=True)


def api_detail(client, application):
    response = api(client, token(client, "pemohon"), "GET", f"/applications/{application.id}")
    return response.get_json()["decree"]


def api_verify(client, application):
    return api(client, None, "GET", f"/verify/{application.decree.token}").get_json()


def test_a_decree_in_force_says_until_when_everywhere(login_as, client, monkeypatch):
    application = signed_pkkpr(sk_date=date(2026, 11, 30))
    on_day(monkeypatch, date(2029, 11, 29))  # its last day
    assert "Berlaku sampai 29 November 2029" in file_page(login_as, application)
    page = verification_page(client, application)
    assert "Berlaku sampai 29 November 2029" in page and "BERLAKU" in page
    for body in (api_detail(client, application), api_verify(client, application)):
        assert body["state"] == "berlaku" and body["valid"] is True
        assert (body["valid_from"], body["valid_until"]) == ("2026-11-30", "2029-11-29")


def test_a_decree_past_its_last_day_is_expired_everywhere(login_as, client, monkeypatch):
    application = signed_pkkpr(sk_date=date(2026, 11, 30))
    on_day(monkeypatch, date(2029, 11, 30))
    assert "KEDALUWARSA sejak 30 November 2029" in file_page(login_as, application)
    page = verification_page(client, application)
    assert "KEDALUWARSA sejak 30 November 2029" in page and "BERLAKU" not in page
    for body in (api_detail(client, application), api_verify(client, application)):
        assert body["state"] == "kedaluwarsa" and body["valid"] is False
        assert body["valid_until"] == "2029-11-29"
    assert api_verify(client, application)["status"] == "berlaku"  # not revoked


@pytest.mark.parametrize("day, state", [(None, "berlaku"), (date(2100, 1, 1), "kedaluwarsa")])
def test_an_asset_use_permit_expires_after_its_approved_period(client, monkeypatch, day, state):
    application = signed_asset_use()
    if day:
        on_day(monkeypatch, day)
    assert api_verify(client, application)["state"] == state


def test_the_migration_fills_the_validity_of_decrees_signed_before_it(app):
    from tests.test_migrations import _migrate

    pkkpr = signed_pkkpr(sk_date=date(2026, 11, 30))
    start = office_time.today() + timedelta(days=30)
    asset_use = signed_asset_use(start=start, end=start + timedelta(days=2))
    decrees = {pkkpr.decree.id: (date(2026, 11, 30), date(2029, 11, 29)),
               asset_use.decree.id: (start, start + timedelta(days=2))}
    _migrate("0012")
    _migrate("head")
    for decree_id, period in decrees.items():
        decree = db.session.get(Decree, decree_id)
        assert (decree.valid_from, decree.valid_until) == period
