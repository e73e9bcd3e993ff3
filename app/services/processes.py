"""Configured processes (alur proses): drafts an admin edits, publication, versions,
and the YAML an office shares or keeps in version control.

Publishing checks the draft like the engine will run it (app/workflow/configured.py)
and refuses with every problem at once; once published, a version never changes: files
created with it finish on it, and a new version is a new draft."""

import difflib

import yaml
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents import keputusan, surat
from app.documents.defaults import configured_decree, configured_letter
from app.documents.placeholders import ANSWERS, common_placeholders
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.security.roles import ADMIN, PEMOHON, kind_list_grants, staff_baseline
from app.workflow.configured import InvalidSpec, compile_spec, read_spec
from app.workflow.engine import unit_of_work
from app.workflow.registry import WORKFLOWS, forget_published
from models import (
    DocumentTemplate,
    DocumentTemplateVersion,
    PermitType,
    Process,
    ProcessVersion,
    Requirement,
)
from models.application import utcnow


class PublishRefused(InvalidInput):
    """A draft that cannot be published: `problems` says why, each as a sentence."""

    def __init__(self, problems):
        self.problems = [str(problem) for problem in problems]
        super().__init__(message=_l("The process cannot be published: %(problems)s",
                                    problems=" ".join(self.problems)))


def new_spec(code, name):
    """The starting draft of a new process: one document check by the examiner."""
    return {"code": code, "name": name, "form": [], "requirements": [],
            "steps": [{"code": "periksa", "type": "document_check",
                       "label": "Pemeriksaan berkas", "role": "Pemeriksa"}],
            "decree": {"numbering_role": "Back Office", "signing_role": "Kepala Dinas"}}



def create_process(code, name, actor, spec=None):
    """A new process with its first draft."""
    if code in WORKFLOWS or db.session.scalar(select(Process.id).where(Process.code == code)):
        raise InvalidInput({"code": _l("The code “%(code)s” is taken.", code=code)})
    with unit_of_work():
        process = Process(code=code, name=name)
        db.session.add(process)
        db.session.add(ProcessVersion(process=process, number=1,
                                      spec=spec or new_spec(code, name),
                                      created_by_id=actor.id if actor else None))
    return process


def draft_of(process, actor=None):
    """The process's draft; a new one copied from the published version if none."""
    if process.draft is not None:
        return process.draft
    base = process.published
    draft = ProcessVersion(process=process, number=_next_number(process),
                           spec=dict(base.spec) if base else new_spec(process.code,
                                                                       process.name),
                           created_by_id=actor.id if actor else None)
    db.session.add(draft)
    return draft


def _next_number(process):
    return max((v.number for v in process.versions), default=0) + 1


def save_draft(process, spec, actor, note=None):
    """Replace the draft's specification (a draft may be incomplete: publishing checks)."""
    if spec.get("code") != process.code:
        raise InvalidInput(message=_l("The process code cannot change: export it and import "
                                      "it under a new code instead."))
    with unit_of_work():
        draft = draft_of(process, actor)
        draft.spec = spec
        draft.note = note or draft.note
    return draft


def problems_of(spec):
    """Every reason a specification cannot be published, as sentences (empty: it can)."""
    try:
        parsed = read_spec(spec)
    except InvalidSpec as error:
        return error.problems
    try:
        compile_spec(parsed)
    except ValueError as error:  # the workflow's own check: reachability, finals
        return [str(_l("The process does not hold together: %(detail)s", detail=str(error)))]
    return decree_problems(spec, parsed)


def decree_problems(spec, parsed):
    """What is wrong with the decree template the specification publishes, and with its
    steps' letter templates, as sentences."""
    allowed = decree_placeholders(parsed)
    problems = [str(_l("Decree template, %(part)s: %(problem)s", part=part, problem=problem))
                for part, problem in keputusan.check_content(
                    decree_content(spec, parsed), allowed).items()]
    for step, content, _given in letter_contents(spec, parsed):
        problems += [str(_l("Template of step %(step)s, %(part)s: %(problem)s",
                            step=step.code, part=part, problem=problem))
                     for part, problem in surat.check_content(content, allowed).items()]
    return problems


