"""`flask siap backup`, `flask siap restore`, `flask siap prune-backups`."""

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from app.backup.create import directory_for, make_backup
from app.backup.layout import BackupError
from app.backup.restore import restore_backup
from app.backup.retention import latest_backup, prune

DIRECTORY = click.Path(file_okay=False, writable=True)


def _megabytes(size):
    return f"{size / 1024 / 1024:,.1f} MB"


@click.command("backup")
@with_appcontext
@click.option("--to", "target", type=DIRECTORY, help="A new (or empty) directory.")
@click.option("--into", "parent", type=DIRECTORY,
              help="A folder of backups: writes a new siap-<UTC time> directory in it, "
                   "linking the files the latest backup there already holds.")
def backup(target, parent):
    """Back up the database (pg_dump) and the stored files into one directory."""
    if (target is None) == (parent is None):
        raise click.UsageError("Give either --to DIRECTORY or --into FOLDER.")
    try:
        if target is None:
            target = directory_for(parent, datetime.now(UTC))
            report = make_backup(target, previous=latest_backup(parent))
        else:
            report = make_backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    manifest = report.manifest
    counts = manifest["counts"]
    storage = manifest["storage"]
    click.echo(f"Backup written to {report.directory}")
    click.echo(f"  database: {_megabytes(manifest['database']['size'])}, "
               f"{sum(counts['tables'].values()):,} rows in {len(counts['tables'])} tables, "
               f"schema {manifest['app_version']}")
    click.echo(f"  stored files: {counts['files']:,} ({_megabytes(counts['bytes'])}), "
               + ("copied" if storage["copied"] else
                  "listed with their checksums (object storage keeps the objects)")
               + f"; {counts['files_named_by_rows']:,} named by the database"
               + (f"; {storage['linked']:,} linked to the previous backup"
                  if storage["linked"] else ""))
    if report.problems:
        click.echo(f"Problems ({len(report.problems)}); restore these files from an "
                   "earlier backup:", err=True)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)


@click.command("restore")
@with_appcontext
@click.option("--from", "source", required=True,
              type=click.Path(exists=True, file_okay=False),
              help="A backup directory written by `flask siap backup`.")
def restore(source):
    """Restore a backup into an EMPTY database and EMPTY storage (the configured
    DATABASE_URL and UPLOAD_FOLDER)."""
    try:
        report = restore_backup(source)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    manifest = report.manifest
    tables = manifest["counts"]["tables"]
    click.echo(f"Restored the backup of {manifest['created_at']} from {source}")
    click.echo(f"  database: {sum(tables.values()):,} rows in {len(tables)} tables, "
               f"schema {manifest['app_version']}")
    verb = "copied back" if manifest["storage"]["copied"] else "present in the bucket"
    click.echo(f"  stored files: {report.files:,} ({_megabytes(report.bytes)}) {verb}, "
               "checksums verified")
    for note in report.notes:
        click.echo(note)
    if report.problems:
        click.echo(f"The restored data differs from the backup ({len(report.problems)}):",
                   err=True)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)


@click.command("prune-backups")
@with_appcontext
@click.option("--in", "parent", required=True, type=click.Path(exists=True, file_okay=False),
              help="The folder `flask siap backup --into` writes to.")
@click.option("--daily", default=14, show_default=True, help="Days with a backup kept.")
@click.option("--weekly", default=8, show_default=True, help="Weeks with a backup kept.")
@click.option("--monthly", default=12, show_default=True, help="Months with a backup kept.")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
def prune_backups(parent, daily, weekly, monthly, dry_run):
    """Remove the backups the retention policy no longer keeps."""
    kept, removed, others = prune(parent, daily, weekly, monthly, dry_run=dry_run)
    click.echo(f"Backups kept: {len(kept)}")
    click.echo(f"Backups {'that would be ' if dry_run else ''}removed: {len(removed)}")
    for backup in removed:
        click.echo(f"  {backup.path.name}")
    if others:
        click.echo(f"Left alone (not a complete backup): {len(others)}")
        for path in others:
            click.echo(f"  {path.name}")
