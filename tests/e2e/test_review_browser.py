"""The front office reviews a PKKPR file of nine documents in a real browser: the file
page loads once, each document opens beside its verdict buttons (a PDF in Chromium's
viewer, an image), and the nine verdicts are nine in-page requests; or one "accept all",
after its confirmation."""

import itertools
import re

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.pages import PHONE, requirement_rows  # noqa: E402

# A file received by the front office, its nine documents waiting for a verdict: the
# application letter a PDF with text, the KTP a photo, the others the blank PDF.
NINE_DOCUMENTS = """
import io
from PIL import Image, ImageDraw
from app import create_app
from app.extensions import db
from app.storage.files import store_bytes
from tests.support import make_pkkpr, real_pdf

def photo():
    image = Image.new("RGB", (480, 300), "#dbe9f6")
    ImageDraw.Draw(image).text((30, 130), "KTP PEMOHON - BUDI SANTOSO", fill="#123")
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()

with create_app().app_context():
    application = make_pkkpr("diterima_fo", documents="pending",
                             registration_number="REVIEW/NUMBER")
    optional = [d for d in application.documents if not d.requirement.mandatory]
    for document in optional[: len(application.documents) - 9]:
        application.documents.remove(document)
    files = {"Surat permohonan": (real_pdf("Surat permohonan PKKPR - Budi Santoso"), "pdf"),
             "KTP pemohon": (photo(), "png")}
    for document in application.documents:
        if document.requirement.name in files:
            content, extension = files[document.requirement.name]
            stored = store_bytes(content, extension, f"{document.requirement.name}.{extension}")
            for column, value in stored.columns().items():
                setattr(document, column, value)
    db.session.commit()
    print(application.id)
"""
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


_files = itertools.count(1)


def new_file(live_server):
    """A new file of nine documents (each its own registration number); its id."""
    code = NINE_DOCUMENTS.replace("REVIEW/NUMBER", f"REVIEW/{next(_files):04d}")
    return live_server.run_python(code).strip()


def row_named(page, name):
    return requirement_rows(page).filter(has=page.locator("td", has_text=re.compile(
        rf"^{re.escape(name)}")))


def pdf_viewer_opened(page, seconds=10):
    """Whether Chromium's PDF viewer (an extension frame inside the iframe) rendered it;
    a PDF it refuses (a blocked or sandboxed plugin) shows an error page instead."""
    for _ in range(seconds * 4):
        if any(frame.url.startswith(PDF_VIEWER) for frame in page.frames):
            return True
        page.wait_for_timeout(250)
    return False


def watch(page):
    """The main frame's navigations and the verdicts posted, from now on."""
    seen = {"navigations": [], "verdicts": []}
    page.on("framenavigated", lambda frame: frame == page.main_frame
            and seen["navigations"].append(frame.url))
    page.on("request", lambda request: request.method == "POST"
            and request.url.endswith("/verifikasi") and seen["verdicts"].append(request.url))
    return seen


def test_nine_documents_are_reviewed_in_one_page_load(web, live_server):
    application_id = new_file(live_server)
    page = web.login("frontoffice")
    seen = watch(page)
    page.goto(f"/permohonan/{application_id}")
    page.evaluate("window.__marker = 'loaded once'")
    rows = page.locator("[data-document-row]")
    expect(rows).to_have_count(9)

    # The application letter opens beside its verdict buttons, in Chromium's PDF viewer.
    letter = row_named(page, "Surat permohonan").first
    letter.locator("[data-preview-url]").click()
    panel = page.locator("[data-review-panel]")
    expect(panel.locator("iframe[data-review-viewer=pdf]")).to_be_visible()
    assert pdf_viewer_opened(page), [frame.url for frame in page.frames]
    table_box, panel_box = page.locator(".review-documents").bounding_box(), panel.bounding_box()
    assert panel_box["x"] >= table_box["x"] + table_box["width"] - 1, "not beside the table"
    expect(panel.locator("[data-review-panel-download]")).to_have_attribute(
        "href", re.compile(rf"/permohonan/{application_id}/berkas/dokumen/\d+$"))
    page.locator("#dokumen").evaluate("heading => heading.scrollIntoView()")
    web.shot(page, "pdf-beside-the-verdicts", full_page=False)

    # Nine verdicts: the KTP photo is rejected with a reason, the rest accepted; after
    # each, the next document waiting for a verdict opens and has the focus.
    for index in range(9):
        row = rows.nth(index)
        name = row.locator("td").first.inner_text()
        expect(row).to_have_attribute("data-verdict", "pending")
        if name.startswith("KTP pemohon"):
            expect(panel.locator("img[data-review-viewer=image]")).to_be_visible()
            web.shot(page, "photo-beside-the-verdicts", full_page=False)
            row.locator("input[name=reason]").fill("Foto KTP terpotong")
            row.locator("button[value=rejected]").click()
            expect(row).to_have_attribute("data-verdict", "rejected")
            expect(row.locator("[data-verdict-text]")).to_have_text(
                "Ditolak: Foto KTP terpotong")
        else:
            row.locator("button[value=accepted]").click()
            expect(row).to_have_attribute("data-verdict", "accepted")
            expect(row.locator("[data-verdict-text]")).to_have_text("Diterima")
        if index < 8:
            next_id = rows.nth(index + 1).get_attribute("id")
            expect(page.locator(f"#{next_id}")).to_be_focused()
    expect(page.locator("[data-accept-all]")).to_be_hidden()
    web.shot(page, "nine-verdicts-in-the-page")

    assert page.evaluate("window.__marker") == "loaded once"
    assert len(seen["navigations"]) == 1, seen["navigations"]
    assert len(seen["verdicts"]) == 9, seen["verdicts"]

    page.reload()  # what the page showed is what was saved
    verdicts = [rows.nth(n).get_attribute("data-verdict") for n in range(9)]
    assert sorted(verdicts) == ["accepted"] * 8 + ["rejected"]


