"""The signer's identity on the account: NIP (18 digits with a structure) and rank/grade,
kept by the admin in the user screens and by officers in their own profile."""

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.security import roles
from app.security.identity import nip_problem
from models import SiapUser
from models.choices import InvalidChoice
from tests.factories import make_user

VALID_NIP = "197805122003121002"  # born 12 May 1978, appointed December 2003, a man, 002
TODAY = date(2026, 11, 30)


def reload(user_id):
    db.session.expire_all()
    return db.session.get(SiapUser, user_id)


def test_a_well_formed_nip_passes():
    assert nip_problem(VALID_NIP, TODAY) is None
    assert nip_problem("198802282015032001", TODAY) is None  # a woman, serial 001


@pytest.mark.parametrize("nip, message", [
    ("19780512200312100", "18 digits"),  # 17 digits
    ("19780512200312100A", "18 digits"),
    ("197802302003121002", "birth date"),  # 30 February
    ("203001012003121002", "birth date"),  # born in the future
    ("197805121990121002", "appointment"),  # appointed at 12
    ("197805122003131002", "appointment"),  # month 13
    ("197805122030011002", "appointment"),  # appointed in the future
    ("197805122003123002", "man"),  # sex digit 3
    ("197805122003121000", "serial"),
])
def test_a_nip_with_a_wrong_part_is_refused_with_what_is_wrong(nip, message):
    with force_locale("en"):
        assert message in str(nip_problem(nip, TODAY))


def test_a_rank_outside_the_civil_service_grades_is_refused_by_the_model_and_the_database():
    user = make_user(roles.BACK_OFFICE)
    with pytest.raises(InvalidChoice):
        user.pangkat_golongan = "V/a"
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE ab_user SET pangkat_golongan = 'V/a' WHERE id = :id"),
                           {"id": user.id})
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE ab_user SET nip = '123' WHERE id = :id"),
                           {"id": user.id})
    db.session.rollback()


def test_the_rank_is_shown_with_its_title_and_grade():
    user = make_user(roles.KEPALA_DINAS, pangkat_golongan="IV/c")
    assert user.rank_label == "Pembina Utama Muda (IV/c)"
    assert make_user(roles.BACK_OFFICE).rank_label is None


def test_the_demo_head_of_office_has_a_valid_nip_and_a_rank():
    kepala = db.session.scalar(select(SiapUser).where(SiapUser.username == "kepaladinas"))
    assert nip_problem(kepala.nip) is None
    assert kepala.rank_label == "Pembina Utama Muda (IV/c)"


# --- the admin's user screens --------------------------------------------------------


def user_form(**changes):
    back_office = db.session.scalar(select(SiapUser).where(SiapUser.username == "backoffice"))
    form = {"first_name": "Rina", "last_name": "Wulandari", "username": "rina.kabid",
            "email": "rina@example.id", "active": "y", "whatsapp": "0812-3456-7001",
            "nik": "", "roles": str(back_office.roles[0].id), "nip": "",
            "pangkat_golongan": "", "password": "Blitar2026", "conf_password": "Blitar2026"}
    form.update(changes)
    return form


def test_the_admin_enters_a_nip_in_groups_and_a_rank_from_the_list(login_as):
    admin = login_as("admin")
    add_page = admin.get("/users/add").get_data(as_text=True)
    assert "Pembina Utama Muda (IV/c)" in add_page and "Juru Muda (I/a)" in add_page
    response = admin.post("/users/add", data=user_form(nip="19780512 200312 1 002",
                                                       pangkat_golongan="IV/a"))
    assert response.status_code == 302
    created = db.session.scalar(select(SiapUser).where(SiapUser.username == "rina.kabid"))
    assert (created.nip, created.pangkat_golongan) == (VALID_NIP, "IV/a")
    page = admin.get(f"/users/show/{created.id}").get_data(as_text=True)
    assert "Pembina (IV/a)" in page and VALID_NIP in page


def test_the_admin_leaves_the_nik_and_nip_empty_for_several_users(login_as):
    admin = login_as("admin")
    for n in (1, 2):
        response = admin.post("/users/add", data=user_form(
            username=f"staf{n}", email=f"staf{n}@example.id", nip="  "))
        assert response.status_code == 302
    created = db.session.scalars(select(SiapUser).where(SiapUser.username.in_(
        ["staf1", "staf2"]))).all()
    assert [(user.nik, user.nip) for user in created] == [(None, None), (None, None)]


@pytest.mark.parametrize("changes, message", [
    ({"nip": "1978051220031210"}, "NIP terdiri atas 18 digit"),
    ({"nip": "197805121990121002"}, "tahun dan bulan pengangkatan"),
    ({"nip": "197001011995031003"}, "NIP ini sudah dipakai oleh akun lain."),  # kepaladinas
    ({"pangkat_golongan": "V/a"}, "Not a valid choice"),
])
def test_the_admins_user_form_refuses_a_bad_nip_or_rank_in_indonesian(login_as, changes,
                                                                     message):
    page = login_as("admin").post("/users/add", data=user_form(**changes)).get_data(
        as_text=True)
    expected = {"Not a valid choice": "Pilihan tidak valid"}.get(message, message)
    assert expected in page
    assert db.session.scalar(select(SiapUser).where(SiapUser.username == "rina.kabid")) is None


# --- one's own profile ---------------------------------------------------------------


def profile(user, **changes):
    data = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "whatsapp": user.whatsapp}
    data.update(changes)
    return data


def test_an_officer_keeps_their_nip_and_rank_in_their_profile(login_as):
    officer = make_user(roles.BACK_OFFICE, username="rina")
    client = login_as("rina")
    form = client.get("/profil/form").get_data(as_text=True)
    assert "NIP" in form and "Pangkat/golongan" in form
    response = client.post("/profil/form", data=profile(officer, nip="19780512 200312 1 002",
                                                        pangkat_golongan="III/d"))
    assert response.status_code == 302
    saved = reload(officer.id)
    assert (saved.nip, saved.rank_label) == (VALID_NIP, "Penata Tingkat I (III/d)")


def test_an_applicants_profile_asks_no_nip_nor_rank_and_ignores_them(login_as):
    applicant = make_user(roles.PEMOHON, username="ani")
    client = login_as("ani")
    form = client.get("/profil/form").get_data(as_text=True)
    assert "Pangkat/golongan" not in form and 'name="nip"' not in form
    client.post("/profil/form", data=profile(applicant, nip=VALID_NIP, pangkat_golongan="IV/e"))
    saved = reload(applicant.id)
    assert (saved.nip, saved.pangkat_golongan) == (None, None)


@pytest.mark.parametrize("nip, message", [
    ("197805122003121009x", "NIP terdiri atas 18 digit"),
    ("197805122003123002", "Digit ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan)."),
    ("197001011995031003", "NIP ini sudah dipakai oleh akun lain."),  # kepaladinas
])
def test_a_bad_or_taken_nip_in_the_profile_changes_nothing(login_as, nip, message):
    officer = make_user(roles.BACK_OFFICE, username="rina", first_name="Rina")
    client = login_as("rina")
    response = client.post("/profil/form", data=profile(officer, first_name="Berubah", nip=nip))
    assert message in response.get_data(as_text=True)
    saved = reload(officer.id)
    assert (saved.first_name, saved.nip) == ("Rina", None)
