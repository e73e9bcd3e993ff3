"""A requirement, permit type, agency or asset that files use cannot be deleted from the
admin screens: it is deactivated instead. Unused ones can still be deleted."""

import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from models import (
    Agency,
    Application,
    ApplicationDocument,
    Asset,
    PermitCategory,
    PermitType,
    Requirement,
)
from tests.support import HALL, asset_named, make_asset_use, make_pkkpr, pkkpr_type

IN_USE = "tidak dapat dihapus karena masih dipakai"
VIEW_OF = {Requirement: "requirementview", Asset: "assetview", PermitType: "permittypeview",
           Agency: "agencyview", PermitCategory: "permitcategoryview"}


def flashed(page):
    return " ".join(re.sub(r"\s+", " ", text) for text in
                    re.findall(r'class="alert[^"]*">(.*?)</div>', page, re.S))


def test_deleting_a_requirement_that_files_use_is_refused_and_their_documents_remain(login_as):
    application = make_pkkpr("diajukan")
    requirement = pkkpr_type().requirements[0]
    documents_before = len(application.documents)
    admin = login_as("admin")

    page = admin.post(f"/requirementview/delete/{requirement.id}",
                      follow_redirects=True).get_data(as_text=True)

    assert (f"“{requirement.name}” {IN_USE} (berkas: 1). Nonaktifkan saja"
            in flashed(page))
    db.session.expire_all()
    assert db.session.get(Requirement, requirement.id) is not None
    assert len(db.session.get(Application, application.id).documents) == documents_before
    assert db.session.scalar(select(ApplicationDocument).where(
        ApplicationDocument.requirement_id == requirement.id)) is not None


def test_a_requirement_in_a_files_set_counts_as_used_even_before_anything_is_uploaded(
    login_as
):
    make_pkkpr("draft", documents=None)
    requirement = pkkpr_type().requirements[-1]
    page = login_as("admin").post(f"/requirementview/delete/{requirement.id}",
                                  follow_redirects=True).get_data(as_text=True)
    assert IN_USE in flashed(page)
    assert db.session.get(Requirement, requirement.id) is not None


def test_deleting_a_permit_type_that_files_use_is_refused(login_as):
    application = make_pkkpr("diajukan")
    permit_type = pkkpr_type()
    page = login_as("admin").post(f"/permittypeview/delete/{permit_type.id}",
                                  follow_redirects=True).get_data(as_text=True)
    assert f"“PKKPR Non Berusaha” {IN_USE} (berkas: 1)" in flashed(page)
    db.session.expire_all()
    assert db.session.get(PermitType, permit_type.id) is not None
    assert db.session.get(Application, application.id).documents


def test_deleting_an_agency_that_asset_types_and_officers_use_is_refused(login_as):
    bpkad = db.session.scalar(select(Agency).where(Agency.code == "BPKAD"))
    page = login_as("admin").post(f"/agencyview/delete/{bpkad.id}",
                                  follow_redirects=True).get_data(as_text=True)
    assert re.search(rf"{IN_USE} \(jenis aset: \d+, petugas: 1\)", flashed(page))
    assert db.session.get(Agency, bpkad.id) is not None


def test_deleting_an_asset_that_files_use_is_refused(login_as):
    make_asset_use("diteruskan_opd")
    hall = asset_named(HALL)
    page = login_as("admin").post(f"/assetview/delete/{hall.id}",
                                  follow_redirects=True).get_data(as_text=True)
    assert f"{IN_USE} (berkas: 1)" in flashed(page)
    assert db.session.get(Asset, hall.id) is not None


def test_deleting_a_category_that_holds_permit_types_is_refused(login_as):
    category = pkkpr_type().category
    page = login_as("admin").post(f"/permitcategoryview/delete/{category.id}",
                                  follow_redirects=True).get_data(as_text=True)
    assert "Pindahkan jenis izinnya" in flashed(page)
    assert db.session.get(PermitCategory, category.id) is not None


def _unused_catalogue_rows():
    category = PermitCategory(name="Kategori Uji Hapus", position=99)
    agency = Agency(code="UJI-HAPUS", name="Dinas Uji Hapus")
    permit_type = PermitType(code="UJI-HAPUS", name="Izin Uji Hapus", category=category,
                             workflow_kind="aset", agency=agency, use_form="sewa",
                             tariff_amount=0, tariff_unit="per_hari")
    requirement = Requirement(permit_type=permit_type, name="Syarat Uji Hapus")
    asset = Asset(kode_barang="9.9.9", name="Aset Uji Hapus", asset_type=permit_type,
                  address="Jl. Uji", kecamatan="Kanigoro")
    db.session.add_all([category, agency, permit_type, requirement, asset])
    db.session.commit()
    return category, agency, permit_type, requirement, asset


def test_unused_requirements_assets_permit_types_agencies_and_categories_can_be_deleted(
    login_as
):
    rows = [(type(row), row.id) for row in reversed(_unused_catalogue_rows())]
    admin = login_as("admin")
    for model, row_id in rows:  # requirement, asset, permit type, agency, category
        page = admin.post(f"/{VIEW_OF[model]}/delete/{row_id}",
                          follow_redirects=True).get_data(as_text=True)
        assert IN_USE not in flashed(page), model
    db.session.expire_all()
    for model, row_id in rows:
        assert db.session.get(model, row_id) is None, model


def test_the_delete_action_on_several_rows_deletes_the_unused_and_keeps_the_used(login_as):
    make_pkkpr("diajukan")
    used = pkkpr_type().requirements[0]
    used_id, used_name = used.id, used.name
    unused_id = _unused_catalogue_rows()[3].id
    page = login_as("admin").post(
        "/requirementview/action_post",
        data={"action": "muldelete", "rowid": [str(used_id), str(unused_id)]},
        follow_redirects=True).get_data(as_text=True)
    assert "1 entri dihapus." in flashed(page)
    assert f"“{used_name}” {IN_USE}" in flashed(page)
    db.session.expire_all()
    assert db.session.get(Requirement, used_id) is not None
    assert db.session.get(Requirement, unused_id) is None


def test_the_database_refuses_deleting_a_used_requirement_behind_the_screens():
    make_pkkpr("diajukan")
    requirement = pkkpr_type().requirements[0]
    with pytest.raises(IntegrityError):
        db.session.execute(text("DELETE FROM permit_requirement WHERE id = :id"),
                           {"id": requirement.id})
    db.session.rollback()
    assert db.session.get(Requirement, requirement.id) is not None


def test_a_delete_the_check_let_through_is_refused_by_the_database_with_the_same_advice(
    login_as, monkeypatch
):
    """Used between the check and the delete: the foreign key refuses it, and the admin
    reads why instead of an empty message."""
    monkeypatch.setattr("views.admin.refuse_delete_in_use", lambda item: None)
    make_pkkpr("diajukan")
    requirement_id = pkkpr_type().requirements[0].id
    page = login_as("admin").post(f"/requirementview/delete/{requirement_id}",
                                  follow_redirects=True).get_data(as_text=True)
    assert "Entri ini masih dipakai dan tidak dapat dihapus. Nonaktifkan saja." in flashed(page)
    db.session.expire_all()
    assert db.session.get(Requirement, requirement_id) is not None
