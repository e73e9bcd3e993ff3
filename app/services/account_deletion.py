"""An applicant deletes their account (UU 27/2022: erasure on request), once no file of
theirs is in progress.

What deletion means here:
- The account stays as an anonymous, inactive row — the files kept below still name
  their owner, the history its actor — with its name, user name (`dihapus-<id>`),
  e-mail address, WhatsApp number, NIK and roles blanked and an unusable password:
  nobody signs in to it again. Its sign-ins, password reset codes, notifications and
  the messages sent to it are deleted; a survey answer keeps its scores (the office's
  statistics) without its comment.
- Files never submitted (drafts, and drafts the applicant cancelled) are deleted with
  their uploads: the office never worked on them.
- Finished files stay as the office's archive (the decree, what was issued, the register
  and the history; the applicant's name, NIK and address as the application and the
  decree state them), without the WhatsApp number (nobody is contacted or can track the
  file by it any more). Their uploads (KTP and the like) are deleted by the retention
  job like everyone's (app/jobs/retention.py).
- A file in progress — submitted and not finished, or lapsed uncorrected while the front
  office may still reopen it — blocks the deletion: the applicant waits for it or
  withdraws it first.
The deletion is recorded (models.AccountDeletion: who and when)."""

import secrets
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload
from werkzeug.security import generate_password_hash

from app import audit
from app.audit.changes import not_column_by_column
from app.documents.formatting import tanggal
from app.errors import InvalidInput
from app.extensions import db
from app.services.personal_export import for_applicants_only
from app.workflow import clock, correction
from app.workflow.engine import remove_after_commit, unit_of_work
from app.workflow.files import own
from app.workflow.registry import workflow_of
from models import (
    AccountDeletion,
    Application,
    FailedAttempt,
    InAppNotification,
    OutboxMessage,
    PasswordResetCode,
    SiapUser,
    SurveyResponse,
    UserSession,
)
from models.application import utcnow


@dataclass
class DeletionPlan:
    """The applicant's files by what deleting the account does to them."""

    removed: list = field(default_factory=list)  # never submitted: deleted
    kept: list = field(default_factory=list)  # finished: kept as the archive
    blocking: list = field(default_factory=list)  # (file, why) in progress: not possible

    @property
    def possible(self):
        return not self.blocking


def _reopenable_until(application, workflow):
    """The last day a finished file may still be reopened (a lapsed correction), or None."""
    state = workflow.states(application.status)
    if not any(t.reopens for t in workflow.transitions_from(state)):
        return None
    last_day = correction.reopen_until(application)
    return last_day if clock.today() <= last_day else None


def describe(application):
    """"PKKPR-NB/2026/000123 (Diperiksa)", as the blocking message lists a file."""
    workflow = workflow_of(application)
    number = application.registration_number or f"#{application.id}"
    return f"{number} ({workflow.label(application.status)})"


def plan_for(user):
    """What deleting `user`'s account would do to each of their files."""
    plan = DeletionPlan()
    files = db.session.scalars(own(user).order_by(Application.id)
                               .options(selectinload(Application.permit_type))).all()
    for application in files:
        workflow = workflow_of(application)
        finished = workflow.is_in(application.status, "terminal")
        if application.submitted_at is None and (
                finished or application.status == workflow.initial.value):
            plan.removed.append(application)
        elif not finished:
            plan.blocking.append((application, _l("in progress")))
        elif (last_day := _reopenable_until(application, workflow)) is not None:
            plan.blocking.append((application, _l(
                "the front office may reopen it until %(date)s", date=tanggal(last_day))))
        else:
            plan.kept.append(application)
    return plan


def blocked_message(plan):
    files = "; ".join(f"{describe(application)}: {why}" for application, why in plan.blocking)
    return _l("Your account cannot be deleted while a file of yours is in progress — "
              "%(files)s. Wait until it is finished, or withdraw it, then try again.",
              files=files)


def _stored_names(application):
    for document in application.documents:
        yield document.stored_name
        yield from (version.stored_name for version in document.versions)
    yield from (artifact.stored_name for artifact in application.artifacts)
    yield from (issued.stored_name for issued in application.issued_documents)
    if application.decree is not None:
        yield application.decree.stored_name


def _anonymise(user):
    user.first_name = user.last_name = ""
    user.username = f"dihapus-{user.id}"
    for name in ("email", "nik", "whatsapp", "nip", "pangkat_golongan", "first_channel",
                 "agency_id", "locked_until", "last_login"):
        setattr(user, name, None)
    user.login_count = user.fail_login_count = 0
    user.active = False
    user.password = generate_password_hash(secrets.token_urlsafe(32))
    user.roles = []


def _forget_activity(user_id):
    for model, column in ((UserSession, UserSession.user_id),
                          (PasswordResetCode, PasswordResetCode.user_id),
                          (FailedAttempt, FailedAttempt.user_id),
                          (InAppNotification, InAppNotification.user_id),
                          (OutboxMessage, OutboxMessage.recipient_user_id)):
        db.session.execute(delete(model).where(column == user_id))
    db.session.execute(update(SurveyResponse).where(SurveyResponse.respondent_id == user_id)
                       .values(comment=None))


def delete_account(user):
    """Delete the applicant's own account as the module says, in one transaction; raises
    InvalidInput naming the files in progress. Returns the AccountDeletion record."""
    for_applicants_only(user)
    with unit_of_work():
        # The row locked: a draft submitted meanwhile waits, then counts as in progress.
        account = db.session.scalar(select(SiapUser).where(SiapUser.id == user.id)
                                    .with_for_update())
        plan = plan_for(account)
        if not plan.possible:
            raise InvalidInput(message=blocked_message(plan))
        not_column_by_column(db.session, account)
        for application in plan.removed:
            remove_after_commit(list(_stored_names(application)))
            db.session.delete(application)
        for application in plan.kept:
            application.applicant_whatsapp = ""
        _forget_activity(account.id)
        _anonymise(account)
        record = AccountDeletion(user_id=account.id, requested_at=utcnow(),
                                 drafts_removed=len(plan.removed), files_kept=len(plan.kept))
        db.session.add(record)
        audit.record(audit.USER_DELETED, object=audit.AuditObject("user", account.id,
                                                                  account.username),
                     details={"at_own_request": True, "drafts_removed": len(plan.removed),
                              "files_kept": len(plan.kept)})
    return record

