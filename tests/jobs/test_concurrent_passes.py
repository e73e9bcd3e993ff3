"""Two passes of the scheduled jobs at the same moment, in two processes (as on two
hosts), share the PostgreSQL database: each action is taken once."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import office_time
from app.extensions import db
from tests.jobs.test_reminders import days_before, messages, waiting_for_pnbp, working_day_after

PROJECT = Path(__file__).resolve().parents[2]
PASS = """
import sys, time
from datetime import datetime
from pathlib import Path
from app import create_app
from app.jobs import run_due

url, moment, folder, name = sys.argv[1:5]
app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
with app.app_context():
    Path(folder, f"ready-{name}").touch()
    while not Path(folder, "go").exists():
        time.sleep(0.01)
    print(len(run_due(datetime.fromisoformat(moment))))
"""


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="concurrent passes need PostgreSQL (SQLite allows one writer)")
def test_two_passes_at_the_same_moment_take_each_reminder_once(app, tmp_path):

    expiry = working_day_after(office_time.today(), 10)
    files = [waiting_for_pnbp(expiry) for _ in range(6)]
    db.session.commit()
    moment = days_before(expiry, 3)
    url = db.engine.url.render_as_string(hide_password=False)
    passes = [subprocess.Popen(
        [sys.executable, "-c", PASS, url, moment.isoformat(), str(tmp_path), str(n)],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(2)]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{n}").exists() for n in range(2)):
        assert time.monotonic() < deadline, "the passes did not start"
        assert all(p.poll() is None for p in passes), passes[0].communicate()
        time.sleep(0.05)
    (tmp_path / "go").touch()
    outputs = [p.communicate(timeout=120) for p in passes]
    assert all(p.returncode == 0 for p in passes), outputs
    taken = [int(out.split()[-1]) for out, _ in outputs]
    assert sum(taken) == len(files), taken
    db.session.expire_all()
    sent = messages("pengingat_pnbp")
    assert sorted(m.application_id for m in sent) == sorted(f.id for f in files)
