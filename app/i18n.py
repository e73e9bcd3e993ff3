"""Indonesian for WTForms' own validator messages.

WTForms ships no `id` catalog and Flask-WTF loads it from WTForms' package folder;
point that loader at our translations folder, which has `id/LC_MESSAGES/wtforms.mo`."""

import flask_wtf.i18n

from config import TRANSLATIONS_DIR


def use_our_wtforms_catalog():
    flask_wtf.i18n.messages_path = lambda: str(TRANSLATIONS_DIR)
