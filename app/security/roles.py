"""The roles of DESIGN.md section 2 and their default permissions, as data.

Roles live in the database so an admin can change them in the Security screens;
`flask siap seed-roles` (app/security/permission_sync.py) only adds what is missing and
never takes away an admin's grants.

Separation of duties: the Admin role configures (users, roles, catalogue, templates)
and holds no workflow action by default — officers decide. Flask-AppBuilder gives Admin
every screen's permissions; the workflows' permissions are not screens and are granted
only to the roles of their default holders."""

ADMIN = "Admin"  # AUTH_ROLE_ADMIN
PUBLIC = "Public"
PEMOHON = "Pemohon"
FRONT_OFFICE = "Front Office"
PEMERIKSA = "Pemeriksa"
DPUPR = "DPUPR"
ATR_BPN = "ATR BPN"
PENGELOLA_ASET = "Pengelola Aset"
BACK_OFFICE = "Back Office"
KEPALA_DINAS = "Kepala Dinas"
# Initials the decree before the signature when a permit type asks for them (paraf
# koordinasi); sees every submitted file like the back office.
KEPALA_BIDANG_PERIZINAN = "Kepala Bidang Perizinan"

STAFF_ROLES = (FRONT_OFFICE, PEMERIKSA, DPUPR, ATR_BPN, PENGELOLA_ASET, BACK_OFFICE,
               KEPALA_BIDANG_PERIZINAN, KEPALA_DINAS)
WORK_ROLES = (PEMOHON, *STAFF_ROLES)

# The view-menu names of the workflows' permissions: "Workflow pkkpr_nb", …
WORKFLOW_VIEW_PREFIX = "Workflow "

# Every signed-in user may see and edit their own profile and change their password.
SELF_SERVICE = (
    ("can_userinfo", "UserDBModelView"),
    ("userinfoedit", "UserDBModelView"),
    ("resetmypassword", "UserDBModelView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
)

# role → (permission, view) pairs granted by default. Later modules add their own
# grants with `extend_default_grants`.
DEFAULT_GRANTS = {role: list(SELF_SERVICE) for role in WORK_ROLES}


def kind_menus(kind):
    """The menu entries of a permit kind's group: (the group, its inbox, its file list).
    Each is a `menu_access` permission; the built-in kinds' are default grants, a
    configured process's are granted when it is published."""
    return f"Files {kind}", f"Inbox {kind}", f"All files {kind}"


# The permission names of the lists every configured process's menu group opens (one
# pair of screens for all of them: views/lists.py).
PROCESS_INBOX_VIEW = "ProcessInboxView"
PROCESS_FILES_VIEW = "ProcessFilesView"


def kind_list_grants(kind):
    """(permission, view) of a configured process's menu group and the lists it opens."""
    return [("can_list", PROCESS_INBOX_VIEW), ("can_list", PROCESS_FILES_VIEW),
            *(("menu_access", name) for name in kind_menus(kind))]


def is_staff(user):
    """An officer: holds a role other than an applicant's (an admin's own roles count)."""
    return any(role.name not in (PEMOHON, PUBLIC) for role in user.roles)


def extend_default_grants(grants):
    """Add `{role: [(permission, view), ...]}` to the defaults (used by each module)."""
    for role, pairs in grants.items():
        for pair in pairs:
            if pair not in DEFAULT_GRANTS.setdefault(role, []):
                DEFAULT_GRANTS[role].append(pair)


def staff_baseline():
    """The grants every officer's role has (screens, the API, the profile), workflows
    aside: what a role made for a configured process's step starts with."""
    common = set.intersection(*(set(DEFAULT_GRANTS.get(role, ())) for role in STAFF_ROLES))
    return sorted(pair for pair in common if not is_workflow_permission(pair[1]))


def is_workflow_permission(view_name):
    return view_name.startswith(WORKFLOW_VIEW_PREFIX)
