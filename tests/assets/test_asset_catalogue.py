"""Asset types, agencies and assets are data an admin manages; fees follow the tariff."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.security import roles
from app.seed.assets import ASSET_TERMS, ensure_assets
from app.workflow.fees import compute_fee
from models import Agency, Application, Asset, InAppNotification, PermitCategory, PermitType
from tests.assets.test_asset_flow import apply_and_submit, front_office_and_examiner
from tests.factories import make_user
from tests.support import TODAY, user
from tests.workflow.test_pkkpr_flow import inbox_has


@pytest.mark.parametrize(
    ("tariff", "unit", "start", "end", "area", "fee"),
    [
        (750000, "per_hari", date(2026, 12, 1), date(2026, 12, 3), None, 2250000),
        (150000, "per_bulan", date(2026, 1, 1), date(2026, 1, 30), None, 150000),
        (150000, "per_bulan", date(2026, 1, 1), date(2026, 1, 31), None, 300000),
        (500000, "per_tahun", date(2026, 1, 1), date(2027, 1, 1), None, 1000000),
        (5000, "per_m2_tahun", date(2026, 1, 1), date(2026, 12, 31), 2500, 12500000),
        (5000, "per_m2_tahun", date(2026, 1, 1), date(2026, 7, 1), 100, 249315),
        (0, "per_tahun", date(2026, 1, 1), date(2026, 12, 31), None, 0),
    ],
)
def test_the_fee_follows_tariff_period_and_area(tariff, unit, start, end, area, fee):
    assert compute_fee(tariff, unit, start, end, area) == Decimal(fee)


def test_a_period_ending_before_it_starts_has_no_fee():
    with pytest.raises(ValueError):
        compute_fee(1000, "per_hari", date(2026, 2, 2), date(2026, 2, 1))


def test_the_default_asset_types_have_agencies_tariffs_and_assets():
    types = db.session.scalars(select(PermitType).where(PermitType.code.in_(ASSET_TERMS))).all()
    assert len(types) == len(ASSET_TERMS)
    for permit_type in types:
        agency, use_form, tariff, unit, exclusive = ASSET_TERMS[permit_type.code]
        assert permit_type.agency.code == agency and permit_type.tariff_unit == unit
        assert permit_type.category.name == "Pemanfaatan Aset Daerah"
    free = next(t for t in types if t.code == "ASET-PINJAM-PAKAI")
    assert free.use_form == "pinjam_pakai" and free.tariff_amount == 0
    assert db.session.scalar(select(Asset).where(Asset.name == "Gedung Olahraga Kanigoro"))
    assert user("pengelolaaset").agency.code == "BPKAD"
    assert ensure_assets() == 0


def test_an_asset_type_added_in_the_admin_screens_takes_requests_at_once_for_its_agency(
    login_as, client
):
    """No code and no restart: agency, asset type, requirement and asset through the
    admin HTTP endpoints; an applicant applies and the new agency's officer gets it."""
    admin = login_as("admin")
    assert admin.post("/agencyview/add", data={"code": "DISHUB", "name": "Dinas Perhubungan",
                                               "active": "y"}).status_code == 302
    agency = db.session.scalar(select(Agency).where(Agency.code == "DISHUB"))
    category = db.session.scalar(select(PermitCategory).where(
        PermitCategory.name == "Pemanfaatan Aset Daerah"))
    response = admin.post("/permittypeview/add", data={
        "category": str(category.id), "code": "ASET-TERMINAL", "name": "Sewa Los Terminal",
        "workflow_kind": "aset", "service_days": "7", "active": "y", "position": "100",
        "registration_format": "{code}/{year}/{seq:06d}",
        "sk_format": "503/{seq:03d}/409.110/{year}", "agency": str(agency.id),
        "use_form": "sewa", "tariff_amount": "200000", "tariff_unit": "per_bulan",
        "exclusive": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    asset_type = db.session.scalar(select(PermitType).where(PermitType.code == "ASET-TERMINAL"))
    assert asset_type.agency_id == agency.id and asset_type.exclusive
    response = admin.post("/requirementview/add", data={
        "permit_type": str(asset_type.id), "name": "Surat permohonan sewa los",
        "mandatory": "y", "accepted_types": "pdf", "max_size_mb": "5", "position": "0",
        "active": "y"})
    assert response.status_code == 302
    response = admin.post("/assetview/add", data={
        "kode_barang": "1.3.2.09.01.001", "name": "Los Terminal Patria No. 3",
        "asset_type": str(asset_type.id), "address": "Terminal Kesamben",
        "kecamatan": "Kesamben", "area_m2": "12", "active": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    page = client.get("/persyaratan/").get_data(as_text=True)
    assert page.index("Pemanfaatan Aset Daerah") < page.index("Sewa Los Terminal")
    assert page.index("Sewa Los Terminal") < page.index("Surat permohonan sewa los")

    dishub = make_user(roles.PENGELOLA_ASET, username="dishub", agency_id=agency.id)
    los = db.session.scalar(select(Asset).where(Asset.kode_barang == "1.3.2.09.01.001"))
    start = TODAY + timedelta(days=7)
    application_id, draft_page = apply_and_submit(
        login_as("pemohon"), los, start, start + timedelta(days=59), purpose="Warung makan")
    assert "Rp400.000" in draft_page  # two started months × Rp200.000
    front_office_and_examiner(login_as, application_id)
    number = db.session.get(Application, application_id).registration_number
    assert number.startswith("ASET-TERMINAL/")
    assert inbox_has(login_as("dishub", "Rahasia123"), number)
    assert not inbox_has(login_as("pengelolaaset"), number)
    told = db.session.scalars(select(InAppNotification.user_id).where(
        InAppNotification.application_id == application_id)).all()
    assert dishub.id in told


def test_an_asset_type_without_agency_or_tariff_unit_is_refused(login_as):
    category = db.session.scalar(select(PermitCategory).where(
        PermitCategory.name == "Pemanfaatan Aset Daerah"))
    response = login_as("admin").post("/permittypeview/add", data={
        "category": str(category.id), "code": "ASET-SALAH", "name": "Tanpa pengelola",
        "workflow_kind": "aset", "service_days": "7", "position": "0",
        "registration_format": "{code}/{year}/{seq:06d}",
        "sk_format": "503/{seq:03d}/409.110/{year}", "tariff_amount": "1000"})
    assert response.status_code == 200
    assert db.session.scalar(select(PermitType).where(PermitType.code == "ASET-SALAH")) is None
