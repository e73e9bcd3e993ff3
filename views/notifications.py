"""Notification screens: each user's own notifications, the admin's outbox with retry,
message templates, and Twilio's delivery-status callback."""

import re

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, ModelView, action, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select, update
from wtforms.validators import ValidationError

from app.extensions import csrf, db
from app.forms import ChoiceColumns
from app.i18n import local_time
from app.links import public_url
from app.notifications.chain import move_on
from app.notifications.templates import DEFAULTS, check_template
from models import InAppNotification, MessageTemplate, OutboxMessage
from models.application import utcnow
from models.notification import CHAIN_ENDS, OUTBOX_CHANNELS, OUTBOX_STATUSES
from views.columns import PresentedInterface


def chain_summary(attempts):
    """Each attempt of a message's chain: a link to it, its channel and its status."""
    parts = []
    for attempt in attempts:
        url = url_for("OutboxView.show", pk=attempt.id)
        parts.append(Markup('<a href="{}">#{}</a> {}: {}').format(
            url, attempt.id, OUTBOX_CHANNELS.label(attempt.channel),
            OUTBOX_STATUSES.label(attempt.status)))
    return Markup(" → ").join(parts)


class MyNotificationsView(BaseView):
    route_base = "/notifikasi"
    default_view = "index"
    class_permission_name = "Notifications"
    method_permission_name = {"index": "read", "mark_read": "read"}

    @expose("/")
    @has_access
    def index(self):
        notifications = db.session.scalars(
            select(InAppNotification).where(InAppNotification.user_id == g.user.id)
            .order_by(InAppNotification.id.desc()).limit(50)
        ).all()
        return self.render_template("notifications/index.html", notifications=notifications)

    @expose("/baca", methods=["POST"])
    @has_access
    def mark_read(self):
        db.session.execute(
            update(InAppNotification)
            .where(InAppNotification.user_id == g.user.id, InAppNotification.read_at.is_(None))
            .values(read_at=utcnow())
        )
        db.session.commit()
        return redirect(url_for(".index"))


class OutboxView(ChoiceColumns, ModelView):
    """Every attempt of every message, each with its channel and the whole chain it
    belongs to (WhatsApp → SMS → e-mail)."""

    datamodel = SQLAInterface(OutboxMessage)
    base_permissions = ["can_list", "can_show"]
    choice_columns = {"status": OUTBOX_STATUSES, "channel": OUTBOX_CHANNELS,
                      "chain_end": CHAIN_ENDS}
    list_title = _l("Outbox")
    list_columns = ["id", "created_at", "channel", "address", "template_key", "application",
                    "status", "attempts", "last_error", "chain", "chain_end"]
    show_columns = ["id", "created_at", "channel", "recipient_user", "recipient_number",
                    "recipient_email", "template_key", "body", "application", "status",
                    "attempts", "next_attempt_at", "provider_message_id", "last_error",
                    "sent_at", "chain", "chain_end"]
    search_columns = ["status", "channel", "recipient_number", "recipient_email",
                      "template_key", "created_at", "first_id"]
    formatters_columns = {"chain": chain_summary, "created_at": local_time,
                          "next_attempt_at": local_time, "sent_at": local_time}
    base_order = ("id", "desc")
    label_columns = {
        "channel": _l("Channel"), "address": _l("Sent to"),
        "recipient_email": _l("E-mail address"), "chain": _l("Chain"),
        "chain_end": _l("Outcome"), "first_id": _l("First attempt"),
        "created_at": _l("Created"), "recipient_number": _l("Number"),
        "recipient_user": _l("User"), "template_key": _l("Template"),
        "application": _l("Application"), "status": _l("Status"), "attempts": _l("Attempts"),
        "last_error": _l("Last error"), "body": _l("Text"),
        "next_attempt_at": _l("Next attempt"), "provider_message_id": _l("Provider id"),
        "sent_at": _l("Sent"),
    }

    @action("retry", _l("Retry"), _l("Send the selected failed messages again?"), "fa-rotate")
    def retry(self, items):
        items = items if isinstance(items, list) else [items]
        failed = [item.id for item in items if item.status == "failed"]
        if failed:
            db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(failed))
                .values(status="pending", next_attempt_at=utcnow(), attempts=0,
                        chain_end=None)
            )
            db.session.commit()
        flash(str(_l("%(count)d message(s) queued again.", count=len(failed))), "info")
        return redirect(url_for(".list"))


