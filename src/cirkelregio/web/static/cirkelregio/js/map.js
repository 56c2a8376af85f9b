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
    // Points (listings, depots) are drawn as circle markers over the boundaries;
    // boundaries marked "background" are a quiet grey base layer.
    var points = data.features.filter(function (f) { return f.geometry.type === "Point"; });
    var areas = data.features.filter(function (f) { return f.geometry.type !== "Point"; });
    var single = areas.length === 1 && !points.length;
    var POINT_STYLE = {
      supply: { color: "#003f7d", fillColor: "#0072b2" },
      demand: { color: "#7a3300", fillColor: "#e69f00" },
      depot: { color: "#000000", fillColor: "#009e73" }
    };
    var layer = L.geoJSON(data, {
      style: function (feature) {
        if (feature.geometry.type === "Point") {
          var point = POINT_STYLE[feature.properties.kind] || POINT_STYLE.depot;
          return { color: point.color, weight: 2, fillColor: point.fillColor, fillOpacity: 0.9 };
        }
        if (feature.properties.background) {
          return { color: "#8a9a90", weight: 1, fillColor: "#f1f4f2", fillOpacity: 0.6 };
        }
        return {
          color: "#14532d",
          weight: single ? 3 : 1,
          fillColor: single ? "#5fae7b" : shade(feature.properties.lines || 0, max),
          fillOpacity: single ? 0.35 : 0.85
        };
      },
      pointToLayer: function (feature, latlng) {
        var style = POINT_STYLE[feature.properties.kind] || POINT_STYLE.depot;
        return L.circleMarker(latlng, {
          radius: feature.properties.kind === "depot" ? 9 : 6,
          color: style.color,
          weight: 2,
          fillColor: style.fillColor,
          fillOpacity: 0.9
        });
      },
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties;
        if (p.background) { return; }
        var label = p.name + (single || p.kind ? "" : " (" + (p.lines || 0) + ")");
        featureLayer.bindTooltip(label);
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
