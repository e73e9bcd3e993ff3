"""`flask siap storage check [--dry-run]`: the stored files against the database.
`flask siap storage migrate [--from PATH] [--dry-run]`: a local folder into the bucket."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.storage.backends import LocalFolder
from app.storage.consistency import ORPHAN_AGE, TEMPORARY_AGE, remove, scan
from app.storage.files import storage
from app.storage.migration import COPIED, PRESENT, REFUSED, REPLACED, migrate

storage_cli = AppGroup("storage", help="Stored files against the database; moving them "
                                       "into an object store.")


def _describe(stored):
    return (f"  {stored.name}  {stored.size:,} bytes, "
            f"modified {stored.modified:%Y-%m-%d %H:%M} UTC")


def _hours(age):
    return f"{age.total_seconds() / 3600:g} h"


@storage_cli.command("check")
@click.option("--dry-run", is_flag=True, help="Only report; remove nothing.")
def check(dry_run):
    """Remove temporary files older than an hour and stored files that no row names
    and are older than a day; report rows whose file is missing (exit status 1)."""
    report = scan()
    verb = "would be removed" if dry_run else "removed"
    click.echo(f"Storage: {report.storage}")
    click.echo("Files named by the database: " + ", ".join(
        f"{table} {count}" for table, count in report.referenced.items()))
    sections = [
        (f"Stored files no row names, older than {_hours(ORPHAN_AGE)}, {verb}",
         report.orphans),
        ("Recent temporary or unnamed files, kept (an upload may still own them)",
         report.recent),
        ("Files not named like the app's, left alone", report.foreign),
    ]
    if storage().keeps_temporary_files:  # an object store writes each object whole
        sections.insert(0, (f"Temporary files (.part) older than {_hours(TEMPORARY_AGE)}, "
                            f"{verb}", report.temporary))
    for title, files in sections:
        click.echo(f"{title}: {len(files)}")
        for stored in files:
            click.echo(_describe(stored))
    if not dry_run:
        remove(report)
    click.echo(f"Rows whose file is missing: {len(report.missing)}")
    for missing in report.missing:
        click.echo(f"  {missing.table} id {missing.row_id}: {missing.stored_name}")
    if report.missing:
        click.echo("Restore these files from the backup of the storage.")
        raise SystemExit(1)


OUTCOMES = {  # outcome → (in a run, in a dry run)
    COPIED: ("copied and verified", "would be copied"),
    REPLACED: ("differed in the bucket, replaced and verified",
               "differs in the bucket, would be replaced"),
    PRESENT: ("already in the bucket with the same SHA-256, skipped",
              "already in the bucket with the same SHA-256, would be skipped"),
    REFUSED: ("differs from its row's SHA-256, not copied",
              "differs from its row's SHA-256, would not be copied"),
}


@storage_cli.command("migrate")
@click.option("--from", "source_path", type=click.Path(file_okay=False, exists=True),
              help="The folder to copy (default: UPLOAD_FOLDER).")
@click.option("--dry-run", is_flag=True, help="Only report; write nothing.")
def migrate_command(source_path, dry_run):
    """Copy a local upload folder into the object store of STORAGE_URL, checking every
    file's SHA-256 against its rows and its copy; exit status 1 on any mismatch."""
    target = storage()
    if isinstance(target, LocalFolder):
        raise click.ClickException(
            "STORAGE_URL names no object store; set it to s3://bucket/prefix first.")
    source = LocalFolder(source_path or current_app.config["UPLOAD_FOLDER"])
    click.echo(f"From: {source}")
    click.echo(f"To: {target}")
    if dry_run:
        click.echo("Dry run: nothing is written.")

    def progress(number, total, stored_name, outcome):
        words = OUTCOMES.get(outcome, ("FAILED: the copy reads back differently",) * 2)
        click.echo(f"  [{number}/{total}] {stored_name}: {words[1 if dry_run else 0]}")

    report = migrate(source, target, dry_run=dry_run, progress=progress)
    click.echo("Summary:")
    for outcome, words in OUTCOMES.items():
        click.echo(f"  {words[1 if dry_run else 0]}: {report.outcomes.get(outcome, 0)}")
    click.echo(f"  not named like the app's files, left out: {len(report.left_out)}")
    for stored in report.left_out:
        click.echo(_describe(stored))
    click.echo(f"Mismatches: {len(report.problems)}")
    for problem in report.problems:
        click.echo(f"  {problem.stored_name}: {problem.reason}")
    if report.problems:
        raise SystemExit(1)
