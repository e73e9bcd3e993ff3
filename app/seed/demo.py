"""Demo accounts: one user per role, for `make run` and for trying the product."""

import secrets

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.security import roles
from app.security.private_files import write_private_file
from app.services.processes import new_staff_role
from models import Agency, SiapUser

# username → (role, full name, NIK, WhatsApp)
DEMO_USERS = {
    "admin": (roles.ADMIN, "Admin Sistem", None, "+6281200000001"),
    "pemohon": (roles.PEMOHON, "Budi Santoso", "3505011204850001", "+6281234567890"),
    "frontoffice": (roles.FRONT_OFFICE, "Sari Front Office", None, "+6281200000002"),
    "pemeriksa": (roles.PEMERIKSA, "Agus Pemeriksa", None, "+6281200000003"),
    "dpupr": (roles.DPUPR, "Dewi DPUPR", None, "+6281200000004"),
    "atrbpn": (roles.ATR_BPN, "Rudi ATR BPN", None, "+6281200000005"),
    "pengelolaaset": (roles.PENGELOLA_ASET, "Wati Pengelola Aset", None, "+6281200000006"),
    "backoffice": (roles.BACK_OFFICE, "Joko Back Office", None, "+6281200000007"),
    "kabidperizinan": (roles.KEPALA_BIDANG_PERIZINAN, "Hendra Kabid Perizinan", None,
                       "+6281200000009"),
    "kepaladinas": (roles.KEPALA_DINAS, "Kepala DPMPTSP", "3505010101700003", "+6281200000008"),
}
# username → (NIP, pangkat/golongan) printed under the signature. The NIP agrees with the
# NIK: born on 1 January 1970, appointed in March 1995, a man, serial 003.
DEMO_SIGNERS = {"kepaladinas": ("197001011995031003", "IV/c")}


def demo_password(instance_path):
    """DEMO_PASSWORD when set; otherwise a password generated once and kept under
    instance/ so that it stays the same across runs."""
    configured = current_app.config.get("DEMO_PASSWORD")
    if configured:
        return configured
    path = instance_path / "demo_password.txt"
    if not path.exists():
        write_private_file(path, f"Demo{secrets.randbelow(10**4):04d}{secrets.token_urlsafe(6)}")
    return path.read_text().strip()


def ensure_user(username, role_name, full_name, nik, whatsapp, password):
    """(user, created): the user, made with this role if missing (the role too)."""
    user = db.session.scalar(select(SiapUser).where(SiapUser.username == username))
    if user is not None:
        return user, False
    sm = current_app.appbuilder.sm
    first_name, _, last_name = full_name.partition(" ")
    user = SiapUser(
        username=username, first_name=first_name, last_name=last_name,
        email=f"{username}@demo.siapnloss.blitarkab.go.id", nik=nik, whatsapp=whatsapp,
        active=True, roles=[sm.find_role(role_name) or new_staff_role(role_name)],
        password=generate_password_hash(password),
    )
    db.session.add(user)
    return user, True


def process_demo_users():
    """username → (role, name, NIK, WhatsApp) of the officers the seeded configured
    processes name (app/seed/processes/)."""
    from app.seed.processes import demo_users

    return demo_users()


def ensure_demo_users(password):
    """Create the demo users that are missing. An explicit DEMO_PASSWORD is also
    applied to existing demo users, so the printed password always works."""
    reset_existing = bool(current_app.config.get("DEMO_PASSWORD"))
    created = 0
    for username, (role_name, full_name, nik, whatsapp) in {
            **DEMO_USERS, **process_demo_users()}.items():
        user, new = ensure_user(username, role_name, full_name, nik, whatsapp, password)
        created += new
        if not new and reset_existing:
            user.password = generate_password_hash(password)
        if username in DEMO_SIGNERS and user.nip is None:
            user.nip, user.pangkat_golongan = DEMO_SIGNERS[username]
    agency = db.session.scalar(select(Agency).where(Agency.code == "BPKAD"))
    manager = db.session.scalar(select(SiapUser).where(SiapUser.username == "pengelolaaset"))
    if agency is not None and manager is not None and manager.agency_id is None:
        manager.agency = agency
    db.session.commit()
    return created
