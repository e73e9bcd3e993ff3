"""The dry run of a draft (uji coba): every path driven through the engine as each role
would, inside a transaction rolled back at the end, so nothing of it remains."""

from pathlib import Path

import yaml
from flask import current_app, g, render_template
from flask_appbuilder import Model
from sqlalchemy import func, select

from app.extensions import db
from app.seed.processes import seeded
from app.services import processes
from app.services.dry_run import dry_run
from app.workflow.registry import find
from models import NumberSequence, Process
from tests.processes.support import TRIAL_YAML
from tests.support import user


def counts():
    """Rows of every table, the number counters, and the files in the storage folder."""
    rows = {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Model.metadata.sorted_tables}
    counters = sorted(db.session.execute(
        select(NumberSequence.name, NumberSequence.year, NumberSequence.last_value)).all())
    root = Path(current_app.config["UPLOAD_FOLDER"])
    files = sorted(str(path) for path in root.rglob("*") if path.is_file()) \
        if root.exists() else []
    return rows, counters, files


def trial_draft(yaml_text=TRIAL_YAML):
    return processes.import_process(yaml_text, user("admin"), publish_now=False)


def test_the_trial_draft_runs_every_path_and_leaves_nothing_behind(app):
    process = trial_draft()
    before = counts()
    report = dry_run(process, user("admin"))
    db.session.rollback()
    assert counts() == before
    # Still a draft nobody else sees: not published, no workflow for its code.
    assert db.session.get(Process, process.id).draft.published_at is None
    assert find("uji_reklame") is None

    assert report.problems == [], report.problems
    main = [path for path in report.paths if path.kind == "main"]
    assert len(main) == 2
    for path in report.paths:
        assert path.ok, (path.title, path.problems,
                         [(s.action, s.problem) for s in path.steps if s.problem])
    big, small = main
    assert "cek_lapangan" in big.actions() and "cek_lapangan" not in small.actions()
    for path in main:
        assert path.final_status == "Siap tanda tangan elektronik" or \
            path.actions()[-1] == "input_nomor_sk"
        decree = path.steps[-1].documents[0]
        assert decree.pdf.startswith(b"%PDF-")
        assert decree.data_uri.startswith("data:application/pdf;base64,")
        fee = next(step for step in path.steps if step.action == "pajak")
        assert fee.notes and "Rp" in fee.notes[0]
    # Luas bidang > 10 holds in the first (12,5 m²), not in the second (10 m²); the fee
    # is Rp20.000 per m² of it.
    assert ("Luas bidang reklame", "12,5 m²") in big.data
    assert ("Luas bidang reklame", "10 m²") in small.data
    fees = [next(s for s in path.steps if s.action == "pajak").notes[0] for path in main]
    assert "250.000" in fees[0] and "200.000" in fees[1]
    # Who acts, the forms, the messages.
    terima = next(step for step in big.steps if step.action == "terima")
    assert terima.role == "Front Office" and terima.user
    teknis = next(step for step in big.steps if step.action == "teknis")
    assert teknis.role == "Dinas Uji" and "Konstruksi aman" in teknis.fields
    assert any(message.role == "Pemohon" for message in terima.messages)
    assert all(message.text for step in big.steps for message in step.messages)

    returns = next(path for path in report.paths if path.kind == "returns")
    taken = returns.actions()
    for action in ("kembalikan", "periksa_kembalikan", "teknis_kembalikan", "pajak_kembalikan",
                   "catat_kembalikan"):
        assert action in taken, taken
    assert taken.count("ubah_data") == taken.count("ajukan") - 1

    rejection = next(path for path in report.paths if path.kind == "rejection")
    assert rejection.actions()[-1] == "teknis_tolak"
    assert rejection.final_status == "Ditolak"
    letter = rejection.steps[-1].documents[0]
    assert letter.pdf.startswith(b"%PDF-")

    html = render_template("processes/_dry_run.html", report=report)
    assert "data:application/pdf;base64," in html and "Dinas Uji" in html


def test_a_draft_with_problems_reports_them_and_runs_nothing(app):
    process = trial_draft()
    broken = yaml.safe_load(TRIAL_YAML)
    broken["steps"][2]["when"] = {"field": "tidak_ada", "op": "gt", "value": 1}
    processes.save_draft(process, broken, user("admin"))
    before = counts()
    report = dry_run(process, user("admin"))
    assert counts() == before
    assert report.paths == [] and any("tidak_ada" in problem for problem in report.problems)
    assert "tidak_ada" in render_template("processes/_dry_run.html", report=report)


def test_a_seeded_process_dry_runs_without_problems(app):
    seed = next(seed for seed in seeded() if seed["process"]["code"] == "reklame")
    process = trial_draft(processes.to_yaml(seed["process"]))
    before = counts()
    report = dry_run(process, user("admin"))
    db.session.rollback()
    assert counts() == before
    assert report.problems == [] and report.paths
    assert report.ok, [(path.title, path.problems, [(s.action, s.problem) for s in path.steps
                                                   if s.problem]) for path in report.paths]


def test_a_step_that_fails_is_a_problem_of_its_path_not_an_error(app):
    """A pattern no plausible value meets: the file cannot even be created; the dry run
    says so in each path and still leaves nothing behind."""
    spec = yaml.safe_load(TRIAL_YAML)
    spec["form"][0]["pattern"] = "^[0-9]{5}$"
    process = trial_draft(processes.to_yaml(spec))
    before = counts()
    with current_app.test_request_context():
        g._siap_permissions = ("sentinel", set())
        report = dry_run(process, user("admin"))
        assert g._siap_permissions == ("sentinel", set())  # the request's cache is back
    db.session.rollback()
    assert counts() == before
    assert report.problems == [] and report.paths and not report.ok
    first = report.paths[0]
    assert first.steps[0].action == "buat" and "judul_reklame" in first.steps[0].problem
    assert "judul_reklame" in render_template("processes/_dry_run.html", report=report)