def template_body_validator(form, field):
    problem = check_template(form.key.data, field.data or "")
    if problem:
        raise ValidationError(problem)


CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")


def content_sid_validator(form, field):
    """Empty, or a Twilio Content SID: HX and 32 hexadecimal digits."""
    value = (field.data or "").strip()
    field.data = value or None
    if value and not CONTENT_SID.match(value):
        raise ValidationError(_l("A Content SID is HX followed by 32 letters a-f and digits, "
                                 "as Twilio shows it."))


# For the admin screen: what to register at Twilio for a template's content template.
def content_variables(template):
    """The numbered variables, in order: "{{1}} nama, {{2}} nomor, ..."."""
    kind = DEFAULTS.get(template.key)
    return ", ".join(f"{{{{{number}}}}} {name}" for number, name in
                     kind.content_variables.items()) if kind else ""


def content_template_text(template):
    """The default text with the numbered variables in place of the placeholders."""
    kind = DEFAULTS.get(template.key)
    return kind.content_template_text if kind else ""


class MessageTemplateView(ModelView):
    """The Indonesian texts, and for each kind the numbered variables of the WhatsApp
    content template to register at Twilio (README, "WhatsApp content templates"),
    whose Content SID goes in `content_sid`."""

    datamodel = PresentedInterface(MessageTemplate, presented={
        "content_variables": content_variables, "content_template_text": content_template_text})
    list_title = _l("Message templates")
    list_columns = ["key", "description", "content_variables", "content_sid", "active"]
    show_columns = ["key", "description", "body", "content_variables",
                    "content_template_text", "content_sid", "active"]
    edit_columns = ["key", "description", "body", "content_sid", "active"]
    add_columns = edit_columns
    label_columns = {"key": _l("Key"), "description": _l("Description"), "body": _l("Text"),
                     "content_sid": _l("Approved content template (Twilio Content SID)"),
                     "content_variables": _l("Content template variables"),
                     "content_template_text": _l("Content template text to register"),
                     "active": _l("Active")}
    # The key and the variables are names the texts and Twilio refer to: shown as code.
    formatters_columns = {"key": lambda key: Markup("<code>{}</code>").format(key),
                          "content_variables": lambda names: Markup("<code>{}</code>").format(
                              names) if names else ""}
    description_columns = {"content_sid": _l(
        "The HX... SID of the WhatsApp content template approved for this message. Register "
        "it at Twilio with the numbered variables shown for this template, in that order. "
        "Empty: the text above is sent, which WhatsApp delivers only within 24 hours of the "
        "recipient's last message.")}
    validators_columns = {"body": [template_body_validator],
                          "content_sid": [content_sid_validator]}

    def prefill_form(self, form, pk):
        """The edit form names this kind's variables under the Content SID field."""
        template = self.datamodel.get(pk)
        variables = content_variables(template) if template is not None else ""
        if variables:
            form.content_sid.description = Markup("{}<br>{} {}").format(
                form.content_sid.description, _l("Variables:"), variables)


class TwilioCallbackView(BaseView):
    """Delivery status from Twilio; accepted only with a valid X-Twilio-Signature."""

    route_base = "/twilio"

    @expose("/status", methods=["POST"])
    @csrf.exempt
    def status(self):
        from twilio.request_validator import RequestValidator

        token = current_app.config["TWILIO_AUTH_TOKEN"]
        url = public_url(request.path)
        signature = request.headers.get("X-Twilio-Signature", "")
        if not token or not RequestValidator(token).validate(url, request.form, signature):
            abort(403)
        message = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.provider_message_id == request.form.get("MessageSid", "")))
        if message is not None:
            status = request.form.get("MessageStatus")
            if status == "delivered":
                message.status = "delivered"
            elif status in ("failed", "undelivered"):
                message.status = "failed"
                message.last_error = f"Twilio {status}: {request.form.get('ErrorCode', '')}"
                move_on(message)  # e.g. 63016 outside the 24-hour window: try SMS
            db.session.commit()
        return "", 204
