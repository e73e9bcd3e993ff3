"""`flask siap backup`: the database and the stored files, consistent with each other.

The dump is one snapshot (pg_dump in a transaction whose snapshot this module exported
first), and the rows naming stored files are read in that same snapshot. Only then are
the stored files listed and copied. A file is written before the row naming it commits
(app/storage/files.py), so every file the dump's rows name is already there when the
list is taken; files written after the snapshot are copied too, as harmless extras a
restore brings back unnamed (`flask siap storage check` removes them later). Each named
file is checked against its row's SHA-256; a named file that is missing or differs is a
problem the backup reports (exit status 1) while still writing everything it could.

Into a folder of backups (`--into`), a file the latest backup there already holds with
the same checksum is a hard link to that copy (`Copies`)."""

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.backup import postgres
from app.backup.layout import (
    DUMP,
    FILE_LIST,
    FILES,
    FORMAT,
    BackupError,
    hash_stream,
    listed_files,
    read_manifest,
    sha256_of,
    write_manifest,
)
from app.extensions import db
from app.storage.consistency import stored_file_models
from app.storage.files import is_object_storage, iter_stored, open_stored


@dataclass(frozen=True)
class NamedFile:
    table: str
    row_id: int
    sha256: str | None

    def describe(self, name):
        return f"{self.table} id {self.row_id}: {name}"


@dataclass
class BackupReport:
    directory: Path
    manifest: dict
    problems: list = field(default_factory=list)


def named_files(connection):
    """{stored name: NamedFile} of every row naming a stored file, as the connection
    sees them."""
    named = {}
    for model in stored_file_models():
        rows = connection.execute(select(model.id, model.stored_name, model.sha256)
                                  .where(model.stored_name.is_not(None)))
        for row_id, stored_name, sha256 in rows:
            named[stored_name] = NamedFile(model.__tablename__, row_id, sha256)
    return named


def directory_for(parent, now):
    """A new backup's directory under `parent`, named by the moment (UTC); a second
    backup within the same second gets a suffix."""
    name = f"siap-{now:%Y%m%dT%H%M%SZ}"
    candidate, n = Path(parent) / name, 1
    while candidate.exists():
        n += 1
        candidate = Path(parent) / f"{name}-{n}"
    return candidate


def _prepare(directory):
    """An absent or empty directory, made readable by its owner only: a backup holds
    every applicant's personal data."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} already exists and is not empty; choose a new "
                          "directory for each backup.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    return directory


def make_backup(directory, previous=None):
    """Write a backup into `directory` (absent or empty), linking the files an earlier
    backup `previous` holds unchanged; a failure removes what it wrote."""
    database = postgres.database_of(current_app.config["SQLALCHEMY_DATABASE_URI"])
    directory = _prepare(directory)
    try:
        return _write(directory, database, previous)
    except SQLAlchemyError as error:
        shutil.rmtree(directory, ignore_errors=True)
        raise BackupError(database.hide(
            f"The database {database.shown} cannot be read: {error.orig or error}")) from None
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _write(directory, database, previous):
    created_at = datetime.now(UTC)
    with postgres.exported_snapshot(db.engine) as (connection, snapshot):
        revision = postgres.schema_revision(connection)
        tables = postgres.table_counts(connection)
        named = named_files(connection)
        postgres.dump(database, directory / DUMP, snapshot)
    copies = not is_object_storage()
    keeper = Copies(directory, previous) if copies else Checksums()
    listed, problems = _list_files(directory, named, keeper)
    problems += [entry.describe(name) + " is missing from storage"
                 for name, entry in sorted(named.items()) if name not in listed]
    manifest = {
        "format": FORMAT,
        "created_at": created_at.isoformat(timespec="seconds"),
        "app_version": revision,  # the Alembic revision of the dumped schema
        "database": {"file": DUMP, "size": (directory / DUMP).stat().st_size,
                     "sha256": sha256_of(directory / DUMP)},
        "storage": {"kind": "folder" if copies else "object", "copied": copies,
                    "list": FILE_LIST, "list_sha256": sha256_of(directory / FILE_LIST),
                    "linked": keeper.linked},
        "counts": {"tables": tables, "files": len(listed),
                   "bytes": sum(listed.values()), "files_named_by_rows": len(named)},
        "problems": problems,
    }
    write_manifest(directory, manifest)
    return BackupReport(directory, manifest, problems)


def _list_files(directory, named, keeper):
    """Hash (and keep) every stored file present now; write the file list. Returns
    ({name: size}, problems)."""
    listed, problems = {}, []
    with open(directory / FILE_LIST, "w") as file_list:
        for name, _ in iter_stored():
            try:
                size, sha256 = keeper.take(name)
            except FileNotFoundError:  # removed since it was listed: it was no row's
                continue
            listed[name] = size
            file_list.write(json.dumps({"name": name, "size": size, "sha256": sha256}) + "\n")
            entry = named.get(name)
            if entry is not None and entry.sha256 and entry.sha256 != sha256:
                problems.append(entry.describe(name) + " differs from its row's SHA-256 "
                                "(changed or damaged in storage)")
    return listed, problems


class Checksums:
    """On object storage: each object's size and SHA-256, read from the bucket; the
    bucket keeps the objects themselves."""

    linked = 0

    def take(self, name):
        with open_stored(name) as source:
            return hash_stream(source)


class Copies:
    """A copy of each stored file under files/. A file the previous backup holds with
    the same checksum becomes a hard link to its copy there: stored files are never
    rewritten (a new upload gets a new name), so a nightly backup writes only the files
    new since the night before, and removing an old backup frees only what no other
    backup links."""

    def __init__(self, directory, previous=None):
        self.root = directory / FILES
        self.previous = previous
        self.earlier = _checksums_in(previous) if previous else {}
        self.linked = 0

    def take(self, name):
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in self.earlier:
            with open_stored(name) as source:
                found = hash_stream(source)
            if found == self.earlier[name] and self._link(name, target):
                return found
        with open_stored(name) as source, open(target, "wb") as copy:
            return hash_stream(source, into=copy)

    def _link(self, name, target):
        try:
            os.link(self.previous / FILES / name, target)
        except OSError:  # gone meanwhile, or on another file system: copied instead
            return False
        self.linked += 1
        return True


def _checksums_in(backup):
    """{name: (size, SHA-256)} of the files an earlier backup copied, when its file list
    is intact; otherwise nothing is linked to it."""
    manifest = read_manifest(backup)
    if not manifest["storage"]["copied"] or \
            sha256_of(backup / FILE_LIST) != manifest["storage"]["list_sha256"]:
        return {}
    return {entry["name"]: (entry["size"], entry["sha256"]) for entry in listed_files(backup)}
