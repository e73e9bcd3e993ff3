"""Reading the permit catalogue for display."""

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.process_cache import kept
from models import PermitCategory, PermitType


class PermitTypeOption(NamedTuple):
    """A permit type as a filter offers it (lists, statistics)."""

    id: int
    code: str
    name: str

    def __str__(self):
        return self.name


def permit_type_options():
    """Every permit type, active or not, in the catalogue's order: kept per process
    until the catalogue changes, so a list's filter does not read the table on every
    page."""
    return kept("permit_type_options", lambda reader: tuple(
        PermitTypeOption(*row) for row in reader.execute(
            select(PermitType.id, PermitType.code, PermitType.name).join(PermitCategory)
            .order_by(PermitCategory.position, PermitType.position, PermitType.name))))


def active_catalogue():
    """[(category, [active permit types])] in display order, requirements loaded
    (one query whatever the size of the catalogue)."""
    categories = db.session.scalars(
        select(PermitCategory)
        .order_by(PermitCategory.position, PermitCategory.name)
        .options(
            joinedload(PermitCategory.permit_types).joinedload(PermitType.requirements)
        )
    ).unique().all()
    grouped = []
    for category in categories:
        permit_types = [t for t in category.permit_types if t.active]
        if permit_types:
            grouped.append((category, permit_types))
    return grouped


def categories_open_to(may_apply_for_kind):
    """The active catalogue restricted to the workflow kinds the user may apply for."""
    grouped = []
    for category, permit_types in active_catalogue():
        open_types = [t for t in permit_types if may_apply_for_kind(t.workflow_kind)]
        if open_types:
            grouped.append((category, open_types))
    return grouped
