"""Sending one message: `console` (development: logs it) or `twilio` (WhatsApp)."""

import json
import logging

import requests

from app.links import public_url
from app.outgoing import outgoing_timeout

log = logging.getLogger(__name__)

# Twilio error codes that will not succeed on a retry.
PERMANENT_TWILIO_CODES = {20003, 21211, 21408, 21610, 21614, 21656, 63003, 63007, 63016}
RETRYABLE_HTTP = {429, 500, 502, 503, 504}


class RetryableError(Exception):
    pass


class PermanentError(Exception):
    pass


class ConsoleBackend:
    """Logs each message instead of sending it: its text only where LOG_MESSAGE_BODIES is
    on (development); message texts are personal data."""

    name = "console"

    def __init__(self, log_bodies=False):
        self.log_bodies = log_bodies

    def send(self, message):
        if self.log_bodies:
            log.info("WhatsApp to %s: %s", message.recipient_number, message.body)
        else:
            log.info("WhatsApp to %s: message %s (%s, %d characters)",
                     message.recipient_number, message.id, message.template_key,
                     len(message.body))
        return f"console-{message.id}"


class TwilioBackend:
    name = "twilio"

    def __init__(self, account_sid, auth_token, sender, status_callback=None, http_client=None,
                 timeout=None):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        if http_client is None:
            http_client = TwilioHttpClient()
            # (connect, read): its constructor takes one number only, requests takes both.
            http_client.timeout = timeout
        self.client = Client(account_sid, auth_token, http_client=http_client)
        self.sender = sender if sender.startswith("whatsapp:") else f"whatsapp:{sender}"
        self.status_callback = status_callback

    def send(self, message):
        from twilio.base.exceptions import TwilioException, TwilioRestException

        arguments = {"from_": self.sender, "to": f"whatsapp:{message.recipient_number}"}
        variables = dict(message.variables or {})
        content_sid = variables.pop("content_sid", None)
        if content_sid:
            arguments["content_sid"] = content_sid
            arguments["content_variables"] = json.dumps(
                {str(i): str(v) for i, v in enumerate(variables.values(), start=1)})
        else:
            arguments["body"] = message.body
        if self.status_callback:
            arguments["status_callback"] = self.status_callback
        try:
            return self.client.messages.create(**arguments).sid
        except TwilioRestException as error:
            reason = f"Twilio {error.status}/{error.code}: {error.msg}"
            if error.code in PERMANENT_TWILIO_CODES or (
                error.status not in RETRYABLE_HTTP and error.code != 20429
            ):
                raise PermanentError(reason) from None
            raise RetryableError(reason) from None
        except TwilioException as error:
            raise RetryableError(f"Twilio: {error}") from None
        except requests.RequestException as error:
            raise RetryableError(f"network: {type(error).__name__}") from None


def backend_from_config(config):
    if config.get("NOTIFICATION_BACKEND") == "twilio":
        return TwilioBackend(
            config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"],
            config["TWILIO_WHATSAPP_FROM"],
            status_callback=public_url("/twilio/status"),
            timeout=outgoing_timeout(config),
        )
    return ConsoleBackend(log_bodies=config["LOG_MESSAGE_BODIES"])
