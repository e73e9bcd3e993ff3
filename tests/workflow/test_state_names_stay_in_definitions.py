"""Nothing outside a workflow's definition names its states (DESIGN.md section 7, "one
registration per kind"): services, screens, the API and templates ask the definition
what a state means (Workflow.editable_states, granted_states, signing_states, …)."""

import re
from pathlib import Path

from app.workflow.registry import WORKFLOWS

ROOT = Path(__file__).resolve().parents[2]
SEARCHED = ("app", "views", "api")
# The definitions themselves: the built-in tables and the states of configured processes.
DEFINITIONS = {ROOT / "app" / "workflow" / name for name in ("pkkpr_nb.py", "aset.py",
                                                             "configured.py")}
SUFFIXES = {".py", ".html", ".js", ".txt"}

# (file, quoted name) → why it is not a workflow state there.
ALLOWED = {
    ("app/services/register.py", "dibatalkan"):
        "the register's own status of a decree entry (register.Status), not a file's",
    ("app/templates/register/index.html", "dibatalkan"):
        "the row style of that register status",
    ("app/templates/document_templates/edit.html", "draft"):
        'the English msgid "draft" of an unpublished template version',
    ("app/templates/application/print.html", "draft"):
        "the CSS class of the DRAFT watermark",
    ("app/workflow/withdrawal.py", "selesai"):
        "the end-date key of a released booking",
    ("app/documents/placeholders.py", "selesai"):
        "the asset placeholder izin.selesai (end of the approved period)",
    ("app/documents/placeholders.py", "krk_terbit"):
        "made-up facts of a PKKPR rejection letter, to preview it without a file",
}


def state_names():
    return {state.value for workflow in WORKFLOWS.values() for state in workflow.states}


def quoted_state_names():
    """(file, name) for every quoted built-in state name outside the definitions."""
    names = "|".join(sorted(state_names()))
    pattern = re.compile(rf"""["']({names})["']""")
    found = set()
    for top in SEARCHED:
        for path in (ROOT / top).rglob("*"):
            if path.suffix not in SUFFIXES or path in DEFINITIONS:
                continue
            for name in pattern.findall(path.read_text(encoding="utf-8")):
                found.add((str(path.relative_to(ROOT)), name))
    return found


def test_no_state_is_named_outside_the_workflow_definitions():
    named = quoted_state_names() - set(ALLOWED)
    assert not named, (
        "state names outside the definitions; declare the meaning in the definition "
        f"(app/workflow/definition.py) and ask it instead: {sorted(named)}")


def test_every_allowed_exception_is_still_needed():
    assert set(ALLOWED) <= quoted_state_names()
