"""Messages say what happened and what to do as people write it: "Rp1.500.000", "3 Desember
2026", never "1500000" or "2026-12-03"; a file returned for correction or a refused
payment proof comes with the officer's reason (and each rejected document's), a rejection
with its reason. Files move through the engine; the queued outbox body is checked."""

import re
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.documents.formatting import tanggal
from app.extensions import db
from app.jobs import run_due
from app.services import issued_signing, revocation, tracking
from app.services.applications import judge_document
from app.workflow.engine import apply_action
from models import Application, OutboxMessage
from tests.jobs.test_reminders import days_before
from tests.notifications.test_flow_messages import FLOW
from tests.support import (
    PNG,
    SIGNING_PASSPHRASE,
    TODAY,
    action_input,
    make_asset_use,
    make_pkkpr,
    recommendation_input,
    upload,
    user,
)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXPIRY = date(TODAY.year + 2, 12, 3)
EXPIRY_TEXT = f"3 Desember {TODAY.year + 2}"


def applicant_message(application_id):
    """The body of the latest status message to the applicant of the file."""
    db.session.expire_all()
    return db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.application_id == application_id,
                                         OutboxMessage.template_key == "status_pemohon")
        .order_by(OutboxMessage.id.desc())).first()


def issue_sps(application, amount="1500000"):
    form = action_input("terbitkan_sps")
    form["jumlah"], form["kedaluwarsa_billing"] = amount, EXPIRY.isoformat()
    apply_action(application.id, "terbitkan_sps", user("atrbpn"), form)


def assert_written_for_people(body):
    assert not ISO_DATE.search(body), body
    assert "1500000" not in body, body


def test_the_sps_message_gives_the_amount_and_the_expiry_as_people_write_them():
    application = make_pkkpr("krk_terbit")
    issue_sps(application)
    body = applicant_message(application.id)
    assert "Rp1.500.000" in body and EXPIRY_TEXT in body, body
    assert "kode billing 820260000012345" in body and "paling lambat" in body
    assert_written_for_people(body)


def test_a_refused_payment_proof_comes_with_the_reason_and_the_billing_again():
    application = make_pkkpr("krk_terbit")
    issue_sps(application)
    apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                 action_input("unggah_bukti_bayar"))
    refusal = action_input("tolak_bukti_bayar")
    refusal["alasan"] = "NTPN tidak ditemukan pada sistem MPN"
    apply_action(application.id, "tolak_bukti_bayar", user("atrbpn"), refusal)
    body = applicant_message(application.id)
    assert "Menunggu Pembayaran PNBP" in body
    assert "Alasan bukti bayar ditolak: NTPN tidak ditemukan pada sistem MPN" in body, body
    assert "Rp1.500.000" in body and EXPIRY_TEXT in body
    assert_written_for_people(body)


def test_a_return_for_correction_gives_the_reason_and_each_rejected_document():
    application = make_pkkpr("diterima_fo", documents="pending")
    ktp = application.documents[0]
    judge_document(application.id, ktp.id, user("frontoffice"), "rejected",
                   "Foto KTP buram, unggah hasil pindaian")
    apply_action(application.id, "kembalikan", user("frontoffice"),
                 MultiDict({"alasan": "Lengkapi dokumen yang ditolak"}))
    body = applicant_message(application.id)
    assert "sekarang: Perlu Perbaikan." in body
    assert "Alasan pengembalian: Lengkapi dokumen yang ditolak" in body, body
    assert (f"Dokumen yang harus diunggah ulang: {ktp.requirement.name} "
            "(Foto KTP buram, unggah hasil pindaian)") in body
    assert "unggah ulang" in body.split("Foto KTP buram")[-1]  # then what to do
    assert_written_for_people(body)


def test_the_officers_reasons_stay_off_the_public_tracking_page():
    application = make_pkkpr("diterima_fo")
    apply_action(application.id, "kembalikan", user("frontoffice"),
                 MultiDict({"alasan": "Sertifikat atas nama orang lain"}))
    found = tracking.track(db.session.get(Application, application.id))
    assert "Sertifikat" not in found.next_step
    assert all(stage.reason is None for stage in found.stages)


def test_a_rejection_comes_with_its_reason():
    application = make_pkkpr("diteruskan_dinas")
    apply_action(application.id, "tolak", user("dpupr"),
                 MultiDict({"alasan": "Lokasi berada di sempadan sungai"}))
    body = applicant_message(application.id)
    assert "Alasan penolakan: Lokasi berada di sempadan sungai" in body, body


def test_the_skrd_message_gives_the_retribution_and_its_due_date_as_people_write_them():
    start = TODAY + timedelta(days=40)
    end = start + timedelta(days=1)
    application = make_asset_use(start=start, end=end)
    apply_action(application.id, "terbitkan_rekomendasi", user("pengelolaaset"),
                 recommendation_input(start, end))
    body = applicant_message(application.id)
    due = db.session.get(Application, application.id).payment_due_on
    assert "Rp3.000.000" in body and f"paling lambat {tanggal(due)}" in body, body
    assert not ISO_DATE.search(body) and "3000000" not in body


def test_a_refused_retribution_proof_comes_with_the_reason():
    start = TODAY + timedelta(days=60)
    end = start + timedelta(days=1)
    application = make_asset_use(start=start, end=end)
    apply_action(application.id, "terbitkan_rekomendasi", user("pengelolaaset"),
                 recommendation_input(start, end))
    apply_action(application.id, "unggah_bukti_bayar", user("pemohon"),
                 MultiDict({"bukti_bayar": upload(PNG, "bukti.png"),
                            "tanggal_bayar": TODAY.isoformat(),
                            "nomor_referensi": "JTM2026112800017"}))
    apply_action(application.id, "tolak_bukti_bayar", user("pengelolaaset"),
                 MultiDict({"alasan": "Nominal transfer kurang"}))
    body = applicant_message(application.id)
    assert "Alasan bukti bayar ditolak: Nominal transfer kurang" in body, body
    assert "Rp3.000.000" in body and not ISO_DATE.search(body)


def test_no_message_of_a_files_whole_life_prints_a_raw_amount_or_an_iso_date():
    """Every transition of the PKKPR flow, the PNBP and validity reminders, the
    revocation and its signed decree: each message to anyone about the file."""
    application = make_pkkpr("draft")
    for action, actor, *_ in FLOW:
        if action == "terbitkan_sps":
            issue_sps(application)
            run_due(days_before(EXPIRY, 3))
        else:
            apply_action(application.id, action, user(actor), action_input(action))
    decree = db.session.get(Application, application.id).decree
    run_due(days_before(decree.valid_until, 30))
    revoked = revocation.revoke(application.id, user("kepaladinas"), "Data tanah tidak benar")
    [document] = revoked.application.issued_documents
    issued_signing.sign_document(document.id, user("kepaladinas"), SIGNING_PASSPHRASE)
    db.session.expire_all()
    sent = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id)).all()
    kinds = {message.template_key for message in sent}
    assert {"status_pemohon", "antrian_petugas", "pengingat_pnbp", "pengingat_masa_berlaku",
            "izin_dicabut", "sk_pencabutan_terbit"} <= kinds, kinds
    for message in sent:
        assert_written_for_people(message.body)
        assert not ISO_DATE.search(" ".join(map(str, message.variables.values())))
