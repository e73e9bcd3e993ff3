"""Renewal (perpanjangan): the holder of a signed permit starts a new draft prefilled from
it and linked to it; the draft goes through the same process and its decree cites the
previous one. Refused for a permit type not renewable, for anyone but the holder (404),
for a file without a signed permit in force (or recently expired), and while a renewal
is in progress."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app import office_time
from app.documents import keputusan
from app.documents.formatting import tanggal
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.services import renewal
from app.workflow.engine import STATUS_WRITERS, apply_action, set_status
from models import Application
from models.application import utcnow
from tests.assets.test_asset_flow import front_office_and_examiner
from tests.decrees.support import on_day, revoked, sign, signed_pkkpr
from tests.factories import make_user
from tests.support import (
    HALL,
    PDF,
    SIGNING_PASSPHRASE,
    TODAY,
    make_asset_use,
    permit_type,
    pkkpr_type,
    recommendation_input,
    retribution_proof_input,
    user,
)
from tests.workflow.test_pkkpr_flow import act, status_of

OLD_SK = "503/777/409.110/2025"
HALL_TYPE = "ASET-GEDUNG-PERTEMUAN"


def signed_hall_rent(start=None, sk_number=OLD_SK):
    """The hall rented by `pemohon` for three days, its permit signed through the engine."""
    start = start or office_time.today() + timedelta(days=30)
    application = make_asset_use("siap_ds", asset_name=HALL, start=start,
                                 end=start + timedelta(days=2), booking="eksklusif",
                                 fee=4500000)
    application.sk_number = sk_number
    application.sk_date = datetime.combine(office_time.today(), datetime.min.time())
    db.session.commit()
    return sign(application.id)


def period(old, days_after=1, length=2):
    start = old.asset_use.approved_end + timedelta(days=days_after)
    return {"period_start": start.isoformat(),
            "period_end": (start + timedelta(days=length)).isoformat()}


def renewals_count(old):
    return db.session.scalar(select(func.count(Application.id)).where(
        Application.renews_application_id == old.id))


def new_file_id(response):
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(re.search(r"/permohonan/(\d+)$", response.headers["Location"]).group(1))


@pytest.fixture
def drawn_decrees(monkeypatch):
    """The texts of every decree drawn meanwhile (naskah.KeputusanParts), as the PDF
    prints them: the template filled in with the file's data."""
    drawn = []

    def compose(*args, **kwargs):
        drawn.append(real_compose(*args, **kwargs))
        return drawn[-1]

    real_compose = keputusan.compose
    monkeypatch.setattr(keputusan, "compose", compose)
    return drawn


def text_of(parts):
    return " ".join([parts.title, parts.subject, *parts.menimbang, *parts.mengingat,
                     parts.menetapkan, *parts.diktum])


def upload_and_submit(pemohon, application_id):
    application = db.session.get(Application, application_id)
    for entry in application.requirements:
        if entry.mandatory:
            response = pemohon.post(f"/permohonan/{application_id}/dokumen/"
                                    f"{entry.requirement_id}",
                                    data={"file": (io.BytesIO(PDF), "dokumen.pdf")},
                                    content_type="multipart/form-data")
            assert response.status_code == 302
    act(pemohon, application_id, "ajukan")


