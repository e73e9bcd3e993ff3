"""Flask-AppBuilder's security manager with this product's user model and screens."""

from flask_appbuilder.security.sqla.manager import SecurityManager

from app.security.role_view import SiapRoleModelView
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
    rolemodelview = SiapRoleModelView

    def _has_view_access(self, user, permission_name, view_name):
        """FAB asks the database once per check (a page's menu makes dozens); the user's
        permissions are read once per request instead (app.workflow.access)."""
        if self.builtin_roles:
            return super()._has_view_access(user, permission_name, view_name)
        from app.workflow.access import user_permissions

        return (permission_name, view_name) in user_permissions(user)
