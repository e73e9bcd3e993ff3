"""The rejection letter and the revocation decree as documents: opened unsigned in the
transaction that numbers them (and not at all when it fails), signed from the published
version of their template by whoever holds the signature, stored and never made again."""

from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.services import issued_signing, revocation
from app.services import register as book
from app.signing import SigningError
from app.storage.files import read_stored, upload_root
from app.workflow import document_templates as templates
from app.workflow import engine
from models import Application, FailedAttempt, HistoryEvent, IssuedDocument
from tests.decrees.support import rejected, revoked, signed_pkkpr
from tests.support import SIGNING_PASSPHRASE, make_pkkpr, user

REASON = "Lokasi berada di kawasan sempadan sungai"
NEW_PARAGRAPH = "Untuk konsultasi lebih lanjut Saudara dapat menghubungi loket DPMPTSP."


reject = partial(rejected, reason=REASON)
revoke = partial(revoked, reason="Data tanah tidak benar")


def sign(document, username="kepaladinas", passphrase=SIGNING_PASSPHRASE):
    issued_signing.sign_document(document.id, user(username), passphrase)
    db.session.expire_all()
    return db.session.get(IssuedDocument, document.id)


def documents_count():
    return db.session.scalar(select(func.count(IssuedDocument.id)))


def files_on_disk():
    return {p for p in Path(upload_root()).rglob("*") if p.is_file()}


def test_a_rejection_opens_its_letter_unsigned_under_the_rejections_number():
    application = reject(make_pkkpr("diteruskan_dinas"))
    [letter] = application.issued_documents
    assert (letter.kind, letter.number) == ("surat_penolakan", application.rejection.number)
    assert not letter.is_signed and letter.stored_name is None
    assert letter.token and letter.template_version_id is None


def test_a_rejection_that_fails_opens_no_letter(monkeypatch):
    application = make_pkkpr("diteruskan_dinas")
    with pytest.raises(InvalidInput):
        reject(application, reason="")

    def broken_outbox(*args):
        raise RuntimeError("the outbox table is gone")

    # The rejection's effects ran (number, rejection, letter) before the failure.
    monkeypatch.setattr(engine, "queue_for_transition", broken_outbox)
    with pytest.raises(RuntimeError):
        reject(application)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "diteruskan_dinas"
    assert documents_count() == 0


def test_a_revocation_opens_its_decree_unsigned_under_the_revocations_number():
    application = revoke(signed_pkkpr())
    [decree] = application.issued_documents
    assert (decree.kind, decree.number) == ("sk_pencabutan",
                                            application.decree.revocation_number)
    assert not decree.is_signed
    with pytest.raises(Conflict):  # revoked already: no second number, no second decree
        revocation.revoke(application.id, user("kepaladinas"), "Lagi")
    assert documents_count() == 1


def test_signing_renders_the_published_version_and_records_it_with_the_signer():
    letter = sign(reject(make_pkkpr("krk_terbit")).issued_documents[0])
    assert letter.is_signed and letter.template_version.number == 1
    assert letter.template_version.template.key == "surat_penolakan"
    assert (letter.signer_id, letter.signer_name) == (user("kepaladinas").id,
                                                      "Kepala DPMPTSP")
    assert (letter.signer_capacity, letter.signer_letter_number) == ("definitif", None)
    assert letter.original_name == f"Surat Penolakan {letter.number.replace('/', '-')}.pdf"
    assert read_stored(letter.stored_name).startswith(b"%PDF")
    event = db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == letter.application_id,
        HistoryEvent.action == "tandatangani_surat_penolakan"))
    assert event.data["nomor"] == letter.number and event.data["sha256"] == letter.sha256
    assert event.data["kapasitas"] == "definitif" and event.actor_role == "Kepala Dinas"


def test_a_new_template_version_changes_later_letters_only(tmp_path):
    from tests.documents.test_issued_pdf import text_of

    earlier = sign(reject(make_pkkpr("krk_terbit")).issued_documents[0])
    earlier_pdf = read_stored(earlier.stored_name)
    template = templates.template_by_key("surat_penolakan")
    content = dict(templates.published_version(template).content)
    content["paragraphs"] = [*content["paragraphs"][:-1], NEW_PARAGRAPH,
                             content["paragraphs"][-1]]
    templates.save_draft(template, content, user("admin"), "Tambah kontak loket")
    templates.publish(template, user("admin"))

    later = sign(reject(make_pkkpr("krk_terbit")).issued_documents[0])
    assert later.template_version.number == 2
    assert NEW_PARAGRAPH in text_of(read_stored(later.stored_name), tmp_path)
    earlier = db.session.get(IssuedDocument, earlier.id)
    assert earlier.template_version.number == 1
    assert read_stored(earlier.stored_name) == earlier_pdf
    assert NEW_PARAGRAPH not in text_of(earlier_pdf, tmp_path)


def test_a_wrong_passphrase_signs_nothing_writes_nothing_and_is_counted():
    letter = reject(make_pkkpr("krk_terbit")).issued_documents[0]
    disk = files_on_disk()
    with pytest.raises(SigningError) as refused:
        sign(letter, passphrase="salah")
    assert refused.value.reason == "wrong_passphrase" and refused.value.attempts_left == 4
    letter = db.session.get(IssuedDocument, letter.id)
    assert not letter.is_signed and letter.sha256 is None
    assert files_on_disk() == disk
    assert db.session.scalar(select(func.count(FailedAttempt.id)).where(
        FailedAttempt.user_id == user("kepaladinas").id)) == 1
    assert not db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.action == "tandatangani_surat_penolakan"))


def test_a_signed_document_is_not_signed_again():
    letter = sign(reject(make_pkkpr("krk_terbit")).issued_documents[0])
    signed_file = letter.stored_name
    with pytest.raises(Conflict):
        sign(letter)
    assert db.session.get(IssuedDocument, letter.id).stored_name == signed_file


def test_only_who_holds_the_signature_signs():
    letter = reject(make_pkkpr("krk_terbit")).issued_documents[0]
    for username in ("dpupr", "backoffice", "admin"):
        with pytest.raises(NotFound):
            sign(letter, username)
    assert not db.session.get(IssuedDocument, letter.id).is_signed


def test_the_register_shows_letters_and_revocation_decrees_awaiting_signature_until_signed():
    rejected = reject(make_pkkpr("krk_terbit"))
    revoked = revoke(signed_pkkpr())
    year = rejected.rejection.rejected_at.year
    backoffice = user("backoffice")

    def status_of(section, number):
        return next(row.status for row in book.page(backoffice, year, section)
                    if row.number == number)

    letter_number = rejected.rejection.number
    revocation_number = revoked.decree.revocation_number
    assert status_of(book.Section.PENOLAKAN, letter_number) == "belum_ditandatangani"
    assert status_of(book.Section.SK, revocation_number) == "belum_ditandatangani"
    sign(rejected.issued_documents[0])
    sign(revoked.issued_documents[0])
    assert status_of(book.Section.PENOLAKAN, letter_number) == "terbit"
    assert status_of(book.Section.SK, revocation_number) == "terbit"