def test_a_renewal_of_a_hall_rent_completes_and_its_decree_cites_the_old_one(
    login_as, drawn_decrees
):
    old = signed_hall_rent()
    old_id, old_number = old.id, old.registration_number
    suggested = old.asset_use.approved_end + timedelta(days=1)
    pemohon = login_as("pemohon")
    page = pemohon.get(f"/permohonan/{old_id}").get_data(as_text=True)
    assert "Ajukan perpanjangan" in page
    assert f'value="{suggested.isoformat()}"' in page  # the day after the old period

    wanted = period(old)
    renewal_id = new_file_id(pemohon.post(f"/permohonan/{old_id}/perpanjang", data=wanted))
    draft = db.session.get(Application, renewal_id)
    assert draft.status == "draft" and draft.renews_application_id == old_id
    assert draft.permit_type_id == old.permit_type_id and draft.owner_id == old.owner_id
    assert (draft.applicant_name, draft.applicant_nik, draft.applicant_address) == (
        old.applicant_name, old.applicant_nik, old.applicant_address)
    use = draft.asset_use
    assert (use.asset_id, use.purpose) == (old.asset_use.asset_id, old.asset_use.purpose)
    assert (use.period_start.isoformat(), use.period_end.isoformat()) == (
        wanted["period_start"], wanted["period_end"])
    assert use.approved_start is None and use.booking is None  # booked as any request
    page = pemohon.get(f"/permohonan/{renewal_id}").get_data(as_text=True)
    assert "Perpanjangan dari" in page and OLD_SK in page
    assert f'href="/permohonan/{old_id}"' in page
    old_page = pemohon.get(f"/permohonan/{old_id}").get_data(as_text=True)
    assert f'href="/permohonan/{renewal_id}"' in old_page
    assert "Ajukan perpanjangan" not in old_page  # one renewal at a time

    upload_and_submit(pemohon, renewal_id)
    front_office_and_examiner(login_as, renewal_id)
    pengelola = login_as("pengelolaaset")
    officer_page = pengelola.get(f"/permohonan/{renewal_id}").get_data(as_text=True)
    assert "Perpanjangan dari" in officer_page and old_number in officer_page
    start, end = (date.fromisoformat(wanted[name]) for name in ("period_start", "period_end"))
    act(pengelola, renewal_id, "terbitkan_rekomendasi", dict(recommendation_input(start, end)))
    act(pemohon, renewal_id, "unggah_bukti_bayar", dict(retribution_proof_input()))
    act(pengelola, renewal_id, "konfirmasi_pembayaran", {"catatan": "Lunas"})
    act(login_as("backoffice"), renewal_id, "input_nomor_sk", {"tanggal_sk": TODAY.isoformat()})
    drawn_decrees.clear()
    act(login_as("kepaladinas"), renewal_id, "tandatangani",
        {"passphrase": SIGNING_PASSPHRASE})
    assert status_of(renewal_id) == "selesai"

    decree = pemohon.get(f"/permohonan/{renewal_id}/sk.pdf")
    assert decree.status_code == 200 and decree.data.startswith(b"%PDF")
    (signed,) = drawn_decrees  # the texts of the decree just signed
    old = db.session.get(Application, old_id)
    assert signed.subject.startswith("PERPANJANGAN IZIN PEMANFAATAN BARANG MILIK DAERAH")
    assert ("sebagai perpanjangan atas Keputusan Kepala Dinas Penanaman Modal dan Pelayanan "
            f"Terpadu Satu Pintu Kabupaten Blitar Nomor {OLD_SK} tanggal "
            f"{tanggal(old.sk_date)} yang berlaku sampai dengan tanggal "
            f"{tanggal(old.decree.valid_until)};") in signed.menimbang[0]
    assert signed.diktum[0].startswith("Memberikan perpanjangan izin pemanfaatan barang")
    renewed = db.session.get(Application, renewal_id)
    assert renewed.sk_number not in (None, OLD_SK) and renewed.decree.valid_from == start
    old_events = [e.action for e in db.session.get(Application, old_id).events]
    assert "perpanjangan_dimulai" in old_events
    assert [e.action for e in renewed.events][:2] == ["buat", "perpanjangan_dari"]


def test_the_first_permits_decree_does_not_mention_a_renewal(drawn_decrees):
    old = signed_hall_rent()
    (parts,) = drawn_decrees
    assert "perpanjangan" not in text_of(parts).lower()
    assert parts.subject.startswith("IZIN PEMANFAATAN BARANG MILIK DAERAH DALAM BENTUK SEWA")
    assert parts.menimbang[0].endswith(f"dengan nomor registrasi {old.registration_number};")


def test_a_permit_type_not_renewable_is_refused():
    old = signed_pkkpr()
    assert not old.permit_type.renewable
    with pytest.raises(Conflict, match="tidak dapat diperpanjang"):
        renewal.renew(old.id, user("pemohon"))
    assert renewals_count(old) == 0


def test_only_the_holder_renews_anyone_else_gets_404(login_as):
    old = signed_hall_rent()
    make_user(username="tetangga")
    for username in ("tetangga", "pengelolaaset", "backoffice", "kepaladinas"):
        with pytest.raises(NotFound):
            renewal.renew(old.id, user(username), period(old))
    assert login_as("pengelolaaset").post(f"/permohonan/{old.id}/perpanjang",
                                          data=period(old)).status_code == 404
    officer_page = login_as("backoffice").get(f"/permohonan/{old.id}").get_data(as_text=True)
    assert "Ajukan perpanjangan" not in officer_page
    assert renewals_count(old) == 0


