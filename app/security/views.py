"""Account screens: sign-in, self-registration as Pemohon, the profile and password
forms, and the admin's user screens with NIK, WhatsApp number, the signer's NIP and rank,
and their sessions."""

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.security.decorators import has_access, no_cache
from flask_appbuilder.security.registerviews import BaseRegisterUser
from flask_appbuilder.security.views import (
    AuthDBView,
    ResetMyPasswordView,
    UserDBModelView,
    UserInfoEditView,
)
from flask_appbuilder.utils.base import get_safe_redirect
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from app import audit
from app.errors import InvalidInput, TooManyAttempts
from app.extensions import db
from app.forms import ChoiceColumns
from app.security import sessions
from app.security.forms import (
    ChangePasswordForm,
    ProfileForm,
    RegistrationForm,
    StaffProfileForm,
    queue_messages_field,
)
from app.security.identity import NikValidator, NipValidator, WhatsAppValidator
from app.security.roles import is_staff
from app.services.accounts import (
    DUPLICATE_MESSAGES,
    Registration,
    find_duplicates,
    register_applicant,
)
from models.user import FIRST_CHANNEL, PANGKAT_GOLONGAN, QUEUE_MESSAGES


def show_field_errors(form, field_errors):
    for field_name, message in field_errors.items():
        getattr(form, field_name).errors = [*getattr(form, field_name).errors, message]


class ApplicantRegistrationView(BaseRegisterUser):
    """Registration without e-mail activation or reCAPTCHA: the account is active at
    once with the Pemohon role, and the new applicant is signed in."""

    form = RegistrationForm
    form_template = "security/register.html"
    form_title = _l("Register as an applicant")
    message = _l("Welcome! Your account is ready; you can now submit applications.")

    def form_get(self, form):
        pass

    def form_post(self, form):
        registration = Registration(
            **{name: getattr(form, name).data for name in Registration.__dataclass_fields__}
        )
        try:
            user = register_applicant(registration)
        except InvalidInput as error:
            show_field_errors(form, error.field_errors)
            return self.render_template(
                self.form_template,
                title=self.form_title,
                widgets=self._get_edit_widget(form=form),
                appbuilder=self.appbuilder,
            )
        login_user(user)
        flash(str(self.message), "success")
        return redirect(url_for(f"{self.appbuilder.indexview.__name__}.index"))


class SiapAuthDBView(AuthDBView):
    """Flask-AppBuilder's sign-in page, telling a locked account how long to wait, with
    a link for a forgotten password (views/password_reset.py)."""

    login_template = "security/login_db.html"

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self):
        try:
            return super().login()
        except TooManyAttempts as locked:
            flash(str(locked.message), "danger")
            next_url = get_safe_redirect(request.args.get("next", ""))
            return redirect(self.appbuilder.get_url_for_login_with(next_url))


class ChangeMyPasswordView(ResetMyPasswordView):
    """Changing one's own password asks for the current one; the change ends every
    other session and token of the account (SecurityManager.reset_password)."""

    class_permission_name = "ResetMyPasswordView"
    form = ChangePasswordForm
    form_title = _l("Change my password")
    message = _l("Your password is changed. Your other sessions have been signed out.")

    def _show_form(self, form):
        return self.render_template(self.form_template, title=self.form_title,
                                    widgets=self._get_edit_widget(form=form),
                                    appbuilder=self.appbuilder)

    def form_post(self, form):
        sm = self.appbuilder.sm
        user = sm.get_user_by_id(g.user.id)
        try:
            if not sm.password_confirms(user, form.current_password.data):
                show_field_errors(form, {"current_password":
                                         _l("The current password is wrong.")})
                return self._show_form(form)
        except TooManyAttempts as locked:
            flash(str(locked.message), "danger")
            return self._show_form(form)
        sm.reset_password(user.id, form.password.data)
        flash(str(self.message), "info")
        return None


class ProfileEditView(UserInfoEditView):
    """One's own profile. Officers also keep their NIP and rank here (the decree prints
    them under the signature); applicants are not asked for them."""

    route_base = "/profil"
    class_permission_name = "UserInfoEditView"
    form = ProfileForm
    form_title = _l("Edit my profile")
    message = _l("Your profile has been saved.")

    def _form_of_the_user(self):
        return (StaffProfileForm if is_staff(g.user) else ProfileForm).refresh()

    def _get_edit_widget(self, form=None, exclude_cols=None, widgets=None):
        """The fields of the form shown (FAB keeps the first form's fields per view)."""
        widgets = widgets or {}
        widgets["edit"] = self.edit_widget(route_base=self.route_base, form=form,
                                           include_cols=[field.name for field in form],
                                           exclude_cols=exclude_cols or [])
        return widgets

    def _show_form(self, form):
        return self.render_template(self.form_template, title=self.form_title,
                                    widgets=self._get_edit_widget(form=form),
                                    appbuilder=self.appbuilder)

    @expose("/form", methods=["GET"])
    @has_access
    def this_form_get(self):
        self._init_vars()
        form = self._form_of_the_user()
        self.form_get(form)
        self.update_redirect()
        return self._show_form(form)

    @expose("/form", methods=["POST"])
    @has_access
    def this_form_post(self):
        self._init_vars()
        form = self._form_of_the_user()
        if not form.validate_on_submit():
            return self._show_form(form)
        return self.form_post(form) or redirect(self.get_redirect())

    def form_post(self, form):
        user = self.appbuilder.sm.get_user_by_id(g.user.id)
        nip = form.nip.data if "nip" in form else None
        duplicates = find_duplicates(email=form.email.data, nip=nip, exclude_user_id=user.id)
        if duplicates:
            show_field_errors(form, duplicates)
            return self._show_form(form)
        form.populate_obj(user)
        db.session.commit()
        flash(str(self.message), "info")
        return None