def decree_placeholders(parsed):
    """The placeholders the process's decree may use: the common ones and its answers."""
    return common_placeholders() | {f"{ANSWERS}.{name}" for name in parsed.fields}


def decree_content(spec, parsed):
    """The decree template the specification gives, or the generic one for its form."""
    given = (spec.get("decree") or {}).get("template")
    return given or configured_decree(parsed.name, [(f.name, f.label) for f in parsed.form])


def letter_contents(spec, parsed):
    """(step, content, given) of each step that draws its document: the letter template
    the specification gives the step (`given`), or the generic letter."""
    given = {raw.get("code"): raw.get("template") for raw in spec.get("steps") or ()
             if isinstance(raw, dict) and raw.get("template")}
    fields = [(f.name, f.label) for f in parsed.form]
    return [(step, given.get(step.code) or configured_letter(
        step.document or step.label, parsed.name, fields, step.role.upper()),
        step.code in given) for step in parsed.steps if step.generate]


def ensure_templates(spec, parsed, actor):
    """The process's decree template and its steps' letter templates."""
    ensure_decree_template(spec, parsed, actor)
    for step, content, given in letter_contents(spec, parsed):
        _ensure_template(step.template_key, "surat", parsed.code,
                         step.document or step.label, content, given, actor)


def ensure_decree_template(spec, parsed, actor):
    """The decree template of the process (`sk_<code>`, scope = the code): created with
    the given or generic content; a template given in a new version is published as a
    new template version when it differs. An office's edits in the template screen are
    kept while the specification gives none."""
    _ensure_template(f"sk_{parsed.code}", "keputusan", parsed.code,
                     f"Keputusan {parsed.name}", decree_content(spec, parsed),
                     bool((spec.get("decree") or {}).get("template")), actor)


def _ensure_template(key, kind, scope, name, content, given, actor):
    """A template of the process: created with `content`; when the specification
    `given` it, published anew as a new template version if it differs."""
    template = db.session.scalar(select(DocumentTemplate).where(DocumentTemplate.key == key))
    if template is None:
        template = DocumentTemplate(key=key, kind=kind, scope=scope, name=name)
        db.session.add(template)
    elif not given or template.versions[-1].content == content:
        return
    template.versions.append(DocumentTemplateVersion(
        number=len(template.versions) + 1, content=content, published_at=utcnow(),
        note=str(_l("From the process specification")),
        created_by_id=actor.id if actor else None))


def publish(process, actor, note=None):
    """Publish the draft: checked, its permissions created and granted, its permit types'
    requirements brought in line; files in flight keep their own version."""
    draft = process.draft
    if draft is None:
        raise InvalidInput(message=_l("There is no draft to publish."))
    problems = problems_of(draft.spec)
    if problems:
        raise PublishRefused(problems)
    workflow, default_roles = compile_spec(read_spec(draft.spec), draft.id)
    with unit_of_work():
        draft.published_at = utcnow()
        draft.published_by_id = actor.id if actor else None
        draft.note = note or draft.note
        grant_permissions(workflow, default_roles)
        ensure_templates(draft.spec, workflow.spec, actor)
        for permit_type in permit_types_of(process.code):
            sync_requirements(permit_type, workflow.spec.requirements)
    forget_published()
    return draft


def republish(process, version, actor):
    """Publish an earlier version's specification again, as a new version."""
    if version.process_id != process.id or version.published_at is None:
        raise NotFound()
    with unit_of_work():
        draft = draft_of(process, actor)
        draft.spec = dict(version.spec)
        draft.note = str(_l("Republished from version %(number)s", number=version.number))
    return publish(process, actor)


