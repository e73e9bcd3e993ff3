"""The back office numbers the first decree of the year of two permit kinds, one after
the other: each must get its own SK number (found by the browser flows sharing one
server: the second one ended on an error page)."""

import re

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.pages import fill_form, open_action, open_file_from_inbox, submit  # noqa: E402
from tests.support import TODAY  # noqa: E402

# Files waiting for their SK number, put in place without the browser (the flows that
# bring a file there through the pages are in test_pkkpr_browser and test_asset_browser).
FILES_AT_NUMBERING = """
from app import create_app
from tests.support import make_asset_use, make_pkkpr

with create_app().app_context():
    pkkpr = make_pkkpr("rekomendasi_terbit")
    aset = make_asset_use("penyiapan_sk", booking="eksklusif")
    print(pkkpr.registration_number, aset.registration_number)
"""


def test_the_first_decrees_of_two_permit_kinds_get_different_sk_numbers(web, live_server):
    registration_numbers = live_server.run_python(FILES_AT_NUMBERING).split()
    backoffice = web.login("backoffice")
    given = []
    for number in registration_numbers:
        open_file_from_inbox(backoffice, number)
        open_action(backoffice, "input_nomor_sk")
        proposed = backoffice.locator(".alert-info").first.inner_text()
        fill_form(backoffice, {"tanggal_sk": TODAY.isoformat()})
        submit(backoffice)
        web.shot(backoffice, f"sk-number-{len(given) + 1}")
        expect(backoffice.locator(".page-header .label").first).to_have_text("Siap ditandatangani",
                                                                              timeout=2000)
        given.append(re.search(r"\d{3}/\d{3}/[\d.]+/\d{4}", proposed).group(0))
    assert given[0] != given[1], f"both files were offered SK number {given[0]}"
