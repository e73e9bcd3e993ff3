"""Per-request overhead: a staff page asks the database at most 6 things, a public page at
most 3 — whoever is signed in, permissions and rarely changing data come from what each
process keeps (app/process_cache.py) — and a change of a grant, by any means, reaches
every process on its next request."""

import pytest
from flask import current_app
from sqlalchemy import event, text

from app import create_app
from app.extensions import db
from app.security import roles
from tests.conftest import DEMO_PASSWORD, IsolatedClient, login
from tests.decrees.support import signed_pkkpr
from tests.support import make_pkkpr, user

STAFF_MAX, PUBLIC_MAX = 6, 3


def statements_of(client, url, method="get", before_measuring=None, **request):
    """The SQL statements of one request of a warm client (the process's caches and the
    client's session warmed by the same request before, then `before_measuring()`)."""
    assert getattr(client, method)(url, **request).status_code == 200
    if before_measuring:
        before_measuring()
    statements = []

    def record(_connection, _cursor, statement, *_):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = getattr(client, method)(url, **request)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return statements


@pytest.fixture
def waiting_file():
    return make_pkkpr("diajukan")


@pytest.mark.parametrize("url", ["/inboxpkkprnbview/list/", "/allfilespkkprnbview/list/",
                                 "/permohonan/{id}", "/beranda-petugas/", "/statistik/",
                                 "/statistik/?start=2026-01-10&end=2026-04-20"])
def test_a_staff_page_runs_at_most_six_queries(login_as, waiting_file, url):
    statements = statements_of(login_as("frontoffice"), url.format(id=waiting_file.id))
    assert len(statements) <= STAFF_MAX, "\n".join(statements)


@pytest.mark.parametrize("url", ["/statistik/", "/inboxpkkprnbview/list/", "/tandatangan/"])
def test_the_head_of_offices_pages_run_at_most_six_queries(login_as, url):
    """The menu also counts what waits for their signature: in the same statement as the
    inboxes' counts."""
    signed_pkkpr()
    statements = statements_of(login_as("kepaladinas"), url)
    assert len(statements) <= STAFF_MAX, "\n".join(statements)


@pytest.mark.parametrize("url", ["/dasbor/", "/permohonan/{id}", "/myapplicationsview/list/"])
def test_an_applicants_page_runs_at_most_six_queries(login_as, waiting_file, url):
    statements = statements_of(login_as("pemohon"), url.format(id=waiting_file.id))
    assert len(statements) <= STAFF_MAX, "\n".join(statements)


@pytest.mark.parametrize("url", ["/", "/persyaratan/", "/lacak/"])
def test_a_public_page_runs_at_most_three_queries(client, url):
    statements = statements_of(client, url)
    assert len(statements) <= PUBLIC_MAX, "\n".join(statements)


def test_a_tracked_file_runs_at_most_three_queries(client, waiting_file):
    statements = statements_of(client, "/lacak/", "post", data={
        "nomor": waiting_file.registration_number, "akhiran": "7890"})
    assert len(statements) <= PUBLIC_MAX, "\n".join(statements)


def test_the_verification_page_runs_at_most_three_queries(client):
    decree = signed_pkkpr().decree
    statements = statements_of(client, f"/verifikasi/{decree.token}")
    assert len(statements) <= PUBLIC_MAX, "\n".join(statements)


def test_no_page_asks_the_database_about_permissions(login_as, waiting_file):
    for statement in statements_of(login_as("frontoffice"), f"/permohonan/{waiting_file.id}"):
        assert "ab_permission" not in statement and "ab_view_menu" not in statement


# --- a change reaches every process on its next request --------------------------------


@pytest.fixture
def second_process(app):
    """Another app on the same database, with caches of its own (as another host's)."""
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
                       DEMO_PASSWORD=DEMO_PASSWORD)
    other.test_client_class = IsolatedClient
    other.appbuilder.sm.limiter.enabled = False
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


INBOX = "/inboxpkkprnbview/list/"


def _revoke_by_sql(role_name, permission, view):
    db.session.execute(text(
        "DELETE FROM ab_permission_view_role WHERE role_id = "
        "(SELECT id FROM ab_role WHERE name = :role) AND permission_view_id = "
        "(SELECT pv.id FROM ab_permission_view pv JOIN ab_permission p ON p.id = "
        "pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id "
        "WHERE p.name = :permission AND v.name = :view)"),
        {"role": role_name, "permission": permission, "view": view})
    db.session.commit()


def _revoke_through_flask_appbuilder(role_name, permission, view):
    sm = current_app.appbuilder.sm
    sm.del_permission_role(sm.find_role(role_name),
                           sm.find_permission_view_menu(permission, view))


@pytest.mark.parametrize("revoke", [_revoke_by_sql, _revoke_through_flask_appbuilder])
def test_a_revoked_grant_is_refused_on_the_next_request_in_every_process(
        app, second_process, revoke):
    here = login(app.test_client(), "frontoffice")
    there = login(second_process.test_client(), "frontoffice")
    assert here.get(INBOX).status_code == 200
    assert there.get(INBOX).status_code == 200  # both processes keep the grant now
    revoke(roles.FRONT_OFFICE, "can_list", "InboxPkkprNbView")
    assert here.get(INBOX).status_code == 403
    assert there.get(INBOX).status_code == 403