_ADMINS_QUEUE_MESSAGES = queue_messages_field(_l("Messages about the queue"))


class SiapUserDBModelView(ChoiceColumns, UserDBModelView):
    class_permission_name = "UserDBModelView"
    choice_columns = {"pangkat_golongan": PANGKAT_GOLONGAN, "queue_messages": QUEUE_MESSAGES,
                      "first_channel": FIRST_CHANNEL}
    unique_messages = {"nip": DUPLICATE_MESSAGES["nip"]}
    # Inactive agencies are not offered to new officers (existing ones keep theirs).
    add_form_query_rel_fields = {"agency": [["active", FilterEqual, True]]}
    label_columns = {
        **UserDBModelView.label_columns,
        "nik": _l("NIK"),
        "whatsapp": _l("WhatsApp number"),
        "agency": _l("Agency"),
        "nip": _l("NIP"),
        "pangkat_golongan": _l("Rank/grade"),
        "queue_messages": _l("Messages about the queue"),
        "first_channel": _l("Reach first by"),
    }
    description_columns = {
        "nip": _l("Officers who sign decrees: the 18 digits of the civil service number, "
                  "printed under the signature."),
        "pangkat_golongan": _l("Printed under the signer's name."),
    }
    # The choice column's field with a default: a form posted without it (a script, an
    # older page) keeps a message per file.
    add_form_extra_fields = {**UserDBModelView.add_form_extra_fields,
                             "queue_messages": _ADMINS_QUEUE_MESSAGES}
    edit_form_extra_fields = {**(UserDBModelView.edit_form_extra_fields or {}),
                              "queue_messages": _ADMINS_QUEUE_MESSAGES}
    list_columns = ["first_name", "last_name", "username", "whatsapp", "active", "roles"]
    show_fieldsets = [
        (
            _l("User info"),
            {"fields": ["username", "active", "roles", "login_count", "nik", "whatsapp",
                        "agency", "nip", "pangkat_golongan", "queue_messages",
                        "first_channel"]},
        ),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _l("Audit Info"),
            {
                "fields": ["last_login", "fail_login_count", "created_on",
                           "created_by", "changed_on", "changed_by"],
                "expanded": False,
            },
        ),
    ]
    user_show_fieldsets = [
        (_l("User info"), {"fields": ["username", "active", "roles", "login_count"]}),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email", "nik", "whatsapp"]}),
    ]
    search_columns = [*UserDBModelView.search_columns, "nik", "whatsapp", "nip"]
    add_columns = [*UserDBModelView.add_columns[:5], "nik", "whatsapp", "agency", "nip",
                   "pangkat_golongan", "queue_messages", *UserDBModelView.add_columns[5:]]
    edit_columns = [*UserDBModelView.edit_columns, "nik", "whatsapp", "agency", "nip",
                    "pangkat_golongan", "queue_messages", "first_channel"]
    validators_columns = {
        **UserDBModelView.validators_columns,
        "nik": [NikValidator()],
        "whatsapp": [WhatsAppValidator()],
        "nip": [NipValidator()],
    }

    @expose("/userinfo/")
    @has_access
    def userinfo(self):
        """One's own profile, and what the office does with one's data (UU 27/2022): the
        privacy notice, and for an applicant the page to download a copy of it all or to
        delete the account (views/privacy.py)."""
        actions = {name: self.actions.get(name) for name in ("resetmypassword", "userinfoedit")}
        item = self.datamodel.get(g.user.id, self._base_filters)
        widgets = self._get_show_widget(g.user.id, item, actions=actions,
                                        show_fieldsets=self.user_show_fieldsets)
        self.update_redirect()
        return self.render_template("security/user_info.html", title=self.user_info_title,
                                    widgets=widgets, appbuilder=self.appbuilder,
                                    applicant=not is_staff(g.user))

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        actions = {name: self.actions.get(name) for name in ("resetpasswords", "end_sessions")}
        widgets = self._get_show_widget(pk, item, actions=actions)
        self.update_redirect()
        return self.render_template(self.show_template, pk=pk, title=self.show_title,
                                    widgets=widgets, appbuilder=self.appbuilder,
                                    related_views=self._related_views)

    @action("end_sessions", _l("End all sessions"),
            _l("Sign this user out everywhere (browsers and the API)?"), "fa-right-from-bracket")
    def end_sessions(self, items):
        users = items if isinstance(items, list) else [items]
        ended = 0
        for user in users:
            audit.record(audit.SESSIONS_ENDED, object=user)  # committed with the ending
            ended += sessions.end_all_sessions(user.id, "ended_by_admin")
        flash(str(_l("%(count)d session(s) ended.", count=ended)), "info")
        return redirect(request.referrer or url_for(".list"))
