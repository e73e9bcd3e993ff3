"""The map of a PKKPR file on its pages: the application form draws on it, the file page,
the print view and DPUPR's forms show the point, the polygon and its area beside the
declared one, with a warning when they differ by more than 10 %. Leaflet comes from the
app itself; the Content-Security-Policy names a tile server only when one is configured."""

import json
import re

import pytest
import xstatic.pkg.leaflet as leaflet

from app.extensions import db
from app.geo import polygon_area_m2
from tests.support import make_pkkpr

# About 54.1 × 54.3 m at 8° S: 2,937 m².
PLOT_2937 = json.dumps({"type": "Polygon", "coordinates": [[
    [112.16, -8.1], [112.160491, -8.1], [112.160491, -8.1004887], [112.16, -8.1004887],
    [112.16, -8.1]]]})
# About 16.1 × 16.2 m: 260 m².
PLOT_260 = json.dumps({"type": "Polygon", "coordinates": [[
    [112.16, -8.1], [112.160146, -8.1], [112.160146, -8.1001455], [112.16, -8.1001455],
    [112.16, -8.1]]]})
WARNING = 'data-area-warning'


def areas_shown(page, element_id="peta-lokasi-luas"):
    """The figures of the areas block: (area on the map, declared area), as shown."""
    block = re.search(rf'id="{element_id}">(.*?)</div>', page, re.S).group(1)
    return tuple(re.findall(r"<strong>(.*?)</strong>", block))


def pkkpr_file(polygon, land_area="250", status="diteruskan_dinas"):
    application = make_pkkpr(status)
    application.pkkpr.polygon_geojson = polygon
    application.pkkpr.polygon_area_m2 = polygon_area_m2(polygon)
    application.pkkpr.land_area_m2 = land_area
    db.session.commit()
    return application


def page_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_sample_plots_measure_what_their_names_say():
    assert round(polygon_area_m2(PLOT_2937)) == 2937
    assert round(polygon_area_m2(PLOT_260)) == 260


@pytest.mark.parametrize("who", ["dpupr", "frontoffice", "pemohon"])
def test_the_file_page_warns_when_the_map_shows_far_more_than_the_declared_area(login_as, who):
    application = pkkpr_file(PLOT_2937)
    page = page_of(login_as(who), f"/permohonan/{application.id}")
    assert 'data-site-map="view"' in page
    assert areas_shown(page) == ("2.937 m²", "250 m²")
    assert WARNING in page
    warning = re.search(r"data-area-warning>(.*?)</p>", page, re.S).group(1)
    assert "1.075" in warning


def test_the_file_page_does_not_warn_within_ten_percent(login_as):
    application = pkkpr_file(PLOT_260)
    page = page_of(login_as("dpupr"), f"/permohonan/{application.id}")
    assert areas_shown(page) == ("260 m²", "250 m²")
    assert WARNING not in page


def test_the_map_carries_the_point_and_the_polygon_it_draws(login_as):
    application = pkkpr_file(PLOT_2937)
    page = page_of(login_as("dpupr"), f"/permohonan/{application.id}")
    shapes = json.loads(re.search(r"data-shapes='([^']*)'", page).group(1))
    assert shapes["point"] == [-8.1, 112.16]
    assert shapes["applied"][1] == [-8.1, 112.160491] and shapes["approved"] == []


def test_the_print_view_shows_the_map_and_the_warning(login_as):
    application = pkkpr_file(PLOT_2937)
    page = page_of(login_as("frontoffice"), f"/permohonan/{application.id}/cetak")
    assert 'data-site-map="view"' in page and WARNING in page


def test_dpupr_sees_the_map_and_the_warning_where_it_validates_the_map(login_as):
    application = pkkpr_file(PLOT_2937)
    page = page_of(login_as("dpupr"), f"/permohonan/{application.id}/aksi/terbitkan_krk")
    assert 'data-site-map="view"' in page and WARNING in page
    assert 'name="peta_tervalidasi"' in page


def test_a_form_without_a_map_decision_shows_no_map(login_as):
    application = pkkpr_file(PLOT_2937)
    page = page_of(login_as("dpupr"), f"/permohonan/{application.id}/aksi/tolak")
    assert "data-site-map" not in page


def leaflet_paths(page):
    return re.findall(r'(?:src|href)="(/peta/leaflet/[^"]+)"', page)


