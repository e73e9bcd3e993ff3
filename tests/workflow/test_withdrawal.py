"""Withdrawal (issue 15): the applicant withdraws a submitted file with a reason at any
point before the signature; a pending billing is voided in the history, an asset booking
released, a taken SK number marked cancelled in the register, and the officers who held
the next action are told."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.security import roles
from app.services import register as book
from app.workflow import clock
from app.workflow.engine import apply_action
from app.workflow.registry import WORKFLOWS
from models import Application, HistoryEvent, InAppNotification, OutboxMessage
from tests.api.support import api, token
from tests.factories import make_user
from tests.support import (
    TODAY,
    action_input,
    make_asset_use,
    make_pkkpr,
    recommendation_input,
    retribution_proof_input,
    user,
)

REASON = "Lokasi usaha dipindahkan ke kecamatan lain"
START = TODAY + timedelta(days=40)


def withdraw(application_id, reason=REASON, who="pemohon"):
    return apply_action(application_id, "tarik_permohonan", user(who),
                        MultiDict({"alasan": reason}))


def reload(application_id):
    db.session.expire_all()
    return db.session.get(Application, application_id)


def withdrawal_event(application_id):
    return db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application_id,
        HistoryEvent.action == "tarik_permohonan"))


@pytest.mark.parametrize("status", ["diajukan", "perlu_perbaikan", "diperiksa", "krk_terbit",
                                    "menunggu_pembayaran", "penerbitan_pertek",
                                    "rekomendasi_terbit", "siap_ds"])
def test_the_applicant_withdraws_a_pkkpr_file_from_any_state_before_the_signature(status):
    application = make_pkkpr(status)
    withdraw(application.id)
    application = reload(application.id)
    assert application.status == "ditarik"
    # Finished for the service clock: stopped, with its end recorded.
    assert application.finished_at is not None and application.clock_running_since is None
    assert clock.read(application, WORKFLOWS["pkkpr_nb"]).state == "stopped"
    event = withdrawal_event(application.id)
    assert (event.from_status, event.to_status, event.comment) == (status, "ditarik", REASON)


@pytest.mark.parametrize("status", ["diajukan", "diteruskan_opd", "penyiapan_sk",
                                    "menunggu_paraf"])
def test_the_applicant_withdraws_an_asset_use_file_from_any_state_before_the_signature(status):
    application = make_asset_use(status)
    withdraw(application.id)
    assert reload(application.id).status == "ditarik"


@pytest.mark.parametrize("status", ["draft", "selesai", "ditolak", "dibatalkan"])
def test_there_is_no_withdrawal_from_a_draft_nor_once_signed_or_closed(status):
    application = make_pkkpr(status)
    with pytest.raises(Conflict):
        withdraw(application.id)
    assert reload(application.id).status == status


@pytest.mark.parametrize("reason, message", [
    ("", "Berikan alasan penarikan permohonan."),
    ("   ", "Berikan alasan penarikan permohonan."),
    ("x" * 1001, "Alasan harus 5 sampai 1000 karakter."),
])
def test_a_withdrawal_needs_a_reason_of_bounded_length(reason, message):
    application = make_pkkpr("diperiksa")
    with pytest.raises(InvalidInput) as refused:
        withdraw(application.id, reason)
    assert str(refused.value.field_errors["alasan"]) == message
    assert reload(application.id).status == "diperiksa"


def test_only_the_applicant_withdraws_another_applicant_does_not_see_the_file():
    application = make_pkkpr("diperiksa")
    make_user(roles.PEMOHON, "pemohon2")
    with pytest.raises(NotFound):
        withdraw(application.id, who="pemohon2")
    with pytest.raises(Forbidden):  # staff see the file but do not hold the action
        withdraw(application.id, who="frontoffice")
    assert reload(application.id).status == "diperiksa"


def test_a_pending_pnbp_billing_is_voided_in_the_history_and_the_file_page():
    application = make_pkkpr("krk_terbit")
    apply_action(application.id, "terbitkan_sps", user("atrbpn"), action_input("terbitkan_sps"))
    withdraw(application.id)
    data = withdrawal_event(application.id).data
    assert data["tagihan_dibatalkan"] == {"jenis": "sps", "nomor": "SPS-0012/2026",
                                          "kode_billing": "820260000012345",
                                          "jumlah": "1250000"}
    assert "bukti_bayar_belum_dikonfirmasi" not in data


def test_an_unchecked_payment_proof_is_named_with_the_voided_billing(login_as):
    application = make_pkkpr("krk_terbit")
    apply_action(application.id, "terbitkan_sps", user("atrbpn"), action_input("terbitkan_sps"))
    apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                 action_input("unggah_bukti_bayar"))
    withdraw(application.id)
    data = withdrawal_event(application.id).data
    assert data["tagihan_dibatalkan"]["kode_billing"] == "820260000012345"
    assert data["bukti_bayar_belum_dikonfirmasi"] == "A1B2C3D4E5F6G7H8"
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert 'id="penarikan"' in page and REASON in page
    assert "Kode billing PNBP 820260000012345 (SPS SPS-0012/2026) dibatalkan." in page
    assert "A1B2C3D4E5F6G7H8" in page


def recommend(application, start=START):
    return apply_action(application.id, "terbitkan_rekomendasi", user("pengelolaaset"),
                        recommendation_input(start, start + timedelta(days=2)))


def test_a_withdrawn_hall_booking_is_released_its_skrd_voided_and_the_period_bookable():
    first, second = make_asset_use(), make_asset_use()
    recommend(first)
    with pytest.raises(Conflict):
        recommend(second)
    skrd = next(a for a in reload(first.id).artifacts if a.kind == "skrd")
    withdraw(first.id)
    assert reload(first.id).asset_use.booking is None
    data = withdrawal_event(first.id).data
    assert data["tagihan_dibatalkan"]["jenis"] == "skrd"
    assert data["tagihan_dibatalkan"]["nomor"] == skrd.number
    assert data["pemesanan_dilepas"]["mulai"] == START.isoformat()
    assert recommend(second).asset_use.booking == "eksklusif"


def test_an_skrd_with_its_proof_sent_is_voided_naming_the_proof():
    application = make_asset_use()
    recommend(application)
    apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                 retribution_proof_input())
    withdraw(application.id)
    data = withdrawal_event(application.id).data
    assert data["bukti_bayar_belum_dikonfirmasi"] == "JTM2026112800017"
    assert data["tagihan_dibatalkan"]["jenis"] == "skrd"


def test_a_taken_sk_number_stays_in_the_register_marked_cancelled(login_as):
    application = make_pkkpr("rekomendasi_terbit")
    apply_action(application.id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))
    sk_number = reload(application.id).sk_number
    withdraw(application.id)
    assert withdrawal_event(application.id).data["cancelled_sk_number"] == sk_number
    rows = {row.number: row for row in book.page(user("backoffice"), clock.today().year,
                                                 book.Section.SK)}
    assert rows[sk_number].status == "dibatalkan"
    assert "ditarik" in rows[sk_number].note
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert 'id="sk-dibatalkan"' in page
    assert f"Nomor SK {sk_number} dibatalkan" in page


def test_the_officers_holding_the_next_action_are_told_and_the_applicant_confirmed():
    application = make_pkkpr("siap_ds")
    withdraw(application.id)
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id)).all()
    to_officers = [m for m in messages if m.template_key == "berkas_ditarik"]
    assert {m.recipient_user_id for m in to_officers} == {user("kepaladinas").id}
    assert REASON in to_officers[0].body and "DITARIK" in to_officers[0].body
    to_applicant = [m for m in messages if m.template_key == "status_pemohon"]
    assert len(to_applicant) == 1 and "Ditarik pemohon" in to_applicant[0].body
    told = set(db.session.scalars(select(InAppNotification.user_id).where(
        InAppNotification.application_id == application.id)))
    assert {user("kepaladinas").id, user("pemohon").id} <= told


def test_the_file_page_offers_the_withdrawal_with_a_confirmation_page(login_as, app):
    application = make_asset_use()
    recommend(application)
    pemohon = login_as("pemohon")
    app.config["WTF_CSRF_ENABLED"] = True  # as in production (the clean-up turns it off)
    page = pemohon.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f"/permohonan/{application.id}/aksi/tarik_permohonan" in page
    assert "Tarik permohonan" in page
    form = pemohon.get(f"/permohonan/{application.id}/aksi/tarik_permohonan")
    html = form.get_data(as_text=True)
    assert 'id="akibat-penarikan"' in html and "akan dibatalkan" in html
    assert "akan dilepaskan" in html and 'name="alasan"' in html
    # Without the CSRF token nothing happens.
    refused = pemohon.post(f"/permohonan/{application.id}/aksi/tarik_permohonan",
                           data={"alasan": REASON})
    assert refused.status_code == 400
    assert reload(application.id).status == "menunggu_pembayaran"
    done = pemohon.post(f"/permohonan/{application.id}/aksi/tarik_permohonan",
                        data={"alasan": REASON, "csrf_token": re.search(
                            r'name="csrf_token" value="([^"]+)"', html).group(1)})
    assert done.status_code == 302
    assert reload(application.id).status == "ditarik"
    page = pemohon.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Ditarik pemohon" in page and "tarik_permohonan" not in page


def test_the_withdrawal_is_refused_on_the_web_for_another_applicant(login_as):
    application = make_pkkpr("diperiksa")
    make_user(roles.PEMOHON, "pemohon2")
    other = login_as("pemohon2", "Rahasia123")
    response = other.post(f"/permohonan/{application.id}/aksi/tarik_permohonan",
                          data={"alasan": REASON})
    assert response.status_code == 404
    assert reload(application.id).status == "diperiksa"


def test_the_api_withdraws_with_a_reason_and_answers_in_indonesian_without_one(client):
    application = make_pkkpr("krk_terbit")
    apply_action(application.id, "terbitkan_sps", user("atrbpn"), action_input("terbitkan_sps"))
    bearer = token(client, "pemohon")
    url = f"/applications/{application.id}/actions/tarik_permohonan"
    missing = api(client, bearer, "POST", url, json={"alasan": ""})
    assert missing.status_code in (400, 422)
    assert "Berikan alasan" in str(missing.get_json())
    done = api(client, bearer, "POST", url, json={"alasan": REASON})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "ditarik"
    assert done.get_json()["available_actions"] == []
    event = done.get_json()["history"][-1]
    assert (event["action"], event["comment"]) == ("tarik_permohonan", REASON)
    assert event["data"]["tagihan_dibatalkan"]["kode_billing"] == "820260000012345"
    make_user(roles.PEMOHON, "pemohon3")
    stranger = token(client, "pemohon3", "Rahasia123")
    again = api(client, stranger, "POST", url, json={"alasan": REASON})
    assert again.status_code == 404


def test_a_withdrawn_file_is_counted_as_withdrawn_and_left_out_of_processing_times(client):
    from app.services import statistics as stats

    application = make_pkkpr("diperiksa")
    withdraw(application.id)
    everything = stats.StatisticsFilter()
    counts = stats.counts_by_type_and_status(user("frontoffice"), everything)
    statuses = [(status, str(label), n) for row in counts for status, label, n in row.statuses]
    assert ("ditarik", "Ditarik pemohon", 1) in statuses
    overall, _ = stats.processing_times(user("frontoffice"), everything)
    assert overall.count == 0
    tracked = client.post("/lacak/", data={"nomor": application.registration_number,
                                           "akhiran": "7890"}).get_data(as_text=True)
    assert "<strong>Ditarik pemohon</strong>" in tracked and 'id="kantor"' not in tracked
