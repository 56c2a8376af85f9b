// SPDX-License-Identifier: EUPL-1.2
// The map of a craft-centre network: our own municipal boundaries as a quiet base
// layer (tiles only when the site has a tile URL), every PC4 demand point as a
// circle sized by its population in the colour of the centre that serves it, and the
// sites (open ones filled, the others outlined). The table beside the map has the
// same figures, so the map is never the only way to them.
(function () {
  "use strict";

  // Okabe-Ito colours, as the charts (cr-series-0..7).
  var COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
    "#f0e442", "#000000"];
  var BACKGROUND = { color: "#8a9a90", weight: 1, fillColor: "#f1f4f2", fillOpacity: 0.6 };

  function initMap(element) {
    var dataElement = document.getElementById(element.dataset.features);
    if (!dataElement || typeof L === "undefined") { return; }
    var data = JSON.parse(dataElement.textContent);
    var map = L.map(element, {
      scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false, maxZoom: 18
    });
    L.control.zoom({
      zoomInTitle: element.dataset.zoomInLabel || "Zoom in",
      zoomOutTitle: element.dataset.zoomOutLabel || "Zoom out"
    }).addTo(map);
    map.attributionControl.setPrefix(false);
    if (element.dataset.attribution) {
      map.attributionControl.addAttribution(element.dataset.attribution);
    }
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "", maxZoom: 18
      }).addTo(map);
    }
    var areas = data.features.filter(function (f) { return f.properties.background; });
    var demand = data.features.filter(function (f) { return f.properties.kind === "demand"; });
    var sites = data.features.filter(function (f) { return f.properties.kind === "site"; });
    var base = L.geoJSON({ type: "FeatureCollection", features: areas }, {
      style: function () { return BACKGROUND; }, interactive: false
    });
    // The view first: Leaflet draws circle markers only on a map with a view.
    if (areas.length) {
      map.fitBounds(base.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([52.09, 5.12], 10);  // Utrecht
    }
    base.addTo(map);
    var inhabitants = element.dataset.inhabitantsLabel || "inhabitants";
    demand.forEach(function (f) {
      var p = f.properties;
      var c = f.geometry.coordinates;
      L.circleMarker([c[1], c[0]], {
        radius: Math.max(2, Math.sqrt(p.population) / 12),
        color: COLOURS[p.colour], weight: 1, fillColor: COLOURS[p.colour], fillOpacity: 0.55
      }).bindTooltip(p.name + ": " + Math.round(p.population) + " " + inhabitants +
        ", " + p.distance_km + " km").addTo(map);
    });
    sites.forEach(function (f) {
      var p = f.properties;
      var c = f.geometry.coordinates;
      L.circleMarker([c[1], c[0]], {
        radius: p.open ? 10 : 6,
        color: p.open ? "#000000" : "#4a4a4a",
        weight: p.open ? 3 : 2,
        dashArray: p.open ? null : "3 3",
        fillColor: p.open ? COLOURS[p.colour] : "#ffffff",
        fillOpacity: p.open ? 1 : 0.8
      }).bindTooltip(p.name).addTo(map);
    });
    element.dataset.ready = "true";
  }

  document.querySelectorAll("[data-cc-map]").forEach(initMap);
})();
