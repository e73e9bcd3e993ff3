"""Every page of every role, on the two phone sizes people use (360×740 and 375×812):
the crawl signs in as each demo user, follows the app's own links from where they land
(menus included) and checks each page it reaches: no wider than the screen, nothing cut
off at the edges, tap targets of at least 44×44 px, no serious or critical axe-core
violation, and no text a person cannot read. Screenshots of each page at both sizes are
in test-artifacts/e2e/every_page/."""

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from app.seed.demo import DEMO_USERS  # noqa: E402
from tests.e2e.crawl import (  # noqa: E402
    page_pattern,
    same_origin_pages,
    serious_accessibility_violations,
    small_tap_targets,
    visible_text,
    visible_text_problems,
)
from tests.e2e.pages import page_width, past_the_edges  # noqa: E402

PHONES = {"360x740": {"width": 360, "height": 740}, "375x812": {"width": 375, "height": 812}}
MAX_PAGES_PER_ROLE = 45
# Where an anonymous visitor goes without a link from the home page.
PUBLIC_PAGES = ["/", "/login/", "/register/form", "/lacak/", "/persyaratan/",
                "/resetpassword/form", "/verifikasi/tidak-ada-kode-ini"]

# A file at each role's step, so each officer's inbox leads to a file page with their
# action, and the applicant's dashboard to files in several states.
FILES_FOR_EVERY_ROLE = """
from app import create_app
from tests.support import make_asset_use, make_pkkpr

with create_app().app_context():
    for status in ("draft", "diajukan", "diperiksa", "diteruskan_dinas", "krk_terbit",
                   "pembayaran_pnbp", "rekomendasi_terbit", "menunggu_paraf", "siap_ds",
                   "perlu_perbaikan"):
        make_pkkpr(status, documents="pending" if status == "diajukan" else "accepted")
    make_asset_use("diteruskan_opd")
"""


@pytest.fixture(scope="module")
def files(live_server):
    live_server.run_python(FILES_FOR_EVERY_ROLE)


def _crawl(web, page, start_paths, seen=()):
    """Visit the app's pages reachable from `start_paths` (two links deep), one page per
    pattern and none of `seen`; returns {path: problems} for every page visited."""
    axe = Axe()
    queue = [(path, 0) for path in start_paths]
    seen = {page_pattern(path) for path in seen}
    problems = {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        path, depth = queue.pop(0)
        pattern = page_pattern(path)
        if pattern in seen:
            continue
        seen.add(pattern)
        found = _check(web, page, path, axe)
        if found:
            problems[path] = found
        if depth < 2:
            queue.extend((link, depth + 1) for link in same_origin_pages(page, web.server.url))
    return problems


def _check(web, page, path, axe):
    found = []
    for size, viewport in PHONES.items():
        page.set_viewport_size(viewport)
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                return []  # a file, not a page
            raise
        if response is None or response.status >= 400 or "/login/" in page.url and \
                "/login/" not in path:
            return []  # a page this role may not open: the security suites cover it
        width = page_width(page)
        if width > viewport["width"]:
            found.append(f"{size}: {width} px wide")
        if edges := past_the_edges(page):
            found.append(f"{size}: cut off at the edges: {', '.join(edges[:5])}")
        if small := small_tap_targets(page):
            found.append(f"{size}: tap targets under 44×44: {', '.join(small[:6])}")
        web.shot(page, f"{page_pattern(path).strip('/').replace('/', '-') or 'home'}-{size}",
                 full_page=False)
    found += [f"axe: {line}" for line in serious_accessibility_violations(page, axe)]
    found += visible_text_problems(visible_text(page))
    return found


def _report(problems):
    return "\n".join(f"{path}\n    " + "\n    ".join(lines) for path, lines in problems.items())


def test_every_public_page(web):
    page = web.new_page(viewport=PHONES["375x812"], is_mobile=True, has_touch=True)
    problems = _crawl(web, page, PUBLIC_PAGES)
    assert not problems, _report(problems)


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_every_page_of(username, web, files):
    page = web.login(username, viewport=PHONES["375x812"], is_mobile=True, has_touch=True)
    # The public pages other than the home page look the same signed in: crawled once.
    problems = _crawl(web, page, [page.url.removeprefix(web.server.url) or "/"],
                      seen=PUBLIC_PAGES[1:])
    assert not problems, _report(problems)
