"""The navbar's menu. Which entries a user sees depends only on their roles and
permissions (and the language): the menu is rendered once per process for each such set
and kept until the process's kept data changes (app/process_cache.py) or the process
menus are rebuilt. The badges are filled in on every page: the files waiting in each
kind's inbox and, for those who sign, the decrees and documents waiting for their
signature — read together, in one statement (built once per officer: kept_for_user), on
the first badge a page shows."""

import re

from flask import current_app, g, render_template
from flask_babel import get_locale, gettext
from markupsafe import Markup
from sqlalchemy import literal, select, union_all

from app.extensions import db
from app.process_cache import kept_derived
from app.services import signing_queue
from app.workflow.access import inbox_counts_query, kept_for_user, user_permissions
from views.signing import SigningView

SIGNATURE_MENU = "Signature"
# The signature count's row among the kinds' rows (no kind is named so).
SIGNATURES = "~signatures"
_BADGE_SLOT = re.compile(r"<!--siap-badge:([^>]*)-->")


def _counts_statement(user):
    statement = inbox_counts_query(user)
    if SigningView.signs_decrees():
        statement = union_all(statement, select(
            literal(SIGNATURES), signing_queue.count_waiting_expression(user)))
    return statement


def _read(user):
    return dict(db.session.execute(
        kept_for_user("menu_counts", user, _counts_statement)).all())


def menu_counts():
    """{kind: files waiting in its inbox, SIGNATURES: waiting for a signature} of the
    signed-in user, read once per request."""
    if "_siap_menu_counts" not in g:
        g._siap_menu_counts = _read(g.user) if g.user.is_authenticated else {}
    return g._siap_menu_counts


def _counted_as(menu_name):
    """The key of `menu_counts` an entry's badge shows: "Inbox <kind>" or the signing
    page's; None for entries without a badge."""
    if menu_name == SIGNATURE_MENU:
        return SIGNATURES
    if menu_name.startswith("Inbox "):
        return menu_name.removeprefix("Inbox ")
    return None


def badge_count(menu_name):
    """The number beside a menu entry (0 for entries without a badge)."""
    key = _counted_as(menu_name)
    return 0 if key is None else menu_counts().get(key, 0)


def badge_slot(menu_name):
    """Where a kept menu gets an entry's badge on each page."""
    return "" if _counted_as(menu_name) is None else \
        Markup(f" <!--siap-badge:{menu_name}-->")


def _badge(found):
    count = badge_count(found.group(1))
    if not count:
        return ""
    return f'<span class="badge" title="{gettext("Files waiting")}">{count}</span>'


def _viewer():
    """What decides the entries shown: the roles (staff or not) and the permissions."""
    user = g.user
    if not user.is_authenticated:
        return None
    return frozenset(role.name for role in user.roles), user_permissions(user)


def navbar_menu():
    """The menu's entries (<li>), badges filled in."""
    appbuilder = current_app.appbuilder
    entries = appbuilder.menu.menu  # replaced whole when processes change

    def render():
        return entries, render_template("appbuilder/navbar_menu_entries.html",
                                        appbuilder=appbuilder, menu=appbuilder.menu)

    rendered_for, html = kept_derived(
        ("navbar_menu", str(get_locale()), id(entries), _viewer()), render)
    if rendered_for is not entries:  # a rebuilt menu at a reused address
        _, html = render()
    return Markup(_BADGE_SLOT.sub(_badge, html))


def provide_navbar_menu():
    current_app.context_processor(lambda: {"navbar_menu": navbar_menu,
                                           "badge_slot": badge_slot})
