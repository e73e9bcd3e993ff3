"""Self-registration as Pemohon: every bad input gets an Indonesian message and
creates nothing; a good one creates an active applicant who is signed in."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from models import SiapUser
from tests.conftest import DEMO_PASSWORD
from tests.factories import make_user

GOOD = {
    "full_name": "Siti Aminah Rahayu",
    "nik": "3505014507900002",
    "whatsapp": "0812-3456-7891",
    "email": "siti@example.id",
    "username": "siti.aminah",
    "password": "Blitar2026",
    "conf_password": "Blitar2026",
}


def register(client, **changes):
    return client.post("/register/form", data={**GOOD, **changes})


def user_count():
    return db.session.scalar(select(func.count(SiapUser.id)))


def test_a_valid_registration_creates_an_active_applicant_and_signs_them_in(client):
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(SiapUser).where(SiapUser.username == "siti.aminah"))
    assert user.active
    assert [role.name for role in user.roles] == ["Pemohon"]
    assert user.whatsapp == "+6281234567891"
    assert (user.first_name, user.last_name) == ("Siti", "Aminah Rahayu")
    assert user.password != GOOD["password"]
    home = client.get("/").get_data(as_text=True)
    assert "Masuk sebagai Siti Aminah Rahayu" in home


def test_the_registration_form_is_indonesian_and_asks_for_nik_and_whatsapp(client):
    page = client.get("/register/form").get_data(as_text=True)
    for label in ("Nama lengkap (sesuai KTP)", "NIK", "Nomor WhatsApp", "Kata Sandi"):
        assert label in page
    assert "recaptcha" not in page.lower()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", "12345", "NIK harus berupa 16 digit angka sesuai KTP."),
        ("nik", "35050145079000AB", "NIK harus berupa 16 digit angka sesuai KTP."),
        ("nik", "3505019907900002", "NIK harus berupa 16 digit angka sesuai KTP."),
        ("whatsapp", "0812", "Masukkan nomor ponsel Indonesia"),
        ("whatsapp", "+1 415 555 2671", "Masukkan nomor ponsel Indonesia"),
        ("whatsapp", "021-5550123", "Masukkan nomor ponsel Indonesia"),
        ("password", "pendek1", "Kata sandi minimal 8 karakter"),
        ("password", "hanyahurufsaja", "Kata sandi minimal 8 karakter"),
        ("password", "password123", "terlalu mudah ditebak"),
        ("email", "bukan-email", "Alamat email tidak valid"),
        ("username", "nama dengan spasi", "tanpa spasi"),
    ],
)
def test_registration_rejects_bad_input_with_an_indonesian_message(client, field, value, message):
    changes = {field: value}
    if field == "password":
        changes["conf_password"] = value
    before = user_count()
    response = register(client, **changes)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count() == before


def test_registration_rejects_mismatched_password_confirmation(client):
    response = register(client, conf_password="Blitar2027")
    assert "Kata sandi harus sama" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "pemohon", "Nama pengguna ini sudah dipakai."),
        ("username", "PEMOHON", "Nama pengguna ini sudah dipakai."),
        ("email", "pemohon@demo.siapnloss.blitarkab.go.id", "Alamat email ini sudah terdaftar."),
        ("nik", "3505011204850001", "NIK ini sudah terdaftar."),
    ],
)
def test_registration_rejects_a_duplicate_account(client, field, value, message):
    before = user_count()
    response = register(client, **{field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count() == before


def test_an_applicant_can_edit_their_profile_with_a_normalised_number(login_as):
    applicant = make_user(username="ani")
    client = login_as("ani")
    form = client.get("/profil/form").get_data(as_text=True)
    assert "Nomor WhatsApp" in form
    response = client.post(
        "/profil/form",
        data={"first_name": "Budi", "last_name": "Santosa", "email": "budi@example.id",
              "whatsapp": "+62 813 1111 2222"},
    )
    assert response.status_code == 302
    user = db.session.get(SiapUser, applicant.id)
    assert (user.last_name, user.whatsapp) == ("Santosa", "+6281311112222")


def test_a_profile_edit_with_a_bad_number_changes_nothing(login_as):
    applicant = make_user(username="ani", first_name="Ani")
    client = login_as("ani")
    response = client.post(
        "/profil/form",
        data={"first_name": "X", "last_name": "", "email": "x@example.id", "whatsapp": "123"},
    )
    assert "Masukkan nomor ponsel Indonesia" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SiapUser, applicant.id).first_name == "Ani"


def test_an_applicant_can_change_their_password_under_the_same_rule(login_as, app):
    make_user(username="ani")
    client = login_as("ani")
    weak = client.post("/resetmypassword/form", data={
        "current_password": DEMO_PASSWORD, "password": "abc", "conf_password": "abc"})
    assert "Kata sandi minimal 8 karakter" in weak.get_data(as_text=True)
    strong = client.post(
        "/resetmypassword/form", data={"current_password": DEMO_PASSWORD,
                                       "password": "BaruSekali99",
                                       "conf_password": "BaruSekali99"}
    )
    assert strong.status_code == 302
    fresh = app.test_client()
    response = fresh.post("/login/", data={"username": "ani", "password": "BaruSekali99"})
    assert response.status_code == 302


def test_an_applicant_may_register_and_keep_a_profile_without_an_email_address(app):
    """Messages then go by WhatsApp and SMS only (app/notifications/chain.py)."""
    client = app.test_client()
    assert "Opsional" in client.get("/register/form").get_data(as_text=True)
    assert register(client, email="").status_code == 302
    client = app.test_client()  # several accounts without an address may exist
    assert register(client, email="", username="budi.s", nik="3505014507900003",
                    whatsapp="0812-3456-7892").status_code == 302
    users = db.session.scalars(select(SiapUser).where(
        SiapUser.username.in_(["siti.aminah", "budi.s"]))).all()
    assert len(users) == 2 and {u.email for u in users} == {None}
    response = client.post("/profil/form", data={
        "first_name": "Budi", "last_name": "S", "email": "", "whatsapp": "0812-3456-7892"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(SiapUser).where(SiapUser.username == "budi.s")).email \
        is None
