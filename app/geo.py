"""Location checks for Kabupaten Blitar: point and polygon inside a plausible bounding
box, closed rings, and the polygon's area."""

import json
import math
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

# Kabupaten Blitar with a margin: about 7.9–8.45° S, 111.9–112.6° E.
BLITAR_BOUNDS = {"min_lat": -8.45, "max_lat": -7.9, "min_lon": 111.9, "max_lon": 112.6}
BLITAR_CENTRE = (-8.1, 112.2)  # where a map without a point opens
EARTH_RADIUS_M = 6_371_008.8
# The drawn polygon and the declared land area may differ by this share of the declared
# area before the officers are warned (issue 17).
AREA_TOLERANCE = Decimal("0.10")

KECAMATAN_BLITAR = (
    "Bakung", "Binangun", "Doko", "Gandusari", "Garum", "Kademangan", "Kanigoro",
    "Kesamben", "Nglegok", "Panggungrejo", "Ponggok", "Sanankulon", "Selopuro",
    "Selorejo", "Srengat", "Sutojayan", "Talun", "Udanawu", "Wates", "Wlingi",
    "Wonodadi", "Wonotirto",
)


class InvalidGeometry(ValueError):
    """Raised with a translatable message."""


def inside_blitar(lat, lon):
    b = BLITAR_BOUNDS
    return b["min_lat"] <= lat <= b["max_lat"] and b["min_lon"] <= lon <= b["max_lon"]


def parse_polygon(text):
    """Parse GeoJSON (a Polygon, or a Feature holding one); return its outer ring as
    [(lon, lat), ...] or raise InvalidGeometry."""
    try:
        geometry = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        raise InvalidGeometry(_l("The polygon is not valid GeoJSON.")) from None
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        raise InvalidGeometry(_l("The GeoJSON must be a Polygon."))
    rings = geometry.get("coordinates")
    try:
        ring = [(float(point[0]), float(point[1])) for point in rings[0]]
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidGeometry(_l("The polygon coordinates are not valid.")) from None
    if not ring:
        raise InvalidGeometry(_l("The polygon coordinates are not valid."))
    if ring[0] != ring[-1]:
        raise InvalidGeometry(
            _l("The polygon ring is not closed: the last point must equal the first.")
        )
    if len(ring) < 4:
        raise InvalidGeometry(_l("A polygon needs at least three corners."))
    if not all(inside_blitar(lat, lon) for lon, lat in ring):
        raise InvalidGeometry(_l("The polygon lies outside Kabupaten Blitar."))
    if ring_area_m2(ring) <= 0:
        raise InvalidGeometry(_l("The polygon has no area."))
    return ring


def ring_area_m2(ring):
    """Area of a small lon/lat ring in m², on a local equirectangular projection."""
    mean_lat = math.radians(sum(lat for _, lat in ring) / len(ring))
    points = [
        (math.radians(lon) * EARTH_RADIUS_M * math.cos(mean_lat),
         math.radians(lat) * EARTH_RADIUS_M)
        for lon, lat in ring
    ]
    edges = zip(points, points[1:], strict=False)
    twice_area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in edges)
    return abs(twice_area) / 2


def polygon_area_m2(text):
    return round(ring_area_m2(parse_polygon(text)), 2)


@dataclass(frozen=True)
class AreaComparison:
    """The area measured on the map beside the area the applicant declared (m², either
    None when missing); `difference_percent` how far the map is above (or below) the
    declaration; `warn` when that is more than AREA_TOLERANCE."""

    mapped_m2: Decimal | None
    declared_m2: Decimal | None
    difference_percent: int | None
    warn: bool


def compare_areas(mapped_m2, declared_m2):
    """Compare the polygon's area with the declared land area (each a number or None)."""
    mapped = None if mapped_m2 is None else Decimal(str(mapped_m2))
    declared = None if declared_m2 is None else Decimal(str(declared_m2))
    if mapped is None or not declared:
        return AreaComparison(mapped, declared, None, False)
    ratio = (mapped - declared) / declared
    return AreaComparison(mapped, declared, int((ratio * 100).to_integral_value()),
                          abs(ratio) > AREA_TOLERANCE)
