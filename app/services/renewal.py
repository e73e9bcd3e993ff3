"""Renewal (perpanjangan) of a signed permit: its holder starts a new draft of the same
permit type, prefilled from the old file and linked to it; the draft then goes through
the same process as any application, and its decree cites the previous one (the
`perpanjangan` placeholders, app/documents/placeholders.py).

Who and when:
- only the holder: the account that owns the old file (a walk-in holder applies at the
  front office as for a new permit); anyone else gets 404, as for an invisible file;
- a permit type the admin marked renewable (asset use by default), still open;
- a finished file with a signed decree, in force or expired for at most
  RENEWAL_GRACE_DAYS (calendar days, default 90): a permit long expired is applied for
  anew; a revoked one cannot be renewed;
- one renewal at a time: while one is in progress the holder is sent to it; once one
  is granted, it is that permit that is renewed next. A renewal that ended without a
  permit (rejected, cancelled, withdrawn, lapsed) does not count.

The asset-use period is the applicant's to give: the screen offers the day after the
old period ends, for as long as it lasted, as a suggestion. Whether the asset is free
then is checked at the recommendation and the signature, as for any booking."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import office_time
from app.documents.formatting import tanggal
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.services import applications
from app.workflow import validity
from app.workflow.engine import keep_status, record_event, unit_of_work
from app.workflow.files import load_visible, sees, visible
from app.workflow.registry import find, is_in, workflow_of
from models import Application
from models.decree import DecreeStatus


class RenewalInProgress(Conflict):
    """A renewal of this permit is already under way: `renewal` is that file."""

    def __init__(self, renewal):
        super().__init__(_l("A renewal of this permit is already in progress: %(file)s. "
                            "Continue with that application.", file=file_name(renewal)))
        self.renewal = renewal


def file_name(application):
    return application.registration_number or str(_l("Draft #%(id)s", id=application.id))


def _ended_without_permit(application):
    workflow = workflow_of(application)
    return application.status in workflow.values(workflow.terminal - workflow.granted_states)


def renewals_of(application):
    """The files that renew `application`, newest first."""
    return db.session.scalars(
        select(Application).where(Application.renews_application_id == application.id)
        .order_by(Application.id.desc())).all()


def _refusal(application, user):
    """None when `user` may renew this (visible) file now, else the Conflict to raise."""
    if application.owner_id is None or application.owner_id != user.id or \
            not applications.may_create(user, application.kind):
        return NotFound()
    permit_type = application.permit_type
    if not permit_type.renewable:
        return Conflict(_l("Permits of this type cannot be renewed. Apply for a new "
                           "permit instead."))
    if not permit_type.active or find(permit_type.workflow_kind) is None:
        return Conflict(_l("This permit type is no longer open for applications."))
    decree = application.decree
    if not is_in(application, "granted_states") or decree is None or not decree.is_signed:
        return Conflict(_l("Only a permit with a signed decree can be renewed."))
    if decree.status == DecreeStatus.DICABUT:
        return Conflict(_l("A revoked permit cannot be renewed."))
    grace = current_app.config["RENEWAL_GRACE_DAYS"]
    if decree.valid_until is not None and \
            validity.today() > decree.valid_until + timedelta(days=grace):
        return Conflict(_l("This permit expired on %(date)s, more than %(days)d days ago: "
                           "apply for a new permit instead.",
                           date=tanggal(decree.valid_until), days=grace))
    for renewal in renewals_of(application):
        if is_in(renewal, "granted_states"):
            return Conflict(_l("This permit was already renewed by %(file)s: renew that "
                               "permit instead.", file=file_name(renewal)))
        if not _ended_without_permit(renewal):
            return RenewalInProgress(renewal)
    return None


def may_renew(application, user):
    """Whether the file page offers "Apply for renewal" to this user."""
    return _refusal(application, user) is None


def suggested_period(application):
    """(start, end) offered for the renewal of an asset use: from the day after the old
    period, as long as it was (from today when that day has passed); None for other
    permits."""
    use = application.asset_use
    if use is None:
        return None
    old_start = use.approved_start or use.period_start
    old_end = use.approved_end or use.period_end
    start = max(old_end + timedelta(days=1), office_time.today())
    return start, start + (old_end - old_start)


def _plain(value):
    """A stored value as a form posts it: a ticked box, nothing, or its text (a date's
    is ISO)."""
    if value is None or value is False:
        return None
    return "y" if value is True else str(value)


def prefilled(application, given):
    """The application form's data of the renewal: the old file's applicant and
    details; for an asset use the period from `given` (a mapping), which must name it."""
    values = {name: getattr(application, name) for name in applications.APPLICANT_FIELDS}
    workflow = workflow_of(application)
    values.update(workflow.applying.values(application))
    missing = {name: _l("Give the period of the renewed use.")
               for name in workflow.renewal_fields
               if not str((given or {}).get(name) or "").strip()}
    if missing:
        raise InvalidInput(missing)
    values.update({name: given[name] for name in workflow.renewal_fields})
    return MultiDict({name: text for name, value in values.items()
                      if (text := _plain(value)) is not None})


def renew(application_id, user, given=None):
    """A new draft renewing the permit of file `application_id`, linked to it, its
    creation recorded in both histories. Raises NotFound (not the holder), Conflict
    (not renewable now; RenewalInProgress names the renewal under way) or InvalidInput
    (the period, or data of the old file the form no longer accepts)."""
    old = load_visible(application_id, user)
    refusal = _refusal(old, user)
    if refusal is not None:
        raise refusal
    formdata = prefilled(old, given)
    permit_type = old.permit_type
    try:
        with unit_of_work():
            renewal = applications.new_draft(permit_type, user, formdata)
            renewal.renews = old
            db.session.flush()
            record_event(renewal, "perpanjangan_dari", user, comment=old.sk_number,
                         data={"application_id": old.id, "nomor_registrasi":
                               old.registration_number, "nomor_sk": old.sk_number})
            record_event(old, "perpanjangan_dimulai", user,
                         data={"application_id": renewal.id})
            # The old file's version moves on: of two renewals started at once, one wins.
            keep_status(old)
    except InvalidInput as error:
        raise _outdated(error, permit_type, workflow_of(old).renewal_fields) from None
    return renewal


def _outdated(error, permit_type, given_anew):
    """The form's refusal of what was copied from the old file (an asset no longer
    offered, say) as a reason the permit cannot be renewed as it was; a wrong period
    stays the applicant's to correct."""
    copied = {name: message for name, message in error.field_errors.items()
              if name not in given_anew}
    if not copied:
        return error
    form = applications.application_form(permit_type)
    problems = "; ".join(f"{form[name].label.text}: {message}" if name in form._fields
                         else str(message) for name, message in copied.items())
    return Conflict(_l("This permit cannot be renewed as it was (%(problems)s): apply for "
                       "a new permit instead.", problems=problems))


def previous_of(application, user):
    """What the file page and the API say of the permit a renewal renews: its numbers,
    and its id when this user may open it (None otherwise)."""
    old = application.renews
    if old is None:
        return None
    return {"id": old.id if sees(user, old.id) else None,
            "registration_number": old.registration_number, "sk_number": old.sk_number,
            "sk_date": old.sk_date.date() if old.sk_date else None}


def visible_renewals(application, user):
    """The renewals of this file that this user may open, newest first (none before its
    decree: only a permit with a signed decree is renewed)."""
    if application.decree is None:
        return []
    return db.session.scalars(
        visible(user).where(Application.renews_application_id == application.id)
        .order_by(Application.id.desc())).all()
