"""Deactivating instead of deleting: an inactive permit type, agency or asset is no
longer offered for new applications or choices; the files that use it carry on."""

from sqlalchemy import select

from app.extensions import db
from models import Agency
from tests.catalogue.test_enumerations import options
from tests.support import HALL, asset_named, make_asset_use, make_pkkpr, pkkpr_type
from tests.workflow.test_pkkpr_flow import act, inbox_has, status_of


def untick_active(admin, url, data):
    """Save the edit form as it is, with "Aktif" unticked (a browser sends no value)."""
    response = admin.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]


def test_a_deactivated_permit_type_takes_no_new_applications_but_its_files_carry_on(
    login_as
):
    application = make_pkkpr("diajukan")
    pkkpr = pkkpr_type()
    untick_active(login_as("admin"), f"/permittypeview/edit/{pkkpr.id}", {
        "category": str(pkkpr.category_id), "code": pkkpr.code, "name": pkkpr.name,
        "workflow_kind": "pkkpr_nb", "description": pkkpr.description or "",
        "service_days": str(pkkpr.service_days), "position": str(pkkpr.position),
        "registration_format": pkkpr.registration_format, "sk_format": pkkpr.sk_format,
        "agency": "__None", "use_form": "", "tariff_amount": "", "tariff_unit": ""})
    db.session.expire_all()
    assert pkkpr_type().active is False

    pemohon = login_as("pemohon")
    assert pemohon.get("/permohonan/baru/PKKPR-NB").status_code == 404
    assert "PKKPR-NB" not in pemohon.get("/permohonan/baru").get_data(as_text=True)
    act(login_as("frontoffice"), application.id, "terima")
    assert status_of(application.id) == "diterima_fo"


def test_a_deactivated_agency_is_not_offered_for_new_asset_types_or_officers(login_as):
    application = make_asset_use("diteruskan_opd")
    bpkad = db.session.scalar(select(Agency).where(Agency.code == "BPKAD"))
    admin = login_as("admin")
    untick_active(admin, f"/agencyview/edit/{bpkad.id}", {"code": "BPKAD", "name": bpkad.name})
    db.session.expire_all()
    assert db.session.get(Agency, bpkad.id).active is False

    for url in ("/permittypeview/add", "/users/add"):
        offered = dict(options(admin.get(url).get_data(as_text=True), "agency"))
        assert str(bpkad.id) not in offered, url
    hall_type = asset_named(HALL).asset_type
    edit_page = admin.get(f"/permittypeview/edit/{hall_type.id}").get_data(as_text=True)
    assert (str(bpkad.id), bpkad.name) in options(edit_page, "agency")
    assert inbox_has(login_as("pengelolaaset"), application.registration_number)


def test_a_deactivated_asset_is_not_offered_to_applicants_but_its_files_carry_on(login_as):
    application = make_asset_use("diajukan")
    hall = asset_named(HALL)
    untick_active(login_as("admin"), f"/assetview/edit/{hall.id}", {
        "kode_barang": hall.kode_barang, "name": hall.name, "asset_type": str(hall.permit_type_id),
        "address": hall.address, "kecamatan": hall.kecamatan,
        "area_m2": str(hall.area_m2 or ""), "certificate_number": hall.certificate_number or "",
        "notes": hall.notes or ""})
    pemohon = login_as("pemohon")
    form = pemohon.get(f"/permohonan/baru/{hall.asset_type.code}").get_data(as_text=True)
    assert str(hall.id) not in dict(options(form, "asset_id"))
    act(login_as("frontoffice"), application.id, "terima")
    assert status_of(application.id) == "diterima_fo"


def test_an_inactive_permit_type_is_not_offered_for_new_assets(login_as):
    hall_type = asset_named(HALL).asset_type
    hall_type.active = False
    db.session.commit()
    offered = dict(options(login_as("admin").get("/assetview/add").get_data(as_text=True),
                           "asset_type"))
    assert str(hall_type.id) not in offered
