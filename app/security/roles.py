"""The roles of DESIGN.md section 2 and their default permissions, as data.

Roles live in the database so an admin can change them in the Security screens;
`ensure_roles` only adds what is missing and never takes away an admin's grants."""

ADMIN = "Admin"
PUBLIC = "Public"
PEMOHON = "Pemohon"
FRONT_OFFICE = "Front Office"
PEMERIKSA = "Pemeriksa"
DPUPR = "DPUPR"
ATR_BPN = "ATR BPN"
PENGELOLA_ASET = "Pengelola Aset"
BACK_OFFICE = "Back Office"
KEPALA_DINAS = "Kepala Dinas"

STAFF_ROLES = (FRONT_OFFICE, PEMERIKSA, DPUPR, ATR_BPN, PENGELOLA_ASET, BACK_OFFICE, KEPALA_DINAS)
WORK_ROLES = (PEMOHON, *STAFF_ROLES)

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


def extend_default_grants(grants):
    """Add `{role: [(permission, view), ...]}` to the defaults (used by each module)."""
    for role, pairs in grants.items():
        for pair in pairs:
            if pair not in DEFAULT_GRANTS.setdefault(role, []):
                DEFAULT_GRANTS[role].append(pair)


def ensure_roles(sm):
    """Create the builtin and product roles and grant each its missing defaults.

    Returns the number of grants added. Safe to run again at every deployment."""
    admin = sm.add_role(ADMIN)
    sm.add_role(PUBLIC)
    added = 0
    for role_name, pairs in DEFAULT_GRANTS.items():
        role = sm.add_role(role_name)
        for permission_name, view_name in pairs:
            permission_view = sm.add_permission_view_menu(permission_name, view_name)
            for holder in (role, admin):
                if permission_view not in holder.permissions:
                    sm.add_permission_role(holder, permission_view)
                    added += holder is role
    return added
