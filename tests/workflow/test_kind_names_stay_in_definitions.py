"""One registration per kind (DESIGN.md section 7): what differs between kinds — the
application form, how long the permit is in force, what a renewal asks anew, which decree
template, its default text and what it may print, what the file page, the print view and
the API show of its data — is declared by the kind's definition (Workflow.applying,
validity, renewal_fields, decree_template, default_decrees, placeholders, page, details),
and services ask it (tests/workflow/test_a_new_built_in_kind.py adds one). A built-in
kind is named only in its definition and in the places listed below, each with the reason
it is still there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEARCHED = ("app", "views", "api")
SUFFIXES = {".py", ".html", ".js"}
DEFINITIONS = {"app/workflow/pkkpr_nb.py", "app/workflow/aset.py"}
KIND_NAME = re.compile(r"""WorkflowKind\.(PKKPR_NB|ASET)\b|["'](pkkpr_nb|aset)["']""")

# file → why a kind is named there (still to be declared by the definitions).
ALLOWED = {
    "app/documents/defaults.py": "the default texts: the rejection letter and the "
                                 "revocation decree word each kind's case",
    "app/documents/placeholders.py": "the group named aset, the SKRD (an asset use's "
                                     "document, printing its values) and made-up facts",
    "app/seed/catalogue.py": "the built-in permit types the catalogue is seeded with",
    "app/templates/application/_asset_use.html": 'the HTML id "aset" of that part',
    "app/workflow/withdrawal.py": 'the key "aset" of a released booking in the history',
    "views/assets.py": "the asset calendar, a screen of the asset-use kind",
    "views/catalogue.py": "asset types: permit types of the asset-use kind",
}


def files_naming_a_kind():
    found = set()
    for top in SEARCHED:
        for path in (ROOT / top).rglob("*"):
            relative = str(path.relative_to(ROOT))
            if path.suffix in SUFFIXES and relative not in DEFINITIONS and \
                    KIND_NAME.search(path.read_text(encoding="utf-8")):
                found.add(relative)
    return found


def test_no_kind_is_named_outside_its_definition_but_where_listed():
    assert files_naming_a_kind() <= set(ALLOWED), (
        "declare what differs by kind on its Workflow and ask the definition: "
        f"{sorted(files_naming_a_kind() - set(ALLOWED))}")


def test_every_listed_place_still_names_a_kind():
    assert set(ALLOWED) <= files_naming_a_kind()
