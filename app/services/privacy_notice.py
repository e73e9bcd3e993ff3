"""What the public privacy notice states that the office configures: its contact (the
DPMPTSP letterhead an admin keeps up to date), how long personal documents are kept,
and which offices see a file."""

from dataclasses import dataclass

from flask import current_app

from app.workflow.document_templates import DEFAULT_LETTERHEAD, own_letterhead
from app.workflow.shared import ROLE_OFFICES


@dataclass(frozen=True)
class NoticeFacts:
    office: str
    address: str
    telephone: str | None
    email: str | None
    website: str | None
    retention_years: int
    offices: tuple  # who works on files, as the tracking page names them


def notice_facts():
    row = own_letterhead()
    values = {name: getattr(row, name) for name in DEFAULT_LETTERHEAD} if row is not None \
        else DEFAULT_LETTERHEAD
    address = ", ".join(part for part in (values["address"], values["city"]) if part)
    if values.get("postal_code"):
        address += f" {values['postal_code']}"
    return NoticeFacts(
        office=values["office"], address=address, telephone=values.get("telephone"),
        email=values.get("email"), website=values.get("website"),
        retention_years=current_app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"],
        offices=tuple(str(label) for label in ROLE_OFFICES.values()))
