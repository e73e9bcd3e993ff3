"""Copying a local upload folder into the object store (`flask siap storage migrate`).

Every file named as the app names them is read from the folder, checked against the
SHA-256 of the rows that name it, written to the bucket unless an object with the same
SHA-256 is there already, and read back and checked again. A file that differs from its
row is not copied: the folder's copy is damaged, and the backup is where to look. Run it
again after switching STORAGE_URL to the bucket: it copies what was uploaded meanwhile
and skips the rest."""

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.storage.backends import STORED_NAME
from app.storage.consistency import stored_file_models

COPIED = "copied"
REPLACED = "replaced"  # the bucket held other bytes under this name
PRESENT = "already present"
REFUSED = "refused"
FAILED = "failed"


@dataclass(frozen=True)
class Problem:
    stored_name: str
    reason: str


@dataclass
class MigrationReport:
    source: str
    target: str
    dry_run: bool
    outcomes: dict = field(default_factory=dict)  # outcome → number of files
    left_out: list = field(default_factory=list)  # names not the app's: not copied
    problems: list = field(default_factory=list)

    def count(self, outcome):
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def _sha256(content):
    return hashlib.sha256(content).hexdigest()


def expected_checksums():
    """stored name → {(table, row id, sha256)} of every row that names a file."""
    expected = {}
    for model in stored_file_models():
        rows = db.session.execute(select(model.id, model.stored_name, model.sha256)
                                  .where(model.stored_name.is_not(None)))
        for row_id, stored_name, sha256 in rows:
            expected.setdefault(stored_name, set()).add(
                (model.__tablename__, row_id, sha256))
    return expected


def _target_checksum(target, stored_name):
    try:
        return _sha256(target.read(stored_name))
    except FileNotFoundError:
        return None


def _differing_rows(rows, checksum):
    return sorted(f"{table} id {row_id}" for table, row_id, sha256 in rows
                  if sha256 and sha256 != checksum)


def migrate(source, target, dry_run=False, progress=lambda *_: None):
    """Copy `source` (a LocalFolder) into `target` (an S3Bucket); `progress(number,
    total, name, outcome)` after each file. Nothing is written in a dry run."""
    report = MigrationReport(source=str(source), target=str(target), dry_run=dry_run)
    expected = expected_checksums()
    files = []
    for stored in source.iter_objects():
        (files if STORED_NAME.fullmatch(stored.name) else report.left_out).append(stored)
    for number, stored in enumerate(files, start=1):
        outcome = _copy_one(source, target, stored.name, expected.get(stored.name, ()),
                            dry_run, report)
        report.count(outcome)
        progress(number, len(files), stored.name, outcome)
    # A row whose file the folder does not have is fine if the bucket has it.
    copied = {stored.name for stored in files}
    for stored_name, rows in sorted(expected.items()):
        if stored_name not in copied and not _in_target(target, stored_name):
            names = ", ".join(sorted(f"{table} id {row_id}" for table, row_id, _ in rows))
            report.problems.append(Problem(
                stored_name, f"named by {names}, in neither the folder nor the bucket"))
    return report


def _in_target(target, stored_name):
    try:
        return target.exists(stored_name)
    except ValueError:  # a row naming a file the app would never write
        return False


def _copy_one(source, target, stored_name, rows, dry_run, report):
    content = source.read(stored_name)
    checksum = _sha256(content)
    differing = _differing_rows(rows, checksum)
    if differing:
        report.problems.append(Problem(
            stored_name, f"the folder's file differs from the SHA-256 of "
                         f"{', '.join(differing)}; not copied"))
        return REFUSED
    present = _target_checksum(target, stored_name)
    if present == checksum:
        return PRESENT
    outcome = COPIED if present is None else REPLACED
    if dry_run:
        return outcome
    target.write(stored_name, content)
    written = _target_checksum(target, stored_name)
    if written != checksum:
        report.problems.append(Problem(
            stored_name, f"the bucket's copy reads back with SHA-256 {written}, "
                         f"not {checksum}"))
        return FAILED
    return outcome
