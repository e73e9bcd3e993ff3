"""`flask siap storage check [--dry-run]`: the upload folder against the database."""

import click
from flask.cli import AppGroup

from app.storage.consistency import ORPHAN_AGE, TEMPORARY_AGE, remove, scan

storage_cli = AppGroup("storage", help="Uploaded files on disk against the database.")


def _describe(disk_file):
    return (f"  {disk_file.name}  {disk_file.size:,} bytes, "
            f"modified {disk_file.modified:%Y-%m-%d %H:%M} UTC")


def _hours(age):
    return f"{age.total_seconds() / 3600:g} h"


@storage_cli.command("check")
@click.option("--dry-run", is_flag=True, help="Only report; remove nothing.")
def check(dry_run):
    """Remove temporary files older than an hour and stored files that no row names
    and are older than a day; report rows whose file is missing (exit status 1)."""
    report = scan()
    verb = "would be removed" if dry_run else "removed"
    click.echo(f"Upload folder: {report.root}")
    click.echo("Files named by the database: " + ", ".join(
        f"{table} {count}" for table, count in report.referenced.items()))
    sections = [
        (f"Temporary files (.part) older than {_hours(TEMPORARY_AGE)}, {verb}",
         report.temporary),
        (f"Stored files no row names, older than {_hours(ORPHAN_AGE)}, {verb}",
         report.orphans),
        ("Recent temporary or unnamed files, kept (an upload may still own them)",
         report.recent),
        ("Files not named like the app's, left alone", report.foreign),
    ]
    for title, files in sections:
        click.echo(f"{title}: {len(files)}")
        for disk_file in files:
            click.echo(_describe(disk_file))
    if not dry_run:
        remove(report)
    click.echo(f"Rows whose file is missing: {len(report.missing)}")
    for missing in report.missing:
        click.echo(f"  {missing.table} id {missing.row_id}: {missing.stored_name}")
    if report.missing:
        click.echo("Restore these files from the backup of the upload folder.")
        raise SystemExit(1)
