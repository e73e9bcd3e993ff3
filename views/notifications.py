"""Notification screens: each user's own notifications, the admin's outbox with retry,
message templates, and Twilio's delivery-status callback."""

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, ModelView, action, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from wtforms.validators import ValidationError

from app.extensions import csrf, db
from app.forms import ChoiceColumns
from app.links import public_url
from app.notifications.templates import check_template
from models import InAppNotification, MessageTemplate, OutboxMessage
from models.application import utcnow
from models.notification import OUTBOX_STATUSES


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
    datamodel = SQLAInterface(OutboxMessage)
    base_permissions = ["can_list", "can_show"]
    choice_columns = {"status": OUTBOX_STATUSES}
    list_title = _l("WhatsApp outbox")
    list_columns = ["id", "created_at", "recipient_number", "template_key", "application",
                    "status", "attempts", "last_error"]
    show_columns = ["id", "created_at", "recipient_user", "recipient_number", "template_key",
                    "body", "application", "status", "attempts", "next_attempt_at",
                    "provider_message_id", "last_error", "sent_at"]
    search_columns = ["status", "recipient_number", "template_key", "created_at"]
    base_order = ("id", "desc")
    label_columns = {
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
                .values(status="pending", next_attempt_at=utcnow(), attempts=0)
            )
            db.session.commit()
        flash(str(_l("%(count)d message(s) queued again.", count=len(failed))), "info")
        return redirect(url_for(".list"))


def template_body_validator(form, field):
    problem = check_template(form.key.data, field.data or "")
    if problem:
        raise ValidationError(problem)


class MessageTemplateView(ModelView):
    datamodel = SQLAInterface(MessageTemplate)
    list_title = _l("Message templates")
    list_columns = ["key", "description", "active"]
    edit_columns = ["key", "description", "body", "content_sid", "active"]
    add_columns = edit_columns
    label_columns = {"key": _l("Key"), "description": _l("Description"), "body": _l("Text"),
                     "content_sid": _l("Approved content template (Twilio Content SID)"),
                     "active": _l("Active")}
    validators_columns = {"body": [template_body_validator]}


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
            db.session.commit()
        return "", 204
