"""Every workflow by kind: the built-in definitions (Python) and the configured processes
(published versions in the database, app/workflow/configured.py), and their default
permission grants.

A file runs on the workflow of its kind — for a configured process, of the version it
pinned when it was created (`workflow_of`). New files take the current one (`current`).
Published versions are read from the database once and then only when another is
published: each worker checks at most every PROCESS_RECHECK_SECONDS, so a process
published on one host works on every host without a restart."""

import itertools
import time
from collections import defaultdict

from flask import current_app, has_app_context
from sqlalchemy import and_, false, func, or_, select

from app.extensions import db
from app.security.roles import extend_default_grants
from app.workflow import aset, pkkpr_nb
from models import Application, ProcessVersion

# The built-in workflows, by kind, and who takes their actions by default.
WORKFLOWS = {}
BUILT_IN_ROLES = {}


def check_default_roles(workflow, default_roles):
    known = {t.action for t in workflow.transitions if not t.by_system} | set(
        workflow.extra_permissions)
    if set(default_roles) != known:
        raise ValueError(f"{workflow.kind}: default roles do not match the actions")


def register(workflow, default_roles):
    """A built-in kind: its workflow runs its files, and `default_roles` (permission →
    role names) are granted when the roles are seeded. All it takes to add one."""
    check_default_roles(workflow, default_roles)
    WORKFLOWS[workflow.kind] = workflow
    BUILT_IN_ROLES[workflow.kind] = default_roles
    grants = defaultdict(list)
    for permission, role_names in default_roles.items():
        for role_name in role_names:
            grants[role_name].append((permission, workflow.permission_view))
    extend_default_grants(grants)


register(pkkpr_nb.WORKFLOW, pkkpr_nb.DEFAULT_ROLES)
register(aset.WORKFLOW, aset.DEFAULT_ROLES)


# --- configured processes ----------------------------------------------------------------

# Numbers each change of a registry's compiled versions; every registry of the process
# draws from it, so no two changes share a number.
_LOADINGS = itertools.count(1)


class _Published:
    """The compiled published versions of this worker, refreshed when one is published."""

    def __init__(self):
        self.invalidate()

    def invalidate(self):
        self.stamp, self.checked_at = object(), float("-inf")
        self.by_version, self.current, self.roles = {}, {}, {}
        self.loading = 0

    def refresh(self):
        recheck = current_app.config.get("PROCESS_RECHECK_SECONDS", 2) \
            if has_app_context() else 2
        if time.monotonic() - self.checked_at < recheck:
            return self
        stamp = tuple(db.session.execute(
            select(func.count(ProcessVersion.id), func.max(ProcessVersion.published_at))
            .where(ProcessVersion.published_at.is_not(None))).one())
        self.checked_at = time.monotonic()
        if stamp != self.stamp:
            self._load()
            self.stamp = stamp
        return self

    def _load(self):
        from app.workflow.configured import compile_spec, read_spec

        versions = db.session.scalars(
            select(ProcessVersion).where(ProcessVersion.published_at.is_not(None))
            .order_by(ProcessVersion.published_at)).all()
        by_version, current, roles = {}, {}, {}
        for version in versions:
            key = (version.id, version.published_at)
            workflow, default_roles = self.by_version.get(key) or compile_spec(
                read_spec(version.spec), version.id)
            by_version[key] = (workflow, default_roles)
            current[workflow.kind] = workflow  # the last published wins
            roles[workflow.kind] = default_roles
        self.by_version, self.current, self.roles = by_version, current, roles
        self.loading = next(_LOADINGS)

    def of_version(self, version):
        key = (version.id, version.published_at)
        if key not in self.by_version:
            from app.workflow.configured import compile_spec, read_spec

            compiled = compile_spec(read_spec(version.spec), version.id)
            if version.published_at is None:
                return compiled[0]  # a draft on trial: compiled afresh each time
            self.by_version[key] = compiled
            self.loading = next(_LOADINGS)
        return self.by_version[key][0]


_PUBLISHED = _Published()


# A session that sees versions nobody else may (a dry run publishes a draft in a
# transaction it rolls back, app/services/dry_run.py) keeps its own compiled versions
# under this key of its `info`, never in the worker's shared ones.
OWN_REGISTRY = "siap_own_registry"


def isolate(session):
    """Give `session` its own view of the published versions, read from it alone."""
    session.info[OWN_REGISTRY] = _Published()


def forget_published():
    """After a publication in this worker (and between test databases)."""
    _PUBLISHED.invalidate()
    own = db.session.info.get(OWN_REGISTRY) if has_app_context() else None
    if own is not None:
        own.invalidate()


def _configured():
    own = db.session.info.get(OWN_REGISTRY)
    return (own if own is not None else _PUBLISHED).refresh()


def workflow_of(application):
    """The workflow a file runs on: its kind's, or its pinned process version's."""
    if application.process_version_id is None:
        return WORKFLOWS[application.kind]
    with db.session.no_autoflush:  # a file being created is not ready to be written
        version = application.process_version or db.session.get(
            ProcessVersion, application.process_version_id)
        return _configured().of_version(version)


def current(kind):
    """The workflow new files of `kind` take; KeyError for a kind nobody publishes."""
    if kind in WORKFLOWS:
        return WORKFLOWS[kind]
    return _configured().current[kind]


def find(kind):
    """`current(kind)`, or None."""
    try:
        return current(kind)
    except KeyError:
        return None


def current_workflows():
    """One workflow per kind: the built-in ones and each process's current version."""
    return [*WORKFLOWS.values(), *_configured().current.values()]


def published_stamp():
    """A number that changes whenever the compiled versions change (a key for what is
    built from `all_workflows`)."""
    return _configured().loading


def all_workflows():
    """Every workflow a file may run on: the built-in ones and every published version
    (files in flight finish on earlier ones)."""
    return [*WORKFLOWS.values(), *(w for w, _r in _configured().by_version.values())]


def default_roles(kind):
    """{permission: role names} of a kind's workflow."""
    if kind in BUILT_IN_ROLES:
        return BUILT_IN_ROLES[kind]
    return _configured().roles[kind]


def staff_roles(kind):
    """The roles (applicants aside) that hold some permission of a kind's workflow."""
    from app.security.roles import PEMOHON

    return sorted({role for holders in default_roles(kind).values() for role in holders
                   if role != PEMOHON})


def files_of(workflow, on=Application):
    """SQL condition on Application (or a statistics summary, `on`, with the same
    columns): the files that run on this workflow."""
    if workflow.version_id is None:
        return on.kind == workflow.kind
    return and_(on.kind == workflow.kind, on.process_version_id == workflow.version_id)


def status_in(meaning, on=Application):
    """SQL condition on Application (or `on`, as for `files_of`): the file is in a state
    its own workflow declares with `meaning` (a Workflow attribute such as
    "granted_states"), for every kind."""
    clauses = [and_(files_of(workflow, on),
                    on.status.in_(sorted(workflow.values(getattr(workflow, meaning)))))
               for workflow in all_workflows() if getattr(workflow, meaning)]
    return or_(*clauses) if clauses else false()


def is_in(application, meaning):
    """Whether the file is in a state its workflow declares with `meaning`."""
    if application.process_version_id is None and application.kind not in WORKFLOWS:
        return False
    return workflow_of(application).is_in(application.status, meaning)


def kind_title(kind):
    """What the office calls a kind's workflow (the kind itself if nobody runs it)."""
    workflow = find(kind)
    return workflow.title if workflow is not None else kind
