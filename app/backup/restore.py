"""`flask siap restore`: a backup into an empty database and empty storage.

Everything that can be checked before writing is checked first: the target database has
no tables, the upload folder no stored files, and every checksum of the backup holds (the
dump, the file list, each copied file; or, from object storage, each object still in the
bucket). Only then does pg_restore run, in one transaction, and the files go back under
their stored names. Last, the restored database is compared with the manifest: the rows
of every table, and a stored file for every row naming one."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from app.backup import postgres
from app.backup.create import named_files
from app.backup.layout import (
    DUMP,
    FILE_LIST,
    FILES,
    BackupError,
    hash_stream,
    listed_files,
    read_manifest,
    sha256_of,
)
from app.extensions import db
from app.storage.backends import checked
from app.storage.files import (
    is_object_storage,
    iter_stored,
    open_stored,
    storage,
    stored_exists,
)

SHOWN_PROBLEMS = 20


@dataclass
class RestoreReport:
    manifest: dict
    files: int = 0
    bytes: int = 0
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def _listing(problems):
    shown = [f"  {problem}" for problem in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"  … and {len(problems) - SHOWN_PROBLEMS} more")
    return "\n".join(shown)


def restore_backup(directory):
    directory = Path(directory)
    manifest = read_manifest(directory)
    database = postgres.database_of(current_app.config["SQLALCHEMY_DATABASE_URI"])
    report = RestoreReport(manifest)
    report.notes += _revision_notes(manifest["app_version"])
    _check_storage_kind(manifest)
    _check_empty(database)
    problems = _verify(directory, manifest)
    if problems:
        raise BackupError("The backup is damaged; nothing was restored. Checksums that do "
                          f"not hold ({len(problems)}):\n{_listing(problems)}")
    postgres.restore(database, directory / DUMP)
    if manifest["storage"]["copied"]:
        report.problems += _copy_files(directory, report)
    else:
        report.files = manifest["counts"]["files"]
        report.bytes = manifest["counts"]["bytes"]
    report.problems += _compare(manifest)
    return report


def _revision_notes(revision):
    config = Config()
    config.set_main_option("script_location", current_app.extensions["migrate"].directory)
    script = ScriptDirectory.from_config(config)
    try:
        script.get_revision(revision)
    except CommandError:
        raise BackupError(f"The backup's schema is at revision {revision}, which this "
                          "version of the app does not know: restore it with the version "
                          "that made it, or a newer one.") from None
    head = script.get_current_head()
    if revision != head:
        return [f"The schema is at revision {revision}; run `flask db upgrade` to bring it "
                f"to {head}."]
    return []


def _check_storage_kind(manifest):
    if manifest["storage"]["copied"] and is_object_storage():
        raise BackupError("This backup holds copies of the files of an upload folder: "
                          "restore it with the upload folder configured, then move the "
                          "files into the bucket with `flask siap storage migrate`.")
    if not manifest["storage"]["copied"] and not is_object_storage():
        raise BackupError("This backup holds no files: they stayed in the object storage "
                          "it was made from. Restore it with that storage configured.")


def _check_empty(database):
    try:
        with db.engine.connect() as connection:
            relations = postgres.user_relations(connection)
    except SQLAlchemyError as error:
        raise BackupError(database.hide(
            f"The database {database.shown} cannot be reached: {error.orig or error}")
        ) from None
    if relations:
        raise BackupError(
            f"The database {database.shown} is not empty ({relations} tables, indexes and "
            "sequences). Restore only into an empty database: create one with "
            "`createdb -O OWNER NAME` and point DATABASE_URL at it.")
    if not is_object_storage() and next(iter_stored(), None) is not None:
        raise BackupError(
            f"The upload folder {current_app.config['UPLOAD_FOLDER']} already holds stored "
            "files. Restore only into an empty folder: point UPLOAD_FOLDER at a new one.")


def _verify(directory, manifest):
    """Every checksum of the backup, before anything is written; the problems found."""
    problems = []
    if sha256_of(directory / DUMP) != manifest["database"]["sha256"]:
        problems.append(f"{DUMP}: its SHA-256 differs from the manifest's")
    if sha256_of(directory / FILE_LIST) != manifest["storage"]["list_sha256"]:
        return [*problems, f"{FILE_LIST}: its SHA-256 differs from the manifest's"]
    for entry in listed_files(directory):
        name = entry["name"]
        try:
            checked(name)
        except ValueError:
            problems.append(f"{name!r}: not a stored file's name")
            continue
        found = _hash_backup_copy(directory, name) if manifest["storage"]["copied"] \
            else _hash_stored(name)
        if found is None:
            problems.append(f"{name}: missing")
        elif found != (entry["size"], entry["sha256"]):
            problems.append(f"{name}: its SHA-256 differs from the manifest's")
    return problems


def _hash_backup_copy(directory, name):
    try:
        with open(directory / FILES / name, "rb") as copy:
            return hash_stream(copy)
    except FileNotFoundError:
        return None


def _hash_stored(name):
    if not stored_exists(name):
        return None
    with open_stored(name) as stored:
        return hash_stream(stored)


def _copy_files(directory, report):
    """Each copied file back under its stored name (a .part file renamed into place,
    as the app writes them), hashed again on the way."""
    problems = []
    for entry in listed_files(directory):
        target = storage().path_of(entry["name"])  # only on a local folder
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".part")
        with open(directory / FILES / entry["name"], "rb") as source, \
                open(temporary, "wb") as copy:
            size, sha256 = hash_stream(source, into=copy)
        if sha256 != entry["sha256"]:
            temporary.unlink()
            problems.append(f"{entry['name']}: changed in the backup while restoring")
            continue
        os.replace(temporary, target)
        report.files += 1
        report.bytes += size
    return problems


def _compare(manifest):
    """The restored database against the manifest: rows per table, and a stored file
    for every row naming one."""
    problems = []
    with db.engine.connect() as connection:
        tables = postgres.table_counts(connection)
        named = named_files(connection)
    for table, rows in sorted(manifest["counts"]["tables"].items()):
        if tables.get(table) != rows:
            problems.append(f"table {table}: {tables.get(table)} rows, the backup had {rows}")
    problems += [entry.describe(name) + " has no stored file"
                 for name, entry in sorted(named.items()) if not stored_exists(name)]
    return problems
