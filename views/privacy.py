"""Personal data (UU 27/2022): the public privacy notice, and the applicant's own page to
download a copy of their data and to delete their account. Each acts on the signed-in
user only: nobody, staff included, reaches another person's data or account here."""

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import logout_user

from app.downloads import send_archive
from app.errors import InvalidInput, TooManyAttempts
from app.security.forms import DeleteAccountForm
from app.security.roles import PEMOHON, extend_default_grants
from app.services import account_deletion, personal_export
from app.services.privacy_notice import notice_facts
from views.support import current_user, engine_errors_as_http, flash_error

PERSONAL_DATA_VIEW = "PersonalData"
extend_default_grants({PEMOHON: [("can_read", PERSONAL_DATA_VIEW),
                                 ("can_write", PERSONAL_DATA_VIEW)]})
# The notice is written whole in each language (a legal text is read and edited as one
# document); Indonesian is the authoritative one and the fallback.
NOTICE_LANGUAGES = ("id", "en")


class PrivacyNoticeView(BaseView):
    """/privasi: what the office keeps about applicants, why, for how long, who sees it
    and how to use one's rights. Public."""

    route_base = "/privasi"
    default_view = "index"

    @expose("/")
    def index(self):
        language = str(get_locale() or "id")
        return self.render_template(
            "privacy/notice.html", facts=notice_facts(),
            body=f"privacy/_notice_{language if language in NOTICE_LANGUAGES else 'id'}.html")


class PersonalDataView(BaseView):
    """/data-pribadi: the applicant's copy of their data and the deletion of their account."""

    route_base = "/data-pribadi"
    default_view = "index"
    class_permission_name = PERSONAL_DATA_VIEW
    method_permission_name = {"index": "read", "export": "read", "delete_account": "write"}

    @expose("/")
    @has_access
    @engine_errors_as_http
    def index(self):
        personal_export.for_applicants_only(current_user())
        return self.render_template("privacy/personal_data.html",
                                    plan=account_deletion.plan_for(current_user()))

    @expose("/unduh", methods=["POST"])
    @has_access
    @engine_errors_as_http
    def export(self):
        """The ZIP of the signed-in applicant's data (POST: a CSRF-checked form)."""
        stream, name = personal_export.export_archive(current_user())
        return send_archive(stream, name)

    @expose("/hapus", methods=["GET", "POST"])
    @has_access
    @engine_errors_as_http
    def delete_account(self):
        """The confirmation (what goes, what stays, the password), then the deletion."""
        user = current_user()
        personal_export.for_applicants_only(user)
        form = DeleteAccountForm()
        if request.method == "POST" and form.validate_on_submit():
            try:
                if not self.appbuilder.sm.password_confirms(user, form.password.data):
                    form.password.errors = [_l("The password is wrong.")]
                else:
                    account_deletion.delete_account(user)
                    logout_user()
                    flash(str(_l("Your account has been deleted. Thank you for using SIAP n "
                                 "LOSS.")), "info")
                    return redirect(url_for("HomeView.index"))
            except (InvalidInput, TooManyAttempts) as error:
                flash_error(error)
        plan = account_deletion.plan_for(user)
        return self.render_template(
            "privacy/delete_account.html", form=form, plan=plan,
            blocked=None if plan.possible else account_deletion.blocked_message(plan))
