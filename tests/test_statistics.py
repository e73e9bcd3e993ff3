"""The statistics page: its numbers match a fixture computed by hand, every role sees
the statistics of the files it may see, charts load nothing from the internet, and the
underlying table exports as CSV and XLSX."""

import csv
import io
import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import statistics as stats
from app.services.statistics import StatisticsFilter
from app.workflow.registry import WORKFLOWS
from models import SKM_ELEMENTS, HistoryEvent, SurveyResponse
from tests.assets.test_asset_access import GOR, agency_officer
from tests.support import make_asset_use, make_pkkpr, user

HALL_TYPE = "Sewa Gedung Pertemuan"  # service standard 5 working days, BPKAD
GOR_TYPE = "Sewa Gedung Olahraga (GOR)"  # 5 working days, DISPORAPAR
PKKPR_TYPE = "PKKPR Non Berusaha"  # 20 working days


def utc(*args):
    """A stored moment (naive UTC); 02.00 UTC is 09.00 WIB."""
    return datetime(*args)


def settle(application, submitted, clock_days=0, finished=None, stages=()):
    """Give a file the dates and clock a real history would have left, and the
    transitions out of `stages` [(status, working days)]."""
    application.submitted_at = submitted
    application.clock_days = clock_days
    application.finished_at = finished
    for status, days in stages:
        db.session.add(HistoryEvent(application=application, action="uji", from_status=status,
                                    to_status="x", working_days=days))
    db.session.commit()
    return application


def pkkpr(status, submitted, clock_days=0, stages=()):
    finished = submitted if status in ("selesai", "ditolak") else None
    return settle(make_pkkpr(status, documents=None), submitted, clock_days, finished, stages)


def asset(status, submitted, clock_days=0, asset_name=None, stages=()):
    kwargs = {"asset_name": asset_name} if asset_name else {}
    finished = submitted if status == "selesai" else None
    return settle(make_asset_use(status, **kwargs), submitted, clock_days, finished, stages)


@pytest.fixture
def files():
    """Eleven submitted files and a draft. By office month (WIB):
    2026-01: PKKPR selesai 4 days, PKKPR diperiksa, hall selesai 3 days        → 3
    2026-02: PKKPR selesai 12 (31 Jan 18.00 UTC = 1 Feb WIB), 20, 21 days,
             PKKPR ditolak, hall with the agency                               → 5
    2026-03: nothing                                                           → 0
    2026-04: PKKPR selesai 30 days, PKKPR diperiksa, GOR selesai 6 days        → 3"""
    made = {
        "p1": pkkpr("selesai", utc(2026, 1, 5, 2), 4,
                    stages=[("draft", 3), ("diterima_fo", 1), ("diperiksa", 2)]),
        "p2": pkkpr("selesai", utc(2026, 1, 31, 18), 12,
                    stages=[("diterima_fo", 1), ("diperiksa", 6)]),
        "p3": pkkpr("selesai", utc(2026, 2, 10, 2), 20, stages=[("diperiksa", 4)]),
        "p4": pkkpr("selesai", utc(2026, 2, 20, 2), 21, stages=[("perlu_perbaikan", 5)]),
        "p5": pkkpr("selesai", utc(2026, 4, 1, 2), 30),
        "examined_jan": pkkpr("diperiksa", utc(2026, 1, 20, 2)),
        "examined_apr": pkkpr("diperiksa", utc(2026, 4, 2, 2)),
        "rejected": pkkpr("ditolak", utc(2026, 2, 3, 2), 9),
        "hall_done": asset("selesai", utc(2026, 1, 15, 2), 3,
                           stages=[("diteruskan_opd", 7)]),
        "hall_open": asset("diteruskan_opd", utc(2026, 2, 5, 2)),
        "gor_done": asset("selesai", utc(2026, 4, 10, 2), 6, asset_name=GOR),
    }
    make_pkkpr("draft", documents=None)  # not submitted: never counted
    return made


EVERYTHING = StatisticsFilter()


def test_counts_per_permit_type_and_status_match_the_fixture(files):
    counts = stats.counts_by_type_and_status(user("frontoffice"), EVERYTHING)
    assert [(c.permit_type, c.total) for c in counts] == [
        (PKKPR_TYPE, 8), (HALL_TYPE, 2), (GOR_TYPE, 1)]
    assert [(s, n) for s, _, n in counts[0].statuses] == [
        ("diperiksa", 2), ("selesai", 5), ("ditolak", 1)]
    assert [(s, n) for s, _, n in counts[1].statuses] == [("diteruskan_opd", 1), ("selesai", 1)]


