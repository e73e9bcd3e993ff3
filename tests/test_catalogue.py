"""The permit catalogue: seeded defaults, admin CRUD, and the public page."""

from sqlalchemy import select

from app.extensions import db
from app.seed.catalogue import ASSET_PERMIT_TYPES, ensure_catalogue
from models import PermitCategory, PermitType, Requirement


def test_the_seed_has_pkkpr_under_tata_ruang_and_asset_types_under_their_category():
    pkkpr = db.session.scalar(select(PermitType).where(PermitType.code == "PKKPR-NB"))
    assert pkkpr.category.name == "Tata Ruang"
    assert pkkpr.workflow_kind == "pkkpr_nb"
    assert "Surat permohonan" in [r.name for r in pkkpr.requirements]
    assert any(r.mandatory for r in pkkpr.requirements)
    assets = db.session.scalars(
        select(PermitType).join(PermitCategory).where(
            PermitCategory.name == "Pemanfaatan Aset Daerah")
    ).all()
    assert {t.code for t in assets} == {code for code, *_ in ASSET_PERMIT_TYPES}


def test_seeding_the_catalogue_again_adds_nothing():
    assert ensure_catalogue() == 0


def test_seeding_keeps_an_admins_changes():
    pkkpr = db.session.scalar(select(PermitType).where(PermitType.code == "PKKPR-NB"))
    original = pkkpr.service_days
    pkkpr.service_days = 15
    db.session.commit()
    try:
        ensure_catalogue()
        assert db.session.get(PermitType, pkkpr.id).service_days == 15
    finally:
        pkkpr.service_days = original
        db.session.commit()


def test_the_public_page_groups_active_permit_types_by_category(client):
    page = client.get("/persyaratan/").get_data(as_text=True)
    assert "Persyaratan Perizinan" in page
    assert page.index("Tata Ruang") < page.index("PKKPR Non Berusaha")
    assert page.index("PKKPR Non Berusaha") < page.index("Pemanfaatan Aset Daerah")
    assert page.index("Pemanfaatan Aset Daerah") < page.index("Sewa Gedung Pertemuan")
    assert "Waktu layanan: 20 hari kerja" in page
    assert "Bukti penguasaan tanah" in page


def test_the_admin_adds_a_category_and_permit_type_with_a_requirement_and_the_public_sees_it(
    login_as, client
):
    admin = login_as("admin")
    response = admin.post(
        "/permitcategoryview/add",
        data={"name": "Kesehatan", "description": "Izin bidang kesehatan", "icon": "fa-heart",
              "position": "30"},
    )
    assert response.status_code == 302
    category = db.session.scalar(select(PermitCategory).where(PermitCategory.name == "Kesehatan"))
    response = admin.post(
        "/permittypeview/add",
        data={"category": str(category.id), "code": "SIP-BIDAN", "name": "Surat Izin Praktik Bidan",
              "workflow_kind": "pkkpr_nb", "description": "", "service_days": "7", "active": "y",
              "position": "0", "registration_format": "SIP/{year}/{seq:05d}",
              "sk_format": "503/{seq:03d}/409.110/{year}"},
    )
    assert response.status_code == 302
    permit_type = db.session.scalar(select(PermitType).where(PermitType.code == "SIP-BIDAN"))
    response = admin.post(
        "/requirementview/add",
        data={"permit_type": str(permit_type.id), "name": "STR Bidan", "description": "",
              "mandatory": "y", "accepted_types": "PDF, jpg", "max_size_mb": "5",
              "position": "0", "active": "y"},
    )
    assert response.status_code == 302
    requirement = db.session.scalar(select(Requirement).where(Requirement.name == "STR Bidan"))
    assert requirement.accepted_types == "pdf,jpg"
    page = client.get("/persyaratan/").get_data(as_text=True)
    kesehatan = page.index("Kesehatan")
    assert kesehatan < page.index("Surat Izin Praktik Bidan") < page.index("STR Bidan")


def test_an_inactive_permit_type_is_not_listed_publicly(login_as, client):
    category = PermitCategory(name="Uji Nonaktif", position=99)
    db.session.add(PermitType(code="NONAKTIF", name="Izin Nonaktif", category=category,
                              workflow_kind="aset", active=False))
    db.session.commit()
    page = client.get("/persyaratan/").get_data(as_text=True)
    assert "Izin Nonaktif" not in page
    assert "Uji Nonaktif" not in page


def test_the_admin_form_rejects_unknown_file_types_and_bad_codes(login_as):
    admin = login_as("admin")
    pkkpr = db.session.scalar(select(PermitType).where(PermitType.code == "PKKPR-NB"))
    response = admin.post(
        "/requirementview/add",
        data={"permit_type": str(pkkpr.id), "name": "Berkas aneh", "mandatory": "y",
              "accepted_types": "exe", "max_size_mb": "5", "position": "0"},
    )
    assert "pilihan: pdf, jpg, png" in response.get_data(as_text=True)
    response = admin.post(
        "/permittypeview/add",
        data={"category": str(pkkpr.category_id), "code": "huruf kecil", "name": "X",
              "workflow_kind": "aset", "service_days": "5", "position": "0"},
    )
    assert "Gunakan huruf kapital" in response.get_data(as_text=True)
    assert db.session.scalar(select(Requirement).where(Requirement.name == "Berkas aneh")) is None


def test_the_admin_cannot_save_a_number_format_without_sequence(login_as):
    admin = login_as("admin")
    pkkpr = db.session.scalar(select(PermitType).where(PermitType.code == "PKKPR-NB"))
    response = admin.post(
        "/permittypeview/add",
        data={"category": str(pkkpr.category_id), "code": "FORMAT-SALAH", "name": "Uji",
              "workflow_kind": "aset", "service_days": "5", "position": "0",
              "registration_format": "{code}/{year}", "sk_format": "503/{nomor}/{year}"},
    )
    page = response.get_data(as_text=True)
    assert "seq (missing)" in page and "nomor" in page
    assert db.session.scalar(select(PermitType).where(PermitType.code == "FORMAT-SALAH")) is None


def test_an_admin_save_returns_to_the_list_it_belongs_to(login_as):
    """Flask-AppBuilder goes back to the last list in the session's page history, which
    may be another screen's: after saving a day off the admin lands on the days off."""
    admin = login_as("admin")
    admin.get("/users/list/")
    added = admin.post("/holidayview/add", data={"date": "2026-12-24", "name": "Cuti bersama"})
    assert added.status_code == 302 and added.location.endswith("/holidayview/list/")
    admin.get("/users/list/")
    admin.get("/holidayview/list/")
    admin.get("/holidayview/list/?_oc_HolidayView=date&_od_HolidayView=asc")
    again = admin.post("/holidayview/add", data={"date": "2026-12-26", "name": "Cuti"})
    assert "_oc_HolidayView=date" in again.location  # the list as the admin left it
