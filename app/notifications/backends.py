"""Sending one message on one channel. A backend per outbox channel, chosen by the
message's channel (`backends_from_config`): WhatsApp and SMS through Twilio, e-mail through
SMTP (Flask-Mailman); in development each channel's `console` backend logs instead."""

import json
import logging
import smtplib

import requests

from app.links import public_url
from app.notifications import templates
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
    # Nothing will ever report delivery: a logged message does not wait for one.
    reports_delivery = False

    def __init__(self, log_bodies=False, channel="whatsapp"):
        self.log_bodies = log_bodies
        self.channel = channel

    def send(self, message):
        if self.log_bodies:
            log.info("%s to %s: %s", self.channel, message.address, message.body)
        else:
            log.info("%s to %s: message %s (%s, %d characters)", self.channel,
                     message.address, message.id, message.template_key, len(message.body))
        return f"console-{message.id}"


class TwilioBackend:
    """WhatsApp through Twilio (the SMS backend below shares the error handling)."""

    name = "twilio"
    reports_delivery = True  # through the status callback (views/notifications.py)

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

        arguments = self.arguments(message)
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

    def arguments(self, message):
        """The approved content template of the message's kind, filled with its values in
        the kind's order, where an admin registered one (WhatsApp delivers nothing else
        outside the 24-hour window); otherwise the text."""
        arguments = {"from_": self.sender, "to": f"whatsapp:{message.recipient_number}"}
        sid = templates.content_sid(message.template_key)
        if sid:
            arguments["content_sid"] = sid
            arguments["content_variables"] = json.dumps(
                templates.content_variables(message.template_key, message.variables or {}),
                ensure_ascii=False)
        else:
            arguments["body"] = message.body
        return arguments


class TwilioSmsBackend(TwilioBackend):
    """SMS through Twilio: the plain text, from a number or a Messaging Service (MG...)."""

    def __init__(self, account_sid, auth_token, sender, **options):
        super().__init__(account_sid, auth_token, "", **options)
        self.sender = sender

    def arguments(self, message):
        arguments = {"to": message.recipient_number, "body": message.body}
        if self.sender.startswith("MG"):
            arguments["messaging_service_sid"] = self.sender
        else:
            arguments["from_"] = self.sender
        return arguments


def email_subject(message):
    """Mail clients list the subject: which file the message is about."""
    number = (message.variables or {}).get("nomor")
    return f"SIAP n LOSS: pemberitahuan berkas {number}" if number else \
        "SIAP n LOSS: pemberitahuan"


class SmtpBackend:
    """E-mail through an SMTP server with Flask-Mailman. SMTP has no delivery report:
    a message the server accepted counts as sent for good."""

    name = "smtp"
    reports_delivery = False

    def __init__(self, host, port, sender, username=None, password=None, use_tls=False,
                 use_ssl=False, timeout=None):
        self.settings = {"host": host, "port": port, "username": username or "",
                         "password": password or "", "use_tls": use_tls,
                         "use_ssl": use_ssl, "timeout": timeout}
        self.sender = sender

    def send(self, message):
        from flask_mailman import EmailMessage
        from flask_mailman.backends.smtp import EmailBackend

        connection = EmailBackend(**self.settings)
        email = EmailMessage(email_subject(message), message.body, self.sender,
                             [message.recipient_email], connection=connection)
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            codes = sorted({code for code, _ in error.recipients.values()})
            raise PermanentError(f"SMTP refused the recipient ({codes})") from None
        except smtplib.SMTPResponseException as error:
            reason = f"SMTP {error.smtp_code}"
            if 500 <= error.smtp_code < 600:
                raise PermanentError(reason) from None
            raise RetryableError(reason) from None
        except (smtplib.SMTPException, OSError) as error:
            raise RetryableError(f"SMTP: {type(error).__name__}") from None
        return None  # SMTP gives no id to follow (the mail carries its own Message-ID)


def backends_from_config(config):
    """The backend of each outbox channel."""
    log_bodies = config["LOG_MESSAGE_BODIES"]
    backends = {channel: ConsoleBackend(log_bodies, channel)
                for channel in ("whatsapp", "sms", "email")}
    if config.get("NOTIFICATION_BACKEND") == "twilio":
        twilio = (config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
        options = {"status_callback": public_url("/twilio/status"),
                   "timeout": outgoing_timeout(config)}
        backends["whatsapp"] = TwilioBackend(*twilio, config["TWILIO_WHATSAPP_FROM"],
                                             **options)
        backends["sms"] = TwilioSmsBackend(*twilio, config["TWILIO_SMS_FROM"], **options)
    if config.get("EMAIL_BACKEND") == "smtp":
        backends["email"] = SmtpBackend(
            config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_DEFAULT_SENDER"],
            username=config.get("MAIL_USERNAME"), password=config.get("MAIL_PASSWORD"),
            use_tls=config["MAIL_USE_TLS"], use_ssl=config["MAIL_USE_SSL"],
            timeout=config["MAIL_TIMEOUT"])
    return backends
