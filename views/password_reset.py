"""/lupa-kata-sandi: a user who forgot their password asks for a one-time code, then
enters it with a new password (app/security/password_reset.py). Both pages work without
signing in, answer alike whether the account exists, and are rate limited per client
address (the accounts themselves are limited in the service)."""

from flask import current_app, flash, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import no_cache
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput
from app.security import password_reset
from app.security.forms import PasswordResetForm, PasswordResetRequestForm
from app.security.http import limit_shared, only_endpoint
from app.security.views import show_field_errors

# What the user typed on the first page, to fill in the second (never whether it named
# an account: the cookie is signed, not encrypted).
ACCOUNT_KEY = "password_reset_account"
DONE = _l("Your password has been changed and every session of your account has been "
          "signed out. Sign in with your new password.")


def sent_message(minutes):
    """The one answer to every request for a code."""
    return _l("If this is the user name, e-mail address or WhatsApp number of an active "
              "account, a code has been sent to its WhatsApp number (or by SMS or e-mail). "
              "It is valid for %(minutes)d minutes. Enter it below with your new password.",
              minutes=minutes)


class PasswordResetView(BaseView):
    route_base = "/lupa-kata-sandi"
    default_view = "ask"

    @expose("/", methods=["GET", "POST"])
    @no_cache
    def ask(self):
        form = PasswordResetRequestForm()
        if form.validate_on_submit():
            account = form.account.data.strip()
            password_reset.request_code(account, url_for(".reset"))
            session[ACCOUNT_KEY] = account
            flash(str(sent_message(current_app.config["PASSWORD_RESET_MINUTES"])), "info")
            return redirect(url_for(".reset"))
        return self.render_template("security/password_reset_request.html", form=form,
                                    title=_l("Forgot your password?"))

    @expose("/kode", methods=["GET", "POST"])
    @no_cache
    def reset(self):
        form = PasswordResetForm()
        if request.method == "GET":
            form.account.data = session.get(ACCOUNT_KEY, "")
        status = 200
        if form.validate_on_submit():
            try:
                password_reset.reset_password(form.account.data, form.code.data,
                                              form.password.data)
            except InvalidInput as wrong:
                show_field_errors(form, wrong.field_errors)
                status = 400  # counted by the rate limit (see limit_password_reset)
            else:
                session.pop(ACCOUNT_KEY, None)
                flash(str(DONE), "success")
                return redirect(self.appbuilder.get_url_for_login)
        page = self.render_template("security/password_reset.html", form=form,
                                    title=_l("Set a new password"))
        return page, status


def limit_password_reset(appbuilder, view):
    """Per client address: every request for a code counts; on the code page only wrong
    codes do, so a user who mistypes the new password is not blocked."""
    config = current_app.config
    limit_shared(appbuilder, view.blueprint, "password_reset_request",
                 config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"],
                 exempt_when=only_endpoint("ask"))
    limit_shared(appbuilder, view.blueprint, "password_reset_code",
                 config["PASSWORD_RESET_CODE_RATE_LIMIT"], methods=["POST"],
                 exempt_when=only_endpoint("reset"),
                 deduct_when=lambda response: response.status_code == 400)
