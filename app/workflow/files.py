"""The one read path for files (applications): every query on files for a user goes
through here, with visibility as its base filter (as Superset's DAOs apply `base_filter`
in every `find_*`), so the rule of who sees which file is written once.

Callers add their own conditions, ordering and paging to `visible(user)`; a query that
starts from another table (register entries, issued documents, survey answers) joins
Application and adds `visible_clause(user)`; a Flask-AppBuilder list takes a clause as
its base filter."""

from sqlalchemy import and_, false, or_, select

from app.errors import NotFound
from app.extensions import db
from app.workflow.access import (
    agency_clause,
    holds,
    inbox_clause,
    kept_for_user,
    limited_to_agency,
)
from app.workflow.registry import all_workflows, files_of
from models import Application


def own_clause(user):
    """The user's own files: those of their applicant account, and the walk-in files they
    registered at the counter for an applicant (drafts included)."""
    return Application.belongs_to(user.id)


def visible_clause(user):
    """Own and walk-in files; for staff, every submitted file of a kind they may view
    (of their agency's permit types where the workflow is scoped by agency), and the
    files waiting in their inbox. Drafts stay private to their creator."""
    return kept_for_user("visible", user, _built_visible_clause)


def _built_visible_clause(user):
    clauses = [own_clause(user)]
    for workflow in all_workflows():
        if _sees_submitted_files(user, workflow):
            clauses.append(
                and_(files_of(workflow),
                     Application.status != workflow.initial.value,
                     agency_clause(user, workflow))
            )
    clauses.append(inbox_clause(user))
    return or_(*clauses)


def statistics_clause(user, on=Application):
    """The submitted files the statistics count for this user (on Application, or on a
    statistics summary: models/statistics.py): those of each kind the user sees whole
    (`lihat_semua`), or of their agency's permit types where the kind is scoped by
    agency (`lihat_instansi`). Unlike `visible_clause`, not the files that only wait in
    the user's inbox or that they registered at the counter: those depend on the file
    and the user, which the summaries do not record. Never more than `visible_clause`;
    the same for every role that sees a kind's files (the default grants)."""
    clauses = [and_(files_of(workflow, on), agency_clause(user, workflow, on))
               for workflow in all_workflows() if _sees_submitted_files(user, workflow)]
    return or_(*clauses) if clauses else false()


def _sees_submitted_files(user, workflow):
    """Every submitted file of the kind, or where the kind is scoped by agency, those of
    the user's agency (`agency_clause`)."""
    return holds(user, workflow, "lihat_semua") or (
        workflow.scoped_by_agency and holds(user, workflow, "lihat_instansi"))


def sees_files_of_agency(user, workflow, agency_id):
    """Whether the user sees the submitted files of `workflow` that belong to `agency_id`
    (an asset's bookings link to their files only then)."""
    return _sees_submitted_files(user, workflow) and (
        not limited_to_agency(user, workflow)
        or (user.agency_id is not None and user.agency_id == agency_id))


def own(user):
    """The user's own files (`own_clause`), to filter, order and page further."""
    return select(Application).where(own_clause(user))


def visible(user):
    """The files this user may see (`visible_clause`), to filter, order and page further."""
    return select(Application).where(visible_clause(user))


def sees(user, application_id):
    """Whether this user may open the file, without loading it."""
    return db.session.scalar(
        select(Application.id).where(Application.id == application_id, visible_clause(user))
    ) is not None


def load_visible(application_id, actor, options=()):
    """The application if this user may see it; NotFound otherwise (no hint whether
    it exists). `options` are loader options for a page that shows much of it."""
    try:
        application_id = int(application_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    application = db.session.scalar(
        visible(actor).where(Application.id == application_id).options(*options)
    )
    if application is None:
        raise NotFound()
    return application