def test_counts_per_month_use_office_dates_and_show_empty_months(files):
    months = stats.counts_by_month(user("frontoffice"), EVERYTHING)
    assert [(m.month, m.total) for m in months] == [
        ("2026-01", 3), ("2026-02", 5), ("2026-03", 0), ("2026-04", 3)]
    assert months[1].by_type == {PKKPR_TYPE: 4, HALL_TYPE: 1}
    assert months[3].by_type == {PKKPR_TYPE: 2, GOR_TYPE: 1}


def test_processing_time_mean_p90_and_share_within_the_standard_match_the_fixture(files):
    overall, per_type = stats.processing_times(user("frontoffice"), EVERYTHING)
    # Finished: 3, 4, 6, 12, 20, 21, 30 → mean 96/7; p90 at rank ceil(6.3) = 7.
    assert (overall.count, overall.mean, overall.p90) == (7, 13.71, 30)
    # Within: PKKPR 4, 12, 20 (≤ 20) and the hall's 3 (≤ 5); not 21, 30, nor the GOR's 6.
    assert overall.within_standard == 4
    assert overall.share_within_standard == pytest.approx(4 / 7)
    by_name = {row.label: row for row in per_type}
    # PKKPR 4, 12, 20, 21, 30: mean 17.4; p90 at rank ceil(4.5) = 5 (interpolation: 26.4).
    assert (by_name[PKKPR_TYPE].count, by_name[PKKPR_TYPE].mean, by_name[PKKPR_TYPE].p90,
            by_name[PKKPR_TYPE].within_standard) == (5, 17.4, 30, 3)
    assert by_name[GOR_TYPE].within_standard == 0 and by_name[HALL_TYPE].within_standard == 1


@pytest.mark.parametrize(
    ("values", "p90"),
    [([], None), ([7], 7), (list(range(1, 11)), 9), (list(range(1, 12)), 10),
     (list(range(70, 0, -1)), 63), ([5, 1, 3], 5)],
)
def test_the_90th_percentile_is_the_nearest_rank(values, p90):
    assert stats.percentile_90(values) == p90


def test_time_per_stage_lists_where_files_wait_longest_first(files):
    stages = stats.stage_times(user("frontoffice"), EVERYTHING)
    assert [(s.kind, s.status, s.transitions, s.mean, s.max) for s in stages] == [
        ("aset", "diteruskan_opd", 1, 7, 7),
        ("pkkpr_nb", "perlu_perbaikan", 1, 5, 5),
        ("pkkpr_nb", "diperiksa", 3, 4, 6),
        ("pkkpr_nb", "diterima_fo", 2, 1, 1),
    ]  # the draft stage (before submission) is left out
    assert [s.waits_on_applicant for s in stages] == [False, True, False, False]
    assert str(stages[2].label) == str(WORKFLOWS["pkkpr_nb"].label("diperiksa"))


def test_the_filter_limits_dates_in_office_time_and_the_permit_type(files):
    february = StatisticsFilter(start=date(2026, 2, 1), end=date(2026, 2, 28),
                                permit_type_code="PKKPR-NB")
    fo = user("frontoffice")
    counts = stats.counts_by_type_and_status(fo, february)
    assert [(c.permit_type, c.total) for c in counts] == [(PKKPR_TYPE, 4)]
    overall, _ = stats.processing_times(fo, february)
    # 12, 20, 21: mean 17.67, p90 at rank ceil(2.7) = 3, two within 20 days.
    assert (overall.count, overall.mean, overall.p90, overall.within_standard) == (
        3, 17.67, 21, 2)
    assert [(s.status, s.mean) for s in stats.stage_times(fo, february)] == [
        ("diperiksa", 5), ("perlu_perbaikan", 5), ("diterima_fo", 1)]  # ties: more files first


def test_an_agency_officer_counts_only_the_files_of_its_agency(files):
    pora = agency_officer("DISPORAPAR", "pora")
    counts = stats.counts_by_type_and_status(pora, EVERYTHING)
    assert [(c.permit_type, c.total) for c in counts] == [(GOR_TYPE, 1)]
    assert [(m.month, m.total) for m in stats.counts_by_month(pora, EVERYTHING)] == [
        ("2026-04", 1)]
    overall, _ = stats.processing_times(pora, EVERYTHING)
    assert (overall.count, overall.p90) == (1, 6)
    assert stats.stage_times(pora, EVERYTHING) == []
    bpkad = stats.counts_by_type_and_status(user("pengelolaaset"), EVERYTHING)
    assert [(c.permit_type, c.total) for c in bpkad] == [(HALL_TYPE, 2)]


