"""Plt./Plh.: during the period of their appointment a delegate holds the head of
office's signing powers — the signing page, the API, the actions, the inbox, the menu —
and before or after it none of them; the history says in which capacity each decree
was signed."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.errors import SiapError
from app.extensions import db
from app.security import roles
from app.storage.files import read_stored
from app.workflow import delegation
from app.workflow.access import holds
from app.workflow.engine import apply_action
from app.workflow.registry import WORKFLOWS
from models import Application, HistoryEvent, InAppNotification
from tests.api.support import api, token
from tests.conftest import login
from tests.documents.test_decree_pdf import needs_pdftotext, text_of
from tests.factories import make_user
from tests.signing.conftest import LETTER, PASSWORD, appoint
from tests.signing.test_decree import ready_file, sign_on_the_phone_page, status_of
from tests.support import SIGNING_PASSPHRASE, action_input, user


def signature_event(application_id):
    return db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application_id, HistoryEvent.action == "tandatangani"))


def test_a_plt_signs_on_the_signing_page_during_the_period(app, sekdin):
    appoint(sekdin, "plt", first=-3, last=3)
    application = ready_file()
    client = login(app.test_client(), "sekdin", PASSWORD)
    page = client.get("/tandatangan/").get_data(as_text=True)
    assert application.registration_number in page
    assert 'href="/tandatangan/"' in page  # the menu entry
    response = sign_on_the_phone_page(client, application.id)
    assert "1 berkas ditandatangani" in response.get_data(as_text=True)
    assert status_of(application.id) == "selesai"
    event = signature_event(application.id)
    assert event.actor_id == sekdin.id
    assert event.data["kapasitas"] == "plt" and event.data["surat_perintah"] == LETTER
    assert event.actor_role == "Plt. Kepala Dinas"
    history = login(app.test_client(), "kepaladinas").get(
        f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Rina Wulandari (Plt. Kepala Dinas)" in history


def test_a_plh_signs_through_the_api_during_the_period(client, sekdin):
    appoint(sekdin, "plh")  # today only
    application = ready_file()
    bearer = token(client, "sekdin", PASSWORD)
    response = api(client, bearer, "POST", "/sign/batch", json={
        "application_ids": [application.id], "passphrase": SIGNING_PASSPHRASE})
    assert response.status_code == 200
    assert response.get_json()["results"][0]["outcome"] == "signed"
    event = signature_event(application.id)
    assert (event.data["kapasitas"], event.data["surat_perintah"]) == ("plh", LETTER)


def test_the_head_of_office_signs_in_the_definitive_capacity(login_as):
    application = ready_file()
    sign_on_the_phone_page(login_as("kepaladinas"), application.id)
    event = signature_event(application.id)
    assert event.data["kapasitas"] == "definitif" and "surat_perintah" not in event.data
    assert event.actor_role == roles.KEPALA_DINAS


@pytest.mark.parametrize("first, last", [(1, 5), (-5, -1)], ids=["before", "after"])
def test_outside_the_period_the_delegate_cannot_sign_anywhere(app, client, sekdin, first,
                                                              last):
    appoint(sekdin, "plt", first=first, last=last)
    application = ready_file()
    browser = login(app.test_client(), "sekdin", PASSWORD)
    assert browser.get("/tandatangan/").status_code == 403
    assert sign_on_the_phone_page(browser, application.id).status_code == 403
    assert 'href="/tandatangan/"' not in browser.get("/").get_data(as_text=True)
    action_page = f"/permohonan/{application.id}/aksi/tandatangani"
    assert browser.post(action_page, data={"passphrase": SIGNING_PASSPHRASE}).status_code \
        in (403, 404)
    bearer = token(client, "sekdin", PASSWORD)
    assert api(client, bearer, "POST", "/sign/batch", json={
        "application_ids": [application.id], "passphrase": SIGNING_PASSPHRASE}
    ).status_code == 403
    with pytest.raises(SiapError):
        apply_action(application.id, "tandatangani", sekdin, action_input("tandatangani"))
    assert status_of(application.id) == "siap_ds"


def test_the_period_is_counted_in_office_days_with_the_last_day_included(monkeypatch, sekdin):
    row = appoint(sekdin, "plh", first=10, last=12)
    pkkpr = WORKFLOWS["pkkpr_nb"]
    for day, acts in [(row.start_date - timedelta(days=1), False), (row.start_date, True),
                      (row.end_date, True), (row.end_date + timedelta(days=1), False)]:
        monkeypatch.setattr(delegation, "office_today", lambda day=day: day)
        assert holds(sekdin, pkkpr, "tandatangani") is acts, day


def test_during_the_period_the_delegate_holds_the_inbox_return_and_rejection(app, sekdin):
    appoint(sekdin, "plt", first=0, last=1)
    waiting, returned, rejected = ready_file(), ready_file(), ready_file()
    client = login(app.test_client(), "sekdin", PASSWORD)
    inbox = client.get("/inboxview/list/").get_data(as_text=True)
    assert waiting.registration_number in inbox
    apply_action(returned.id, "kembalikan_bo", sekdin, MultiDict({"alasan": "Tanggal salah"}))
    apply_action(rejected.id, "tolak_ds", sekdin, MultiDict({"alasan": "Tidak memenuhi"}))
    assert (status_of(returned.id), status_of(rejected.id)) == ("rekomendasi_terbit",
                                                                "ditolak")


def test_the_delegate_hears_of_files_reaching_the_signature_during_the_period(sekdin):
    appoint(sekdin, "plt", first=0, last=1)
    application = ready_file("rekomendasi_terbit")
    apply_action(application.id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))
    told = set(db.session.scalars(select(InAppNotification.user_id).where(
        InAppNotification.application_id == application.id)))
    assert {sekdin.id, user("kepaladinas").id} <= told


def test_a_delegate_does_not_appoint_delegates(app, sekdin):
    appoint(sekdin, "plt", first=0, last=1)
    client = login(app.test_client(), "sekdin", PASSWORD)
    assert client.get("/signingdelegationview/add").status_code == 403
    assert login(app.test_client(), "kepaladinas").get(
        "/signingdelegationview/add").status_code == 200


def test_a_signer_without_nip_or_rank_is_told_to_complete_the_profile_first(app):
    make_user(roles.KEPALA_DINAS, username="kepalabaru", password=PASSWORD)
    application = ready_file()
    client = login(app.test_client(), "kepalabaru", PASSWORD)
    page = sign_on_the_phone_page(client, application.id).get_data(as_text=True)
    assert "NIP dan pangkat/golongan" in page
    assert status_of(application.id) == "siap_ds"
@needs_pdftotext
def test_the_decree_a_plt_signs_says_plt_with_the_delegates_name_and_nip(app, sekdin,
                                                                         tmp_path):
    appoint(sekdin, "plt", first=-1, last=1)
    application = ready_file()
    sign_on_the_phone_page(login(app.test_client(), "sekdin", PASSWORD), application.id)
    db.session.expire_all()
    decree = db.session.get(Application, application.id).decree
    block = " ".join(text_of(read_stored(decree.stored_name), tmp_path).split())
    assert "Plt. KEPALA DINAS PENANAMAN MODAL" in block
    assert "Rina Wulandari" in block and "NIP 197805122003121002" in block
    assert "Kepala DPMPTSP" not in block  # the head of office did not sign it
