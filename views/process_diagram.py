"""The designer's drawing of a process: its steps from submission to signature as boxes
in a column, drawn as SVG on the server (no script, no internet). A step that runs only
under a condition has an arrow passing it by; return and rejection are marked on the
step that allows them. It reads the draft as it is, complete or not."""

from dataclasses import dataclass

from flask_babel import gettext

from app.documents.formatting import rupiah_text
from app.workflow.configured import OPERATORS, PALETTE

WIDTH, BOX_WIDTH, BOX_HEIGHT, GAP, LEFT = 600, 380, 64, 30, 130


@dataclass
class Box:
    y: int
    title: str
    detail: str
    kind: str  # "start", "step", "end": the box's colour
    condition: str = ""
    marks: tuple = ()  # "↩ returned", "✕ rejected"

    @property
    def middle(self):
        return self.y + BOX_HEIGHT // 2


def _condition_text(when):
    if not isinstance(when, dict):
        return ""
    operator = str(OPERATORS.get(when.get("op"), when.get("op") or ""))
    value = "" if when.get("op") in ("filled", "empty") else f" {when.get('value')}"
    return gettext("only if %(field)s %(op)s%(value)s", field=when.get("field") or "?",
                   op=operator, value=value)


def _step_detail(step):
    kind = str(PALETTE.get(step.get("type"), step.get("type") or "?"))
    detail = f"{step.get('role') or '?'} · {kind}"
    tariff = step.get("tariff") or {}
    if step.get("type") == "fee" and tariff.get("basis") not in (None, "entered"):
        detail += f" · {rupiah_text(tariff.get('rate', 0))}"
        if tariff.get("field"):
            detail += f" × {tariff['field']}"
    return detail


def boxes(spec):
    """The boxes of a specification, top to bottom."""
    decree = spec.get("decree") or {}
    plan = [(gettext("Applicant submits"), gettext("Applicant"), "start", "", ()),
            (gettext("Reception"), "Front Office", "start", "", (gettext("↩ returned"),))]
    for step in spec.get("steps") or ():
        marks = []
        if step.get("can_return", True):
            marks.append(gettext("↩ returned"))
        if step.get("can_reject", step.get("type") == "recommendation"):
            marks.append(gettext("✕ rejected"))
        plan.append((step.get("label") or step.get("code") or "?", _step_detail(step),
                     "step", _condition_text(step.get("when")), tuple(marks)))
    plan += [
        (gettext("Decree number"), decree.get("numbering_role") or "Back Office", "end", "",
         ()),
        (gettext("Signature"), decree.get("signing_role") or "Kepala Dinas", "end", "", ()),
        (gettext("Completed: signed decree"), gettext("Applicant downloads it"), "start", "",
         ()),
    ]
    return [Box(GAP + index * (BOX_HEIGHT + GAP), *entry) for index, entry in enumerate(plan)]


def height(drawn):
    return drawn[-1].y + BOX_HEIGHT + GAP if drawn else GAP


LAYOUT = {"width": WIDTH, "box_width": BOX_WIDTH, "box_height": BOX_HEIGHT, "gap": GAP,
          "left": LEFT}