# --- IKM ------------------------------------------------------------------------------------


def respond(application, scores, when):
    db.session.add(SurveyResponse(application=application, respondent_id=user("pemohon").id,
                                  created_at=when, **dict(zip(SKM_ELEMENTS, scores, strict=True))))


def test_ikm_per_month_and_quarter_match_the_regulation():
    finished = [pkkpr("selesai", utc(2026, 1, 2, 2)) for _ in range(26)]
    # January: one response of all 4s, one of all 3s → mean 3.5 → IKM 87.50, grade B.
    respond(finished[0], [4] * 9, utc(2026, 1, 10, 2))
    respond(finished[1], [3] * 9, utc(2026, 1, 11, 2))
    # February: 24 responses, 216 scores adding up to 763 → 763 × 25 / 216 = 88.3102 → A.
    for i, application in enumerate(finished[2:]):
        scores = [4] * 9 if i < 12 else [4] * 7 + [3] * 2 if i == 12 else [3] * 9
        respond(application, scores, utc(2026, 2, 3, 2))
    db.session.commit()

    months = stats.ikm_by_period(user("kepaladinas"), EVERYTHING)
    assert [(p.period, p.responses, p.ikm, p.grade) for p in months] == [
        ("2026-01", 2, Decimal("87.50"), "B"), ("2026-02", 24, Decimal("88.31"), "A")]
    assert months[0].element_means == {name: 3.5 for name in SKM_ELEMENTS}
    # The quarter: 36 + 27 + 763 = 826 over 234 scores → 88.2479 → 88.25, grade B.
    quarters = stats.ikm_by_period(user("kepaladinas"), EVERYTHING, "quarter")
    assert [(p.period, p.responses, p.ikm, p.grade) for p in quarters] == [
        ("2026-Q1", 26, Decimal("88.25"), "B")]
    assert stats.ikm_by_period(agency_officer("DISPORAPAR", "pora"), EVERYTHING) == []


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [(100, "A"), (88.31, "A"), (88.30, "B"), (87.5, "B"), (76.61, "B"), (76.60, "C"),
     (65.00, "C"), (64.99, "D"), (25, "D")],
)
def test_the_ikm_grade_follows_permenpan_rb_14_2017(ikm, grade):
    assert stats.ikm_grade(ikm) == grade


def test_the_ikm_score_is_the_mean_times_25_rounded_half_up():
    assert stats.ikm_score(763, 216) == Decimal("88.31")
    assert stats.ikm_score(63, 18) == Decimal("87.50")
    assert stats.ikm_score(9 * 4, 9) == Decimal("100.00")


# --- the page and the export ------------------------------------------------------------------


def test_an_applicant_may_not_open_the_statistics(login_as):
    pemohon = login_as("pemohon")
    for url in ("/statistik/", "/statistik/unduh.csv", "/statistik/unduh.xlsx"):
        assert pemohon.get(url).status_code in (302, 403), url


def test_the_page_shows_the_numbers_with_svg_charts_and_no_internet_resource(files, login_as):
    page = login_as("frontoffice").get("/statistik/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") == 3
    assert 'id="stat-total">11<' in html
    assert "13,71 · 30" in html  # mean · p90, Indonesian decimal comma
    assert PKKPR_TYPE in html and "2026-03" in html
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html) == []
    assert re.findall(r"https?://", html) == []


def figures_of(page):
    """The figures' part of a statistics page (the filter form lists every type)."""
    html = page.get_data(as_text=True)
    return html[html.rindex("</form>"):html.rindex("</table>")]


def test_unchanged_figures_are_not_rendered_again_and_changed_ones_are(app, files,
                                                                        login_as):
    from flask import template_rendered

    rendered = []

    def record(_sender, template, context, **_):
        rendered.append(template.name)

    client = login_as("frontoffice")
    template_rendered.connect(record, app)
    try:
        pages = [client.get("/statistik/") for _ in range(3)]
        assert rendered.count("statistics/figures.html") <= 1  # once, or kept from before
        figures = [figures_of(page) for page in pages]
        assert figures[0] == figures[1] == figures[2] and 'id="stat-total">11<' in figures[0]
        rendered.clear()
        make_pkkpr("diajukan")  # a twelfth file submitted
        page = client.get("/statistik/").get_data(as_text=True)
        assert rendered.count("statistics/figures.html") == 1
        assert 'id="stat-total">12<' in page
        client.get("/lang/en")
        page = client.get("/statistik/").get_data(as_text=True)
        assert "Files submitted" in page and "Berkas diajukan" not in page
        assert rendered.count("statistics/figures.html") == 2
    finally:
        template_rendered.disconnect(record, app)


