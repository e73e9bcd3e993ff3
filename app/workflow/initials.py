"""Paraf koordinasi: a permit type may name roles (for example the head of the licensing
division) whose holders initial the decree before the head of office signs it.

After the SK number the file then waits for initials (Menunggu Paraf) instead of Siap DS; each
named role's holder takes the action `paraf` once (each initial its own history event,
with who and for which role); the last initial moves the file to Siap DS. Without named
roles nothing changes. The named roles are fixed for a file when its SK number is
entered (a round); returning the file to the back office and numbering it again opens a
new round."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select

from app.errors import Forbidden
from app.extensions import db
from models import Application, ApplicationInitial


def initials_of(application):
    """The current round's initials of the file (awaited and given)."""
    return db.session.scalars(
        select(ApplicationInitial).where(ApplicationInitial.application_id == application.id)
        .order_by(ApplicationInitial.id)).all()


def pending_initials(application):
    return [initial for initial in initials_of(application) if initial.pending]


def open_round(application):
    """Ask the permit type's named roles for their initials (again, from scratch)."""
    db.session.execute(delete(ApplicationInitial)
                       .where(ApplicationInitial.application_id == application.id))
    for role in application.permit_type.initialling_roles:
        db.session.add(ApplicationInitial(application_id=application.id, role_id=role.id))
    db.session.flush()


# --- the workflow's steps (app/workflow/shared.py) -----------------------------------


def ask_for_initials(ctx):
    """Effect of `input_nomor_sk`: a new round of the named roles' initials."""
    open_round(ctx.application)
    asked = [initial.role.name for initial in pending_initials(ctx.application)]
    if asked:
        ctx.event_data["paraf_diminta"] = asked


def after_numbering(waiting_state, signature_state):
    """Route of `input_nomor_sk`: to the initials when any are asked, else to Siap DS."""

    def route(ctx):
        return waiting_state if pending_initials(ctx.application) else signature_state

    return route


def record_initials(ctx):
    """Effect of `paraf`: the actor initials for each of their roles still awaited."""
    mine = PENDING_INITIALS.awaited_from(ctx.actor, ctx.application)
    if not mine:
        raise Forbidden(PENDING_INITIALS.refusal(ctx.actor, ctx.application))
    for initial in mine:
        initial.initialled_by_id = ctx.actor.id
        initial.initialled_at = ctx.now
    ctx.event_data["paraf_peran"] = [initial.role.name for initial in mine]


def after_initials(waiting_state, signature_state):
    """Route of `paraf`: to Siap DS with the last initial; otherwise the file stays."""

    def route(ctx):
        return waiting_state if pending_initials(ctx.application) else signature_state

    return route


class PendingInitials:
    """Who may take `paraf` on a file (the audience of the transition, see
    app/workflow/definition.py): a holder of a named role that has not initialled yet."""

    def awaited_from(self, user, application):
        role_ids = {role.id for role in user.roles}
        return [initial for initial in pending_initials(application)
                if initial.role_id in role_ids]

    def refusal(self, user, application):
        """None when `user` may initial the file now, else why not."""
        if self.awaited_from(user, application):
            return None
        role_ids = {role.id for role in user.roles}
        if any(initial.role_id in role_ids for initial in initials_of(application)):
            return _l("Your role has already initialled this file.")
        return _l("This file does not need the initials of your role.")

    def clause(self, user):
        """The files awaiting an initial of one of `user`'s roles (SQL)."""
        return exists().where(ApplicationInitial.application_id == Application.id,
                              ApplicationInitial.initialled_at.is_(None),
                              ApplicationInitial.role_id.in_([r.id for r in user.roles]))

    def roles(self, application):
        """The names of the roles still awaited on the file."""
        return [initial.role.name for initial in pending_initials(application)]


PENDING_INITIALS = PendingInitials()
