"""The signing interface: one backend per configuration (SIGNING_BACKEND)."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.errors import SiapError
from app.office_time import OFFICE_TIME_ZONE


class SigningError(SiapError):
    """Signing did not happen; the file stays in Siap DS. `reason` is one of
    wrong_passphrase, not_registered, unavailable, timeout, failed."""

    status_code = 422
    messages = {
        "wrong_passphrase": _l("The passphrase is wrong. Nothing was signed."),
        "not_registered": _l("The signer is not registered for electronic signatures "
                             "(BSrE). Nothing was signed."),
        "unavailable": _l("The signing service cannot be reached. Nothing was signed; "
                          "try again later."),
        "timeout": _l("The signing service did not answer in time. Whether the document "
                      "was signed is unknown: check with the administrator before "
                      "signing again."),
        "failed": _l("The signing service refused the document. Nothing was signed."),
    }

    def __init__(self, reason, detail=None, attempts_left=None):
        self.reason = reason
        self.detail = detail
        self.attempts_left = attempts_left
        message = self.messages[reason]
        if attempts_left is not None:
            message = _l("The passphrase is wrong. Nothing was signed. Attempts left before "
                         "signing is locked: %(left)d.", left=attempts_left)
        super().__init__(message)


@dataclass(frozen=True)
class VisibleSignature:
    """Where and how the signature shows on the page: `page` (1-based), `box` in PDF
    points from the bottom-left (x1, y1, x2, y2), the QR code's `url` (the public
    verification page) and the stamp's text."""

    page: int
    box: tuple
    url: str
    text: str = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(waktu)s"
    # The office's time (WIB), not the UTC time pyHanko would print.
    time_text: str = field(default_factory=lambda: _office_time_now())


def _office_time_now():
    return datetime.now(OFFICE_TIME_ZONE).strftime("%d-%m-%Y %H:%M WIB")


class Signer:
    """A signing backend. Passphrases pass through and are never stored or logged."""

    name = "abstract"

    def readiness(self, user):
        """None when `user` can sign now, else a message saying what is missing."""
        raise NotImplementedError

    def sign(self, pdf_bytes, user, passphrase, reason, visible=None):
        """Return the signed PDF (PAdES) or raise SigningError; `visible` (a
        VisibleSignature) places a visible signature with a QR code."""
        raise NotImplementedError

    def verify(self, pdf_bytes):
        """True when the PDF carries an intact, trusted signature covering the file."""
        raise NotImplementedError
