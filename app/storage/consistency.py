"""The stored files against the rows that name them (`flask siap storage check`), in a
local folder or a bucket alike.

Files are written before their transaction commits (app/storage/files.py store_bytes) and
removed again when it rolls back. A process killed in between leaves a stored file no
committed row names, and in a local folder possibly a .part file (a write not yet renamed
into place; an object store writes each object whole). Both are removed once they are
old enough that no upload in progress can still own them; a row whose file is missing is
reported (it cannot be served)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_appbuilder import Model
from sqlalchemy import select

from app.extensions import db
from app.storage.backends import STORED_NAME, TEMPORARY_NAME
from app.storage.files import storage
from models.application import StoredFileMixin

# An upload writes its .part file and renames it within seconds.
TEMPORARY_AGE = timedelta(hours=1)
# A stored file waits for its transaction's commit; a day is far beyond any of them.
ORPHAN_AGE = timedelta(days=1)


@dataclass(frozen=True)
class MissingFile:
    table: str
    row_id: int
    stored_name: str


@dataclass
class StorageReport:
    storage: str  # the folder or bucket checked
    referenced: dict = field(default_factory=dict)  # table → number of files named
    temporary: list = field(default_factory=list)  # old .part files: removed
    orphans: list = field(default_factory=list)  # old unreferenced stored files: removed
    recent: list = field(default_factory=list)  # young temporary or unreferenced: kept
    foreign: list = field(default_factory=list)  # not named like the app's files: kept
    missing: list = field(default_factory=list)  # rows whose file is not stored

    @property
    def removable(self):
        return self.temporary + self.orphans


def stored_file_models():
    """Every mapped class with the columns of a stored file, found in the models."""
    return sorted((mapper.class_ for mapper in Model.registry.mappers
                   if issubclass(mapper.class_, StoredFileMixin)),
                  key=lambda model: model.__tablename__)


def scan(now=None):
    """What is stored and in the database now; changes nothing."""
    now = now or datetime.now(UTC)
    backend = storage()
    report = StorageReport(storage=str(backend))
    # Files first, rows second: a file written meanwhile is not looked at, and one
    # whose row commits meanwhile is young, so kept.
    listed = list(backend.iter_objects())
    present = {stored.name for stored in listed}
    named = set()
    for model in stored_file_models():
        rows = db.session.execute(
            select(model.id, model.stored_name).where(model.stored_name.is_not(None))).all()
        report.referenced[model.__tablename__] = len(rows)
        for row_id, stored_name in rows:
            named.add(stored_name)
            if stored_name not in present and not _exists(backend, stored_name):
                report.missing.append(MissingFile(model.__tablename__, row_id, stored_name))
    temporary_files = backend.keeps_temporary_files
    for stored in listed:
        age = now - stored.modified
        if temporary_files and TEMPORARY_NAME.fullmatch(stored.name):
            (report.temporary if age > TEMPORARY_AGE else report.recent).append(stored)
        elif not STORED_NAME.fullmatch(stored.name):
            report.foreign.append(stored)
        elif stored.name not in named:
            (report.orphans if age > ORPHAN_AGE else report.recent).append(stored)
    return report


def _exists(backend, stored_name):
    """Written after the listing (its row committed since), or not there at all."""
    try:
        return backend.exists(stored_name)
    except ValueError:  # a name the app would never write: nothing can be served
        return False


def remove(report):
    """Remove the old temporary and unreferenced files of a report; the number asked to
    be removed (one removed meanwhile by someone else counts too)."""
    backend = storage()
    if report.temporary:
        backend.delete_temporary([stored.name for stored in report.temporary])
    if report.orphans:
        backend.delete([stored.name for stored in report.orphans])
    return len(report.removable)
