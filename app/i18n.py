"""Languages on the screens: Indonesian for WTForms' own validator messages, the
templates' translations looked up once per request, and the filters that show stored
values as people read them.

WTForms ships no `id` catalog and Flask-WTF loads it from WTForms' package folder;
point that loader at our translations folder, which has `id/LC_MESSAGES/wtforms.mo`."""

from datetime import date, datetime
from decimal import Decimal

import flask_wtf.i18n
from flask import g, has_app_context
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
)
from flask_babel import gettext as _

from config import TRANSLATIONS_DIR


def use_our_wtforms_catalog():
    flask_wtf.i18n.messages_path = lambda: str(TRANSLATIONS_DIR)


def local_time(value):
    """A stored UTC time shown in the office's time zone (WIB), e.g. 28 Nov 2026 13.33."""
    return format_datetime(value, "d MMM yyyy HH.mm") if value else ""


def local_date(value):
    """A date in the user's language, e.g. 28 Nov 2026."""
    return format_date(value, "d MMM yyyy") if value else ""


def long_date(value):
    """A date with the month's full name, as official documents write it: 29 November
    2029. A stored (UTC) time gives its office date."""
    return format_date(value, "d MMMM yyyy") if value else ""


def rupiah(value):
    """Rp1.250.000 (Indonesian thousands separators, whole rupiah)."""
    if value is None:
        return ""
    return "Rp" + f"{int(round(value)):,}".replace(",", ".")


def local_number(value):
    """A number in the user's language, at most two decimals: 2.937 and 240,5 in
    Indonesian; "" when empty."""
    return "" if value is None else format_decimal(value, "#,##0.##")


def square_metres(value):
    """An area: 2.937 m² (Indonesian separators); "" when empty."""
    return "" if value is None else f"{local_number(value)} m²"


def readable(value):
    """Any stored value as a person reads it: "—" for nothing, Ya/Tidak, times in WIB,
    dates as 28 Nov 2026, decimals with a comma (Flask-AppBuilder prints repr-like
    values: None, True, 2026-11-28 06:33:00.123456, 1100.00)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return local_date(value)
    if isinstance(value, (Decimal, float)):
        return local_number(value)
    if isinstance(value, (list, tuple, set)) and not isinstance(value, str):
        return ", ".join(str(readable(item)) for item in value) or "—"
    return value


def page_language():
    """The page's language for the <html lang> attribute (screen readers read by it)."""
    locale = get_locale()
    return locale.language if locale else "id"


def request_translations():
    """The request's translations (Flask-Babel's), found once per request and language.
    Flask-Babel finds them anew for every string — three look-ups of its request state
    and the language's name — which a file page pays for two hundred times. Kept beside
    Flask-Babel's own language of the request: when that is forgotten (flask_babel
    .refresh, after a change of language), they are found again."""
    if not has_app_context():
        return get_translations()  # Flask-Babel's null translations
    state = g.get("_flask_babel")  # Flask-Babel's state of this request
    language = getattr(state, "babel_locale", None)
    kept = getattr(state, "siap_translations", None)
    if kept is not None and language is not None and kept[0] is language:
        return kept[1]
    translations = get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        state.siap_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def install_template_translations(app):
    """The templates' `_`, `gettext`, `ngettext` (newstyle, as Flask-Babel installs
    them) through `request_translations`."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda singular, plural, n: request_translations().ungettext(
            singular, plural, n),
        pgettext=lambda context, string: request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(
            context, singular, plural, n),
        newstyle=True)


def register_template_filters(app):
    install_template_translations(app)
    app.add_template_global(page_language, "page_language")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(local_number, "local_number")
    app.add_template_filter(square_metres, "square_metres")
    app.add_template_filter(readable, "readable")
