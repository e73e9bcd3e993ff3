"""The SKRD settings screen: an admin sets each agency's letterhead (with its emblem), the
official who signs its SKRD and where to pay; bad input is refused with Indonesian
messages and changes nothing; the next SKRD carries the settings."""

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.workflow import document_templates as templates
from app.workflow import skrd as skrd_service
from models import Agency
from tests.assets.test_skrd import recommend, skrd_text
from tests.conftest import csrf_token_from
from tests.documents.test_decree_pdf import images_in
from tests.support import PNG

FORM = {
    "government": "PEMERINTAH KABUPATEN BLITAR",
    "office": "BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH",
    "address": "Jalan Kusuma Bangsa Nomor 7, Kanigoro", "city": "Blitar",
    "postal_code": "66171", "telephone": "(0342) 555111", "email": "bpkad@blitarkab.go.id",
    "website": "bpkad.blitarkab.go.id",
    "official_name": "Ir. Ratna Dewi, M.M.",
    "official_title": "Plt. KEPALA BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH KABUPATEN BLITAR",
    "official_rank": "IV/a", "official_nip": "19750505 200212 2 001",
    "bank_name": "Bank Jatim Cabang Kanigoro", "account_number": "0061.2345.67",
    "account_holder": "Bendahara Penerimaan BPKAD", "virtual_account": "",
}


def bpkad():
    return db.session.scalar(select(Agency).where(Agency.code == "BPKAD"))


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def settings_page(admin, agency):
    return f"/pengaturan-skrd/{agency.id}"


def test_the_list_shows_each_agency_and_whether_its_skrd_can_be_issued(admin):
    agency = db.session.scalar(select(Agency).where(Agency.code == "DISPERINDAG"))
    skrd_service.settings_of(agency).official_nip = None
    db.session.commit()
    page = admin.get("/pengaturan-skrd/").get_data(as_text=True)
    assert "Pengaturan SKRD" in page and "Drs. Hendro Prasetyo, M.Si." in page
    assert "Badan Pengelolaan Keuangan dan Aset Daerah" in page
    assert page.count("Belum lengkap: SKRD tidak dapat diterbitkan") == 1
    form = admin.get(settings_page(admin, agency)).get_data(as_text=True)
    assert "pejabat penanda tangan (nama, jabatan, dan NIP)" in form


