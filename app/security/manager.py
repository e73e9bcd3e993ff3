"""Flask-AppBuilder's security manager with this product's user model and screens, and
sign-ins that end (app/security/sessions.py) and lock under attack (lockout.py)."""

from flask import g, has_request_context, request, session
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_login import user_logged_in
from werkzeug.security import check_password_hash

from app import audit
from app.errors import TooManyAttempts
from app.extensions import db
from app.security import grants, lockout, sessions
from app.security.api import SESSION_CLAIM, SiapSecurityApi
from app.security.role_view import SiapRoleModelView
from app.security.views import (
    ApplicantRegistrationView,
    ChangeMyPasswordView,
    ProfileEditView,
    SiapAuthDBView,
    SiapUserDBModelView,
)
from models import SiapUser

# The browser session's key in Flask's (signed) session cookie.
SESSION_KEY = "siap_session"


class SiapSecurityManager(SecurityManager):
    user_model = SiapUser
    userdbmodelview = SiapUserDBModelView
    registeruserdbview = ApplicantRegistrationView
    userinfoeditview = ProfileEditView
    authdbview = SiapAuthDBView
    resetmypasswordview = ChangeMyPasswordView
    security_api = SiapSecurityApi
    rolemodelview = SiapRoleModelView
    userstatschartview = None  # a chart of login counts nobody in the office reads

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        user_logged_in.connect(_open_browser_session, weak=False)

    def _has_view_access(self, user, permission_name, view_name):
        """FAB asks the database once per check (a page's menu makes dozens); the user's
        permissions are read once per request instead (app.workflow.access), those a
        Plt./Plh. holds as head of office included."""
        if self.builtin_roles:
            return super()._has_view_access(user, permission_name, view_name)
        from app.workflow.access import user_permissions

        return (permission_name, view_name) in user_permissions(user)

    def is_item_public(self, permission_name, view_name):
        """From the public role's grants kept per process (FAB reads them for every
        menu entry of an anonymous page)."""
        if self.builtin_roles:
            return super().is_item_public(permission_name, view_name)
        return (permission_name, view_name) in grants.public_grants()

    def _get_user_permission_view_menus(self, user, permission_name, view_menus_name):
        """The menus a user may open (the menu, the menu API), from the same
        permissions (a Plt./Plh.'s included); the public role's for nobody signed in."""
        if self.builtin_roles:
            return super()._get_user_permission_view_menus(user, permission_name,
                                                            view_menus_name)
        if user is None or not user.is_authenticated:
            held = grants.public_grants()
        else:
            from app.workflow.access import user_permissions

            held = user_permissions(user)
        return {view for permission, view in held if permission == permission_name}

    # --- sessions that end --------------------------------------------------------------

    def load_user(self, pk):
        """The user of a browser session, while that session is live: the user, their
        roles and the session in one query."""
        key = session.get(SESSION_KEY)
        if not sessions.valid_key(key):
            return None
        user, row = grants.load_user_in_session(int(pk), sessions.key_hash(key))
        if user is None or not user.is_active or sessions.still_live(row) is None:
            return None
        return user

    def load_user_jwt(self, _jwt_header, jwt_data):
        """The user of an API token (its session is checked by `token_is_revoked`)."""
        user = grants.load_user_with_roles(int(jwt_data["sub"]))
        if user is None or not user.is_active:
            return None
        g.user = user
        return user

    def token_is_revoked(self, _jwt_header, jwt_data):
        """A token is good only while the session it was issued in is live (tokens
        without a session, issued before sessions existed, are not)."""
        return sessions.live_session(jwt_data.get(SESSION_CLAIM), int(jwt_data["sub"])) is None

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.token_in_blocklist_loader(self.token_is_revoked)
        return jwt_manager

    def on_user_logout(self, user):
        audit.record(audit.LOGOUT, object=user, actor=user, details={"via": _channel()})
        sessions.end_session(session.pop(SESSION_KEY, None))
        db.session.commit()

    def reset_password(self, userid, password, by=None):
        """Any password change (the user's own, or an admin's reset) ends every session
        and token of the account but the browser session that made the change itself,
        and lifts a lock. `by`: how a reset was allowed, for the audit log ("reset_code":
        the code sent to the user)."""
        user = self.get_user_by_id(int(userid))
        _record_password_change(user, by)  # committed with the new password
        super().reset_password(userid, password)
        lockout.unlock(user)
        self.update_user(user)
        keep = None
        if has_request_context() and getattr(g, "user", None) is not None and (
            g.user.is_authenticated and g.user.id == user.id
        ):
            keep = session.get(SESSION_KEY)
        sessions.end_all_sessions(user.id, "password_changed", keep_key=keep)

    # --- accounts under attack ----------------------------------------------------------

    def check_not_locked(self, user):
        minutes = lockout.lock_remaining(user)
        if minutes:
            raise lockout.account_locked_error(minutes)

    def password_confirms(self, user, password):
        """Whether `password` is the signed-in `user`'s own, asked again before an act
        that needs it (a password change, deleting the account). A wrong one counts like
        a wrong password at sign-in; raises TooManyAttempts while the account is locked."""
        self.check_not_locked(user)
        if check_password_hash(user.password, password or ""):
            return True
        self.update_user_auth_stat(user, False)
        self.check_not_locked(user)
        return False

    def auth_user_db(self, username, password):
        """FAB's check, refused without looking at the password while the account is
        locked; raises TooManyAttempts then (also for the failure that locks it). Every
        refusal is in the audit log with the user name tried."""
        user = self.find_user(username=username) if username else None
        if user is None and username:
            user = self.find_user(email=username)
        if user is not None:
            try:
                self.check_not_locked(user)
            except TooManyAttempts:
                _record_failed_login(username, user, "account_locked")
                raise
        authenticated = super().auth_user_db(username, password)
        if authenticated is None:
            _record_failed_login(username, user, "unknown_user" if user is None
                                 else "inactive" if not user.active else "wrong_password")
            if user is not None:
                self.check_not_locked(user)
        return authenticated

    def update_user_auth_stat(self, user, success=True):
        """A successful sign-in is recorded in the same commit as its count."""
        if success:
            audit.record(audit.LOGIN, object=user, actor=user, details={"via": _channel()})
        super().update_user_auth_stat(user, success)

    def on_user_login_failed(self, user):
        lockout.after_wrong_password(user)


def _channel():
    return "api" if has_request_context() and request.path.startswith("/api/") else "web"


def _record_failed_login(username, user, reason):
    """In a transaction of its own: nothing else of a failed sign-in may commit."""
    details = {"username": (username or "")[:128], "reason": reason, "via": _channel()}
    minutes = lockout.lock_remaining(user) if user is not None else None
    if minutes:
        details["locked_minutes"] = minutes
    audit.record_now(audit.LOGIN_FAILED, object=user, actor=None, details=details)


def _record_password_change(user, by):
    """The user's own change (with the current password), or a reset: by an admin, with
    a code sent to the user, or from the command line."""
    signed_in = audit.current_actor()
    if by is None and signed_in is not None and signed_in.id == user.id:
        audit.record(audit.PASSWORD_CHANGED, object=user)
        return
    by = by or ("admin" if signed_in is not None else "command_line")
    audit.record(audit.PASSWORD_RESET, object=user, details={"by": by})


def _open_browser_session(app, user, **extra):
    """Flask-Login signed a user in on a page (login, registration): open their session."""
    session[SESSION_KEY] = sessions.open_session(user, "web")
