"""The configured permit types the product ships as examples (one YAML file each):
starting points an office edits, loaded by `flask siap seed-catalogue`.

Each file holds the permit type, the demo officers of the roles its process names (for
`seed-demo`), and the process specification itself (app/workflow/configured.py):

    permit_type: {code: SIP-NAKES, name: …, category: …, service_days: 10}
    demo_users:
      - {username: dinkes, role: Dinas Kesehatan, name: …, whatsapp: "+62812…"}
    process: {code: sip_nakes, name: …, form: […], requirements: […], steps: […]}
"""

from pathlib import Path

import yaml
from sqlalchemy import select

from app.extensions import db
from models import PermitCategory, PermitType, Process

FOLDER = Path(__file__).parent


def seeded():
    """The parsed seed files, in name order."""
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted(FOLDER.glob("*.yaml"))]


def demo_users():
    """username → (role, name, NIK, WhatsApp) of every seeded process's demo officers."""
    return {user["username"]: (user["role"], user["name"], None, user["whatsapp"])
            for seed in seeded() for user in seed.get("demo_users", ())}


def ensure_processes(actor=None):
    """Import and publish each seeded process that is missing, with its permit type (in
    its category, made if missing). Returns how many were added; never touches a process
    an office already has."""
    from app.services import processes

    added = 0
    for seed in seeded():
        spec = seed["process"]
        if db.session.scalar(select(Process.id).where(Process.code == spec["code"])):
            continue
        process = processes.import_process(processes.to_yaml(spec), actor,
                                           publish_now=False)
        _ensure_permit_type(seed["permit_type"], spec["code"])
        processes.publish(process, actor, note="Contoh bawaan SIAP n LOSS")
        added += 1
    return added


def _ensure_permit_type(fields, kind):
    if db.session.scalar(select(PermitType.id).where(PermitType.code == fields["code"])):
        return
    category = db.session.scalar(select(PermitCategory).where(
        PermitCategory.name == fields["category"]))
    if category is None:
        category = PermitCategory(name=fields["category"], position=90)
        db.session.add(category)
    db.session.add(PermitType(
        code=fields["code"], name=fields["name"], category=category, workflow_kind=kind,
        description=fields.get("description"), service_days=fields.get("service_days", 10),
        position=fields.get("position", 0)))
    db.session.commit()