def test_a_verdict_refused_says_why_in_its_row(web, live_server):
    page = web.login("frontoffice")
    page.goto(f"/permohonan/{new_file(live_server)}")
    row = page.locator("[data-document-row]").first
    row.locator("input[name=reason]").fill("   ")
    row.locator("button[value=rejected]").click()
    error = row.locator("[data-verdict-error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Berikan alasan dokumen ditolak.")
    expect(row).to_have_attribute("data-verdict", "pending")


def test_on_a_phone_the_document_opens_below_its_verdict_buttons(web, live_server):
    page = web.login("frontoffice", viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"/permohonan/{new_file(live_server)}")
    row = row_named(page, "KTP pemohon").first
    row.locator("[data-preview-url]").click()
    image = row.locator("[data-review-panel] img[data-review-viewer=image]")
    expect(image).to_be_visible()
    buttons = row.locator("[data-verdict-form]").bounding_box()
    assert image.bounding_box()["y"] >= buttons["y"] + buttons["height"] - 1
    image.scroll_into_view_if_needed()
    web.shot(page, "phone-photo-below-the-verdicts", full_page=False)


def test_accept_all_asks_first_then_accepts_the_documents_not_judged(web, live_server):
    application_id = new_file(live_server)
    page = web.login("frontoffice")
    page.goto(f"/permohonan/{application_id}")
    rows = page.locator("[data-document-row]")
    first = rows.first
    first.locator("input[name=reason]").fill("Tanda tangan tidak ada")
    first.locator("button[value=rejected]").click()
    expect(first).to_have_attribute("data-verdict", "rejected")

    dialog = page.locator("#terima-semua-dialog")
    page.locator("[data-accept-all]").click()
    expect(dialog).to_be_visible()
    web.shot(page, "accept-all-confirmation", full_page=False)
    dialog.locator("[data-dialog-close]").click()  # changed their mind: nothing happens
    expect(dialog).to_be_hidden()
    expect(rows.nth(1)).to_have_attribute("data-verdict", "pending")

    page.locator("[data-accept-all]").click()
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    verdicts = [rows.nth(n).get_attribute("data-verdict") for n in range(9)]
    assert verdicts == ["rejected"] + ["accepted"] * 8
    expect(page.locator("[data-accept-all]")).to_have_count(0)
    web.shot(page, "accepted-all")


RETURNED = """
from app import create_app
from tests.support import returned_pkkpr

with create_app().app_context():
    print(returned_pkkpr("Lengkapi foto KTP yang jelas", rejected=("KTP pemohon",)).id)
"""


def test_the_applicant_reads_why_the_file_came_back_first_on_a_phone(web, live_server):
    application_id = live_server.run_python(RETURNED).strip()
    page = web.login("pemohon", viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/dasbor/")
    card = page.locator("#permohonan .koreksi").first
    expect(card).to_contain_text("Lengkapi foto KTP yang jelas")
    expect(card).to_contain_text("KTP pemohon tidak terbaca")
    web.shot(page, "phone-dashboard-returned")
    page.goto(f"/permohonan/{application_id}")
    notice = page.locator("#koreksi")
    expect(notice).to_contain_text("Lengkapi foto KTP yang jelas")
    expect(notice).to_contain_text("KTP pemohon tidak terbaca")
    assert notice.bounding_box()["y"] < PHONE["height"], "not on the first screen"
    web.shot(page, "phone-file-returned", full_page=False)