def grant_permissions(workflow, default_roles):
    """One permission per action (and the workflow's other permissions), granted to the
    roles the process names; a role it names that does not exist yet is created. The
    process's menu group (its inbox and file list) goes to the officers' roles among them
    and to the Admin, as the built-in kinds' do. Grants an admin made are kept: a role
    editor's change is not undone by a new version (nor is a grant taken back)."""
    sm = current_app.appbuilder.sm
    for permission, role_names in default_roles.items():
        permission_view = sm.add_permission_view_menu(permission, workflow.permission_view)
        for role_name in role_names:
            role = sm.find_role(role_name) or new_staff_role(role_name)
            if role.name == ADMIN or permission_view in role.permissions:
                continue
            role.permissions.append(permission_view)
    officers = sorted({name for names in default_roles.values() for name in names
                       if name != PEMOHON} | {ADMIN})
    for permission, view in kind_list_grants(workflow.kind):
        permission_view = sm.add_permission_view_menu(permission, view)
        for role_name in officers:
            role = sm.find_role(role_name)
            if role is not None and permission_view not in role.permissions:
                role.permissions.append(permission_view)


def new_staff_role(name):
    """A role a process names that does not exist yet (an agency's officers), with what
    every officer's role may do besides the workflows."""
    sm = current_app.appbuilder.sm
    role = sm.add_role(name)
    for permission, view in staff_baseline():
        role.permissions.append(sm.add_permission_view_menu(permission, view))
    return role


def permit_types_of(code):
    return db.session.scalars(select(PermitType).where(PermitType.workflow_kind == code)).all()


def sync_requirements(permit_type, requirements):
    """The permit type's active requirements become the version's (matched by name);
    one no longer listed is deactivated, not deleted: earlier files still name it."""
    by_name = {r.name: r for r in permit_type.requirements}
    wanted = {entry["name"] for entry in requirements}
    for position, entry in enumerate(requirements, start=1):
        requirement = by_name.get(entry["name"])
        if requirement is None:
            requirement = Requirement(permit_type=permit_type, name=entry["name"])
            db.session.add(requirement)
        requirement.description = entry["description"] or None
        requirement.mandatory = entry["mandatory"]
        requirement.accepted_types = ",".join(entry["accept"])
        requirement.max_size_mb = entry["max_mb"]
        requirement.position = position
        requirement.active = True
    for name, requirement in by_name.items():
        if name not in wanted:
            requirement.active = False


# --- YAML ----------------------------------------------------------------------------------

def to_yaml(spec):
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=100)


def from_yaml(text):
    """A specification from YAML text; InvalidInput when it is not YAML of a mapping.
    Anchors and aliases are refused: a few lines of them can stand for a document too
    large to store or show (a "billion laughs")."""
    try:
        if any(getattr(event, "anchor", None) for event in yaml.parse(text)):
            raise InvalidInput({"file": _l("The file uses YAML anchors or aliases (& and "
                                           "*); write every part out instead.")})
        spec = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidInput({"file": _l("The file is not valid YAML: %(detail)s",
                                       detail=str(error).splitlines()[0])}) from None
    if not isinstance(spec, dict):
        raise InvalidInput({"file": _l("The file does not describe a process.")})
    return spec


def import_process(text, actor, publish_now=True):
    """Create or update a process from YAML, checked like a publication. Returns the
    process."""
    spec = from_yaml(text)
    problems = problems_of(spec)
    if problems:
        raise PublishRefused(problems)
    code = spec["code"]
    process = db.session.scalar(select(Process).where(Process.code == code))
    if process is None:
        process = create_process(code, spec["name"], actor, spec=spec)
    else:
        save_draft(process, spec, actor)
    if publish_now:
        publish(process, actor, note=str(_l("Imported from YAML")))
    return process


def diff(older, newer):
    """The lines that differ between two versions' YAML (unified diff)."""
    return list(difflib.unified_diff(
        to_yaml(older.spec).splitlines(), to_yaml(newer.spec).splitlines(),
        fromfile=f"v{older.number}", tofile=f"v{newer.number}", lineterm=""))