def test_the_application_form_has_the_map_above_the_coordinates_and_leaflet_from_the_app(
        login_as):
    page = page_of(login_as("pemohon"), "/permohonan/baru/PKKPR-NB")
    assert 'data-site-map="edit"' in page
    assert page.index('data-site-map="edit"') < page.index('name="latitude"')
    assert 'data-latitude="latitude"' in page and 'data-polygon="polygon_geojson"' in page
    assert 'data-declared="land_area_m2"' in page
    for tool in ("draw", "finish", "undo", "clear"):
        assert f'data-map-tool="{tool}"' in page
    assert sorted(leaflet_paths(page)) == [f"/peta/leaflet/leaflet.css?v={leaflet.VERSION}",
                                           f"/peta/leaflet/leaflet.js?v={leaflet.VERSION}"]
    assert "unpkg" not in page and "cdn" not in page.lower()
    assert 'src="/static/js/pkkpr-map.js"' in page


def test_the_counter_edits_a_walk_in_draft_on_the_same_map(login_as):
    application = make_pkkpr("draft", owner=None, created_by="frontoffice")
    page = page_of(login_as("frontoffice"), f"/permohonan/{application.id}/ubah")
    assert 'data-site-map="edit"' in page


def test_the_map_opens_on_kabupaten_blitar_without_tiles_by_default(login_as):
    page = page_of(login_as("pemohon"), "/permohonan/baru/PKKPR-NB")
    settings = json.loads(re.search(r"data-settings='([^']*)'", page).group(1))
    assert settings["centre"] == [-8.1, 112.2] and settings["tiles"] == ""
    assert settings["tolerance_percent"] == 10


def test_leaflet_is_served_from_its_package_cacheable_and_without_listings(client):
    script = client.get(f"/peta/leaflet/leaflet.js?v={leaflet.VERSION}")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert b"Leaflet" in script.data[:400]
    assert "max-age=2592000" in script.headers["Cache-Control"]
    assert client.get("/peta/leaflet/images/marker-icon.png").mimetype == "image/png"
    for folder in ("/peta/leaflet/", "/peta/leaflet/images/", "/peta/leaflet/../__init__.py"):
        assert client.get(folder).status_code == 404, folder


def image_sources(response):
    policy = response.headers["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("img-src"))


@pytest.fixture
def tile_server(app):
    app.config["MAP_TILE_URL"] = "https://gis.blitarkab.go.id/tiles/{z}/{x}/{y}.png"
    app.config["MAP_TILE_ATTRIBUTION"] = "© Pemkab Blitar"
    yield app.config["MAP_TILE_URL"]
    app.config["MAP_TILE_URL"] = app.config["MAP_TILE_ATTRIBUTION"] = ""


def test_without_a_tile_server_images_come_from_the_app_only(client):
    assert image_sources(client.get("/login/")).split() == ["img-src", "'self'", "data:",
                                                            "blob:"]


def test_a_configured_tile_server_is_the_one_other_origin_for_images(login_as, tile_server):
    client = login_as("pemohon")
    response = client.get("/permohonan/baru/PKKPR-NB")
    assert image_sources(response).split() == ["img-src", "'self'", "data:", "blob:",
                                               "https://gis.blitarkab.go.id"]
    policy = response.headers["Content-Security-Policy"]
    assert policy.count("gis.blitarkab.go.id") == 1
    settings = json.loads(re.search(r"data-settings='([^']*)'",
                                    response.get_data(as_text=True)).group(1))
    assert settings["tiles"] == tile_server and settings["attribution"] == "© Pemkab Blitar"


def test_dpupr_draws_the_approved_boundary_over_the_applied_one(login_as):
    application = pkkpr_file(PLOT_2937, status="pertek_terbit")
    page = page_of(login_as("dpupr"),
                   f"/permohonan/{application.id}/aksi/terbitkan_rekomendasi")
    editor = re.search(r'<div class="site-map-canvas" data-site-map="edit"[^>]*>', page).group(0)
    assert 'data-polygon="poligon_geojson"' in editor and "data-latitude" not in editor
    assert 'data-declared="luas_disetujui"' in editor
    shapes = json.loads(re.search(r"data-shapes='([^']*)'", editor).group(1))
    assert shapes["applied"][1] == [-8.1, 112.160491]
    assert areas_shown(page) == ("2.937 m²", "250 m²") and WARNING in page
    assert page.index("data-site-map") < page.index('name="poligon_geojson"')
