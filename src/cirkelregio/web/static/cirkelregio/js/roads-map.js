// SPDX-License-Identifier: EUPL-1.2
// Maps of the roads pages: our own municipal boundaries as a quiet base layer (tiles
// only when the site has a tile URL), road sections as lines or areas in the colour
// of their road authority, the works of a bundle drawn thick, works without a partner
// thin and grey, and dashed lines between compatible works. Every map has a list of
// the same things beside it, so the map is never the only way to the information.
(function () {
  "use strict";

  var BACKGROUND = { color: "#8a9a90", weight: 1, fillColor: "#f1f4f2", fillOpacity: 0.6 };

  function style(feature) {
    var p = feature.properties;
    if (p.background) { return BACKGROUND; }
    if (p.pair) {
      return { color: "#1a1a1a", weight: 2, dashArray: "6 5", opacity: 0.9 };
    }
    if (p.muted) {
      return { color: "#6b6b6b", weight: 3, opacity: 0.8, fillColor: "#6b6b6b", fillOpacity: 0.3 };
    }
    return {
      color: p.colour || "#0072b2",
      weight: p.bundle ? 8 : 5,
      opacity: 0.95,
      fillColor: p.colour || "#0072b2",
      fillOpacity: 0.5
    };
  }

  function initMap(element) {
    var dataElement = document.getElementById(element.dataset.features);
    if (!dataElement || typeof L === "undefined") { return; }
    var data = JSON.parse(dataElement.textContent);
    var map = L.map(element, {
      scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false, maxZoom: 19
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
        attribution: element.dataset.tileAttribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    var background = data.features.filter(function (f) { return f.properties.background; });
    var roads = data.features.filter(function (f) { return !f.properties.background; });
    // Muted works first, then the pairs, then the bundled works on top.
    roads.sort(function (a, b) { return rank(a) - rank(b); });
    var base = L.geoJSON({ type: "FeatureCollection", features: background }, {
      style: function () { return BACKGROUND; },
      interactive: false
    });
    var layer = L.geoJSON({ type: "FeatureCollection", features: roads }, {
      style: style,
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties;
        featureLayer.bindTooltip(p.name, { sticky: true });
        if (p.url) {
          featureLayer.on("click", function () { window.location.href = p.url; });
        }
      }
    });
    if (roads.length) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
    } else if (background.length) {
      map.fitBounds(base.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([52.09, 5.12], 10);  // Utrecht
    }
    base.addTo(map);
    layer.addTo(map);
    element.dataset.ready = "true";
  }

  function rank(feature) {
    var p = feature.properties;
    if (p.muted) { return 0; }
    if (p.pair) { return 1; }
    return p.bundle ? 3 : 2;
  }

  document.querySelectorAll("[data-map]").forEach(initMap);
})();
