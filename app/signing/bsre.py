"""Client for BSrE's esign client service (the on-premises server an agency installs):
sign, signer status and verify, with HTTP Basic auth. Never retries a sign request: a
timeout after sending means "unknown", not "failed"."""

import logging

import requests

from app.signing.base import Signer, SigningError

log = logging.getLogger(__name__)

STATUS_READY = 1111
WRONG_PASSPHRASE = 2031
NOT_REGISTERED_CODES = {1110, 2011, 2021}


class BsreSigner(Signer):
    name = "bsre"

    def __init__(self, base_url, username, password, timeout=30, verify_tls=True):
        self.base_url = base_url.rstrip("/")
        self.auth = (username, password)
        self.timeout = timeout
        self.verify_tls = verify_tls

    def _request(self, method, path, **kwargs):
        try:
            return requests.request(method, f"{self.base_url}{path}", auth=self.auth,
                                    timeout=self.timeout, verify=self.verify_tls, **kwargs)
        except requests.Timeout:
            raise SigningError("timeout") from None
        except requests.ConnectionError:
            raise SigningError("unavailable") from None

    @staticmethod
    def _error_code(response):
        try:
            return int(response.json().get("status_code"))
        except (ValueError, TypeError, AttributeError):
            return None

    def readiness(self, user):
        from flask_babel import lazy_gettext as _l

        if not user.nik:
            return _l("The head of office has no NIK in their profile; BSrE signs by NIK.")
        try:
            response = self._request("GET", f"/api/user/status/{user.nik}")
        except SigningError as error:
            return error.message
        code = self._error_code(response)
        if response.status_code == 200 and code == STATUS_READY:
            return None
        if response.status_code == 401:
            return SigningError.messages["unavailable"]
        return SigningError.messages["not_registered"]

    def sign(self, pdf_bytes, user, passphrase, reason, visible=None):
        if not user.nik:
            raise SigningError("not_registered")
        data = {"nik": user.nik, "passphrase": passphrase, "tampilan": "invisible",
                "reason": reason, "location": "Kabupaten Blitar"}
        if visible is not None:
            # BSrE draws its QR code, linking to our verification page, in the box.
            x1, y1, x2, y2 = visible.box
            data.update(tampilan="visible", image="false", linkQR=visible.url,
                        page=str(visible.page), xAxis=str(x1), yAxis=str(y1),
                        width=str(round(x2 - x1, 1)), height=str(round(y2 - y1, 1)))
        response = self._request(
            "POST", "/api/sign/pdf",
            files={"file": ("sk.pdf", pdf_bytes, "application/pdf")}, data=data,
        )
        if response.status_code == 200 and response.content.startswith(b"%PDF"):
            return response.content
        code = self._error_code(response)
        # Log the code, never the request (it carries the passphrase).
        log.warning("BSrE refused to sign: HTTP %s, code %s", response.status_code, code)
        if code == WRONG_PASSPHRASE:
            raise SigningError("wrong_passphrase")
        if code in NOT_REGISTERED_CODES:
            raise SigningError("not_registered")
        if response.status_code in (401, 502, 503, 504):
            raise SigningError("unavailable")
        raise SigningError("failed", detail=code)

    def verify(self, pdf_bytes):
        try:
            response = self._request(
                "POST", "/api/sign/verify",
                files={"signed_file": ("sk.pdf", pdf_bytes, "application/pdf")})
        except SigningError:
            return False
        if response.status_code != 200:
            return False
        body = response.json()
        return body.get("jumlah_signature", 0) > 0 and body.get("summary") == "DOCUMENT VALID !!!"
