"""A walk-in applicant (registered by the front office, no account) gets in every message
a signed, expiring link to a read-only page of their file, where what was signed for them
can be downloaded; applicants with an account and officers keep the file page. A changed,
foreign or expired link opens nothing."""

import re
import time
from contextlib import contextmanager

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.services import issued_signing
from app.services.applications import judge_document
from app.workflow import walk_in
from app.workflow.engine import apply_action, record_event
from models import Application, IssuedDocument, OutboxMessage
from tests.decrees.support import rejected, sign
from tests.signing.test_decree import ready_file
from tests.support import SIGNING_PASSPHRASE, make_pkkpr, user

LINK = re.compile(r"https?://[^/\s]+(/berkas/(\d+)/([A-Za-z0-9_.-]+))")
WALK_IN = {"owner": None, "created_by": "frontoffice"}
DAY = 24 * 3600


def messages(application_id, key="status_pemohon"):
    db.session.expire_all()
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.application_id == application_id,
                                    OutboxMessage.template_key == key)
        .order_by(OutboxMessage.id)).all()


def link_in(message):
    """The path of the signed link in a message."""
    found = LINK.search(message.body)
    assert found, message.body
    assert message.variables["tautan"].endswith(found.group(1))
    return found.group(1)


def latest_link(application_id, key="status_pemohon"):
    return link_in(messages(application_id, key)[-1])


@contextmanager
def days_ago(monkeypatch, days):
    """Links made inside are as if given `days` days ago."""
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp",
                      lambda self: int(time.time()) - days * DAY)
        yield


def reload(application_id):
    db.session.expire_all()
    return db.session.get(Application, application_id)


def test_a_walk_in_applicant_gets_a_signed_link_that_opens_a_read_only_page(client):
    application = make_pkkpr("diajukan", **WALK_IN)
    apply_action(application.id, "terima", user("frontoffice"))
    [message] = messages(application.id)
    assert message.recipient_user_id is None
    path = link_in(message)
    assert path.startswith(f"/berkas/{application.id}/")
    assert f"/permohonan/{application.id}" not in message.body
    # Officers hear of the same file with its page, where they log in.
    for notice in messages(application.id, "antrian_petugas"):
        assert f"/permohonan/{application.id}" in notice.body and "/berkas/" not in notice.body

    page = client.get(path)  # nobody is logged in
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert application.registration_number in html and "Diterima Front Office" in html
    assert "Budi Santoso" in html
    for document in application.documents:
        assert document.requirement.name in html
    assert "<form" not in html  # read-only: nothing to post
    assert "3505011204850001" not in html and "Jl. Merdeka" not in html  # NIK, address
    assert "/berkas/dokumen/" not in html  # no uploaded file is served
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_applicants_with_an_account_keep_the_file_page():
    application = make_pkkpr("diajukan")
    apply_action(application.id, "terima", user("frontoffice"))
    [message] = messages(application.id)
    assert f"/permohonan/{application.id}" in message.body and "/berkas/" not in message.body


def test_the_page_gives_the_reasons_addressed_to_the_applicant_and_no_internal_note(client):
    application = make_pkkpr("diterima_fo", documents="pending", **WALK_IN)
    judge_document(application.id, application.documents[0].id, user("frontoffice"),
                   "rejected", "Foto KTP buram")
    apply_action(application.id, "kembalikan", user("frontoffice"),
                 MultiDict({"alasan": "Lengkapi dokumen yang ditolak"}))
    record_event(reload(application.id), "kembalikan_bo", user("kepaladinas"),
                 from_status="siap_ds", to_status="rekomendasi_terbit",
                 comment="Catatan internal untuk back office")
    db.session.commit()
    html = client.get(latest_link(application.id)).get_data(as_text=True)
    assert "Perlu Perbaikan" in html
    assert "Lengkapi dokumen yang ditolak" in html and "Foto KTP buram" in html
    assert "Catatan internal" not in html
    assert "unggah ulang" in html  # what to do next