@pytest.mark.parametrize("status", ["diteruskan_opd", "siap_ds"])
def test_a_file_without_a_signed_permit_is_refused(status):
    application = make_asset_use(status, booking="eksklusif" if status == "siap_ds" else None)
    with pytest.raises(Conflict, match="telah ditandatangani"):
        renewal.renew(application.id, user("pemohon"), period(application)
                      if application.asset_use.approved_end else {})
    assert renewals_count(application) == 0


def test_a_revoked_permit_is_refused():
    old = revoked(signed_hall_rent(), reason="Tidak membayar kerusakan")
    with pytest.raises(Conflict, match="dicabut"):
        renewal.renew(old.id, user("pemohon"), period(old))


def test_an_expired_permit_is_renewed_within_the_grace_days_and_not_after(app, monkeypatch):
    old = signed_hall_rent()
    ended = old.decree.valid_until
    grace = app.config["RENEWAL_GRACE_DAYS"]
    on_day(monkeypatch, ended + timedelta(days=grace + 1))
    with pytest.raises(Conflict, match="ajukan permohonan izin baru"):
        renewal.renew(old.id, user("pemohon"), period(old))
    on_day(monkeypatch, ended + timedelta(days=grace))
    assert renewal.renew(old.id, user("pemohon"), period(old)).renews_application_id == old.id


def test_a_second_renewal_while_one_is_in_progress_leads_to_it(login_as):
    old = signed_hall_rent()
    first = renewal.renew(old.id, user("pemohon"), period(old))
    with pytest.raises(renewal.RenewalInProgress) as refused:
        renewal.renew(old.id, user("pemohon"), period(old, days_after=10))
    assert refused.value.renewal.id == first.id
    pemohon = login_as("pemohon")
    response = pemohon.post(f"/permohonan/{old.id}/perpanjang", data=period(old, 10),
                            follow_redirects=True)
    assert response.request.path == f"/permohonan/{first.id}"
    assert "Perpanjangan izin ini sedang diproses" in response.get_data(as_text=True)
    assert renewals_count(old) == 1


def test_a_renewal_that_ended_without_a_permit_frees_the_way_and_a_granted_one_closes_it():
    old = signed_hall_rent()
    first = renewal.renew(old.id, user("pemohon"), period(old))
    apply_action(first.id, "batalkan", user("pemohon"), MultiDict({"catatan": "Salah isi"}))
    second = renewal.renew(old.id, user("pemohon"), period(old))
    assert second.id != first.id
    set_status(second, "selesai", utcnow())  # as if granted
    db.session.commit()
    db.session.info.pop(STATUS_WRITERS, None)
    with pytest.raises(Conflict, match="sudah diperpanjang"):
        renewal.renew(old.id, user("pemohon"), period(old))
    assert not renewal.may_renew(db.session.get(Application, old.id), user("pemohon"))


def test_the_period_of_a_renewed_asset_use_is_the_applicants_to_give():
    old = signed_hall_rent()
    with pytest.raises(InvalidInput) as missing:
        renewal.renew(old.id, user("pemohon"), {})
    assert set(missing.value.field_errors) == {"period_start", "period_end"}
    yesterday = (office_time.today() - timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput) as past:
        renewal.renew(old.id, user("pemohon"), {"period_start": yesterday,
                                                "period_end": yesterday})
    assert "period_start" in past.value.field_errors
    assert renewals_count(old) == 0


def test_an_asset_no_longer_offered_cannot_be_renewed_as_it_was():
    old = signed_hall_rent()
    old.asset_use.asset.active = False
    db.session.commit()
    try:
        with pytest.raises(Conflict, match="tidak dapat diperpanjang seperti semula"):
            renewal.renew(old.id, user("pemohon"), period(old))
    finally:  # a seeded row: the reset keeps changes
        db.session.get(Application, old.id).asset_use.asset.active = True
        db.session.commit()
    assert renewals_count(old) == 0


def test_the_suggested_period_follows_the_old_one_and_never_starts_in_the_past():
    old = signed_hall_rent()
    use = old.asset_use
    start, end = renewal.suggested_period(old)
    assert start == use.approved_end + timedelta(days=1)
    assert end - start == use.approved_end - use.approved_start
    use.approved_end = office_time.today() - timedelta(days=5)
    use.approved_start = use.approved_end - timedelta(days=2)
    assert renewal.suggested_period(old)[0] == office_time.today()


