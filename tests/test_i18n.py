"""Bahasa Indonesia is the default everywhere; English can be chosen."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

CATALOG_DIR = Path(__file__).resolve().parent.parent / "translations" / "id" / "LC_MESSAGES"
DOMAINS = ["messages", "wtforms"]


def _key(value):
    """Plural entries are tuples in .po files and lists in .mo files."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_indonesian_catalog_has_no_untranslated_or_fuzzy_entries(domain):
    with open(CATALOG_DIR / f"{domain}.po", "rb") as f:
        catalog = read_po(f)
    problems = [
        message.id
        for message in catalog
        if message.id
        and (message.fuzzy or not all(message.string if isinstance(message.string, tuple)
                                      else [message.string]))
    ]
    assert problems == []
    assert not catalog.fuzzy


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalog_matches_the_po_file(domain):
    with open(CATALOG_DIR / f"{domain}.po", "rb") as f:
        po = {_key(m.id): _key(m.string) for m in read_po(f) if m.id}
    with open(CATALOG_DIR / f"{domain}.mo", "rb") as f:
        mo = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "run `make translations` to recompile the catalogs"


def test_the_extracted_template_has_no_message_missing_from_the_catalog():
    with open(CATALOG_DIR.parent.parent / "messages.pot", "rb") as f:
        template_ids = {m.id for m in read_po(f) if m.id}
    with open(CATALOG_DIR / "messages.po", "rb") as f:
        catalog_ids = {m.id for m in read_po(f) if m.id}
    assert template_ids - catalog_ids == set()


def test_flask_appbuilders_own_screens_are_indonesian_by_default(client):
    page = client.get("/login/").get_data(as_text=True)
    assert "Kata Sandi" in page and "Nama Pengguna" in page
    assert "Password" not in page


def test_menus_and_list_screens_are_indonesian(login_as):
    page = login_as("admin").get("/permittypeview/list/").get_data(as_text=True)
    assert "Katalog Izin" in page and "Jenis Izin" in page and "Keamanan" in page


def test_wtforms_messages_are_indonesian(client):
    page = client.post("/register/form", data={}).get_data(as_text=True)
    assert "Kolom ini wajib diisi." in page


def test_english_can_be_selected(client):
    client.get("/lang/en")
    page = client.get("/login/").get_data(as_text=True)
    assert "Password" in page and "Kata Sandi" not in page
    client.get("/lang/id")
    assert "Kata Sandi" in client.get("/login/").get_data(as_text=True)


def test_the_confirmation_dialog_speaks_indonesian(client):
    """Every page carries Flask-AppBuilder's confirmation dialog: its buttons too."""
    page = client.get("/").get_data(as_text=True)
    assert 'id="modal-confirm"' in page
    assert ">Batal</button>" in page and ">Cancel<" not in page


def test_the_templates_follow_a_change_of_language_within_a_request(app):
    """The templates' translations are found once per request (app.i18n) and found again
    when Flask-Babel forgets the request's language."""
    from flask import render_template_string, session
    from flask_babel import refresh

    with app.test_request_context("/"):
        assert render_template_string("{{ _('Apply filter') }}") == "Terapkan filter"
        session["locale"] = "en"
        refresh()
        assert render_template_string("{{ _('Apply filter') }}") == "Apply filter"
        assert render_template_string(
            "{{ ngettext('%(num)d file', '%(num)d files', 2) }}") == "2 files"
    with app.app_context():  # no request: Flask-Babel's default language
        assert render_template_string("{{ _('Apply filter') }}") == "Terapkan filter"
