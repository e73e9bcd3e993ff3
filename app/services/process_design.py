"""Editing a process's draft piece by piece, as the designer screen does: a field of the
application form or of a step, a requirement, a step, the decree. Each piece is checked
on its own when it is saved (the same reading a publication does), so a mistake is
named where it was made; what only the whole process shows waits for publication.

A piece lives in a *place*: "form", "requirements", "steps", or "step:<code>" (the
fields of that step)."""

import copy
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.services import processes
from app.workflow.configured import (
    InvalidSpec,
    implicit_fields,
    read_requirements,
    read_spec,
    read_step,
)
from app.workflow.engine import unit_of_work
from app.workflow.field_sets import read_field, read_fields
from models import PermitCategory, PermitType

SECTIONS = ("form", "requirements", "steps")
PERMIT_TYPE_CODE = re.compile(r"^[A-Z0-9-]{2,30}$")


def _items(spec, place, create=False):
    """The list a place names inside a specification (a copy being edited)."""
    if place in SECTIONS:
        return spec.setdefault(place, []) if create else spec.get(place) or []
    if place.startswith("step:"):
        code = place.removeprefix("step:")
        step = next((s for s in spec.get("steps") or () if s.get("code") == code), None)
        if step is not None:
            return step.setdefault("fields", []) if create else step.get("fields") or []
    raise NotFound()


def fields_offered(spec):
    """{name: label} of the fields a draft asks for — the application form's, the steps'
    and what the steps record themselves (a fee's amount, a recommendation's decision) —
    for conditions, tariffs and decree placeholders. Read leniently: a draft may be
    incomplete, and what cannot be read is left out."""
    offered = {f.name: f.label for f in read_fields(spec.get("form"), "", [])}
    for index, raw in enumerate(spec.get("steps") or (), start=1):
        step = read_step(raw, index, [])
        if step is not None:
            offered.update({f.name: f.label for f in step.fields})
            offered.update({name: f.label for name, f in implicit_fields(step).items()})
    return offered


def problems_of_piece(place, item):
    """Why one piece cannot stand, as sentences (empty: it can)."""
    problems = []
    if place == "requirements":
        read_requirements([item], problems)
    elif place == "steps":
        read_step(item, 1, problems)
    else:
        field = read_field(item, str(_l("Field")), problems)
        if field is not None and field.type == "file" and place == "form":
            problems.append(_l("Application form: ask for files as requirements, not as "
                               "fields."))
    return [str(problem) for problem in problems]


def _key(place, item):
    return item.get("name") if place != "steps" else item.get("code")


def put_piece(process, place, item, actor, index=None):
    """Add a piece to a place, or replace the one at `index`; InvalidInput with the
    problems when it cannot stand or its name is taken in that place."""
    problems = problems_of_piece(place, item)
    spec = copy.deepcopy(processes.draft_of(process, actor).spec)
    items = _items(spec, place, create=True)
    others = [other for position, other in enumerate(items) if position != index]
    if any(_key(place, other) == _key(place, item) for other in others):
        problems.append(str(_l("“%(name)s” is already in this list.",
                               name=_key(place, item))))
    if problems:
        raise InvalidInput(message=" ".join(problems))
    if index is None:
        items.append(item)
    else:
        _check_index(items, index)
        if place == "steps":  # a step's own fields and letter template stay with it
            item.setdefault("fields", items[index].get("fields") or [])
            if items[index].get("template") and item.get("generate"):
                item.setdefault("template", items[index]["template"])
        items[index] = item
    return processes.save_draft(process, spec, actor)


def remove_piece(process, place, index, actor):
    spec = copy.deepcopy(processes.draft_of(process, actor).spec)
    items = _items(spec, place)
    _check_index(items, index)
    del items[index]
    return processes.save_draft(process, spec, actor)


def move_piece(process, place, index, offset, actor):
    """Move a piece one place up (offset -1) or down (+1); at the end it stays."""
    spec = copy.deepcopy(processes.draft_of(process, actor).spec)
    items = _items(spec, place)
    _check_index(items, index)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return processes.save_draft(process, spec, actor)


def piece(process, place, index):
    """The piece at `index` of a place in the draft (for its edit form)."""
    items = _items(processes.draft_of(process).spec, place)
    _check_index(items, index)
    return items[index]


def _check_index(items, index):
    if not 0 <= index < len(items):
        raise NotFound()


def save_header(process, actor, *, name, description, scoped_by_agency, numbering_role,
                signing_role):
    """The process's name and description, and who numbers and signs its decrees."""
    spec = copy.deepcopy(processes.draft_of(process, actor).spec)
    spec.update(name=name, description=description, scoped_by_agency=scoped_by_agency)
    decree = spec.setdefault("decree", {})
    decree.update(numbering_role=numbering_role, signing_role=signing_role)
    with db.session.no_autoflush:
        process.name = name
    return processes.save_draft(process, spec, actor)


def save_decree_template(process, content, actor):
    """The decree template the process publishes (`sk_<code>`); None returns to the
    generic template. It is checked against the placeholders the draft offers when the
    draft reads (an incomplete draft's is checked at publication)."""
    spec = copy.deepcopy(processes.draft_of(process, actor).spec)
    decree = spec.setdefault("decree", {})
    if content is None:
        decree.pop("template", None)
    else:
        decree["template"] = content
        try:
            problems = processes.decree_problems(spec, read_spec(spec))
        except InvalidSpec:
            problems = []
        if problems:
            raise InvalidInput(message=" ".join(problems))
    return processes.save_draft(process, spec, actor)


def decree_template_of(process):
    """The decree content the draft would publish (given, or the generic one)."""
    spec = processes.draft_of(process).spec
    try:
        parsed = read_spec(spec)
    except InvalidSpec:
        return (spec.get("decree") or {}).get("template")
    return processes.decree_content(spec, parsed)


def add_permit_type(process, *, code, name, category_id, service_days):
    """A permit type running the process's published version, with its requirements:
    the catalogue offers it to applicants at once."""
    published = process.published
    if published is None:
        raise InvalidInput(message=_l("Publish the process before giving it a permit type."))
    code, name = (code or "").strip().upper(), (name or "").strip()
    problems = {}
    if not PERMIT_TYPE_CODE.match(code):
        problems["code"] = _l("Use capital letters, digits and dashes (2 to 30).")
    elif db.session.scalar(select(PermitType.id).where(PermitType.code == code)):
        problems["code"] = _l("The code “%(code)s” is taken.", code=code)
    if not name:
        problems["name"] = _l("The permit type needs a name.")
    days = str(service_days or "").strip()
    if not days.isdigit() or not 1 <= int(days) <= 365:
        problems["service_days"] = _l("The service standard is 1 to 365 working days.")
    category = db.session.get(PermitCategory, int(category_id)) \
        if str(category_id or "").isdigit() else None
    if category is None:
        problems["category"] = _l("Choose a category.")
    if problems:
        raise InvalidInput(problems)
    parsed = read_spec(published.spec)
    with unit_of_work():
        permit_type = PermitType(code=code, name=name, category=category,
                                 workflow_kind=process.code, service_days=int(days),
                                 description=parsed.description or None)
        db.session.add(permit_type)
        db.session.flush()
        processes.sync_requirements(permit_type, parsed.requirements)
    return permit_type