def test_an_admin_marks_pkkpr_renewable_and_its_holder_renews_with_the_location_copied(
    login_as
):
    from tests.workflow.test_initials import permit_type_form

    old = signed_pkkpr()
    admin = login_as("admin")
    assert "Dapat diperpanjang" in admin.get(
        f"/permittypeview/edit/{pkkpr_type().id}").get_data(as_text=True)
    response = admin.post(f"/permittypeview/edit/{pkkpr_type().id}",
                          data=permit_type_form(pkkpr_type(), renewable="y"))
    assert response.status_code == 302
    db.session.expire_all()
    try:
        assert pkkpr_type().renewable
        draft = renewal.renew(old.id, user("pemohon"))
        assert draft.kind == "pkkpr_nb" and draft.renews_application_id == old.id
        assert (draft.pkkpr.location_address, draft.pkkpr.activity,
                draft.pkkpr.land_area_m2) == (old.pkkpr.location_address, old.pkkpr.activity,
                                              old.pkkpr.land_area_m2)
    finally:
        pkkpr_type().renewable = False  # a seeded row: the reset keeps changes
        db.session.commit()


def test_asset_types_are_seeded_renewable_and_pkkpr_is_not():
    assert permit_type(HALL_TYPE).renewable
    assert permit_type("ASET-PINJAM-PAKAI").renewable
    assert not pkkpr_type().renewable


def test_a_renewal_is_refused_once_the_permit_type_is_closed():
    old = signed_hall_rent()
    old.permit_type.active = False
    db.session.commit()
    try:
        with pytest.raises(Conflict, match="tidak lagi menerima"):
            renewal.renew(old.id, user("pemohon"), period(old))
    finally:
        permit_type(HALL_TYPE).active = True  # a seeded row: the reset keeps changes
        db.session.commit()


def test_the_permit_renewed_is_linked_only_for_those_who_may_open_it():
    old = signed_hall_rent()
    draft = renewal.renew(old.id, user("pemohon"), period(old))
    assert renewal.previous_of(draft, user("pemohon"))["id"] == old.id
    stranger = make_user(username="tetangga")
    assert renewal.previous_of(draft, stranger)["id"] is None
    assert renewal.previous_of(draft, stranger)["sk_number"] == OLD_SK
    assert renewal.visible_renewals(old, user("backoffice")) == []  # a draft is private
    assert status_of(old.id) == "selesai"


# --- the API ------------------------------------------------------------------------


def test_the_api_renews_with_the_same_rules_and_shows_both_links(client):
    from tests.api.support import api, token

    old = signed_hall_rent()
    holder = token(client, "pemohon")
    shown = api(client, holder, "GET", f"/applications/{old.id}").get_json()
    suggested = renewal.suggested_period(old)
    assert shown["can_renew"] is True and shown["renewals"] == []
    assert shown["renewal_period"] == {"period_start": suggested[0].isoformat(),
                                       "period_end": suggested[1].isoformat()}

    assert api(client, holder, "POST", f"/applications/{old.id}/renew",
               json={}).status_code == 400  # an asset use needs its period
    assert api(client, token(client, "pengelolaaset"), "POST",
               f"/applications/{old.id}/renew", json=period(old)).status_code == 404
    created = api(client, holder, "POST", f"/applications/{old.id}/renew", json=period(old))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "draft" and body["renews"] == {
        "id": old.id, "registration_number": old.registration_number, "sk_number": OLD_SK,
        "sk_date": old.sk_date.date().isoformat()}
    assert body["details"]["period_start"] == period(old)["period_start"]

    again = api(client, holder, "POST", f"/applications/{old.id}/renew", json=period(old))
    assert again.status_code == 409 and "sedang diproses" in again.get_json()["message"]
    shown = api(client, holder, "GET", f"/applications/{old.id}").get_json()
    assert shown["can_renew"] is False
    assert [file["id"] for file in shown["renewals"]] == [body["id"]]
    officer = api(client, token(client, "pengelolaaset"), "GET", f"/applications/{old.id}")
    assert officer.get_json()["renewals"] == []  # the draft is the holder's alone


def test_the_api_refuses_a_permit_type_not_renewable(client):
    from tests.api.support import api, token

    old = signed_pkkpr()
    answer = api(client, token(client, "pemohon"), "POST", f"/applications/{old.id}/renew",
                 json={})
    assert answer.status_code == 409 and renewals_count(old) == 0
