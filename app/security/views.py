"""Account screens: self-registration as Pemohon, the profile form, and the admin's
user screens with NIK and WhatsApp number."""

from flask import flash, g, redirect, url_for
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.security.registerviews import BaseRegisterUser
from flask_appbuilder.security.views import UserDBModelView, UserInfoEditView
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from app.errors import InvalidInput
from app.extensions import db
from app.forms import RefinedForms
from app.security.forms import ProfileForm, RegistrationForm
from app.security.identity import NikValidator, WhatsAppValidator
from app.services.accounts import Registration, find_duplicates, register_applicant


def show_field_errors(form, field_errors):
    for field_name, message in field_errors.items():
        getattr(form, field_name).errors = [*getattr(form, field_name).errors, message]


class ApplicantRegistrationView(BaseRegisterUser):
    """Registration without e-mail activation or reCAPTCHA: the account is active at
    once with the Pemohon role, and the new applicant is signed in."""

    form = RegistrationForm
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


class ProfileEditView(UserInfoEditView):
    route_base = "/profil"
    class_permission_name = "UserInfoEditView"
    form = ProfileForm
    form_title = _l("Edit my profile")
    message = _l("Your profile has been saved.")

    def form_post(self, form):
        user = self.appbuilder.sm.get_user_by_id(g.user.id)
        duplicates = find_duplicates(email=form.email.data, exclude_user_id=user.id)
        if duplicates:
            show_field_errors(form, duplicates)
            return self.render_template(
                self.form_template,
                title=self.form_title,
                widgets=self._get_edit_widget(form=form),
                appbuilder=self.appbuilder,
            )
        form.populate_obj(user)
        db.session.commit()
        flash(str(self.message), "info")
        return None


class SiapUserDBModelView(RefinedForms, UserDBModelView):
    class_permission_name = "UserDBModelView"
    # Inactive agencies are not offered to new officers (existing ones keep theirs).
    add_form_query_rel_fields = {"agency": [["active", FilterEqual, True]]}
    label_columns = {
        **UserDBModelView.label_columns,
        "nik": _l("NIK"),
        "whatsapp": _l("WhatsApp number"),
        "agency": _l("Agency"),
    }
    list_columns = ["first_name", "last_name", "username", "whatsapp", "active", "roles"]
    show_fieldsets = [
        (
            _l("User info"),
            {"fields": ["username", "active", "roles", "login_count", "nik", "whatsapp",
                        "agency"]},
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
    search_columns = [*UserDBModelView.search_columns, "nik", "whatsapp"]
    add_columns = [*UserDBModelView.add_columns[:5], "nik", "whatsapp", "agency",
                   *UserDBModelView.add_columns[5:]]
    edit_columns = [*UserDBModelView.edit_columns, "nik", "whatsapp", "agency"]
    validators_columns = {
        **UserDBModelView.validators_columns,
        "nik": [NikValidator()],
        "whatsapp": [WhatsAppValidator()],
    }
