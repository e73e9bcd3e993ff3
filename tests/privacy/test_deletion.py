"""An applicant deletes their account when no file of theirs is in progress: the account
is anonymised and closed (nobody signs in to it again), drafts go with their uploads,
finished files stay as the office's archive (the decree downloadable by staff and
verifiable by the public), and the deletion is recorded. A file in progress blocks it
with a message naming the file; staff cannot do it through this screen."""

import json
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app import audit
from app.errors import InvalidInput
from app.extensions import db
from app.services import account_deletion
from models import (
    AccountDeletion,
    Application,
    AuditEntry,
    InAppNotification,
    OutboxMessage,
    SiapUser,
    SurveyResponse,
    UserSession,
)
from models.application import utcnow
from tests.conftest import DEMO_PASSWORD, login
from tests.privacy.support import applicant, file_of, on_disk, signed
from tests.support import make_pkkpr

DELETE = "/data-pribadi/hapus"
PASSWORD = "Rahasia123"  # tests.factories.make_user's
CONFIRMED = {"password": PASSWORD, "understood": "y"}


def signed_in(app, owner):
    return login(app.test_client(), owner.username, PASSWORD)


def fresh(model, pk):
    db.session.expire_all()
    return db.session.get(model, pk)


def can_sign_in(app, username, password=PASSWORD):
    response = app.test_client().post("/login/", data={"username": username,
                                                       "password": password})
    return response.status_code == 302 and "/login" not in response.headers["Location"]


def blocked_text(application):
    """The blocking message as the page shows it (the catalog's Indonesian, or the
    English until the msgid is translated)."""
    with force_locale("id"):
        return str(account_deletion.blocked_message(account_deletion.plan_for(
            db.session.get(SiapUser, application.owner_id))))


@pytest.mark.parametrize("status", ["diajukan", "perlu_perbaikan", "siap_ds"])
def test_a_file_in_progress_blocks_the_deletion_and_the_page_names_it(app, status):
    owner = applicant()
    application = file_of(owner, status)
    client = signed_in(app, owner)
    page = client.get(DELETE).get_data(as_text=True)
    assert application.registration_number in page
    assert 'name="password"' not in page  # no form to submit
    response = client.post(DELETE, data=CONFIRMED, follow_redirects=True)
    assert application.registration_number in response.get_data(as_text=True)
    assert blocked_text(application).split("—")[0].strip() in response.get_data(as_text=True)
    account = fresh(SiapUser, owner.id)
    assert account.active and account.nik == "3505016007900003"
    assert db.session.scalar(select(func.count(AccountDeletion.id))) == 0
    assert can_sign_in(app, owner.username)


def test_a_lapsed_file_the_front_office_may_still_reopen_blocks_it_too(app):
    owner = applicant()
    application = file_of(owner, "gugur_perbaikan")
    application.finished_at = utcnow()
    db.session.commit()
    plan = account_deletion.plan_for(owner)
    assert [a.id for a, _why in plan.blocking] == [application.id]
    # Once the reopening window is over, the file is simply finished.
    application.status_changed_at = utcnow() - timedelta(days=120)
    db.session.commit()
    assert [a.id for a in account_deletion.plan_for(owner).kept] == [application.id]


@pytest.fixture
def finished_owner(app):
    """An applicant with a signed permit, a draft with its uploads and a draft they
    cancelled, a notification, a message, a survey answer and a live session."""
    owner = applicant(email="rina@example.id")
    done = file_of(owner, "selesai")
    done.finished_at = utcnow()
    decree = signed(done)
    draft = file_of(owner, "draft")
    cancelled = file_of(owner, "dibatalkan")  # cancelled as a draft: never submitted
    cancelled.submitted_at = cancelled.registration_number = None
    db.session.add_all([
        InAppNotification(user_id=owner.id, application_id=done.id, text="SK terbit"),
        OutboxMessage(recipient_user_id=owner.id, recipient_number=owner.whatsapp,
                      template_key="status_pemohon", body="Yth. Rina", status="sent",
                      application=done),
        SurveyResponse(application=done, respondent_id=owner.id, comment="Rina, Sanankulon",
                       **dict.fromkeys(("persyaratan", "prosedur", "waktu", "biaya",
                                        "produk", "kompetensi", "perilaku", "sarana",
                                        "pengaduan"), 3)),
    ])
    db.session.commit()
    return owner, done, decree, draft, cancelled


def test_deleting_the_account_anonymises_it_and_nobody_signs_in_to_it_again(
        app, finished_owner):
    owner, done, _decree, _draft, _cancelled = finished_owner
    username, owner_id = owner.username, owner.id
    client = signed_in(app, owner)
    page = client.get(DELETE).get_data(as_text=True)
    assert done.registration_number in page and 'name="password"' in page
    response = client.post(DELETE, data=CONFIRMED)
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    account = fresh(SiapUser, owner_id)
    assert (account.first_name, account.last_name, account.email, account.nik,
            account.whatsapp, account.active, account.roles) == ("", "", None, None, None,
                                                                  False, [])
    assert account.username == f"dihapus-{owner_id}"
    assert not can_sign_in(app, username)
    assert not can_sign_in(app, f"dihapus-{owner_id}")
    # The browser that deleted it is signed out.
    assert "/login" in client.get("/data-pribadi/").headers["Location"]
    for model, column in ((UserSession, UserSession.user_id),
                          (InAppNotification, InAppNotification.user_id),
                          (OutboxMessage, OutboxMessage.recipient_user_id)):
        assert db.session.scalar(select(func.count()).select_from(model)
                                 .where(column == owner_id)) == 0, model
    survey = db.session.scalar(select(SurveyResponse).where(
        SurveyResponse.respondent_id == owner_id))
    assert survey.comment is None and survey.persyaratan == 3
    record = db.session.scalar(select(AccountDeletion).where(
        AccountDeletion.user_id == owner_id))
    assert (record.drafts_removed, record.files_kept) == (2, 1)
    assert utcnow() - record.requested_at < timedelta(minutes=1)


