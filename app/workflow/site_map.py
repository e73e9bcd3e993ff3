"""What a PKKPR file's map shows: the applicant's point and polygon, the polygon DPUPR
approved (if any), and each polygon's area beside the declared one. The file page, the
print view, DPUPR's forms and the decree's annex all read the shapes from here."""

from dataclasses import dataclass

from app.geo import InvalidGeometry, compare_areas, parse_polygon, ring_area_m2

# The artifact DPUPR's recommendation leaves with the approved polygon (pkkpr_nb.py).
MAP_ARTIFACT = "peta"
APPROVED_POLYGON = "poligon_geojson"


@dataclass(frozen=True)
class MapFields:
    """The fields of a form that its map fills: the point (None where the form has
    none), the polygon (GeoJSON), and the declared area the drawn one is compared with."""

    latitude: str | None
    longitude: str | None
    polygon: str
    declared_area: str | None = None


@dataclass(frozen=True)
class SiteMap:
    point: tuple | None  # (latitude, longitude)
    applied: tuple  # the applied polygon's ring, ((latitude, longitude), ...) closed
    approved: tuple  # the approved polygon's ring, or ()
    applied_area: object  # AreaComparison: the applied polygon against the declared area
    approved_area: object | None  # the approved polygon against the approved area

    @property
    def annex_ring(self):
        """The polygon the decree's annex draws: the approved one, else the applied one."""
        return self.approved or self.applied

    def shapes(self):
        """The shapes as the map script reads them (JSON-ready)."""
        return {"point": list(self.point) if self.point else None,
                "applied": [list(corner) for corner in self.applied],
                "approved": [list(corner) for corner in self.approved]}


def _ring(text):
    """((latitude, longitude), ...) of a stored GeoJSON polygon; () when empty or invalid
    (a polygon stored before the checks, or edited by hand)."""
    if not (text or "").strip():
        return ()
    try:
        return tuple((lat, lon) for lon, lat in parse_polygon(text))
    except InvalidGeometry:
        return ()


def _area(ring):
    """Whole m²: a polygon tapped on a map is not measured to the centimetre."""
    return round(ring_area_m2([(lon, lat) for lat, lon in ring])) if ring else None


def approved_polygon(application):
    artifact = application.latest_artifact(MAP_ARTIFACT)
    return ((artifact.data or {}).get(APPROVED_POLYGON) if artifact else None) or None


def approved_area(application):
    """The area DPUPR approved in its recommendation (m²), or None."""
    artifact = application.latest_artifact("rekomendasi")
    return ((artifact.data or {}).get("luas_disetujui") if artifact else None) or None


def site_map_of(application):
    """The SiteMap of a PKKPR file, or None for a file without location data."""
    detail = application.pkkpr
    if detail is None:
        return None
    applied = _ring(detail.polygon_geojson)
    approved = _ring(approved_polygon(application))
    point = (float(detail.latitude), float(detail.longitude)) \
        if detail.latitude is not None and detail.longitude is not None else None
    return SiteMap(
        point=point, applied=applied, approved=approved,
        applied_area=compare_areas(_area(applied), detail.land_area_m2),
        approved_area=compare_areas(_area(approved), approved_area(application))
        if approved else None,
    )
