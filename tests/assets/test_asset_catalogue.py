"""Asset types, agencies and assets are data an admin manages; fees follow the tariff."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.seed.assets import ASSET_TERMS, ensure_assets
from app.services.fees import compute_fee
from models import Agency, Asset, PermitCategory, PermitType
from tests.support import user


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


def test_the_admin_adds_an_agency_an_asset_type_and_an_asset_and_the_public_sees_it(
    login_as, client
):
    admin = login_as("admin")
    assert admin.post("/agencyview/add", data={"code": "DISHUB",
                                               "name": "Dinas Perhubungan"}).status_code == 302
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
    response = admin.post("/assetview/add", data={
        "kode_barang": "1.3.2.09.01.001", "name": "Los Terminal Patria No. 3",
        "asset_type": str(asset_type.id), "address": "Terminal Kesamben",
        "kecamatan": "Kesamben", "area_m2": "12", "active": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    page = client.get("/persyaratan/").get_data(as_text=True)
    assert page.index("Pemanfaatan Aset Daerah") < page.index("Sewa Los Terminal")


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
