"""An applicant's copy of every personal data the office holds about them (UU 27/2022:
access and a copy in a common, machine-readable format): a ZIP with `data-pribadi.json`
and the stored files of their applications.

The JSON holds every column of their account but the password hash; their sign-ins,
password reset requests, notifications and the messages sent to them; and each of their
files (drafts included) with its own data, requirement set, documents, issued
documents, decree, rejection, history and survey answer. Rows of other people are left
out: the history says which acts were the applicant's own and in which role an officer
acted, not who the officer was. The files are the applicant's uploads (earlier versions
included) and what was issued on their files (KRK, SPS, payment proof, SKRD, decree,
rejection letter, revocation decree); a file deleted at the end of its retention period
is listed with the date, without content.

The archive is written to a temporary file, each stored file copied in pieces, so a
hundred megabytes of scans never sit in memory."""

import json
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import not_, select
from sqlalchemy.orm import selectinload

from app import audit, office_time
from app.errors import Forbidden
from app.extensions import db
from app.links import public_url
from app.security.roles import is_staff
from app.storage.files import clean_display_name, open_stored
from app.workflow.files import own, own_clause
from app.workflow.registry import workflow_of
from models import (
    Application,
    ApplicationDocument,
    FailedAttempt,
    HistoryEvent,
    InAppNotification,
    OutboxMessage,
    PasswordResetCode,
    SurveyResponse,
    UserSession,
)
from models.application import utcnow

DATA_FILE = "data-pribadi.json"
README_FILE = "BACA-SAYA.txt"
FORMAT_VERSION = 1
# Columns that are secrets or the app's own bookkeeping, not data about the person.
SECRETS = {"password", "key_hash", "code_hash", "claim_token"}
STAFF_ONLY = _l("Officers' accounts are managed by the administrator; ask them for a copy "
                "of your data.")


def for_applicants_only(user):
    """The applicant's own page: an officer's account is the administrator's to handle."""
    if is_staff(user):
        raise Forbidden(STAFF_ONLY)


# --- the data ----------------------------------------------------------------------------


def plain(value):
    """A column's value as JSON gives it: moments and dates in ISO 8601, decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def columns(row, leave_out=()):
    """Every column of a row (the model's, so a column added later is exported too) but
    secrets and `leave_out`."""
    if row is None:
        return None
    return {attribute.key: plain(getattr(row, attribute.key))
            for attribute in sa_inspect(row).mapper.column_attrs
            if attribute.key not in SECRETS and attribute.key not in leave_out}


class _Files:
    """The stored files the archive will hold, each under a name inside it."""

    def __init__(self):
        self.entries = []  # (name in the archive, stored name, its record's dict)

    def add(self, folder, label, row, record):
        """Name `row`'s stored file in the archive and say so in `record`."""
        if not row.stored_name:
            record["file_in_archive"] = None
            return record
        name = f"berkas/{folder}/{label}-{row.id}-{clean_display_name(row.original_name)}"
        record["file_in_archive"] = name
        self.entries.append((name, row.stored_name, record))
        return record


def _folder(application):
    number = application.registration_number or f"draf-{application.id}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", number).strip("-") or str(application.id)


def _history(application, user):
    """Each event of the file: what happened and when, whether it was the applicant's own
    act, and the role an officer acted in (never the officer's name)."""
    workflow = workflow_of(application)
    return [{**columns(event, leave_out=("actor_id", "application_id")),
             "label": str(workflow.event_label(event.action)),
             "by_you": event.actor_id == user.id} for event in application.events]


def _application(application, user, files):
    workflow = workflow_of(application)
    folder = _folder(application)
    record = columns(application)
    record.update({
        "permit_type": application.permit_type.name,
        "status_label": str(workflow.label(application.status)),
        "pkkpr": columns(application.pkkpr, leave_out=("application_id",)),
        "asset_use": columns(application.asset_use, leave_out=("application_id",)),
        "requirements": [{"requirement": entry.requirement.name,
                          "mandatory": entry.mandatory} for entry in application.requirements],
        "documents": [
            files.add(folder, "dokumen", document, {
                **columns(document, leave_out=("stored_name", "application_id")),
                "requirement": document.requirement.name,
                "earlier_versions": [
                    files.add(folder, "versi", version,
                              columns(version, leave_out=("stored_name", "document_id")))
                    for version in document.versions],
            }) for document in application.documents],
        "issued": [files.add(folder, artifact.kind, artifact,
                             columns(artifact, leave_out=("stored_name", "application_id",
                                                          "issued_by_id")))
                   for artifact in application.artifacts],
        "decree": None,
        "issued_documents": [
            files.add(folder, issued.kind, issued,
                      columns(issued, leave_out=("stored_name", "application_id",
                                                 "signer_id")))
            for issued in application.issued_documents],
        "rejection": columns(application.rejection,
                             leave_out=("application_id", "rejected_by_id")),
        "history": _history(application, user),
    })
    decree = application.decree
    if decree is not None:
        record["decree"] = files.add(folder, "sk", decree, {
            **columns(decree, leave_out=("stored_name", "application_id", "signer_id",
                                         "revoked_by_id")),
            "verification_url": public_url(f"/verifikasi/{decree.token}"),
        })
    return record


