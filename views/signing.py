"""The head of office's signing page: mobile first, files in Siap DS with their key
data and a preview; sign one or several with one passphrase. Only for those who hold
the signature (the Admin reaches every screen, but signs nothing)."""

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.security import lockout
from app.services.decrees import sign_many
from app.workflow.access import holds_in_some_workflow, visibility_clause
from models import Application, AssetUse


class SigningView(BaseView):
    route_base = "/tandatangan"
    default_view = "index"
    class_permission_name = "Signing"
    method_permission_name = {"index": "read", "sign": "write"}

    @staticmethod
    def signs_decrees():
        return holds_in_some_workflow(g.user, "tandatangani")

    @expose("/")
    @has_access
    def index(self):
        if not self.signs_decrees():
            abort(403)
        files = db.session.scalars(
            select(Application)
            .where(Application.status == "siap_ds", visibility_clause(g.user))
            .options(selectinload(Application.pkkpr), selectinload(Application.permit_type),
                     selectinload(Application.asset_use).selectinload(AssetUse.asset))
            .order_by(Application.status_changed_at)
        ).all()
        attempts_left, wait_minutes = lockout.passphrase_attempts(g.user)
        return self.render_template("signing/index.html", files=files,
                                    attempts_left=attempts_left, wait_minutes=wait_minutes)

    @expose("/", methods=["POST"])
    @has_access
    def sign(self):
        if not self.signs_decrees():
            abort(403)
        ids = [int(i) for i in request.form.getlist("application_id") if i.isdigit()]
        passphrase = request.form.get("passphrase", "")
        if not ids:
            flash(str(_l("Choose at least one file to sign.")), "warning")
            return redirect(url_for(".index"))
        if not passphrase:
            flash(str(_l("Type your signing passphrase.")), "warning")
            return redirect(url_for(".index"))
        results = sign_many(ids, g.user, passphrase)
        signed = sum(1 for _, outcome, _ in results if outcome == "signed")
        if signed:
            flash(str(_l("%(count)d file(s) signed.", count=signed)), "success")
        for application_id, outcome, message in results:
            if outcome != "signed":
                number = db.session.get(Application, application_id)
                label = number.registration_number if number else f"#{application_id}"
                flash(f"{label}: {message}", "danger")
        return redirect(url_for(".index"))
