// SPDX-License-Identifier: EUPL-1.2
// Leaflet maps of our own boundary layers. Background tiles only when the site is
// configured with a tile URL, so every map works without any tile server.
(function () {
  "use strict";

  var SHADES = ["#e8f3ec", "#c6e3cf", "#94cba6", "#5fae7b", "#2f8a53", "#1b6b3c"];

  function shade(value, max) {
    if (!max) { return SHADES[0]; }
    var index = Math.round((value / max) * (SHADES.length - 1));
    return SHADES[Math.max(0, Math.min(SHADES.length - 1, index))];
  }

  function initMap(element) {
    var dataElement = document.getElementById(element.dataset.features);
    if (!dataElement || typeof L === "undefined") { return; }
    var data = JSON.parse(dataElement.textContent);
    var max = 0;
    data.features.forEach(function (f) { max = Math.max(max, f.properties.lines || 0); });
    // The page provides the texts of the controls in its own language; Leaflet's
    // defaults are English. No attribution prefix: it links to Leaflet's site.
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false });
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
        maxZoom: 18
      }).addTo(map);
    }
    var single = data.features.length === 1;
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return {
          color: "#14532d",
          weight: single ? 3 : 1,
          fillColor: single ? "#5fae7b" : shade(feature.properties.lines || 0, max),
          fillOpacity: single ? 0.35 : 0.85
        };
      },
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties;
        featureLayer.bindTooltip(p.name + (single ? "" : " (" + (p.lines || 0) + ")"));
        if (!single && p.url) {
          featureLayer.on("click", function () { window.location.href = p.url; });
        }
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    element.dataset.ready = "true";
  }

  document.querySelectorAll("[data-map]").forEach(initMap);
})();
