"""`flask siap prune-backups`: of a nightly backup at 02.00 WIB, the last 14 days, the
last of each of the last 8 weeks and the last of each of the last 12 months stay; the
others go. Days are the office's (WIB), and only complete backups are ever removed."""

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask

from app.backup.cli import prune_backups
from app.backup.layout import FORMAT
from app.office_time import OFFICE_TIME_ZONE

LAST = date(2026, 12, 1)  # a Tuesday


def nightly(folder, day):
    """The backup taken at 02.00 WIB on the office's `day` (19.00 UTC the day before)."""
    moment = datetime.combine(day, time(2), tzinfo=OFFICE_TIME_ZONE).astimezone(UTC)
    directory = folder / f"siap-{moment:%Y%m%dT%H%M%SZ}"
    directory.mkdir()
    (directory / "manifest.json").write_text(json.dumps(
        {"format": FORMAT, "created_at": moment.isoformat()}))
    return directory


def office_day(directory):
    manifest = json.loads((directory / "manifest.json").read_text())
    return datetime.fromisoformat(manifest["created_at"]).astimezone(OFFICE_TIME_ZONE).date()


@pytest.fixture
def folder(tmp_path):
    for n in range(400):
        nightly(tmp_path, LAST - timedelta(days=n))
    (tmp_path / "siap-20261201T030000Z").mkdir()  # a backup that never finished
    (tmp_path / "catatan.txt").write_text("salinan luar kantor: Senin")
    return tmp_path


def prune(*options):
    return Flask(__name__).test_cli_runner().invoke(prune_backups, list(options))


KEPT = (
    # the last 14 days
    [date(2026, 11, 18) + timedelta(days=n) for n in range(14)]
    # the last backup of the weeks before them (ISO weeks end on Sunday)
    + [date(2026, 11, 15), date(2026, 11, 8), date(2026, 11, 1), date(2026, 10, 25),
       date(2026, 10, 18)]
    # the last backup of the months before them
    + [date(2026, 10, 31), date(2026, 9, 30), date(2026, 8, 31), date(2026, 7, 31),
       date(2026, 6, 30), date(2026, 5, 31), date(2026, 4, 30), date(2026, 3, 31),
       date(2026, 2, 28), date(2026, 1, 31)]
)


def test_the_policy_keeps_14_days_8_weeks_and_12_months_of_nightly_backups(folder):
    result = prune("--in", str(folder))
    assert result.exit_code == 0, result.output
    kept = sorted(office_day(path) for path in folder.iterdir()
                  if (path / "manifest.json").exists())
    assert kept == sorted(KEPT)
    assert f"Backups kept: {len(KEPT)}" in result.output
    assert f"Backups removed: {400 - len(KEPT)}" in result.output


def test_what_is_not_a_complete_backup_is_left_alone(folder):
    result = prune("--in", str(folder), "--daily", "1", "--weekly", "0", "--monthly", "0")
    assert result.exit_code == 0, result.output
    left = sorted(path.name for path in folder.iterdir())
    assert left == ["catatan.txt", "siap-20261130T190000Z", "siap-20261201T030000Z"]
    assert "Left alone (not a complete backup): 2" in result.output


def test_a_dry_run_names_what_would_go_and_removes_nothing(folder):
    result = prune("--in", str(folder), "--dry-run")
    assert result.exit_code == 0, result.output
    assert len(list(folder.iterdir())) == 402
    assert f"Backups that would be removed: {400 - len(KEPT)}" in result.output
    assert "siap-20251126T190000Z" in result.output  # 2025-11-27 WIB, over a year ago