def test_the_kept_renderings_are_bounded_the_least_recently_used_going_first(
        app, files, login_as, monkeypatch):
    from views import statistics as view

    monkeypatch.setattr(view, "KEPT_RENDERINGS", 2)
    monkeypatch.delitem(app.extensions, view._RENDERINGS, raising=False)
    client = login_as("frontoffice")
    january, february, march = ("start=2026-01-01&end=2026-01-31",
                                "start=2026-02-01&end=2026-02-28",
                                "start=2026-03-01&end=2026-03-31")
    for query in (january, february, january, march):  # february least recently used
        client.get(f"/statistik/?{query}")
    kept = app.extensions[view._RENDERINGS].html
    assert len(kept) == 2
    months = {rows.files for _, _, rows in kept}
    assert months == {stats.read_figures(user("frontoffice"), StatisticsFilter(
        date(2026, month, 1), date(2026, month, 31))).files for month in (1, 3)}


def test_the_statements_are_built_once_per_shape_and_each_filter_counts_its_own(
        files, login_as, monkeypatch):
    built = Counter()
    for name in ("_file_counts_statement", "_processing_times_statement",
                 "_stage_times_statement", "_survey_statement"):
        original = getattr(stats, name)
        monkeypatch.setattr(stats, name, lambda *args, _name=name, _original=original: (
            built.update([_name]), _original(*args))[1])
    client = login_as("frontoffice")

    def total(query):
        html = client.get(f"/statistik/?{query}").get_data(as_text=True)
        return int(re.search(r'id="stat-total">(\d+)<', html).group(1))

    # By office month: January 3, February 5, March none, April 3 (the fixture).
    assert total("start=2026-01-01&end=2026-01-31") == 3
    assert total("start=2026-02-01&end=2026-02-28") == 5
    assert total("start=2026-01-15&end=2026-04-01") == 8  # edge days and whole months
    assert total("start=2026-03-01&end=2026-03-31") == 0
    assert set(built.values()) == {1}  # one shape: both dates, no permit type
    assert total("start=2026-02-01&end=2026-02-28&permit_type=PKKPR-NB") == 4
    assert total("start=2026-04-01&end=2026-04-30&permit_type=PKKPR-NB") == 2
    assert total("start=2026-02-01") == 8 and total("end=2026-01-31") == 3
    assert total("") == 11
    assert set(built.values()) == {5}  # a shape each: with a type, from, until, none


def test_each_role_gets_its_own_statements(files, login_as):
    agency_officer("DISPORAPAR", "pora")
    pages = {name: figures_of(login_as(*credentials).get("/statistik/"))
             for name, credentials in (("frontoffice", ("frontoffice",)),
                                       ("pora", ("pora", "Rahasia123")),
                                       ("bpkad", ("pengelolaaset",)))}
    assert 'id="stat-total">11<' in pages["frontoffice"]
    assert 'id="stat-total">1<' in pages["pora"] and HALL_TYPE not in pages["pora"]
    assert 'id="stat-total">2<' in pages["bpkad"] and GOR_TYPE not in pages["bpkad"]


def test_an_invalid_filter_is_reported_and_ignored(files, login_as):
    html = login_as("frontoffice").get(
        "/statistik/?start=2026-03-01&end=2026-02-01&permit_type=NOPE").get_data(as_text=True)
    assert "has-error" in html
    assert 'id="stat-total">' in html


