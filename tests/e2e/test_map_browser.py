"""The PKKPR map in a real browser on a 375×812 phone: the applicant sets the point and
draws the plot by tapping the map, the form's fields fill themselves, the draft is saved;
DPUPR sees the map and the warning that the drawn plot is far larger than the declared
land area. Nothing is requested from another host (no tile server is configured: the map
draws its own coordinate grid)."""

import json

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from app.geo import inside_blitar  # noqa: E402
from tests.e2e.pages import (  # noqa: E402
    MAP_AT_REST,
    PHONE,
    draw_the_site,
    expect_status,
    fill_form,
    submit,
    tap,
)
from tests.support import pkkpr_application_data  # noqa: E402

# The draft the applicant saved, moved on to DPUPR as the front office and the examiner
# would (their steps have browser tests of their own: test_pkkpr_browser.py).
FORWARD_TO_DPUPR = """
from app import create_app
from app.extensions import db
from app.storage.files import store_bytes
from app.workflow.engine import STATUS_WRITERS, record_event, set_status
from models import Application, ApplicationDocument
from models.application import utcnow
from tests.support import PDF, start_clock, user

with create_app().app_context():
    application = db.session.get(Application, {id})
    for requirement in application.permit_type.active_requirements:
        stored = store_bytes(PDF, "pdf", f"{{requirement.name}}.pdf")
        application.documents.append(ApplicationDocument(
            requirement=requirement, uploaded_by_id=application.created_by_id,
            verdict="accepted", **stored.columns()))
    application.registration_number = "PKKPR-NB/2026/000777"
    set_status(application, "diteruskan_dinas", utcnow())
    start_clock(application)
    record_event(application, "teruskan_dinas", user("pemeriksa"), to_status="diteruskan_dinas")
    db.session.commit()
    db.session.info.pop(STATUS_WRITERS, None)
"""

# ... and on to the recommendation, as the land office's Pertek would.
PERTEK_ISSUED = """
from app import create_app
from app.extensions import db
from app.workflow.engine import STATUS_WRITERS, set_status
from models import Application
from models.application import utcnow

with create_app().app_context():
    set_status(db.session.get(Application, {id}), "pertek_terbit", utcnow())
    db.session.commit()
    db.session.info.pop(STATUS_WRITERS, None)
"""

def on_a_phone(web, username):
    return web.login(username, viewport=PHONE, is_mobile=True, has_touch=True)


def test_the_applicant_draws_the_plot_on_a_phone_and_dpupr_sees_the_area_warning(
        web, live_server):
    applicant = on_a_phone(web, "pemohon")
    applicant.goto("/permohonan/baru/PKKPR-NB")
    data = pkkpr_application_data()
    for typed_on_the_map in ("latitude", "longitude", "polygon_geojson"):
        data.pop(typed_on_the_map)
    fill_form(applicant, data)

    site_map = applicant.locator('[data-site-map="edit"]')
    site_map.scroll_into_view_if_needed()
    box = site_map.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert 250 <= box["height"] <= 350
    web.shot(applicant, "map-before")

    # A tap sets the point (the map opens on Kabupaten Blitar), four more the corners.
    draw_the_site(applicant)
    latitude = float(applicant.input_value("#latitude"))
    longitude = float(applicant.input_value("#longitude"))
    assert inside_blitar(latitude, longitude), (latitude, longitude)
    assert abs(latitude + 8.1) < 0.2 and abs(longitude - 112.2) < 0.3
    polygon = json.loads(applicant.input_value("#polygon_geojson"))
    ring = polygon["coordinates"][0]
    assert polygon["type"] == "Polygon" and len(ring) == 5 and ring[0] == ring[-1]
    assert all(inside_blitar(lat, lon) for lon, lat in ring)

    # The drawn plot (some 140 m across) against the 250 m² declared: warned at once.
    expect(applicant.locator("[data-map-warning]")).to_be_visible()
    web.shot(applicant, "map-drawn")

    submit(applicant)
    expect_status(applicant, "Draft")
    application_id = int(applicant.url.rstrip("/").rsplit("/", 1)[1])
    expect(applicant.locator('[data-site-map="view"] path.leaflet-interactive')).to_have_count(2)
    web.shot(applicant, "file-page-applicant")

    # Editing the draft: the map reads the saved point and boundary from the fields.
    applicant.goto(f"/permohonan/{application_id}/ubah")
    expect(applicant.locator('[data-site-map="edit"] path.leaflet-interactive')).to_have_count(2)
    expect(applicant.locator("[data-map-warning]")).to_be_visible()
    applicant.locator("#land_area_m2").fill("20000")  # what the plot measures, about
    expect(applicant.locator("[data-map-warning]")).to_have_count(0)

    live_server.run_python(FORWARD_TO_DPUPR.format(id=application_id))
    dpupr = on_a_phone(web, "dpupr")
    dpupr.goto(f"/permohonan/{application_id}")
    shown = dpupr.locator('[data-site-map="view"]')
    shown.scroll_into_view_if_needed()
    expect(shown.locator("path.leaflet-interactive")).to_have_count(2)  # plot and point
    expect(dpupr.locator("[data-area-warning]").first).to_be_visible()
    expect(dpupr.locator("#peta-lokasi-luas")).to_contain_text("250 m²")
    web.shot(dpupr, "file-page-dpupr")

    # Where DPUPR validates the map: the KRK form shows the same map and warning.
    dpupr.goto(f"/permohonan/{application_id}/aksi/terbitkan_krk")
    expect(dpupr.locator('[data-site-map="view"] path.leaflet-interactive')).to_have_count(2)
    expect(dpupr.locator("[data-area-warning]").first).to_be_visible()
    web.shot(dpupr, "krk-form-dpupr")

    # The print view draws the same map.
    dpupr.goto(f"/permohonan/{application_id}/cetak")
    expect(dpupr.locator('[data-site-map="view"] path.leaflet-interactive')).to_have_count(2)
    expect(dpupr.locator("[data-area-warning]").first).to_be_visible()
    web.shot(dpupr, "print-view")

    # The recommendation: DPUPR draws the approved boundary over the applied one.
    live_server.run_python(PERTEK_ISSUED.format(id=application_id))
    dpupr.goto(f"/permohonan/{application_id}/aksi/terbitkan_rekomendasi")
    editor = dpupr.locator('[data-site-map="edit"]')
    editor.scroll_into_view_if_needed()
    dpupr.wait_for_function(MAP_AT_REST, arg=editor.element_handle())
    expect(editor.locator("path.leaflet-interactive")).to_have_count(2)  # applied, point
    box = editor.bounding_box()
    tools = dpupr.locator(".site-map-tools")
    tools.locator('[data-map-tool="draw"]').tap()
    for x, y in ((box["width"] / 2 - 30, 120), (box["width"] / 2 + 30, 120),
                 (box["width"] / 2, 180)):
        tap(editor, x, y)
    tools.locator('[data-map-tool="finish"]').tap()
    approved = json.loads(dpupr.input_value("#poligon_geojson"))
    assert len(approved["coordinates"][0]) == 4
    expect(editor.locator("path.leaflet-interactive")).to_have_count(3)
    web.shot(dpupr, "recommendation-form-dpupr")
