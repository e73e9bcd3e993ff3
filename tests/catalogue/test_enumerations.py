"""Enumerated columns: a select list of translated labels in the admin screens, refused
by the model before flush and by the database when a value is outside the enumeration."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from models import Agency, Decree, OutboxMessage, PermitType
from models.choices import InvalidChoice
from tests.support import TODAY, make_asset_use, make_pkkpr, pkkpr_type


def options(page, name):
    """[(value, label)] of the select named `name` on the page."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, f"no select named {name}"
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html[1])


def permit_type_form(category_id, **changes):
    data = {"category": str(category_id), "code": "IZIN-BARU", "name": "Izin Baru",
            "workflow_kind": "aset", "service_days": "7", "active": "y", "position": "0",
            "registration_format": "{code}/{year}/{seq:06d}",
            "sk_format": "503/{seq:03d}/409.110/{year}", "agency": "__None",
            "use_form": "sewa", "tariff_amount": "100000", "tariff_unit": "per_hari"}
    data.update(changes)
    return data


def test_the_permit_type_form_offers_only_the_enumerated_values_with_indonesian_labels(
    login_as
):
    page = login_as("admin").get("/permittypeview/add").get_data(as_text=True)
    assert options(page, "workflow_kind") == [("pkkpr_nb", "PKKPR Non Berusaha"),
                                              ("aset", "Izin Pemanfaatan Aset")]
    assert options(page, "tariff_unit") == [
        ("", "(tidak ada)"), ("per_hari", "per hari"), ("per_bulan", "per bulan"),
        ("per_tahun", "per tahun"), ("per_m2_tahun", "per m² per tahun")]
    assert [value for value, _ in options(page, "use_form")] == [
        "", "sewa", "pinjam_pakai", "kerja_sama_pemanfaatan", "bgs_bsg", "kspi"]
    assert ("sewa", "Sewa") in options(page, "use_form")


def test_the_agency_select_offers_a_readable_blank_choice_not_none(login_as):
    admin = login_as("admin")
    for url in ("/permittypeview/add", "/users/add"):
        page = admin.get(url).get_data(as_text=True)
        agencies = options(page, "agency")
        assert agencies[0] == ("__None", "(tidak ada)"), url
        assert ">__None<" not in page


@pytest.mark.parametrize(("field", "typed"), [("workflow_kind", "Izin Pemanfaatan Aset"),
                                             ("tariff_unit", "per hari"),
                                             ("use_form", "Sewa harian")])
def test_a_value_typed_instead_of_chosen_is_refused_with_a_message_and_nothing_saved(
    login_as, field, typed
):
    admin = login_as("admin")
    response = admin.post("/permittypeview/add",
                          data=permit_type_form(pkkpr_type().category_id, **{field: typed}))

    assert response.status_code == 200
    assert "Pilihan tidak valid." in response.get_data(as_text=True)
    assert db.session.scalar(select(PermitType).where(PermitType.code == "IZIN-BARU")) is None
    assert admin.get("/permittypeview/list/").status_code == 200


def test_a_chosen_value_is_saved_and_listed_with_its_label(login_as):
    admin = login_as("admin")
    bpkad = db.session.scalar(select(Agency).where(Agency.code == "BPKAD"))
    response = admin.post("/permittypeview/add", data=permit_type_form(
        pkkpr_type().category_id, agency=str(bpkad.id)))
    assert response.status_code == 302
    saved = db.session.scalar(select(PermitType).where(PermitType.code == "IZIN-BARU"))
    assert (saved.workflow_kind, saved.tariff_unit, saved.use_form) == ("aset", "per_hari",
                                                                      "sewa")
    listing = admin.get("/permittypeview/list/").get_data(as_text=True)
    assert "Izin Pemanfaatan Aset" in listing


