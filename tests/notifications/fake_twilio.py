"""A fake Twilio HTTP client: answers from a script, records every request (no network)."""

import json
import threading

from twilio.http import HttpClient
from twilio.http.response import Response

from app.notifications.backends import TwilioBackend

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "token-uji-0123456789"


def created(sid="SM" + "1" * 32):
    return 201, {"sid": sid, "status": "queued", "account_sid": ACCOUNT_SID}


def error(status, code, message="error"):
    return status, {"code": code, "message": message, "status": status}


class FakeTwilioHttp(HttpClient):
    def __init__(self, script=None):
        self.script = list(script or [])
        self.requests = []
        self.lock = threading.Lock()
        self.last_request = None
        self.last_response = None

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        with self.lock:
            self.requests.append(dict(data or {}))
            status, body = self.script.pop(0) if self.script else created(
                "SM" + f"{len(self.requests):032d}")
        if isinstance(body, Exception):
            raise body
        return Response(status, json.dumps(body))


def twilio_backend(script=None):
    http = FakeTwilioHttp(script)
    return TwilioBackend(ACCOUNT_SID, AUTH_TOKEN, "+14155238886", http_client=http), http


def twilio_sms_backend(script=None, sender="+14155550100"):
    from app.notifications.backends import TwilioSmsBackend

    http = FakeTwilioHttp(script)
    return TwilioSmsBackend(ACCOUNT_SID, AUTH_TOKEN, sender, http_client=http), http
