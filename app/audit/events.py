"""What the audit log records: the event codes stored in `audit_entry.event`, and the
kinds of object an entry names (`object_type`), each with the label the screens show.

A new kind of event is a new constant here with its label; `record()` accepts any code
(an unknown one is shown as the code itself)."""

from flask_babel import lazy_gettext as _l

from models.choices import Choices

# Accounts and sign-ins
LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
PASSWORD_CHANGED = "auth.password_changed"  # by the user, with the current password
PASSWORD_RESET = "auth.password_reset"  # by an admin, or with a code sent to the user
SESSIONS_ENDED = "auth.sessions_ended"  # an admin signed a user out everywhere
USER_CREATED = "user.created"
USER_UPDATED = "user.updated"  # details, activation, roles, agency
USER_DELETED = "user.deleted"
# Roles and their permissions
ROLE_CREATED = "role.created"
ROLE_UPDATED = "role.updated"  # its name, permissions granted or taken away
ROLE_DELETED = "role.deleted"
# Configuration (permit types, requirements, templates, processes, …: CONFIG_MODELS)
CONFIG_CREATED = "config.created"
CONFIG_UPDATED = "config.updated"
CONFIG_DELETED = "config.deleted"
# Files and data
FILE_DOWNLOADED = "file.downloaded"  # a file of an application, by someone not its applicant
PERMIT_REVOKED = "permit.revoked"
EXPORTED = "data.exported"  # details: {"what": …, "format": …, and what was asked for}

EVENTS = Choices({
    LOGIN: _l("Sign-in"),
    LOGIN_FAILED: _l("Failed sign-in"),
    LOGOUT: _l("Sign-out"),
    PASSWORD_CHANGED: _l("Password changed"),
    PASSWORD_RESET: _l("Password reset"),
    SESSIONS_ENDED: _l("Sessions ended"),
    USER_CREATED: _l("User created"),
    USER_UPDATED: _l("User changed"),
    USER_DELETED: _l("User deleted"),
    ROLE_CREATED: _l("Role created"),
    ROLE_UPDATED: _l("Role changed"),
    ROLE_DELETED: _l("Role deleted"),
    CONFIG_CREATED: _l("Configuration added"),
    CONFIG_UPDATED: _l("Configuration changed"),
    CONFIG_DELETED: _l("Configuration deleted"),
    FILE_DOWNLOADED: _l("Applicant's file opened by staff"),
    PERMIT_REVOKED: _l("Permit revoked"),
    EXPORTED: _l("Data exported"),
})

# The object an entry is about: a user, a role, an application, or a configuration row
# (by its table's name).
OBJECT_TYPES = Choices({
    "user": _l("User"),
    "role": _l("Role"),
    "application": _l("Application"),
    "permit_category": _l("Permit Category"),
    "permit_type": _l("Permit type"),
    "permit_requirement": _l("Requirement"),
    "agency": _l("Agency"),
    "asset": _l("Asset"),
    "document_template": _l("Document template"),
    "document_template_version": _l("Document template version"),
    "letterhead": _l("Letterhead"),
    "agency_retribution": _l("SKRD settings"),
    "process": _l("Process"),
    "process_version": _l("Process version"),
    "holiday": _l("Day off"),
    "stage_target": _l("Stage target"),
    "message_template": _l("Message template"),
    "signing_delegation": _l("Plt./Plh. appointment"),
})