def test_an_optional_enumeration_left_blank_is_stored_as_empty(login_as):
    admin = login_as("admin")
    response = admin.post("/permittypeview/add", data=permit_type_form(
        pkkpr_type().category_id, workflow_kind="pkkpr_nb", use_form="", tariff_unit="",
        tariff_amount=""))
    assert response.status_code == 302
    saved = db.session.scalar(select(PermitType).where(PermitType.code == "IZIN-BARU"))
    assert saved.use_form is None and saved.tariff_unit is None


def test_the_stage_target_and_outbox_screens_offer_their_statuses_as_lists(login_as):
    admin = login_as("admin")
    stage = admin.get("/stagetargetview/add").get_data(as_text=True)
    assert ("diajukan", "Diajukan") in options(stage, "status")
    outbox = admin.get("/outboxview/list/").get_data(as_text=True)
    # The search form's fields travel as JSON inside the page's filter script.
    assert r'\u003coption value=\"failed\"\u003eGagal\u003c/option\u003e' in outbox


def test_the_model_refuses_a_value_outside_the_enumeration_before_flush():
    permit_type = pkkpr_type()
    with pytest.raises(InvalidChoice) as refused:
        permit_type.tariff_unit = "per hari"
    assert str(refused.value) == ("“per hari” bukan pilihan yang sah untuk Satuan tarif. "
                                  "Pilih salah satu: per hari, per bulan, per tahun, "
                                  "per m² per tahun.")
    with pytest.raises(InvalidChoice):
        OutboxMessage(status="lost")
    db.session.rollback()
    assert pkkpr_type().tariff_unit is None


def _rows_of_every_enumerated_table():
    """One row in each table with an enumerated column."""
    application = make_pkkpr("siap_ds")
    db.session.add(Decree(application=application, token="token-uji-enum"))
    db.session.add(OutboxMessage(recipient_number="+6281200000000", template_key="uji",
                                 body="uji", application=application))
    db.session.commit()
    make_asset_use("diteruskan_opd", start=TODAY + timedelta(days=200))


ENUMERATED_COLUMNS = [
    ("permit_type", "use_form", "ck_permit_type_use_form"),
    ("permit_type", "tariff_unit", "ck_permit_type_tariff_unit"),
    ("asset_use", "use_form", "ck_asset_use_use_form"),
    ("asset_use", "booking", "ck_asset_use_booking"),
    ("application_document", "verdict", "ck_application_document_verdict"),
    ("decree", "status", "ck_decree_status"),
    ("notification_outbox", "status", "ck_notification_outbox_status"),
]


@pytest.mark.parametrize(("table", "column", "constraint"), ENUMERATED_COLUMNS)
def test_the_database_refuses_a_value_outside_the_enumeration(table, column, constraint):
    _rows_of_every_enumerated_table()
    with pytest.raises(IntegrityError) as refused:
        db.session.execute(text(f"UPDATE {table} SET {column} = 'per hari'"))
        db.session.flush()
    db.session.rollback()
    assert constraint in str(refused.value) or "CHECK" in str(refused.value)
    names = {check["name"] for check in inspect(db.engine).get_check_constraints(table)}
    assert constraint in names


def test_rebuilding_tables_for_the_checks_kept_their_other_constraints():
    names = {check["name"] for check in inspect(db.engine).get_check_constraints("asset_use")}
    assert "ck_asset_use_period" in names


def test_the_workflow_select_offers_the_published_processes_as_they_are_published(
    login_as
):
    """The kind is no enumeration since processes are configured (migration 0025): the
    screen offers the built-in workflows and every published process, read at each
    showing, and refuses anything else."""
    from tests.processes.support import publish_trial_process

    admin = login_as("admin")
    assert "uji_reklame" not in dict(options(admin.get("/permittypeview/add").get_data(
        as_text=True), "workflow_kind"))
    publish_trial_process()
    offered = dict(options(admin.get("/permittypeview/add").get_data(as_text=True),
                           "workflow_kind"))
    assert offered["uji_reklame"] == "Izin Uji Reklame"
