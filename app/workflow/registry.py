"""Every workflow definition by kind, and their default permission grants."""

from collections import defaultdict

from sqlalchemy import and_, false, or_

from app.security.roles import extend_default_grants
from app.workflow import aset, pkkpr_nb
from models import Application

_DEFINITIONS = (
    (pkkpr_nb.WORKFLOW, pkkpr_nb.DEFAULT_ROLES),
    (aset.WORKFLOW, aset.DEFAULT_ROLES),
)

WORKFLOWS = {workflow.kind: workflow for workflow, _ in _DEFINITIONS}


def default_grants():
    """role → [(permission, view menu)] for every workflow's actions."""
    grants = defaultdict(list)
    for workflow, default_roles in _DEFINITIONS:
        for permission, role_names in default_roles.items():
            for role_name in role_names:
                grants[role_name].append((permission, workflow.permission_view))
    return grants


def check_default_roles():
    for workflow, default_roles in _DEFINITIONS:
        known = {t.action for t in workflow.transitions if not t.by_system} | set(
            workflow.extra_permissions)
        if set(default_roles) != known:
            raise ValueError(f"{workflow.kind}: default roles do not match the actions")


check_default_roles()
extend_default_grants(default_grants())


def staff_roles(kind):
    """The roles (applicants aside) that hold some permission of a kind's workflow."""
    from app.security.roles import PEMOHON

    default_roles = next(roles for workflow, roles in _DEFINITIONS if workflow.kind == kind)
    return sorted({role for holders in default_roles.values() for role in holders
                   if role != PEMOHON})


def status_in(meaning):
    """SQL condition on Application: the file is in a state its own workflow declares
    with `meaning` (a Workflow attribute such as "granted_states"), for every kind."""
    clauses = [and_(Application.kind == workflow.kind,
                    Application.status.in_(sorted(workflow.values(getattr(workflow, meaning)))))
               for workflow in WORKFLOWS.values() if getattr(workflow, meaning)]
    return or_(*clauses) if clauses else false()


def is_in(application, meaning):
    """Whether the file is in a state its workflow declares with `meaning`."""
    workflow = WORKFLOWS.get(application.kind)
    return workflow is not None and workflow.is_in(application.status, meaning)