def test_the_decree_downloads_through_the_link_after_signing_and_not_before(client):
    application = ready_file("siap_ds", **WALK_IN)
    unsigned = client.get(f"/berkas/{application.id}/{walk_in.link_token(application)}/sk.pdf")
    assert unsigned.status_code == 404
    assert "belum tersedia" in unsigned.get_data(as_text=True)

    sign(application.id)
    path = latest_link(application.id)
    page = client.get(path).get_data(as_text=True)
    assert "Selesai" in page and f"{path}/sk.pdf" in page
    download = client.get(f"{path}/sk.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Cache-Control"] == "private, no-store"


def test_the_rejection_letter_downloads_through_the_link_once_signed(client):
    application = rejected(make_pkkpr("diteruskan_dinas", **WALK_IN),
                           reason="Lokasi di sempadan sungai")
    [letter] = application.issued_documents
    path = latest_link(application.id)
    page = client.get(path).get_data(as_text=True)
    assert "Lokasi di sempadan sungai" in page and "menunggu tanda tangan" in page
    assert client.get(f"{path}/terbitan/{letter.id}").status_code == 404

    issued_signing.sign_document(letter.id, user("kepaladinas"), SIGNING_PASSPHRASE)
    path = latest_link(application.id, "surat_penolakan_terbit")
    download = client.get(f"{path}/terbitan/{letter.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")

    other = rejected(make_pkkpr("diteruskan_dinas", **WALK_IN), reason="Tidak sesuai RTRW")
    [other_letter] = other.issued_documents
    issued_signing.sign_document(other_letter.id, user("kepaladinas"), SIGNING_PASSPHRASE)
    assert client.get(f"{path}/terbitan/{other_letter.id}").status_code == 404
    assert db.session.get(IssuedDocument, other_letter.id).is_signed


def test_a_changed_or_foreign_link_opens_nothing(client):
    application = ready_file("selesai", **WALK_IN)
    other = make_pkkpr("diajukan", **WALK_IN)
    owned = make_pkkpr("diajukan")
    token = walk_in.link_token(application)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for path in (f"/berkas/{application.id}/{tampered}",
                 f"/berkas/{application.id}/{tampered}/sk.pdf",
                 f"/berkas/{other.id}/{token}",  # another file's link
                 f"/berkas/{owned.id}/{walk_in.link_token(owned)}",  # a file with an account
                 f"/berkas/{application.id}/bukan-tautan"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 404, path
        assert "Tautan ini tidak sah" in html, path
        assert application.registration_number not in html
        assert other.registration_number not in html


def test_a_link_to_a_number_that_was_corrected_stops_working(client):
    application = make_pkkpr("diajukan", **WALK_IN)
    path = f"/berkas/{application.id}/{walk_in.link_token(application)}"
    assert client.get(path).status_code == 200
    application.applicant_whatsapp = "+6281299998888"
    db.session.commit()
    assert client.get(path).status_code == 404


def test_an_expired_link_says_so_and_each_message_brings_a_fresh_one(app, client,
                                                                     monkeypatch):
    application = make_pkkpr("diajukan", **WALK_IN)
    with days_ago(monkeypatch, app.config["WALKIN_LINK_DAYS"] + 1):
        apply_action(application.id, "terima", user("frontoffice"))
    old = latest_link(application.id)
    expired = client.get(old)
    assert expired.status_code == 410
    assert "kedaluwarsa" in expired.get_data(as_text=True)
    assert application.registration_number not in expired.get_data(as_text=True)
    assert client.get(f"{old}/sk.pdf").status_code == 410

    apply_action(application.id, "teruskan_pemeriksa", user("frontoffice"))
    fresh = latest_link(application.id)
    assert fresh != old and client.get(fresh).status_code == 200


@pytest.mark.parametrize(("days", "old", "status"), [(90, 60, 200), (30, 60, 410)])
def test_the_links_life_is_configurable(app, client, monkeypatch, days, old, status):
    application = make_pkkpr("diajukan", **WALK_IN)
    with days_ago(monkeypatch, old):
        path = f"/berkas/{application.id}/{walk_in.link_token(application)}"
    monkeypatch.setitem(app.config, "WALKIN_LINK_DAYS", days)
    assert client.get(path).status_code == status
