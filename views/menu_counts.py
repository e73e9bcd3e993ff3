"""The navbar's badges: the files waiting in each kind's inbox and, for those who sign,
the decrees and documents waiting for their signature — read together, in one
statement, the first time a page's menu asks for one of them."""

from flask import current_app, g
from sqlalchemy import literal, select, union_all

from app.extensions import db
from app.services import signing_queue
from app.workflow.access import inbox_counts_query
from views.signing import SigningView

# The signature count's row among the kinds' rows (no kind is named so).
SIGNATURES = "~signatures"


def _read(user):
    statement = inbox_counts_query(user)
    if SigningView.signs_decrees():
        statement = union_all(statement, select(
            literal(SIGNATURES), signing_queue.count_waiting_expression(user)))
    return dict(db.session.execute(statement).all())


def menu_counts():
    """{kind: files waiting in its inbox, SIGNATURES: waiting for a signature} of the
    signed-in user, read once per request."""
    if "_siap_menu_counts" not in g:
        g._siap_menu_counts = _read(g.user) if g.user.is_authenticated else {}
    return g._siap_menu_counts


def inbox_count(menu_name):
    """The badge of a menu entry "Inbox <kind>"."""
    if not menu_name.startswith("Inbox "):
        return 0
    return menu_counts().get(menu_name.removeprefix("Inbox "), 0)


def signature_count():
    return menu_counts().get(SIGNATURES, 0)


def provide_menu_counts():
    current_app.context_processor(lambda: {"inbox_count": inbox_count,
                                           "signature_count": signature_count})