@pytest.mark.usefixtures("app")
def test_an_admin_sets_the_letterhead_emblem_official_and_account_and_the_next_skrd_carries_them(
    admin, login_as
):
    _, before = recommend(login_as)
    agency = bpkad()
    page = admin.get(settings_page(admin, agency)).get_data(as_text=True)
    assert "Kop surat perangkat daerah" in page and "197203151998031004" in page
    response = admin.post(settings_page(admin, agency),
                          data={**FORM, "emblem": (io.BytesIO(PNG), "lambang-bpkad.png")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    settings = skrd_service.settings_of(bpkad())
    assert settings.official_nip == "197505052002122001"  # grouped digits, kept as 18
    assert admin.get(f"/pengaturan-skrd/{agency.id}/lambang").data == PNG

    _, after = recommend(login_as)
    text = skrd_text(after)
    for expected in ("Jalan Kusuma Bangsa Nomor 7", "(0342) 555111", "Ir. Ratna Dewi, M.M.",
                     "Plt. KEPALA BADAN PENGELOLAAN", "Pembina (IV/a)", "NIP 197505052002122001",
                     "Bank Jatim Cabang Kanigoro Nomor 0061.2345.67 atas nama Bendahara "
                     "Penerimaan BPKAD"):
        assert expected in text, expected
    assert images_in(open_pdf(after)) == images_in(open_pdf(before)) + 1
    assert "Drs. Hendro Prasetyo" in skrd_text(before)  # an SKRD issued keeps its content


def open_pdf(artifact):
    from app.storage.files import read_stored

    return read_stored(artifact.stored_name)


@pytest.mark.usefixtures("app")
def test_virtual_account_instructions_alone_are_where_to_pay(admin, login_as):
    instructions = "virtual account Bank Jatim dengan kode bayar 3505 yang dikirim lewat SMS"
    response = admin.post(settings_page(admin, bpkad()), data={
        **FORM, "bank_name": "", "account_number": "", "account_holder": "",
        "virtual_account": instructions})
    assert response.status_code == 302
    _, skrd = recommend(login_as)
    text = skrd_text(skrd)
    assert f"melalui {instructions}" in text and "ke rekening" not in text


@pytest.mark.parametrize(("changes", "message"), [
    ({"official_nip": "1975050520021220"}, "NIP terdiri atas 18 digit"),
    ({"official_nip": "19750505200212 3 001"}, "Digit ke-15 NIP"),
    ({"official_nip": ""}, "wajib diisi"),
    ({"official_name": ""}, "wajib diisi"),
    ({"official_rank": "V/a"}, "Pilihan tidak valid"),
    ({"account_holder": ""}, "Isi bank, nomor rekening, dan nama pemilik rekening sekaligus"),
    ({"account_number": "rek-BPKAD"}, "Nomor rekening berupa angka"),
    ({"bank_name": "", "account_number": "", "account_holder": ""},
     "Isi rekening tujuan pembayaran, atau petunjuk virtual account"),
    ({"postal_code": "661"}, "Lima angka"),
    ({"address": ""}, "wajib diisi"),
])
def test_bad_settings_are_refused_with_their_reason_and_nothing_changes(admin, changes,
                                                                       message):
    agency = bpkad()
    response = admin.post(settings_page(admin, agency), data={**FORM, **changes})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert skrd_service.settings_of(bpkad()).official_name == "Drs. Hendro Prasetyo, M.Si."
    assert templates.own_letterhead(bpkad()).address.startswith("Kompleks Perkantoran")


def test_an_emblem_that_is_not_an_image_is_refused_and_nothing_changes(admin):
    page = admin.post(settings_page(admin, bpkad()), data={
        **FORM, "emblem": (io.BytesIO(b"MZ\x90\x00"), "lambang.png")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Berkas harus berformat PNG, JPG" in page
    db.session.expire_all()
    assert skrd_service.settings_of(bpkad()).official_name == "Drs. Hendro Prasetyo, M.Si."
    assert templates.own_letterhead(bpkad()).stored_name is None


def test_an_agency_without_settings_gets_them_from_the_screen(admin):
    agency = Agency(code="DINKES", name="Dinas Kesehatan")
    db.session.add(agency)
    db.session.commit()
    page = admin.get(settings_page(admin, agency)).get_data(as_text=True)
    assert "DINAS KESEHATAN" in page  # the office name starts from the agency's
    assert admin.post(settings_page(admin, agency), data={
        **FORM, "office": "DINAS KESEHATAN"}).status_code == 302
    assert skrd_service.missing_settings(agency) == []
    assert templates.own_letterhead(agency).office == "DINAS KESEHATAN"


def test_the_settings_form_takes_a_csrf_token_and_refuses_a_post_without_it(app, admin):
    agency = bpkad()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = csrf_token_from(admin.get(settings_page(admin, agency)).get_data(as_text=True))
        refused = admin.post(settings_page(admin, agency), data={**FORM, "official_name": "X"})
        assert refused.status_code == 400
        accepted = admin.post(settings_page(admin, agency), data={**FORM, "csrf_token": token})
        assert accepted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert skrd_service.settings_of(bpkad()).official_name == "Ir. Ratna Dewi, M.M."


@pytest.mark.parametrize("username", ["pemohon", "pengelolaaset", "backoffice", "kepaladinas"])
def test_only_admins_open_the_skrd_settings(login_as, username):
    client = login_as(username)
    agency = bpkad()
    for path in ("/pengaturan-skrd/", f"/pengaturan-skrd/{agency.id}",
                 f"/pengaturan-skrd/{agency.id}/lambang"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/pengaturan-skrd/{agency.id}", data=FORM).status_code == 403
    db.session.expire_all()
    assert skrd_service.settings_of(bpkad()).official_name == "Drs. Hendro Prasetyo, M.Si."


def test_the_admin_sets_an_asset_types_retribution_code_and_a_malformed_one_is_refused(admin):
    from tests.support import permit_type

    hall = permit_type("ASET-GEDUNG-PERTEMUAN")
    form = {name: str(getattr(hall, name)) for name in (
        "code", "name", "workflow_kind", "service_days", "position", "registration_format",
        "sk_format", "use_form", "tariff_unit")}
    form.update(category=str(hall.category_id), agency=str(hall.agency_id), active="y",
                exclusive="y", description="", tariff_amount="1500000")
    page = admin.get(f"/permittypeview/edit/{hall.id}").get_data(as_text=True)
    assert "Kode rekening retribusi" in page and "4.1.02.02.01" in page
    refused = admin.post(f"/permittypeview/edit/{hall.id}",
                         data={**form, "retribution_code": "4.1.02-sewa"})
    assert "Angka yang dipisahkan titik" in refused.get_data(as_text=True)
    saved = admin.post(f"/permittypeview/edit/{hall.id}",
                       data={**form, "retribution_code": "4.1.02.02.01.0003"})
    try:
        assert saved.status_code == 302
        db.session.expire_all()
        assert permit_type("ASET-GEDUNG-PERTEMUAN").retribution_code == "4.1.02.02.01.0003"
    finally:  # a seeded row: the tests after this one expect the seeded code
        permit_type("ASET-GEDUNG-PERTEMUAN").retribution_code = "4.1.02.02.01"
        db.session.commit()
