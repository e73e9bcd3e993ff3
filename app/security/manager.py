"""Flask-AppBuilder's security manager with this product's user model and screens."""

from flask_appbuilder.security.sqla.manager import SecurityManager

from app.security.views import (
    ApplicantRegistrationView,
    ProfileEditView,
    SiapUserDBModelView,
)
from models import SiapUser


class SiapSecurityManager(SecurityManager):
    user_model = SiapUser
    userdbmodelview = SiapUserDBModelView
    registeruserdbview = ApplicantRegistrationView
    userinfoeditview = ProfileEditView