def csv_rows(response):
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_has_a_bom_a_header_and_one_row_per_file(files, login_as):
    response = login_as("frontoffice").get("/statistik/unduh.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert re.search(r'filename="statistik-\d{8}\.csv"', response.headers["Content-Disposition"])
    header, *rows = csv_rows(response)
    assert header[0] == "Nomor Registrasi" and len(header) == 9
    assert len(rows) == 11
    first = rows[0]  # ordered by submission: p1
    assert first == [files["p1"].registration_number, PKKPR_TYPE, "PKKPR Non Berusaha",
                     "Selesai", "2026-01-05", "2026-01-05", "4", "20", "Ya"]
    by_number = {row[0]: row for row in rows}
    assert by_number[files["p2"].registration_number][4] == "2026-02-01"  # WIB
    assert by_number[files["gor_done"].registration_number][-1] == "Tidak"
    assert by_number[files["examined_jan"].registration_number][-1] == ""  # still running


def test_the_export_follows_the_filter_and_the_users_agency(files, login_as):
    rows = csv_rows(login_as("frontoffice").get(
        "/statistik/unduh.csv?permit_type=PKKPR-NB&start=2026-02-01&end=2026-02-28"))[1:]
    assert len(rows) == 4
    agency_officer("DISPORAPAR", "pora")
    rows = csv_rows(login_as("pora", "Rahasia123").get("/statistik/unduh.csv"))[1:]
    assert [row[0] for row in rows] == [files["gor_done"].registration_number]


def test_the_xlsx_export_opens_and_has_the_same_rows_as_the_csv(files, login_as):
    client = login_as("kepaladinas")
    response = client.get("/statistik/unduh.xlsx")
    assert response.status_code == 200
    assert re.search(r"statistik-\d{8}\.xlsx", response.headers["Content-Disposition"])
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    table = [["" if v is None else v.date().isoformat() if isinstance(v, datetime) else str(v)
              for v in row] for row in sheet.iter_rows(values_only=True)]
    assert table == csv_rows(client.get("/statistik/unduh.csv"))


# --- the summaries against the files themselves -------------------------------------------


def oracle(filters):
    """The page's figures counted from the files one by one, in Python (the definitions
    in the service's docstring), for a user who sees every kind."""
    from app.office_time import office_date
    from models import Application

    chosen = [a for a in db.session.scalars(select(Application))
              if a.submitted_at is not None and a.status != "draft"
              and (filters.start is None or office_date(a.submitted_at) >= filters.start)
              and (filters.end is None or office_date(a.submitted_at) <= filters.end)
              and filters.permit_type_code in (None, a.permit_type.code)]
    by_type = Counter(a.permit_type.name for a in chosen)
    by_month = Counter(f"{office_date(a.submitted_at):%Y-%m}" for a in chosen)
    finished = sorted(a.clock_days for a in chosen if a.status == "selesai")
    stages = Counter((a.kind, e.from_status) for a in chosen for e in a.events
                     if e.working_days is not None and e.from_status not in (None, "draft"))
    return (dict(by_type), {k: n for k, n in by_month.items() if n},
            (len(finished), stats.percentile_90(finished)), dict(stages))


@pytest.mark.parametrize(("start", "end"), [
    (None, None), (date(2026, 1, 20), date(2026, 4, 5)), (date(2026, 1, 31), None),
    (None, date(2026, 2, 9)), (date(2026, 2, 1), date(2026, 2, 1)),
    (date(2026, 2, 1), date(2026, 4, 30)), (date(2026, 1, 6), date(2026, 1, 30)),
])
def test_the_figures_read_from_the_summaries_equal_those_counted_file_by_file(
        files, start, end):
    filters = StatisticsFilter(start=start, end=end)
    fo = user("frontoffice")
    by_type = {c.permit_type: c.total for c in stats.counts_by_type_and_status(fo, filters)}
    by_month = {m.month: m.total for m in stats.counts_by_month(fo, filters) if m.total}
    overall, _ = stats.processing_times(fo, filters)
    stages = {(s.kind, s.status): s.transitions for s in stats.stage_times(fo, filters)}
    assert (by_type, by_month, (overall.count, overall.p90), stages) == oracle(filters)


def test_the_page_reads_as_many_statements_with_many_files_as_with_few(files, login_as):
    from sqlalchemy import event

    client = login_as("kepaladinas")

    def statements_of_the_page():
        statements = []

        def count(*args):
            statements.append(1)

        client.get("/statistik/?start=2026-01-10&end=2026-04-20")  # caches warmed
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/statistik/?start=2026-01-10&end=2026-04-20").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few = statements_of_the_page()
    for day in range(1, 28, 3):
        pkkpr("selesai", utc(2026, 3, day, 2), day, stages=[("diperiksa", day % 4)])
        asset("selesai", utc(2026, 2, day, 2), day % 7)
    assert statements_of_the_page() == few
    # A staff page reads at most 6 statements; the head of office's menu also counts the
    # decrees waiting for a signature.
    assert few <= 7, few
