"""What waits for a signer's signature: the decrees in a signing state and the unsigned
rejection letters and revocation decrees of the files they see, in the workflows whose
signature they hold. The signing page lists them; the menu counts them in one query."""

from sqlalchemy import false, func, or_, select

from app.workflow.access import holds
from app.workflow.definition import SIGN_ACTION
from app.workflow.files import visible, visible_clause
from app.workflow.registry import all_workflows, files_of, status_in
from models import Application, IssuedDocument


def _signed_by(user):
    """SQL condition on Application: files of a workflow whose signature `user` holds."""
    clauses = [files_of(workflow) for workflow in all_workflows()
               if holds(user, workflow, SIGN_ACTION)]
    return or_(*clauses) if clauses else false()


def decrees_waiting(user):
    """The files whose decree waits for this user's signature, to order and load further."""
    return visible(user).where(status_in("signing_states"), _signed_by(user))


def count_waiting_expression(user):
    """SQL expression: decrees and documents waiting for this user's signature."""
    signed_by = _signed_by(user)
    decrees = (select(func.count(Application.id))
               .where(visible_clause(user), status_in("signing_states"), signed_by)
               .scalar_subquery())
    documents = (select(func.count(IssuedDocument.id))
                 .join(Application, IssuedDocument.application_id == Application.id)
                 .where(IssuedDocument.signed_at.is_(None), visible_clause(user), signed_by)
                 .scalar_subquery())
    return decrees + documents
