"""Queueing notifications for a transition, inside its transaction: an outbox row for the
first channel of each message and an in-app notification per account. Nothing is sent
here."""

from flask_babel import force_locale

from app.extensions import db
from app.links import public_url
from app.notifications.chain import first_attempt
from app.notifications.templates import render
from app.workflow import walk_in
from app.workflow.access import among_audience, in_agency_scope, users_holding
from models import InAppNotification, SiapUser
from models.user import QueueMessages


def application_url(application):
    return public_url(f"/permohonan/{application.id}")


def applicant_url(application):
    """Where the applicant sees the file: its page, or without an account (a walk-in
    applicant) a fresh signed link to its read-only page."""
    if walk_in.is_walk_in(application):
        return walk_in.link_url(application)
    return application_url(application)


def next_actors(workflow, application, status, holding=users_holding):
    """The officers who can move this file on from `status` (of its agency, where the
    workflow is scoped by agency; among the audience of an action that has one).
    `holding(workflow, actions)` finds the holders of an action (a pass over many files
    gives one that remembers them)."""
    moves = [t for t in workflow.transitions_from(workflow.states(status))
             if t.advances and not t.by_applicant]
    actors = {}
    for transition in moves:
        for user in holding(workflow, [transition.action]):
            if in_agency_scope(user, application) and among_audience(transition, user,
                                                                     application):
                actors.setdefault(user.id, user)
    return [actors[user_id] for user_id in sorted(actors)]


def _queue(application, key, values, number, user, in_app=True, send=True):
    """The first attempt of the message on its chain of channels (app/notifications/
    chain.py: WhatsApp, SMS, e-mail where the recipient has an address for each), and
    the in-app notification of an account. `in_app=False`: not in the app (a password
    reset code); `send=False`: in the app only (an officer who chose a daily digest)."""
    body = render(key, values)
    application_id = application.id if application is not None else None
    email = user.email if user is not None else None
    # The values stay with the message: an approved WhatsApp content template is filled
    # from them when it is sent (app/notifications/backends.py).
    attempt = first_attempt(
        key, number, email, first=user.first_channel if user is not None else None,
        recipient_user_id=user.id if user else None, body=body,
        application_id=application_id, variables=values,
    ) if send else None
    if attempt is not None:
        db.session.add(attempt)
    if user is not None and in_app:
        db.session.add(InAppNotification(user_id=user.id, application_id=application_id,
                                         text=body))


def queue_for_account(user, key, values, in_app=True):
    """A message about the account itself (not a file), to its owner. `in_app=False`
    keeps it out of the in-app notifications: a secret sent to prove the owner's channel
    (a password reset code) must not be readable by whoever holds a signed-in session."""
    _queue(None, key, values, user.whatsapp, user, in_app=in_app)


def _about(application, link):
    """What every message about a file says of it."""
    return {
        "nomor": application.registration_number or f"#{application.id}",
        "jenis_izin": application.permit_type.name,
        "tautan": link,
    }


def queue_for_applicant(application, key, values):
    """A message about a file to its applicant: on its chain of channels (e-mail only
    with an account that has an address), and in-app with an account."""
    owner = db.session.get(SiapUser, application.owner_id) if application.owner_id else None
    _queue(application, key,
           {**_about(application, applicant_url(application)),
            "nama": application.applicant_name, **values},
           application.applicant_whatsapp, owner)


def queue_for_staff(application, users, key, values, unless_digest=False):
    """A message about a file to each of these officers, on their chain and in-app;
    `unless_digest`: in-app only for an officer who chose the daily digest."""
    for user in users:
        _queue(application, key, {**_about(application, application_url(application)),
                                  "nama": user.full_name, **values},
               user.whatsapp, user, send=not (unless_digest and wants_daily_digest(user)))


def wants_daily_digest(user):
    return user.queue_messages == QueueMessages.DAILY_DIGEST


def tell_applicant(application, workflow, status, transition=None, comment=None):
    """The applicant's status message: the status, what happened (the transition's
    notice, from the action's comment: the reason of a return or a refusal) and what to
    do next."""
    with force_locale("id"):
        status_label = str(workflow.label(status))
        notice = transition.notice(application, comment) \
            if transition is not None and transition.notice else None
        next_step = workflow.applicant_next_step(application, status)
    queue_for_applicant(application, "status_pemohon",
                        {"status": status_label,
                         "langkah": "\n".join(filter(None, [notice, next_step]))})
    return status_label


def queue_for_transition(application, workflow, new_status, transition=None, comment=None):
    """The applicant hears of every status change; officers who act next, of their
    queue: each file at once, or, for an officer who chose the daily digest, in the
    digest (app/jobs/digests.py) with the file's in-app notification now."""
    status_label = tell_applicant(application, workflow, new_status, transition, comment)
    queue_for_staff(application, next_actors(workflow, application, new_status),
                    "antrian_petugas", {"status": status_label}, unless_digest=True)
