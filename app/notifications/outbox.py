"""Queueing notifications for a transition, inside its transaction: an outbox row for the
first channel of each message and an in-app notification per account. Nothing is sent
here."""

from flask_babel import force_locale

from app.extensions import db
from app.links import public_url
from app.notifications.chain import first_attempt
from app.notifications.templates import render
from app.services import walk_in
from app.workflow.access import among_audience, in_agency_scope, users_holding
from models import InAppNotification, SiapUser


def application_url(application):
    return public_url(f"/permohonan/{application.id}")


def applicant_url(application):
    """Where the applicant sees the file: its page, or without an account (a walk-in
    applicant) a fresh signed link to its read-only page."""
    if walk_in.is_walk_in(application):
        return walk_in.link_url(application)
    return application_url(application)


def next_actors(workflow, application, status):
    """The officers who can move this file on from `status` (of its agency, where the
    workflow is scoped by agency; among the audience of an action that has one)."""
    moves = [t for t in workflow.transitions_from(workflow.states(status))
             if t.advances and not t.by_applicant]
    actors = {}
    for transition in moves:
        for user in users_holding(workflow, [transition.action]):
            if in_agency_scope(user, application) and among_audience(transition, user,
                                                                     application):
                actors.setdefault(user.id, user)
    return [actors[user_id] for user_id in sorted(actors)]


def _queue(application, key, values, number, user):
    """The first attempt of the message on its chain of channels (app/notifications/
    chain.py: WhatsApp, SMS, e-mail where the recipient has an address for each)."""
    body = render(key, values)
    application_id = application.id if application is not None else None
    email = user.email if user is not None else None
    # The values stay with the message: an approved WhatsApp content template is filled
    # from them when it is sent (app/notifications/backends.py).
    attempt = first_attempt(
        key, number, email, recipient_user_id=user.id if user else None, body=body,
        application_id=application_id, variables=values)
    if attempt is not None:
        db.session.add(attempt)
    if user is not None:
        db.session.add(InAppNotification(user_id=user.id, application_id=application_id,
                                         text=body))


def queue_for_account(user, key, values):
    """A message about the account itself (not a file), to its owner."""
    _queue(None, key, values, user.whatsapp, user)


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


def queue_for_staff(application, users, key, values):
    """A message about a file to each of these officers: WhatsApp and in-app."""
    for user in users:
        _queue(application, key, {**_about(application, application_url(application)),
                                  "nama": user.full_name, **values},
               user.whatsapp, user)


def queue_for_transition(application, workflow, new_status, transition=None, comment=None):
    """The applicant hears of every status change — what happened (the reason of a
    return or a refusal: the transition's notice, from the action's comment) and what to
    do next —; officers who act next, of their queue."""
    with force_locale("id"):
        status_label = str(workflow.label(new_status))
        notice = transition.notice(application, comment) \
            if transition is not None and transition.notice else None
        next_step = workflow.applicant_next_step(application, new_status)
    queue_for_applicant(application, "status_pemohon",
                        {"status": status_label,
                         "langkah": "\n".join(filter(None, [notice, next_step]))})
    queue_for_staff(application, next_actors(workflow, application, new_status),
                    "antrian_petugas", {"status": status_label})
