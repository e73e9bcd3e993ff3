"""Every PKKPR transition tells the applicant the new status (and what to do next) and
tells the officers who act next that a file waits for them."""

from sqlalchemy import select

from app.extensions import db
from app.workflow.engine import apply_action
from models import OutboxMessage
from tests.support import action_input, make_pkkpr, user

APPLICANT_NUMBER = "+6281234567890"
# (action, actor, status in the applicant's message, officers told the file waits)
FLOW = [
    ("ajukan", "pemohon", "Diajukan", ["frontoffice"]),
    ("terima", "frontoffice", "Diterima Front Office", ["frontoffice"]),
    ("teruskan_pemeriksa", "frontoffice", "Diperiksa", ["pemeriksa"]),
    ("teruskan_dinas", "pemeriksa", "Diteruskan ke DPUPR", ["dpupr"]),
    ("terbitkan_krk", "dpupr", "KRK Terbit", ["atrbpn"]),
    ("terbitkan_sps", "atrbpn", "Menunggu Pembayaran PNBP", []),
    ("unggah_bukti_bayar", "pemohon", "Bukti bayar PNBP sedang diperiksa", ["atrbpn"]),
    ("konfirmasi_pembayaran", "atrbpn", "Penerbitan Pertek", ["atrbpn"]),
    ("terbitkan_pertek", "atrbpn", "Pertek Terbit", ["dpupr"]),
    ("terbitkan_rekomendasi", "dpupr", "Rekomendasi Terbit", ["backoffice"]),
    ("input_nomor_sk", "backoffice", "Siap ditandatangani", ["kepaladinas"]),
    ("tandatangani", "kepaladinas", "Selesai", []),
]


def messages_of(application_id, after_id):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.application_id == application_id,
                                    OutboxMessage.id > after_id).order_by(OutboxMessage.id)
    ).all()


def test_every_transition_notifies_the_applicant_and_the_next_officers():
    application = make_pkkpr("draft", documents="accepted")
    last_id = 0
    for action, actor, status, officers in FLOW:
        apply_action(application.id, action, user(actor), action_input(action))
        messages = messages_of(application.id, last_id)
        last_id = max([m.id for m in messages], default=last_id)
        to_applicant = [m for m in messages if m.template_key == "status_pemohon"]
        assert len(to_applicant) == 1, action
        text = to_applicant[0].body
        assert to_applicant[0].recipient_number == APPLICANT_NUMBER
        assert f"sekarang: {status}." in text, (action, text)
        assert application.registration_number in text or action == "ajukan"
        assert f"/permohonan/{application.id}" in text
        if action == "terbitkan_sps":
            assert "kode billing 820260000012345" in text and "Rp1.250.000" in text
        if action == "tandatangani":
            assert "unduh" in text.lower()
        to_officers = [m for m in messages if m.template_key == "antrian_petugas"]
        expected = sorted(user(name).whatsapp for name in officers)
        assert sorted(m.recipient_number for m in to_officers) == expected, action
        for message in to_officers:
            assert "menunggu tindakan Anda" in message.body


def test_a_walk_in_applicant_without_account_still_gets_whatsapp():
    application = make_pkkpr("diajukan", owner=None, created_by="frontoffice")
    apply_action(application.id, "terima", user("frontoffice"))
    to_applicant = [m for m in messages_of(application.id, 0)
                    if m.template_key == "status_pemohon"]
    assert len(to_applicant) == 1 and to_applicant[0].recipient_user_id is None
