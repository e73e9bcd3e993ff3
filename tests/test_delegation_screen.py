"""The Plt./Plh. appointment screen (Keamanan → Penunjukan Plt./Plh.): the admin and the
head of office appoint; every bad appointment is refused in Indonesian and saves
nothing."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.security import roles
from models import SigningDelegation
from tests.factories import make_user
from tests.support import user

START = date(2027, 1, 4)


def form(delegate, **changes):
    data = {"delegate": str(delegate.id), "kind": "plt", "start_date": START.isoformat(),
            "end_date": (START + timedelta(days=4)).isoformat(),
            "letter_number": "800/21/409.110/2027"}
    data.update(changes)
    return data


def errors(page):
    """The messages under the form's fields."""
    return " ".join(m.strip() for m in re.findall(r'(?s)alert alert-danger">(.*?)</div', page))


def appointments():
    return db.session.scalar(select(func.count(SigningDelegation.id)))


@pytest.mark.parametrize("username", ["kepaladinas", "admin"])
def test_the_head_of_office_or_the_admin_appoints_a_plt(login_as, username):
    officer = make_user(roles.BACK_OFFICE, first_name="Rina", last_name="Wulandari")
    client = login_as(username)
    add_page = client.get("/signingdelegationview/add").get_data(as_text=True)
    assert "Plt. (pelaksana tugas)" in add_page and "Nomor surat perintah" in add_page
    assert client.post("/signingdelegationview/add", data=form(officer)).status_code == 302
    row = db.session.scalar(select(SigningDelegation))
    assert (row.delegate_id, row.kind, row.start_date, row.end_date) == (
        officer.id, "plt", START, START + timedelta(days=4))
    assert row.created_by_id == user(username).id and row.created_at is not None
    listing = client.get("/signingdelegationview/list/").get_data(as_text=True)
    assert "800/21/409.110/2027" in listing and "Rina Wulandari" in listing


def test_the_head_of_office_finds_the_appointments_in_the_security_menu(login_as):
    home = login_as("kepaladinas").get("/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/signingdelegationview/list/"' in home
    assert 'href="/users/list/"' not in home


def test_only_the_admin_changes_or_deletes_an_appointment(login_as):
    officer = make_user(roles.BACK_OFFICE)
    login_as("admin").post("/signingdelegationview/add", data=form(officer))
    row = db.session.scalar(select(SigningDelegation))
    kepala = login_as("kepaladinas")
    assert kepala.get(f"/signingdelegationview/edit/{row.id}").status_code == 403
    assert kepala.post(f"/signingdelegationview/delete/{row.id}").status_code == 403
    later = (START + timedelta(days=1)).isoformat()
    changed = login_as("admin").post(f"/signingdelegationview/edit/{row.id}",
                                     data=form(officer, end_date=later))
    assert changed.status_code == 302
    db.session.expire_all()
    assert db.session.get(SigningDelegation, row.id).end_date == START + timedelta(days=1)


def test_other_roles_cannot_appoint(login_as):
    for username in ("backoffice", "pemohon", "frontoffice"):
        assert login_as(username).get("/signingdelegationview/add").status_code == 403


@pytest.mark.parametrize("changes, message", [
    ({"end_date": (START - timedelta(days=1)).isoformat()},
     "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ({"letter_number": ""}, "Kolom ini wajib diisi."),
    ({"letter_number": "ab"}, "Panjang kolom harus antara 3 dan 100 karakter."),
    ({"kind": "wakil"}, "Pilihan tidak valid."),
    ({"start_date": "31-02-2027"}, "Nilai tanggal tidak valid."),
])
def test_a_bad_appointment_is_refused_in_indonesian(login_as, changes, message):
    officer = make_user(roles.BACK_OFFICE)
    page = login_as("admin").post("/signingdelegationview/add",
                                  data=form(officer, **changes)).get_data(as_text=True)
    assert message in errors(page)
    assert appointments() == 0


@pytest.mark.parametrize("who, message", [
    ("applicant", "bukan pemohon"),
    ("head", "sudah menjabat Kepala Dinas"),
])
def test_only_an_officer_other_than_the_head_of_office_is_appointed(login_as, who, message):
    delegate = {"applicant": user("pemohon"), "head": user("kepaladinas")}[who]
    page = login_as("admin").post("/signingdelegationview/add",
                                  data=form(delegate)).get_data(as_text=True)
    assert message in errors(page)
    assert appointments() == 0


def test_an_overlapping_appointment_of_the_same_officer_is_refused(login_as):
    officer = make_user(roles.BACK_OFFICE)
    admin = login_as("admin")
    admin.post("/signingdelegationview/add", data=form(officer))
    overlapping = form(officer, kind="plh", start_date=(START + timedelta(days=4)).isoformat(),
                       end_date=(START + timedelta(days=9)).isoformat())
    page = admin.post("/signingdelegationview/add", data=overlapping).get_data(as_text=True)
    assert "sudah ditunjuk dari 4 Januari 2027 sampai 8 Januari 2027" in errors(page)
    assert appointments() == 1
    following = form(officer, start_date=(START + timedelta(days=5)).isoformat(),
                     end_date=(START + timedelta(days=9)).isoformat())
    assert admin.post("/signingdelegationview/add", data=following).status_code == 302
    assert appointments() == 2
