"""The files in UPLOAD_FOLDER against the rows that name them (`flask siap storage
check`).

Files are written before their transaction commits (app/storage/files.py store_bytes:
a .part file renamed into place) and removed again when it rolls back. A process killed
in between leaves a .part file, or a stored file no committed row names. Both are
removed once they are old enough that no upload in progress can still own them; a row
whose file is missing is reported (it cannot be served)."""

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_appbuilder import Model
from sqlalchemy import select

from app.extensions import db
from app.storage.files import path_of, upload_root
from models.application import StoredFileMixin

STORED_NAME = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg)")
# An upload writes its .part file and renames it within seconds.
TEMPORARY_AGE = timedelta(hours=1)
# A stored file waits for its transaction's commit; a day is far beyond any of them.
ORPHAN_AGE = timedelta(days=1)


@dataclass(frozen=True)
class DiskFile:
    name: str  # relative to the upload folder, with "/"
    path: Path
    size: int
    modified: datetime


@dataclass(frozen=True)
class MissingFile:
    table: str
    row_id: int
    stored_name: str


@dataclass
class StorageReport:
    root: Path
    referenced: dict = field(default_factory=dict)  # table → number of files named
    temporary: list = field(default_factory=list)  # old .part files: removed
    orphans: list = field(default_factory=list)  # old unreferenced stored files: removed
    recent: list = field(default_factory=list)  # young temporary or unreferenced: kept
    foreign: list = field(default_factory=list)  # not named like the app's files: kept
    missing: list = field(default_factory=list)  # rows whose file is not on disk

    @property
    def removable(self):
        return self.temporary + self.orphans


def stored_file_models():
    """Every mapped class with the columns of a stored file, found in the models."""
    return sorted((mapper.class_ for mapper in Model.registry.mappers
                   if issubclass(mapper.class_, StoredFileMixin)),
                  key=lambda model: model.__tablename__)


def _files_on_disk(root):
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            yield DiskFile(path.relative_to(root).as_posix(), path, stat.st_size,
                           datetime.fromtimestamp(stat.st_mtime, UTC))


def scan(now=None):
    """What is on disk and in the database now; changes nothing."""
    now = now or datetime.now(UTC)
    root = upload_root()
    report = StorageReport(root=root)
    # Files first, rows second: a file written meanwhile is not looked at, and one
    # whose row commits meanwhile is young, so kept.
    files = list(_files_on_disk(root))
    named = set()
    for model in stored_file_models():
        rows = db.session.execute(
            select(model.id, model.stored_name).where(model.stored_name.is_not(None))).all()
        report.referenced[model.__tablename__] = len(rows)
        for row_id, stored_name in rows:
            named.add(stored_name)
            if not _exists(stored_name):
                report.missing.append(MissingFile(model.__tablename__, row_id, stored_name))
    for disk_file in files:
        age = now - disk_file.modified
        if disk_file.name.endswith(".part"):
            (report.temporary if age > TEMPORARY_AGE else report.recent).append(disk_file)
        elif not STORED_NAME.fullmatch(disk_file.name):
            report.foreign.append(disk_file)
        elif disk_file.name not in named:
            (report.orphans if age > ORPHAN_AGE else report.recent).append(disk_file)
    return report


def _exists(stored_name):
    try:
        return path_of(stored_name).is_file()
    except ValueError:  # a name the app would never write: nothing can be served
        return False


def remove(report):
    """Remove the old temporary and unreferenced files of a report; the number removed."""
    removed = 0
    for disk_file in report.removable:
        try:
            os.remove(disk_file.path)
        except FileNotFoundError:
            continue
        removed += 1
    return removed