def _own_files(user):
    return db.session.scalars(
        own(user).order_by(Application.id).options(
            selectinload(Application.permit_type),
            selectinload(Application.documents).selectinload(ApplicationDocument.requirement),
            selectinload(Application.documents).selectinload(ApplicationDocument.versions),
            selectinload(Application.artifacts), selectinload(Application.events),
            selectinload(Application.requirement_set))).all()


def _rows(model, *conditions, leave_out=()):
    return [columns(row, leave_out=leave_out)
            for row in db.session.scalars(select(model).where(*conditions)
                                          .order_by(model.id))]


def collect(user, files):
    """Everything the office holds about `user`, as JSON-ready data; the stored files
    to add are listed in `files`."""
    account = columns(user)
    account["roles"] = [role.name for role in user.roles]
    applications = _own_files(user)
    return {
        "format_version": FORMAT_VERSION,
        "made_at": plain(utcnow()),
        "account": account,
        "sign_ins": _rows(UserSession, UserSession.user_id == user.id,
                          leave_out=("user_id",)),
        "password_reset_requests": _rows(PasswordResetCode,
                                         PasswordResetCode.user_id == user.id,
                                         leave_out=("user_id",)),
        "failed_attempts": _rows(FailedAttempt, FailedAttempt.user_id == user.id,
                                 leave_out=("user_id",)),
        "applications": [_application(application, user, files)
                         for application in applications],
        "notifications": _rows(InAppNotification, InAppNotification.user_id == user.id,
                               leave_out=("user_id",)),
        "messages": _rows(OutboxMessage, OutboxMessage.recipient_user_id == user.id,
                          leave_out=("recipient_user_id",)),
        "survey_answers": _rows(SurveyResponse, SurveyResponse.respondent_id == user.id,
                                leave_out=("respondent_id",)),
        # Acts of theirs recorded on files that are not theirs (rare for an applicant).
        "acts_on_other_files": [
            {"application_id": event.application_id, "action": event.action,
             "created_at": plain(event.created_at)}
            for event in db.session.scalars(
                select(HistoryEvent).join(Application)
                .where(HistoryEvent.actor_id == user.id, not_(own_clause(user)))
                .order_by(HistoryEvent.id))],
    }


# --- the archive -------------------------------------------------------------------------


def _readme(user, made_on):
    return "\n\n".join(str(text) for text in (
        _l("Personal data of %(username)s held by DPMPTSP Kabupaten Blitar in SIAP n LOSS, "
           "as of %(date)s.", username=user.username, date=made_on.isoformat()),
        _l("%(data)s: your account, sign-ins, notifications, messages sent to you and "
           "each of your applications with its data, documents, history and decisions "
           "(JSON, UTF-8). Times are UTC.", data=DATA_FILE),
        _l("berkas/: the documents you uploaded and those issued on your applications, "
           "one folder per application. A document deleted at the end of its retention "
           "period is listed in the JSON with the date (purged_at), without its file."),
    )) + "\n"


def _stored_entry(name):
    written_at = datetime.now(office_time.OFFICE_TIME_ZONE)  # a ZIP's times are local
    entry = zipfile.ZipInfo(name, date_time=written_at.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_STORED  # PDFs and images are compressed already
    return entry


def _copy_files(archive, files):
    for name, stored_name, record in files.entries:
        try:
            with open_stored(stored_name) as source, \
                    archive.open(_stored_entry(name), "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except OSError:
            # Missing from storage (`flask siap storage check` lists it): said, not sent.
            record["file_in_archive"] = None
            record["file_missing"] = True


def export_archive(user):
    """The applicant's archive as an open temporary file (at its start; deleted when
    closed) and its download name."""
    for_applicants_only(user)
    files = _Files()
    data = collect(user, files)
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            _copy_files(archive, files)
            archive.writestr(DATA_FILE, json.dumps(data, ensure_ascii=False, indent=2))
            archive.writestr(README_FILE, _readme(user, office_time.today()))
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    audit.record_now(audit.EXPORTED, object=user, details={
        "what": "personal_data", "format": "zip", "applications": len(data["applications"]),
        "files": len(files.entries)})
    return stream, f"data-pribadi-{user.username}-{office_time.today().isoformat()}.zip"
