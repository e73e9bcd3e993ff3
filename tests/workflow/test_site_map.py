"""A PKKPR file's map data: the point, the applied and the approved polygon, each area
against the declared one; the decree's annex draws the same polygon as the file page."""

import json

from app.extensions import db
from app.geo import polygon_area_m2
from app.workflow.decree_pdf import site_points
from app.workflow.site_map import site_map_of
from models import Artifact
from tests.support import POLYGON, make_pkkpr, user

# A smaller plot north of POLYGON (about 20 × 22 m).
APPROVED = json.dumps({"type": "Polygon", "coordinates": [[
    [112.1601, -8.0999], [112.1603, -8.0999], [112.1603, -8.0997], [112.1601, -8.0997],
    [112.1601, -8.0999]]]})


def pkkpr_with_polygon(polygon=POLYGON, land_area="250"):
    application = make_pkkpr("pertek_terbit")
    application.pkkpr.polygon_geojson = polygon
    application.pkkpr.polygon_area_m2 = polygon_area_m2(polygon) if polygon else None
    application.pkkpr.land_area_m2 = land_area
    db.session.commit()
    return application


def approve(application, polygon=APPROVED, area="480"):
    dpupr = user("dpupr").id
    application.artifacts += [
        Artifact(kind="rekomendasi", issued_by_id=dpupr, data={"luas_disetujui": area}),
        Artifact(kind="peta", issued_by_id=dpupr, data={"poligon_geojson": polygon}),
    ]
    db.session.commit()


def test_the_map_has_the_point_the_applied_polygon_and_its_area_against_the_declared_one():
    site = site_map_of(pkkpr_with_polygon())
    assert site.point == (-8.1, 112.16)
    assert site.applied[0] == (-8.1, 112.16) and site.applied[0] == site.applied[-1]
    assert site.approved == () and site.approved_area is None
    assert site.applied_area.mapped_m2 == round(polygon_area_m2(POLYGON))  # whole m²
    assert site.applied_area.warn  # about 3,000 m² drawn for 250 m² declared


def test_the_approved_polygon_is_compared_with_the_approved_area():
    application = pkkpr_with_polygon()
    approve(application)
    site = site_map_of(application)
    assert site.approved[0] == (-8.0999, 112.1601)
    assert float(site.approved_area.declared_m2) == 480
    assert not site.approved_area.warn


def test_a_file_without_a_polygon_shows_the_point_only():
    site = site_map_of(pkkpr_with_polygon(polygon=None))
    assert site.point and site.applied == () and site.applied_area.mapped_m2 is None
    assert not site.applied_area.warn


def test_the_decree_annex_draws_the_approved_polygon_when_dpupr_set_one():
    application = pkkpr_with_polygon()
    assert site_points(application) == site_map_of(application).applied[:-1]
    approve(application)
    assert site_points(application) == site_map_of(application).approved[:-1]
    assert site_points(application)[0] == (-8.0999, 112.1601)


def test_an_unreadable_approved_polygon_falls_back_to_the_applied_one():
    application = pkkpr_with_polygon()
    approve(application, polygon='{"type": "Point"}')
    assert site_map_of(application).approved == ()
    assert site_points(application)[0] == (-8.1, 112.16)
