"""`flask siap prune-backups`: which backups under a folder to keep.

The newest backup of each of the last `daily` days, of each of the last `weekly` ISO
weeks and of each of the last `monthly` months is kept (days, weeks and months of the
office's calendar, WIB), and always the newest of all. Only complete backups (with a
readable manifest) are ever removed; anything else in the folder is left alone."""

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.backup.layout import BackupError, read_manifest
from app.office_time import OFFICE_TIME_ZONE


@dataclass(frozen=True)
class Backup:
    path: Path
    created_at: datetime  # aware


def backups_in(parent):
    """(complete backups, newest first; other entries of the folder)."""
    found, others = [], []
    for path in sorted(Path(parent).iterdir()):
        try:
            created_at = datetime.fromisoformat(read_manifest(path)["created_at"])
        except (BackupError, KeyError, TypeError, ValueError):
            others.append(path)
            continue
        found.append(Backup(path, created_at))
    return sorted(found, key=lambda backup: backup.created_at, reverse=True), others


def latest_backup(parent):
    """The newest complete backup under `parent` (None if there is none yet)."""
    if not Path(parent).is_dir():
        return None
    backups, _ = backups_in(parent)
    return backups[0].path if backups else None


def _periods(daily, weekly, monthly):
    return [
        (daily, lambda day: day),
        (weekly, lambda day: day.isocalendar()[:2]),
        (monthly, lambda day: (day.year, day.month)),
    ]


def to_keep(backups, daily, weekly, monthly):
    """The backups to keep, of `backups` newest first."""
    kept = set(backups[:1])
    for limit, period_of in _periods(daily, weekly, monthly):
        periods = []
        for backup in backups:
            period = period_of(backup.created_at.astimezone(OFFICE_TIME_ZONE).date())
            if period not in periods and len(periods) < limit:
                periods.append(period)
                kept.add(backup)
    return kept


def prune(parent, daily, weekly, monthly, dry_run=False):
    """Remove the backups under `parent` the policy does not keep; returns
    (kept, removed, others)."""
    backups, others = backups_in(parent)
    kept = to_keep(backups, daily, weekly, monthly)
    removed = [backup for backup in backups if backup not in kept]
    if not dry_run:
        for backup in removed:
            shutil.rmtree(backup.path)
    return [backup for backup in backups if backup in kept], removed, others
