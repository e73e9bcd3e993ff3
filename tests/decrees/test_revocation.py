"""Revocation: a reason, its own number from the decree register, a notice to the holder,
and downloads stamped DICABUT on every page while the signed original stays as signed."""

import hashlib
import io
import shutil
import subprocess
from datetime import date

import pikepdf
import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from app import office_time
from app.errors import Conflict
from app.extensions import db
from app.services import revocation
from app.storage.files import read_stored
from app.workflow import clock
from app.workflow.numbering import peek_next_value, sequence_name
from models import Application, InAppNotification, OutboxMessage, RegisterEntry
from tests.api.support import api, token
from tests.decrees.support import on_day, signed_pkkpr
from tests.support import user

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils absent")


def revoke(application, reason="Data tanah tidak benar"):
    revocation.revoke(application.id, user("kepaladinas"), reason)
    db.session.expire_all()
    return db.session.get(Application, application.id).decree


def pages_text(content, tmp_path):
    """The text of each page of a PDF, with poppler's pdftotext."""
    path = tmp_path / "copy.pdf"
    path.write_bytes(content)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        count = len(pdf.pages)
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


def test_a_revocation_takes_the_next_number_of_the_decree_register():
    application = signed_pkkpr()
    year = office_time.today().year
    expected = peek_next_value(sequence_name("sk", application.permit_type), year)
    decree = revoke(application)
    assert decree.status == "dicabut" and decree.revoke_reason == "Data tanah tidak benar"
    assert decree.revocation_number == f"503/{expected:03d}/409.110/{year}"
    entry = db.session.scalar(select(RegisterEntry).where(
        RegisterEntry.number == decree.revocation_number))
    assert (entry.register, entry.seq, entry.application_id) == (
        "sk_pencabutan", expected, application.id)
    event = application.events[-1]
    assert event.action == "cabut_izin" and event.comment == "Data tanah tidak benar"
    assert event.data["revocation_number"] == decree.revocation_number
    assert event.actor_role == "Kepala Dinas"


def test_the_holder_hears_of_the_revocation_by_whatsapp_and_in_the_app():
    application = signed_pkkpr()
    decree = revoke(application)
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id,
        OutboxMessage.template_key == "izin_dicabut"))
    assert message.recipient_number == application.applicant_whatsapp
    for expected in (application.sk_number, decree.revocation_number, "DICABUT",
                     "Data tanah tidak benar", f"/permohonan/{application.id}"):
        assert expected in message.body, expected
    notice = db.session.scalar(select(InAppNotification).where(
        InAppNotification.application_id == application.id,
        InAppNotification.user_id == user("pemohon").id).order_by(InAppNotification.id.desc()))
    assert notice.text == message.body


