"""The questions asked before acts that cannot be undone (Transition.confirm)."""

from flask_babel import lazy_gettext as _l

SUBMIT = _l("Submit this application? While the office examines it, its data and documents "
            "can no longer be changed.")
REJECT = _l("Reject this application? The file closes and the applicant receives the "
            "reason; it cannot be resumed.")
REJECT_DECREE = _l("Reject this decree? The file closes with a rejection letter; the number "
                   "given is cancelled.")
CANCEL = _l("Cancel this draft? It closes for good; a new application starts from the "
            "beginning.")
