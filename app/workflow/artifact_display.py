"""An issued artifact (KRK, SPS, payment proof, recommendation…) as people read it: its
name, and its data under the labels of the form that issued it, values as words (a
choice's label, a date as 1 Des 2026), never the stored keys and values."""

import re
from datetime import date

from wtforms.fields.core import UnboundField

from app.i18n import local_date, readable
from app.workflow.site_map import APPROVED_POLYGON

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_SHOWN = {APPROVED_POLYGON}  # drawn on the map, not read as text


def artifact_label(workflow, kind):
    """The name its issuing effect gives it, else the kind in words."""
    for transition in workflow.transitions:
        for effect in transition.effects:
            issued = getattr(effect, "artifact", None)
            if issued and issued[0] == kind and issued[1]:
                return issued[1]
    return kind.replace("_", " ").capitalize()


def _fields(workflow):
    """{field name: (label, {choice value: choice label})} over the workflow's forms."""
    fields = {}
    for transition in workflow.transitions:
        form = transition.form
        if form is None:
            continue
        for name in dir(form):
            unbound = getattr(form, name, None)
            if isinstance(unbound, UnboundField) and name not in fields:
                label = unbound.args[0] if unbound.args else unbound.kwargs.get("label", name)
                choices = unbound.kwargs.get("choices") or ()
                if callable(choices):  # offered when the form is built
                    choices = ()
                fields[name] = (label, {str(value): text for value, text in choices})
    return fields


def _value(value, choices):
    if isinstance(value, str) and value in choices:
        return choices[value]
    if isinstance(value, str) and ISO_DATE.match(value):
        return local_date(date.fromisoformat(value))
    return readable(value)


def artifact_lines(workflow, artifact):
    """[(label, value)] of the artifact's data that has a value."""
    fields = _fields(workflow)
    lines = []
    for name, value in (artifact.data or {}).items():
        if value in (None, "") or name in NOT_SHOWN:
            continue
        label, choices = fields.get(name, (name.replace("_", " ").capitalize(), {}))
        lines.append((label, _value(value, choices)))
    return lines
