"""The "all files" lists page by key (views/keyset.py): forward and back through rows
that share the order column, with the search filters kept in the links, a count that
stops at a limit, and as many statements on a deep page as on the first."""

import html
import json
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from models.application import utcnow
from tests.support import make_pkkpr
from views import keyset

LIST = "/allapplicationsview/list/"


@pytest.fixture
def files():
    """Eight submitted files, newest first by "since"; four of them entered their status
    at the same moment (ties across a page boundary), decided by id."""
    now = utcnow().replace(microsecond=0)
    moments = [now - timedelta(hours=h) for h in (1, 2, 3, 3, 3, 3, 4, 5)]
    made = []
    for index, moment in enumerate(moments):
        application = make_pkkpr("diajukan" if index % 2 else "diterima_fo")
        application.status_changed_at = moment
        application.applicant_name = f"Pemohon {'Genap' if index % 2 else 'Ganjil'} {index}"
        made.append(application)
    db.session.commit()
    return sorted(made, key=lambda a: (a.status_changed_at, a.id), reverse=True)


def numbers(page):
    return re.findall(r"TEST/\d{6}", page)


def link(page, rel):
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def walk(client, url, rel):
    """The pages met following the `rel` links from `url`."""
    pages = []
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(numbers(page))
        url = link(page, rel)
    return pages, page


def test_paging_forward_and_back_meets_every_file_once_in_order_ties_included(files,
                                                                              login_as):
    client = login_as("frontoffice")
    forward, last = walk(client, f"{LIST}?psize_AllApplicationsView=3", "next")
    expected = [a.registration_number for a in files]
    assert forward == [expected[0:3], expected[3:6], expected[6:8]]
    assert link(client.get(f"{LIST}?psize_AllApplicationsView=3").get_data(as_text=True),
                "prev") is None
    back, _ = walk(client, link(last, "prev"), "prev")
    assert back == [expected[3:6], expected[0:3]]


def test_ascending_order_pages_the_other_way(files, login_as):
    client = login_as("frontoffice")
    url = f"{LIST}?psize_AllApplicationsView=3&_oc_AllApplicationsView=status_changed_at" \
          "&_od_AllApplicationsView=asc"
    forward, _ = walk(client, url, "next")
    assert sum(forward, []) == [a.registration_number for a in reversed(files)]


def _filter_index(app, column, name):
    view = next(v for v in app.appbuilder.baseviews if type(v).__name__ ==
                "AllApplicationsView")
    return [type(f).__name__ for f in view._filters.get_search_filters()[column]].index(name)


def test_the_search_filter_is_kept_in_the_page_links(app, files, login_as):
    index = _filter_index(app, "applicant_name", "FilterContains")
    client = login_as("frontoffice")
    forward, _ = walk(client, f"{LIST}?psize_AllApplicationsView=2"
                              f"&_flt_{index}_applicant_name=Genap", "next")
    expected = [a.registration_number for a in files if "Genap" in a.applicant_name]
    assert sum(forward, []) == expected and len(forward) == 2


def test_the_permit_type_filter_offers_the_catalogue_and_keeps_one_type(app, files,
                                                                          login_as):
    from app.services.catalogue import permit_type_options
    from tests.support import make_asset_use

    hall = make_asset_use()
    index = _filter_index(app, "permit_type", "FilterRelationOneToManyEqual")
    client = login_as("frontoffice")
    page = client.get(LIST).get_data(as_text=True)
    # The search form's fields are in the page as JSON, for the filter menu's script.
    fields = json.loads(re.search(r'^\s*(\{"applicant_name": "\\u003cinput.*\}),$', page,
                                  re.MULTILINE).group(1))
    offered = re.findall(r'<option value="(\d+)">([^<]+)</option>', fields["permit_type"])
    with app.test_request_context():
        catalogue = [(str(o.id), o.name) for o in permit_type_options()]
    assert [(value, html.unescape(name)) for value, name in offered] == catalogue
    page = client.get(f"{LIST}?_flt_{index}_permit_type={hall.permit_type_id}").get_data(
        as_text=True)
    assert hall.registration_number in page
    assert not any(f">{a.registration_number}<" in page for a in files)


def test_the_count_is_exact_below_the_limit_and_more_than_it_above(files, login_as,
                                                                   monkeypatch):
    client = login_as("frontoffice")
    page = client.get(LIST).get_data(as_text=True)
    assert '<span class="keyset-count">8</span>' in page
    monkeypatch.setattr(keyset, "COUNT_LIMIT", 5)
    page = client.get(LIST).get_data(as_text=True)
    assert re.search(r"class=\"keyset-count\">lebih dari 5<", page)  # not 8


def test_the_estimate_beside_more_than_is_made_once_a_minute_per_list_user_and_search(
        files, login_as, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the estimate is PostgreSQL's planner's (TEST_DATABASE_URL)")
    monkeypatch.setattr(keyset, "COUNT_LIMIT", 5)
    front_office, back_office = login_as("frontoffice"), login_as("backoffice")

    def estimates(client, url=LIST):
        made = []

        def note(_connection, _cursor, statement, *_):
            made.extend([statement] if statement.startswith("EXPLAIN") else [])

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            page = client.get(url).get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        assert "lebih dari 5" in page
        return len(made)

    assert estimates(front_office) == 1
    assert estimates(front_office) == 0  # kept
    assert estimates(front_office, f"{LIST}?after=" + keyset.encode_cursor(files[0])) == 0
    assert estimates(front_office, f"{LIST}?_flt_0_applicant_name=Pemohon") == 1  # a search
    assert estimates(back_office) == 1  # another user sees other files
    keyset._estimates.expire(time.monotonic() + keyset.ESTIMATE_SECONDS)
    assert estimates(front_office) == 1  # a minute later


def test_a_deep_page_reads_as_many_statements_as_the_first(files, login_as):
    client = login_as("frontoffice")

    def statements(url):
        client.get(url)  # caches warmed
        seen = []

        def count(*args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = client.get(url).get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen), page

    first, page = statements(f"{LIST}?psize_AllApplicationsView=2")
    url = link(page, "next")
    for _ in range(2):
        url = link(client.get(url).get_data(as_text=True), "next")
    deep, _ = statements(url)
    assert deep == first
