// The site map of a PKKPR application (app/templates/application/_site_map.html), on
// Leaflet served by the app itself. Two uses, chosen by data-site-map on the map element:
//   "edit": the application form. A tap sets the location point (the latitude and longitude
//           fields); in drawing mode each tap adds a corner of the plot, "Finish" closes
//           the ring and writes it as GeoJSON into the polygon field. The fields stay the
//           source of truth: the map reads them on load and when they are typed in.
//           Without point fields (DPUPR's approved boundary) it draws over the file's
//           applied shapes (data-shapes), which stay as they are.
//   "view": the file page, the print view, DPUPR's KRK form: the point and the polygons.
// Without a tile server in the configuration the background is a plain coordinate grid
// drawn here: nothing is requested from another host.
(function () {
  "use strict";

  var EARTH_RADIUS_M = 6371008.8; // as app/geo.py
  var ZOOM_TO_DRAW = 17; // close enough to tap the corners of a house plot
  var GRID_STEPS = [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005,
                    0.0002, 0.0001, 0.00005, 0.00002, 0.00001];
  var COLOURS = { applied: "#1f5fbf", approved: "#1e8a3c", drawing: "#c0392b" };

  function readJson(element, name) {
    try { return JSON.parse(element.getAttribute(name) || "null"); } catch (e) { return null; }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? values[key] : whole;
    });
  }

  // m² of a ring of [lat, lng] corners on a local equirectangular projection (app/geo.py).
  function ringArea(ring) {
    if (ring.length < 3) { return 0; }
    var meanLat = 0;
    ring.forEach(function (c) { meanLat += c[0]; });
    meanLat = (meanLat / ring.length) * Math.PI / 180;
    var points = ring.map(function (c) {
      return [c[1] * Math.PI / 180 * EARTH_RADIUS_M * Math.cos(meanLat),
              c[0] * Math.PI / 180 * EARTH_RADIUS_M];
    });
    var twice = 0;
    for (var i = 0; i < points.length; i++) {
      var a = points[i], b = points[(i + 1) % points.length];
      twice += a[0] * b[1] - b[0] * a[1];
    }
    return Math.abs(twice) / 2;
  }

  // The outer ring of a GeoJSON Polygon (or a Feature holding one) as [lat, lng] corners,
  // without the closing corner; null when the text is not one.
  function parsePolygon(text) {
    var geometry;
    try { geometry = JSON.parse(text); } catch (e) { return null; }
    if (geometry && geometry.type === "Feature") { geometry = geometry.geometry; }
    if (!geometry || geometry.type !== "Polygon" || !Array.isArray(geometry.coordinates)) {
      return null;
    }
    var ring = (geometry.coordinates[0] || []).map(function (p) {
      return [Number(p[1]), Number(p[0])];
    });
    if (ring.some(function (c) { return !isFinite(c[0]) || !isFinite(c[1]); })) { return null; }
    var first = ring[0], last = ring[ring.length - 1];
    if (ring.length > 1 && first[0] === last[0] && first[1] === last[1]) { ring.pop(); }
    return ring.length >= 3 ? ring : null;
  }

  function polygonGeoJson(corners) {
    var ring = corners.map(function (c) {
      return [Number(c[1].toFixed(7)), Number(c[0].toFixed(7))];
    });
    ring.push(ring[0]);
    return JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }

  function parseNumber(text) {
    var value = parseFloat(String(text || "").trim().replace(",", "."));
    return isFinite(value) ? value : null;
  }

  // A plain background: grey coordinate lines every "round" step of degrees, labelled.
  var CoordinateGrid = L.GridLayer.extend({
    createTile: function (coords) {
      var size = this.getTileSize();
      var tile = document.createElement("canvas");
      tile.width = size.x;
      tile.height = size.y;
      var context = tile.getContext("2d");
      context.fillStyle = "#f3f5ef";
      context.fillRect(0, 0, size.x, size.y);
      var map = this._map;
      var origin = coords.scaleBy(size);
      var northWest = map.unproject(origin, coords.z);
      var southEast = map.unproject(origin.add(size), coords.z);
      var pixelsPerDegree = size.x * Math.pow(2, coords.z) / 360;
      var step = GRID_STEPS[GRID_STEPS.length - 1];
      for (var i = 0; i < GRID_STEPS.length; i++) {
        if (GRID_STEPS[i] * pixelsPerDegree < 90) { break; }
        step = GRID_STEPS[i];
      }
      var digits = Math.max(0, Math.ceil(-Math.log10(step)));
      var format = new Intl.NumberFormat(this.options.locale, {
        minimumFractionDigits: digits, maximumFractionDigits: digits });
      // A label that would run into the next tile is left out (that tile would cut it).
      var label = function (value, x, y) {
        var text = format.format(value) + "°";
        if (x + context.measureText(text).width < size.x && y > 10) {
          context.fillText(text, x, y);
        }
      };
      context.strokeStyle = "#c9d0c0";
      context.fillStyle = "#6b7563";
      context.font = "10px sans-serif";
      context.lineWidth = 1;
      var x, y, lng, lat;
      for (lng = Math.ceil(northWest.lng / step) * step; lng <= southEast.lng; lng += step) {
        x = Math.round(map.project([northWest.lat, lng], coords.z).x - origin.x) + 0.5;
        context.beginPath();
        context.moveTo(x, 0);
        context.lineTo(x, size.y);
        context.stroke();
        label(lng, x + 3, 12);
      }
      for (lat = Math.ceil(southEast.lat / step) * step; lat <= northWest.lat; lat += step) {
        y = Math.round(map.project([lat, northWest.lng], coords.z).y - origin.y) + 0.5;
        context.beginPath();
        context.moveTo(0, y);
        context.lineTo(size.x, y);
        context.stroke();
        label(lat, 3, y - 3);
      }
      return tile;
    }
  });

  function makeMap(element, settings) {
    var map = L.map(element, { zoomSnap: 1, maxZoom: 20 });
    if (settings.tiles) {
      L.tileLayer(settings.tiles, { maxZoom: 20, maxNativeZoom: 19,
                                    attribution: settings.attribution || "" }).addTo(map);
    } else {
      new CoordinateGrid({ maxZoom: 20, locale: settings.locale }).addTo(map);
    }
    L.control.scale({ imperial: false }).addTo(map);
    map.setView(settings.centre, 11);
    return map;
  }

  function pointMarker(latlng) {
    return L.circleMarker(latlng, { radius: 8, color: "#ffffff", weight: 3,
                                    fillColor: "#d35400", fillOpacity: 1 });
  }

  function outline(ring, colour, dashed) {
    return L.polygon(ring, { color: colour, weight: 3, fillOpacity: 0.15,
                             dashArray: dashed ? "6 6" : null });
  }

  // The shapes of a file (app/workflow/site_map.py SiteMap.shapes) on `map`: their group.
  function drawShapes(map, shapes, withApproved) {
    var group = L.featureGroup().addTo(map);
    if (shapes.applied && shapes.applied.length) {
      outline(shapes.applied, COLOURS.applied, false).addTo(group);
    }
    if (withApproved && shapes.approved && shapes.approved.length) {
      outline(shapes.approved, COLOURS.approved, true).addTo(group);
    }
    if (shapes.point) { pointMarker(shapes.point).addTo(group); }
    return group;
  }

  // --- read-only: the file page, the print view, DPUPR's KRK form ----------------------

  function showSite(element, settings) {
    var map = makeMap(element, settings);
    var bounds = drawShapes(map, readJson(element, "data-shapes") || {}, true).getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 }); }
  }

  // --- the application form ------------------------------------------------------------

  function SiteEditor(element, settings) {
    this.element = element;
    this.settings = settings;
    this.text = readJson(element, "data-messages") || {};
    this.bounds = L.latLngBounds(settings.bounds);
    var byId = function (name) { return document.getElementById(element.getAttribute(name)); };
    this.latitude = byId("data-latitude");
    this.longitude = byId("data-longitude");
    this.polygonField = byId("data-polygon");
    this.declaredField = byId("data-declared");
    this.root = element.closest(".site-map");
    this.status = this.root.querySelector("[data-map-status]");
    this.areas = this.root.querySelector("[data-map-areas]");
    this.buttons = {};
    var editor = this;
    this.root.querySelectorAll("[data-map-tool]").forEach(function (button) {
      editor.buttons[button.getAttribute("data-map-tool")] = button;
      button.addEventListener("click", function () { editor.tool(button.dataset.mapTool); });
    });
    this.root.querySelectorAll("[hidden][data-map-only]").forEach(function (part) {
      part.hidden = false; // the map's parts show only when this script runs
    });
    this.map = makeMap(element, settings);
    // Over a file's applied shapes (DPUPR), the boundary drawn is the approved one.
    this.reference = drawShapes(this.map, readJson(element, "data-shapes") || {}, false);
    this.colour = this.latitude ? COLOURS.applied : COLOURS.approved;
    this.layers = L.featureGroup().addTo(this.map);
    this.drawing = null; // the corners while drawing, else null
    this.corners = []; // the finished polygon's corners
    this.point = null;
    this.map.on("click", function (event) { editor.mark(event.latlng); });
    // Redrawn while typing or pasting, not when the field loses focus: the areas and the
    // warning below the map would otherwise appear as the submit button is pressed, and
    // move it from under the finger.
    [this.latitude, this.longitude, this.polygonField].forEach(function (field) {
      if (field) { field.addEventListener("input", function () { editor.readFields(true); }); }
    });
    if (this.declaredField) {
      this.declaredField.addEventListener("input", function () { editor.showAreas(); });
    }
    this.readFields(true);
  }

  SiteEditor.prototype.say = function (key, values) {
    this.status.textContent = fill(this.text[key], values || {});
  };

  SiteEditor.prototype.format = function (number, digits) {
    return new Intl.NumberFormat(this.settings.locale, {
      minimumFractionDigits: 0, maximumFractionDigits: digits }).format(number);
  };

  SiteEditor.prototype.readFields = function (fit) {
    var lat = parseNumber(this.latitude && this.latitude.value);
    var lng = parseNumber(this.longitude && this.longitude.value);
    this.point = lat !== null && lng !== null ? L.latLng(lat, lng) : null;
    this.corners = (this.polygonField && parsePolygon(this.polygonField.value)) || [];
    this.drawing = null;
    this.redraw();
    if (fit) {
      var bounds = this.layers.getBounds();
      var around = this.reference.getBounds();
      if (this.corners.length) {
        this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 19 });
      } else if (this.point) {
        this.map.setView(this.point, ZOOM_TO_DRAW);
      } else if (around.isValid()) {
        this.map.fitBounds(around, { padding: [24, 24], maxZoom: 19 });
      }
    }
  };

  SiteEditor.prototype.redraw = function () {
    this.layers.clearLayers();
    if (this.corners.length && !this.drawing) {
      outline(this.corners, this.colour, false).addTo(this.layers);
    }
    if (this.drawing) {
      var corners = this.drawing;
      if (corners.length > 1) {
        L.polyline(corners, { color: COLOURS.drawing, weight: 3, dashArray: "4 6" })
          .addTo(this.layers);
      }
      corners.forEach(function (corner, index) {
        L.circleMarker(corner, { radius: index === 0 ? 7 : 5, color: COLOURS.drawing,
                                 fillColor: "#ffffff", fillOpacity: 1, weight: 3 })
          .addTo(this.layers);
      }, this);
    }
    if (this.point) { pointMarker(this.point).addTo(this.layers); }
    this.refreshButtons();
    this.showAreas();
  };

  SiteEditor.prototype.refreshButtons = function () {
    var drawing = this.drawing !== null;
    var set = function (button, enabled) { if (button) { button.disabled = !enabled; } };
    set(this.buttons.finish, drawing && this.drawing.length >= 3);
    set(this.buttons.undo, drawing ? this.drawing.length > 0 : this.corners.length > 0);
    set(this.buttons.clear, drawing || this.corners.length > 0);
    if (this.buttons.draw) {
      this.buttons.draw.setAttribute("aria-pressed", drawing ? "true" : "false");
      this.buttons.draw.classList.toggle("active", drawing);
    }
    this.element.classList.toggle("site-map-drawing", drawing);
  };

  // A tap (or "Mark the centre"): a corner while drawing, else the location point.
  SiteEditor.prototype.mark = function (latlng) {
    if (!this.bounds.contains(latlng)) {
      this.say("outside");
      return;
    }
    if (this.drawing) {
      this.drawing.push([latlng.lat, latlng.lng]);
      this.say("corners", { count: this.drawing.length });
      this.redraw();
      return;
    }
    if (!this.latitude) { // a form without a point: only the boundary is drawn
      this.say("draw_first");
      return;
    }
    this.point = latlng;
    this.write(this.latitude, latlng.lat.toFixed(6));
    this.write(this.longitude, latlng.lng.toFixed(6));
    this.say("point", { position: this.format(latlng.lat, 6) + "; " + this.format(latlng.lng, 6) });
    this.redraw();
    if (this.map.getZoom() < ZOOM_TO_DRAW - 1) { this.map.setView(latlng, ZOOM_TO_DRAW); }
  };

  SiteEditor.prototype.write = function (field, value) {
    if (!field) { return; }
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  };

  SiteEditor.prototype.tool = function (name) {
    if (name === "draw") {
      if (this.drawing) { return; }
      this.drawing = [];
      this.map.doubleClickZoom.disable(); // a quick second tap is a corner, not a zoom
      this.say("drawing");
    } else if (name === "finish") {
      if (!this.drawing || this.drawing.length < 3) { this.say("need_three"); return; }
      this.corners = this.drawing;
      this.drawing = null;
      this.map.doubleClickZoom.enable();
      this.write(this.polygonField, polygonGeoJson(this.corners));
      this.say("finished", { count: this.corners.length });
    } else if (name === "undo") {
      if (this.drawing) {
        this.drawing.pop();
        this.say("corners", { count: this.drawing.length });
      } else if (this.corners.length) { // reopen the finished boundary
        this.drawing = this.corners.slice(0, -1);
        this.corners = [];
        this.write(this.polygonField, "");
        this.say("corners", { count: this.drawing.length });
      }
    } else if (name === "clear") {
      this.drawing = null;
      this.corners = [];
      this.map.doubleClickZoom.enable();
      this.write(this.polygonField, "");
      this.say("cleared");
    } else if (name === "centre") {
      this.mark(this.map.getCenter());
      return;
    } else if (name === "locate") {
      this.locate();
      return;
    }
    this.redraw();
  };

  SiteEditor.prototype.locate = function () {
    var editor = this;
    if (!navigator.geolocation) { this.say("no_location"); return; }
    this.say("locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = L.latLng(position.coords.latitude, position.coords.longitude);
      if (!editor.bounds.contains(here)) { editor.say("outside"); return; }
      editor.map.setView(here, ZOOM_TO_DRAW);
      editor.say("located");
    }, function () { editor.say("no_location"); }, { enableHighAccuracy: true, timeout: 15000 });
  };

  // The drawn area beside the declared one, warned as app/geo.py compare_areas does.
  SiteEditor.prototype.showAreas = function () {
    if (!this.areas) { return; }
    var ring = this.drawing && this.drawing.length >= 3 ? this.drawing : this.corners;
    var mapped = ring.length >= 3 ? Math.round(ringArea(ring)) : null; // whole m², as shown
    var declared = parseNumber(this.declaredField && this.declaredField.value);
    var text = this.text;
    var lines = [
      [text.mapped_label, mapped === null ? text.not_drawn : this.format(mapped, 0) + " m²"],
      [text.declared_label, declared === null ? "—" : this.format(declared, 2) + " m²"]
    ];
    this.areas.textContent = "";
    lines.forEach(function (line) {
      var row = document.createElement("p");
      row.appendChild(document.createTextNode(line[0] + ": "));
      var value = document.createElement("strong");
      value.textContent = line[1];
      row.appendChild(value);
      this.areas.appendChild(row);
    }, this);
    if (mapped !== null && declared) {
      var ratio = (mapped - declared) / declared;
      if (Math.abs(ratio) > this.settings.tolerance) {
        var warning = document.createElement("p");
        warning.className = "alert alert-warning";
        warning.setAttribute("data-map-warning", "");
        warning.textContent = fill(ratio > 0 ? text.larger : text.smaller,
                                   { percent: this.format(Math.round(Math.abs(ratio) * 100), 0) });
        this.areas.appendChild(warning);
      }
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; } // Leaflet missing: the fields still work
    document.querySelectorAll("[data-site-map]").forEach(function (element) {
      var settings = readJson(element, "data-settings") || {};
      if (element.getAttribute("data-site-map") === "edit") {
        element.siteEditor = new SiteEditor(element, settings);
      } else {
        showSite(element, settings);
      }
    });
  });
})();