@needs_pdftotext
def test_a_revoked_permit_downloads_stamped_on_every_page_and_the_original_stays_as_signed(
        login_as, client, tmp_path):
    application = signed_pkkpr()
    decree = application.decree
    original = read_stored(decree.stored_name)
    assert hashlib.sha256(original).hexdigest() == decree.sha256
    decree = revoke(application)

    web = login_as("pemohon").get(f"/permohonan/{application.id}/sk.pdf")
    from_api = api(client, token(client, "pemohon"), "GET",
                   f"/applications/{application.id}/decree")
    for response in (web, from_api):
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert "DICABUT" in response.headers["Content-Disposition"]
        pages = pages_text(response.data, tmp_path)
        assert len(pages) == 3  # the decree (two pages) and its annex
        for text in pages:
            assert "DICABUT" in text and decree.revocation_number in text

    assert read_stored(decree.stored_name) == original
    page = client.post(f"/verifikasi/{decree.token}",
                       data={"file": (io.BytesIO(original), "sk.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Asli: berkas ini adalah surat keputusan" in page
    assert "Izin yang diberikannya telah dicabut" in page
    page = client.post(f"/verifikasi/{decree.token}",
                       data={"file": (io.BytesIO(web.data), "sk-dicabut.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "TIDAK asli" in page and "memuat cap DICABUT" in page


def test_a_permit_in_force_downloads_as_the_signed_file(login_as):
    application = signed_pkkpr()
    download = login_as("pemohon").get(f"/permohonan/{application.id}/sk.pdf")
    assert hashlib.sha256(download.data).hexdigest() == application.decree.sha256


def test_the_revoked_decree_says_so_with_its_date_and_number_everywhere(
        login_as, client, monkeypatch):
    application = signed_pkkpr(sk_date=date(2026, 11, 30))
    on_day(monkeypatch, date(2027, 1, 4))
    decree = revoke(application)
    revoked_on = f"{clock.office_date(decree.revoked_at).day}"  # the office's day (WIB)
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f"dengan Keputusan Nomor {decree.revocation_number}" in page
    assert "DICABUT pada " + revoked_on in page and "Data tanah tidak benar" in page
    page = client.get(f"/verifikasi/{decree.token}").get_data(as_text=True)
    assert f"dengan Keputusan Nomor {decree.revocation_number}" in page
    assert "DICABUT pada " + revoked_on in page and "Data tanah tidak benar" not in page
    detail = api(client, token(client, "pemohon"), "GET",
                 f"/applications/{application.id}").get_json()["decree"]
    verified = api(client, None, "GET", f"/verify/{decree.token}").get_json()
    for body in (detail, verified):
        assert (body["state"], body["valid"], body["status"]) == ("dicabut", False, "dicabut")
        assert body["revocation_number"] == decree.revocation_number and body["revoked_at"]


def test_a_revocation_needs_a_reason_of_reasonable_length_and_happens_once(login_as):
    application = signed_pkkpr()
    kepala = login_as("kepaladinas")
    page = kepala.post(f"/permohonan/{application.id}/cabut", data={"alasan": "  "},
                       follow_redirects=True).get_data(as_text=True)
    assert "Tuliskan alasan pencabutan izin." in page
    page = kepala.post(f"/permohonan/{application.id}/cabut", data={"alasan": "x" * 2001},
                       follow_redirects=True).get_data(as_text=True)
    assert "paling banyak 2000 karakter" in page
    assert application.decree.status == "berlaku"
    kepala.post(f"/permohonan/{application.id}/cabut", data={"alasan": "Melanggar"})
    page = kepala.post(f"/permohonan/{application.id}/cabut", data={"alasan": "Lagi"},
                       follow_redirects=True).get_data(as_text=True)
    assert "sudah dicabut" in page
    assert db.session.scalar(select(db.func.count(RegisterEntry.id)).where(
        RegisterEntry.application_id == application.id,
        RegisterEntry.register == "sk_pencabutan")) == 1


def test_of_two_officers_revoking_at_once_one_wins_and_one_number_is_taken():
    application = signed_pkkpr()
    decree = revoke(application)
    # The second request read the permit before the first one committed.
    set_committed_value(decree, "status", "berlaku")
    with pytest.raises(Conflict):
        revocation.revoke(application.id, user("kepaladinas"), "Alasan kedua")
    db.session.expire_all()
    decree = db.session.get(Application, application.id).decree
    assert decree.revoke_reason == "Data tanah tidak benar"
    assert db.session.scalar(select(db.func.count(RegisterEntry.id)).where(
        RegisterEntry.application_id == application.id,
        RegisterEntry.register == "sk_pencabutan")) == 1


def test_only_who_holds_the_revocation_may_revoke(login_as):
    application = signed_pkkpr()
    for username in ("pemohon", "backoffice"):
        response = login_as(username).post(f"/permohonan/{application.id}/cabut",
                                           data={"alasan": "x"})
        assert response.status_code == 403, username
    db.session.expire_all()
    assert db.session.get(Application, application.id).decree.status == "berlaku"


def test_the_revocation_facts_give_what_the_revocation_decree_states():
    application = signed_pkkpr(sk_date=date(2026, 11, 30))
    assert revocation.revocation_facts(application.decree) is None
    decree = revoke(application)
    facts = revocation.revocation_facts(decree)
    assert facts.revocation_number == decree.revocation_number
    assert facts.reason == "Data tanah tidak benar" and facts.revoked_by == "Kepala DPMPTSP"
    assert (facts.sk_number, facts.sk_date) == (application.sk_number, date(2026, 11, 30))
    assert (facts.valid_from, facts.valid_until) == (date(2026, 11, 30), date(2029, 11, 29))
    assert facts.holder == "Budi Santoso" and facts.permit_type == "PKKPR Non Berusaha"
    assert facts.verification_url.endswith(f"/verifikasi/{decree.token}")
