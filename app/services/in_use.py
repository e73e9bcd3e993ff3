"""What uses a catalogue row. A row that files or other catalogue rows use is never
deleted: that would take the files' documents, terms or history with it. It is
deactivated instead (new applications stop offering it, existing files keep it); the
database refuses such a delete too (foreign keys, on SQLite as on PostgreSQL)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.exc import SQLAlchemyError

from app.errors import Conflict
from app.extensions import db
from models import (
    Agency,
    Application,
    ApplicationDocument,
    ApplicationRequirement,
    Asset,
    AssetUse,
    PermitCategory,
    PermitType,
    Requirement,
    SiapUser,
)


class InUse(Conflict):
    default_message = _l("This entry is in use and cannot be deleted. Deactivate it "
                         "instead.")


def _count(statement):
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def _files_with_requirement(requirement):
    return _count(union(
        select(ApplicationRequirement.application_id)
        .where(ApplicationRequirement.requirement_id == requirement.id),
        select(ApplicationDocument.application_id)
        .where(ApplicationDocument.requirement_id == requirement.id),
    ))


def _referring(column):
    return lambda item: _count(select(column).where(column == item.id))


# model → (what uses it: (label, counter)), what to do instead of deleting.
USES = {
    Requirement: (((_l("files"), _files_with_requirement),),
                  _l("Deactivate it instead: new files no longer ask for it, and the files "
                     "that have it keep it.")),
    PermitType: (((_l("files"), _referring(Application.permit_type_id)),
                  (_l("assets"), _referring(Asset.permit_type_id))),
                 _l("Deactivate it instead: no new applications can be made for it, and "
                    "its files carry on.")),
    Agency: (((_l("asset types"), _referring(PermitType.agency_id)),
              (_l("officers"), _referring(SiapUser.agency_id))),
             _l("Deactivate it instead: it is no longer offered for asset types and "
                "officers, and those that have it keep it.")),
    Asset: (((_l("files"), _referring(AssetUse.asset_id)),),
            _l("Deactivate it instead: applicants can no longer choose it, and its files "
               "carry on.")),
    PermitCategory: (((_l("permit types"), _referring(PermitType.category_id)),),
                     _l("Move its permit types to another category first.")),
}


def uses_of(item):
    """[(label, count)] of what uses this row; empty when nothing does."""
    counters, _ = USES.get(type(item), ((), None))
    return [(label, count) for label, counter in counters if (count := counter(item))]


def refuse_delete_in_use(item):
    """Raise InUse, saying what uses the row and what to do instead, when it is used."""
    uses = uses_of(item)
    if uses:
        refused = _l("“%(name)s” cannot be deleted because it is in use (%(uses)s).",
                     name=str(item),
                     uses=", ".join(f"{label}: {count}" for label, count in uses))
        raise InUse(f"{refused} {USES[type(item)][1]}")


def delete_unused(items):
    """Delete, in one transaction, the rows nothing uses. Returns (how many were deleted,
    [why each other one was not]); if the database still refuses, nothing is deleted."""
    refusals, deleted = [], 0
    for item in items:
        try:
            refuse_delete_in_use(item)
        except InUse as refusal:
            refusals.append(str(refusal.message))
        else:
            db.session.delete(item)
            deleted += 1
    try:
        db.session.commit()
    except SQLAlchemyError:  # used in the meantime
        db.session.rollback()
        return 0, [str(InUse.default_message)]
    return deleted, refusals
