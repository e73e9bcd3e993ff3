"""One read path for files (app/workflow/files.py): who sees which file is written once
(whose file it is: Application.belongs_to, as a row's test and as a SQL condition) and
every query on files for a user goes through it. A guard over the code refuses the
rule written by hand again elsewhere; the behaviour is checked through the module."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from app.security import roles
from app.workflow import files
from models import Agency, Application
from tests.factories import make_user
from tests.support import make_asset_use, make_pkkpr, user

ROOT = Path(__file__).resolve().parents[2]
SEARCHED = ("app", "views", "api")
READ_PATH = "app/workflow/files.py"
ACCESS = "app/workflow/access.py"
OWNER_COLUMNS = {"owner_id", "created_by_id"}
RULE_NAMES = {"visibility_clause", "visible_clause", "own_clause", "load_visible"}
VIEW_PERMISSIONS = {"lihat_semua", "lihat_instansi"}

# (file, what) → why it may stay there.
ALLOWED = {
    (ACCESS, "agency_clause()"):
        "the inbox rule scopes the files waiting for an officer to their agency",
    (ACCESS, 'holds(…, "lihat_semua")'):
        "limited_to_agency: whether the agency scope applies at all",
}


def _is_owner_column(node):
    """`Application.owner_id` or `Application.created_by_id` (the columns, not a row's)."""
    return (isinstance(node, ast.Attribute) and node.attr in OWNER_COLUMNS
            and isinstance(node.value, ast.Name) and node.value.id == "Application")


def _findings(path, tree):
    """What in this module writes (part of) the visibility rule by hand."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
                _is_owner_column(side) for side in (node.left, *node.comparators)):
            found.add("Application.owner_id/created_by_id compared")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and _is_owner_column(node.func.value)):
            found.add(f"Application.{node.func.value.attr}.{node.func.attr}()")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "belongs_to" and isinstance(node.func.value, ast.Name)
              and node.func.value.id == "Application"):
            found.add("Application.belongs_to()")  # the owner rule as a SQL condition
        elif isinstance(node, ast.FunctionDef) and node.name in RULE_NAMES:
            found.add(f"def {node.name}")
        elif isinstance(node, ast.Name | ast.alias) and "visibility_clause" in (
                getattr(node, "id", None), getattr(node, "name", None)):
            found.add("visibility_clause (the old name)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "agency_clause":
                found.add("agency_clause()")
            elif node.func.id == "holds" and any(
                    isinstance(arg, ast.Constant) and arg.value in VIEW_PERMISSIONS
                    for arg in node.args):
                permission = next(arg.value for arg in node.args
                                  if isinstance(arg, ast.Constant))
                found.add(f'holds(…, "{permission}")')
    return {(path, what) for what in found}


def hand_written_visibility():
    """(file, what) for every place outside the read path that writes the rule."""
    found = set()
    for top in SEARCHED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative == READ_PATH:
                continue
            found |= _findings(relative, ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_visibility_is_written_only_in_the_read_path():
    written = hand_written_visibility() - set(ALLOWED)
    assert not written, (
        "visibility applied by hand; read files through app.workflow.files (visible, own, "
        f"visible_clause, own_clause, sees, load_visible) instead: {sorted(written)}")


def test_every_allowed_exception_is_still_needed():
    assert set(ALLOWED) <= hand_written_visibility()


def test_the_read_path_itself_holds_the_rule():
    tree = ast.parse((ROOT / READ_PATH).read_text(encoding="utf-8"))
    found = {what for _, what in _findings(READ_PATH, tree)}
    assert {"Application.belongs_to()", "def own_clause",
            "def visible_clause", "def load_visible", "agency_clause()"} <= found


# --- behaviour -----------------------------------------------------------------------

def _visible_ids(username):
    return set(db.session.scalars(select(files.visible(user(username)).subquery().c.id)))


def _own_ids(username):
    return set(db.session.scalars(select(files.own(user(username)).subquery().c.id)))


@pytest.fixture
def some_files(app):
    """Files of `pemohon` (a draft, a submitted PKKPR file, a hall file waiting for
    BPKAD), a walk-in draft the front office registered for nobody's account, and the
    users who look at them."""
    make_user(username="tetangga")
    agency = db.session.scalar(select(Agency).where(Agency.code == "DISPORAPAR"))
    make_user(roles.PENGELOLA_ASET, username="pora", agency_id=agency.id)
    found = {
        "draft": make_pkkpr("draft"),
        "submitted": make_pkkpr("menunggu_pembayaran"),
        "hall": make_asset_use("diteruskan_opd"),
        "walk_in": make_pkkpr("draft", owner=None, created_by="frontoffice"),
    }
    db.session.commit()
    return {name: application.id for name, application in found.items()}


def test_an_applicant_sees_their_own_files_drafts_included(some_files):
    mine = {some_files[name] for name in ("draft", "submitted", "hall")}
    assert mine <= _visible_ids("pemohon")
    assert _own_ids("pemohon") >= mine
    assert some_files["walk_in"] not in _visible_ids("pemohon")
    for application_id in mine:
        assert files.sees(user("pemohon"), application_id)
        assert files.load_visible(application_id, user("pemohon")).id == application_id


def test_another_applicant_sees_none_of_them(some_files):
    stranger = user("tetangga")
    assert not set(some_files.values()) & _visible_ids("tetangga")
    assert not _own_ids("tetangga")
    for application_id in some_files.values():
        assert not files.sees(stranger, application_id)
        with pytest.raises(NotFound):
            files.load_visible(application_id, stranger)


def test_staff_see_submitted_files_of_kinds_they_view_but_not_drafts(some_files):
    front_office = _visible_ids("frontoffice")
    assert some_files["submitted"] in front_office
    assert some_files["draft"] not in front_office
    assert some_files["submitted"] not in _own_ids("frontoffice")
    with pytest.raises(NotFound):
        files.load_visible(some_files["draft"], user("frontoffice"))


def test_a_walk_in_draft_is_its_registering_officers_own(some_files):
    assert some_files["walk_in"] in _own_ids("frontoffice")
    assert files.sees(user("frontoffice"), some_files["walk_in"])
    assert not files.sees(user("pemeriksa"), some_files["walk_in"])


def test_an_agencys_officer_sees_only_their_agencys_asset_files(some_files):
    assert files.sees(user("pengelolaaset"), some_files["hall"])
    assert not files.sees(user("pora"), some_files["hall"])
    assert some_files["submitted"] not in _visible_ids("pora")


def test_an_assets_calendar_links_to_files_only_for_who_sees_them(some_files):
    """The availability page links a booking to its file for staff who see the asset's
    files (every agency's, or their own agency's), never for another agency's officer."""
    from app.workflow.registry import WORKFLOWS

    workflow = WORKFLOWS["aset"]
    hall = db.session.get(Application, some_files["hall"])
    agency_id = hall.permit_type.agency_id
    assert files.sees_files_of_agency(user("frontoffice"), workflow, agency_id)
    assert files.sees_files_of_agency(user("pengelolaaset"), workflow, agency_id)
    assert not files.sees_files_of_agency(user("pora"), workflow, agency_id)
    assert not files.sees_files_of_agency(user("pemohon"), workflow, agency_id)


def test_a_bad_id_is_not_found(some_files):
    for bad in ("abc", None, 10**9):
        with pytest.raises(NotFound):
            files.load_visible(bad, user("pemohon"))


def test_the_visible_clause_filters_a_query_that_starts_elsewhere(some_files):
    """Queries from other tables join Application and add `visible_clause`: the same rows
    as `visible`."""
    from models import Application

    for username in ("pemohon", "tetangga", "frontoffice", "pora"):
        joined = set(db.session.scalars(
            select(Application.id).where(files.visible_clause(user(username)))))
        assert joined == _visible_ids(username)