def test_drafts_go_with_their_uploads_and_finished_files_stay(app, finished_owner):
    owner, done, decree, draft, cancelled = finished_owner
    draft_files = [d.stored_name for d in (*draft.documents, *cancelled.documents)]
    kept_files = [d.stored_name for d in done.documents] + [decree.stored_name]
    draft_ids = (draft.id, cancelled.id)
    signed_in(app, owner).post(DELETE, data=CONFIRMED)
    db.session.expire_all()
    assert all(db.session.get(Application, pk) is None for pk in draft_ids)
    assert not any(on_disk(name) for name in draft_files)
    kept = db.session.get(Application, done.id)
    assert kept.status == "selesai" and kept.owner_id == owner.id
    # The archive keeps who the permit was granted to; nobody is contacted any more.
    assert (kept.applicant_name, kept.applicant_nik, kept.applicant_whatsapp) == (
        "Rina Wulandari", "3505016007900003", "")
    assert all(on_disk(name) for name in kept_files)


def test_the_finished_files_decree_stays_downloadable_by_staff_and_verifiable(
        app, finished_owner, login_as):
    owner, done, decree, _draft, _cancelled = finished_owner
    signed_in(app, owner).post(DELETE, data=CONFIRMED)
    download = login_as("backoffice").get(f"/permohonan/{done.id}/sk.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    page = app.test_client().get(f"/verifikasi/{decree.token}")
    assert page.status_code == 200
    assert done.sk_number in page.get_data(as_text=True)
    assert "Rina Wulandari" in page.get_data(as_text=True)  # the holder the decree names


@pytest.mark.parametrize("data", [
    {"password": "salah-sekali", "understood": "y"},  # wrong password
    {"password": PASSWORD},  # not confirmed
    {},
])
def test_without_the_password_and_the_explicit_yes_nothing_is_deleted(app, data):
    owner = applicant()
    draft = file_of(owner, "draft")
    response = signed_in(app, owner).post(DELETE, data=data)
    assert response.status_code == 200
    assert fresh(SiapUser, owner.id).active
    assert fresh(Application, draft.id) is not None


def test_a_wrong_password_counts_like_one_at_sign_in(app):
    owner = applicant()
    signed_in(app, owner).post(DELETE, data={"password": "salah", "understood": "y"})
    assert fresh(SiapUser, owner.id).fail_login_count == 1


@pytest.mark.parametrize("username", ["frontoffice", "admin"])
def test_staff_cannot_delete_an_account_through_this_screen(login_as, username):
    client = login_as(username)
    assert client.get(DELETE).status_code == 403
    response = client.post(DELETE, data={"password": DEMO_PASSWORD, "understood": "y"})
    assert response.status_code == 403
    assert fresh(SiapUser, db.session.scalar(
        select(SiapUser.id).where(SiapUser.username == username))).active


def test_the_deletion_acts_on_the_signed_in_account_only(app, login_as):
    owner = applicant()
    other = make_pkkpr("draft", owner="pemohon")
    response = signed_in(app, owner).post(
        DELETE, data={**CONFIRMED, "user_id": str(other.owner_id), "username": "pemohon"})
    assert response.status_code == 302
    assert fresh(Application, other.id) is not None
    assert fresh(SiapUser, other.owner_id).active
    assert not fresh(SiapUser, owner.id).active


def test_the_service_itself_refuses_while_a_file_is_in_progress(app):
    """The API or any other caller gets the same refusal as the screen."""
    owner = applicant()
    application = file_of(owner, "diajukan")
    with pytest.raises(InvalidInput) as raised:
        account_deletion.delete_account(db.session.get(SiapUser, owner.id))
    assert application.registration_number in str(raised.value.message)
    assert fresh(SiapUser, owner.id).active


def test_the_deletion_is_one_audit_entry_that_keeps_no_personal_value(app, finished_owner):
    owner, *_ = finished_owner
    owner_id = owner.id
    personal = (owner.first_name, owner.last_name, owner.email, owner.nik, owner.username)
    assert signed_in(app, owner).post(DELETE, data=CONFIRMED).status_code == 302
    about_the_account = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "user", AuditEntry.object_id == owner_id,
        AuditEntry.event.like("user.%"))).all()
    assert [entry.event for entry in about_the_account] == [audit.USER_DELETED]
    entry = about_the_account[0]
    assert entry.actor_id == owner_id and entry.object_label == f"dihapus-{owner_id}"
    assert entry.details == {"at_own_request": True, "drafts_removed": 2, "files_kept": 1}
    kept = json.dumps(entry.details) + entry.object_label + (entry.actor_name or "")
    assert not any(value and value in kept for value in personal)
