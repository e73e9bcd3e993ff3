"""A loopback fake of BSrE's esign client service, behaving like the real one: HTTP
Basic auth, sign (really, with pyHanko and a PKCS#12 per registered NIK), signer
status, verify, and BSrE's error codes (2031 wrong passphrase, 1110 unknown NIK)."""

import io
import json
import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from app.signing.base import VisibleSignature
from app.signing.local import LocalCertificateAuthority
from app.signing.pades import is_authentic, sign_with_pkcs12


class FakeBsre:
    def __init__(self, directory, username="esign", password="rahasia"):
        self.authority = LocalCertificateAuthority(directory)
        self.credentials = (username, password)
        self.signers = {}  # nik → (p12, passphrase)
        self.requests = []  # (path, form keys) — never the values
        self.last_sign_fields = {}  # the last signing request's fields but the passphrase
        self.delay = 0
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def register(self, nik, name, passphrase):
        self.signers[nik] = (self.authority.issue_pkcs12(name, nik, passphrase), passphrase)

    def trust_roots(self):
        return [self.authority.asn1_certificate()]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()

    @staticmethod
    def _json(body, status=200):
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def wsgi(self, environ, start_response):
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    @staticmethod
    def _visible(form):
        """BSrE's visible signature: its QR code (linking to `linkQR`) at the position."""
        if form.get("tampilan") != "visible":
            return None
        return VisibleSignature(page=int(form["page"]), box=_box(form), url=form["linkQR"],
                                text="Ditandatangani secara elektronik oleh\n%(signer)s")

    def handle(self, request):
        import time

        self.requests.append((request.path, sorted(request.form.keys())))
        auth = request.authorization
        if not auth or (auth.username, auth.password) != self.credentials:
            return self._json({"error": "Unauthorized", "status_code": 401}, 401)
        if self.delay:
            time.sleep(self.delay)
        if request.path.startswith("/api/user/status/"):
            nik = request.path.rsplit("/", 1)[1]
            if nik in self.signers:
                return self._json({"status_code": 1111, "status": "ISSUE"})
            return self._json({"status_code": 1110, "status": "NOT_REGISTERED"})
        if request.path == "/api/sign/pdf" and request.method == "POST":
            nik, passphrase = request.form.get("nik"), request.form.get("passphrase")
            upload = request.files.get("file")
            if not nik or not passphrase or upload is None:
                return self._json({"error": "Data tidak lengkap", "status_code": 4014}, 400)
            if nik not in self.signers:
                return self._json({"error": "User tidak terdaftar", "status_code": 1110}, 400)
            p12, expected = self.signers[nik]
            if passphrase != expected:
                return self._json({"error": "Passphrase anda salah", "status_code": 2031}, 400)
            content = upload.read()
            if not content.startswith(b"%PDF"):
                return self._json({"error": "Dokumen tidak valid", "status_code": 500}, 500)
            self.last_sign_fields = {k: v for k, v in request.form.items()
                                     if k != "passphrase"}
            signed = sign_with_pkcs12(content, p12, passphrase, self.trust_roots(),
                                      request.form.get("reason", ""),
                                      visible=self._visible(request.form))
            response = Response(signed, mimetype="application/pdf")
            response.headers["id_dokumen"] = "fake-0001"
            return response
        if request.path == "/api/sign/verify" and request.method == "POST":
            content = request.files["signed_file"].read()
            valid = is_authentic(content, self.trust_roots())
            return self._json({
                "nama_dokumen": "sk.pdf",
                "jumlah_signature": 1 if b"/ByteRange" in content else 0,
                "summary": "DOCUMENT VALID !!!" if valid else "DOCUMENT NOT VALID !!!",
                "details": [],
            })
        return self._json({"error": "Not found", "status_code": 404}, 404)


def _box(form):
    x, y = float(form["xAxis"]), float(form["yAxis"])
    return (x, y, x + float(form["width"]), y + float(form["height"]))


def pdf_stream(content):
    return io.BytesIO(content)