def test_a_role_taken_from_a_user_is_gone_on_the_next_request_in_every_process(
        app, second_process):
    officer = user("frontoffice")
    there = login(second_process.test_client(), "frontoffice")
    assert there.get(INBOX).status_code == 200
    officer.roles = [current_app.appbuilder.sm.find_role(roles.PEMOHON)]
    db.session.commit()
    assert there.get(INBOX).status_code == 403


def test_a_grant_to_the_public_shows_on_the_next_anonymous_request_in_every_process(
        app, second_process):
    there = second_process.test_client()
    assert there.get("/permitcategoryview/list/").status_code in (302, 401)
    sm = current_app.appbuilder.sm
    sm.add_permission_role(sm.find_role(roles.PUBLIC),
                           sm.find_permission_view_menu("can_list", "PermitCategoryView"))
    assert there.get("/permitcategoryview/list/").status_code == 200


# Every table whose rows a process keeps: a change by plain SQL moves the counter (a
# later migration that rebuilds one of them must create its trigger again).
WATCHED_CHANGES = {
    "ab_role": "UPDATE ab_role SET name = name",
    "ab_permission": "UPDATE ab_permission SET name = name",
    "ab_view_menu": "UPDATE ab_view_menu SET name = name",
    "ab_permission_view": "UPDATE ab_permission_view SET view_menu_id = view_menu_id",
    "ab_permission_view_role": "DELETE FROM ab_permission_view_role WHERE id = -1 OR "
                               "id = (SELECT max(id) FROM ab_permission_view_role)",
    "signing_delegation": "INSERT INTO signing_delegation (delegate_id, kind, start_date, "
                          "end_date, letter_number, created_by_id, created_at) SELECT id, "
                          "'plt', '2031-01-02', '2031-01-03', '1/2031', id, '2031-01-01' "
                          "FROM ab_user WHERE username = 'pemeriksa'",
    "holiday": "INSERT INTO holiday (date, name) VALUES ('2031-01-02', 'Uji')",
    "stage_target": "INSERT INTO stage_target (permit_type_id, status, days) SELECT id, "
                    "'diajukan', 3 FROM permit_type WHERE code = 'PKKPR-NB'",
    "permit_category": "UPDATE permit_category SET name = name",
    "permit_type": "UPDATE permit_type SET name = name",
    "permit_requirement": "UPDATE permit_requirement SET name = name",
}


@pytest.mark.parametrize("table", sorted(WATCHED_CHANGES))
def test_any_change_of_a_kept_table_moves_the_cache_generation(table):
    def generation():
        return db.session.scalar(text("SELECT value FROM cache_generation WHERE id = 1"))

    before = generation()
    db.session.execute(text(WATCHED_CHANGES[table]))
    db.session.commit()
    assert generation() > before


def test_a_change_a_request_has_not_committed_is_not_kept_for_others(app, login_as):
    """What a process keeps is read outside the request's own transaction."""
    from app.process_cache import kept

    with app.test_request_context():
        db.session.execute(text("INSERT INTO holiday (date, name) VALUES "
                                "('2031-01-03', 'Belum')"))
        days = kept("test_days_off", lambda reader: frozenset(
            reader.scalars(text("SELECT date FROM holiday"))))
        db.session.rollback()
    assert not any(str(day).startswith("2031-01-03") for day in days)


def test_an_all_files_list_longer_than_its_exact_count_runs_at_most_six_queries(
        login_as, monkeypatch):
    """Above the exact count's limit the page still reads its rows and count in one
    statement each (the estimate shown beside "more than" included, made afresh)."""
    from views import keyset

    monkeypatch.setattr(keyset, "COUNT_LIMIT", 2)
    for _ in range(3):
        make_pkkpr("diajukan")
    client = login_as("frontoffice")
    statements = statements_of(client, "/allfilespkkprnbview/list/",
                               before_measuring=keyset.forget_estimates)
    if db.engine.dialect.name == "postgresql":
        assert [s for s in statements if s.startswith("EXPLAIN")]
    assert "lebih dari 2" in client.get("/allfilespkkprnbview/list/").get_data(as_text=True)
    assert len(statements) <= STAFF_MAX, "\n".join(statements)
    # PostgreSQL's estimate plans the files' query alone, not the rows' eager joins.
    assert not [s for s in statements if s.startswith("EXPLAIN") and "JOIN permit_type" in s]


@pytest.mark.parametrize("url", ["/inboxpkkprnbview/list/", "/allfilespkkprnbview/list/",
                                 "/myapplicationsview/list/"])
def test_a_list_reads_its_rows_permit_types_with_the_rows(login_as, url):
    """The rows' permit type (its name, its service standard for the clock) comes with
    the page's rows, not one lazy load after another."""
    make_pkkpr("diajukan", created_by="frontoffice")
    statements = statements_of(login_as("frontoffice"), url)
    assert not [s for s in statements if s.lstrip().startswith("SELECT permit_type.")]
    assert any("JOIN permit_type" in s for s in statements)
