"""Indonesian for WTForms' own validator messages.

WTForms ships no `id` catalog and Flask-WTF loads it from WTForms' package folder;
point that loader at our translations folder, which has `id/LC_MESSAGES/wtforms.mo`."""

import flask_wtf.i18n
from flask_babel import format_date, format_datetime, format_decimal

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


def register_template_filters(app):
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(local_number, "local_number")
    app.add_template_filter(square_metres, "square_metres")
