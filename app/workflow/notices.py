"""What the applicant's status message says happened besides the new status
(Transition.notice): the reason of a return for correction, of a refused payment proof or
of a rejection, in the officer's words; a due date extended, and why. The outbox renders
them in Indonesian.

Only here, never in the workflow's next steps: those are shown on the public tracking
page too, and an officer's reasons are for the applicant alone."""

from flask_babel import lazy_gettext as _l

from app.documents.formatting import tanggal

RETURN_REASON = _l("Reason for the return")
PROOF_REFUSAL_REASON = _l("Reason the payment proof was refused")
REJECTION_REASON = _l("Reason for the rejection")
EXTENSION_REASON = _l("Reason for the extension")


def reason(label):
    """A notice that gives the action's comment (its reason) under `label`."""

    def notice(application, comment):
        comment = (comment or "").strip()
        return f"{label}: {comment}" if comment else None

    notice.__name__ = "reason_notice"
    return notice


def _rejected_documents(application):
    rejected = [d for d in application.documents if d.verdict == "rejected"]
    rejected.sort(key=lambda d: (d.requirement.position, d.requirement_id))
    return "; ".join(f"{d.requirement.name} ({d.verdict_reason})" if d.verdict_reason
                     else d.requirement.name for d in rejected)


def return_for_correction(application, comment):
    """The reason of the return, and each document rejected with its own reason."""
    lines = [reason(RETURN_REASON)(application, comment)]
    documents = _rejected_documents(application)
    if documents:
        lines.append(str(_l("Documents to upload again: %(documents)s",
                            documents=documents)))
    return "\n".join(line for line in lines if line) or None


def due_date_extended(application, comment):
    """The SKRD's new due date (the next step repeats it with the amount) and why."""
    lines = [str(_l("The due date of the SKRD has been extended to %(date)s.",
                    date=tanggal(application.payment_due_on))),
             reason(EXTENSION_REASON)(application, comment)]
    return "\n".join(line for line in lines if line)
