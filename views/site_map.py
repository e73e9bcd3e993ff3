"""The map of a PKKPR file's site: Leaflet's files served from its pip package (no CDN,
nothing from another host), and what the map templates need
(app/templates/application/_site_map.html, app/static/js/pkkpr-map.js)."""

import xstatic.pkg.leaflet as leaflet
from flask import Blueprint, current_app, url_for
from flask_babel import get_locale

from app.geo import AREA_TOLERANCE, BLITAR_BOUNDS, BLITAR_CENTRE
from app.security.http import tile_origin
from app.workflow.site_map import site_map_of

# The URLs carry Leaflet's version (?v=), so a browser may keep the files for long.
CACHE_SECONDS = 30 * 24 * 3600


class PackageFiles(Blueprint):
    """A package's static files: served as they are, cacheable, no directory listing
    (Flask's static route answers 404 for a folder)."""

    def get_send_file_max_age(self, filename):
        return CACHE_SECONDS


leaflet_files = PackageFiles("leaflet", __name__, static_folder=leaflet.BASE_DIR,
                             static_url_path="/peta/leaflet")


def leaflet_url(filename):
    return url_for("leaflet.static", filename=filename, v=leaflet.VERSION)


def map_settings():
    """The map script's settings: the tile layer (only one whose origin the
    Content-Security-Policy can name), where it opens, the tolerance of the area check."""
    tiles = current_app.config.get("MAP_TILE_URL") or ""
    return {
        "tiles": tiles if tile_origin(tiles) else "",
        "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
        "centre": list(BLITAR_CENTRE),
        "bounds": [[BLITAR_BOUNDS["min_lat"], BLITAR_BOUNDS["min_lon"]],
                   [BLITAR_BOUNDS["max_lat"], BLITAR_BOUNDS["max_lon"]]],
        "tolerance": float(AREA_TOLERANCE),
        "tolerance_percent": int(AREA_TOLERANCE * 100),
        "locale": str(get_locale() or "id"),
    }


def provide_site_maps(app):
    """Serve Leaflet, and give every template (macros imported without context too) the
    map's helpers."""
    app.register_blueprint(leaflet_files)
    app.jinja_env.globals.update(leaflet_url=leaflet_url, map_settings=map_settings,
                                 site_map_of=site_map_of)
