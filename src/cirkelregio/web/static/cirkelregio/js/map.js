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
    // maxZoom: marker clustering needs one, and there may be no tile layer to give it.
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
    // Repair places, by whether they are open; a dashed outline when the point is
    // only the centre of the postcode area.
    var STATE_STYLE = {
      open: { color: "#14532d", fillColor: "#2f8a53" },
      closed: { color: "#3a3a3a", fillColor: "#8a8a8a" },
      unknown: { color: "#3a3a3a", fillColor: "#ffffff" }
    };
    if (element.dataset.clusterLabel || points.some(isRepair)) {
      drawPlaces(map, element, areas, points, STATE_STYLE);
      element.dataset.ready = "true";
      return;
    }
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

  function isRepair(feature) {
    return feature.properties.kind === "repair" || feature.properties.kind === "search";
  }

  // A popup with the place's name (a link to its page when it has one) and a line
  // of detail; built from text nodes, never from HTML.
  function popupContent(p) {
    var box = document.createElement("div");
    var name = document.createElement(p.url ? "a" : "strong");
    name.textContent = p.name;
    if (p.url) { name.href = p.url; }
    box.appendChild(name);
    if (p.detail) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.detail));
    }
    return box;
  }

  // Repair places: quiet municipal boundaries, the search circle, and the places as
  // circle markers, clustered when the map asks for it (data-cluster-label names a
  // cluster for screen readers: "12 repair places"). The view is set before any
  // layer is added.
  function drawPlaces(map, element, areas, points, STATE_STYLE) {
    var background = L.geoJSON({ type: "FeatureCollection", features: areas }, {
      style: function () {
        return { color: "#8a9a90", weight: 1, fillColor: "#f1f4f2", fillOpacity: 0.6 };
      },
      interactive: false
    });
    var bounds = L.latLngBounds([]);
    var circles = [];
    var markers = [];
    points.forEach(function (feature) {
      var p = feature.properties;
      var latlng = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
      if (p.kind === "search") {
        circles.push(L.circle(latlng, {
          radius: p.radius_m, color: "#14532d", weight: 2, dashArray: "6 4",
          fill: false, interactive: false
        }));
        bounds.extend(latlng.toBounds(p.radius_m * 2));
        return;
      }
      var style = STATE_STYLE[p.state] || STATE_STYLE.unknown;
      var marker = L.circleMarker(latlng, {
        radius: 8, color: style.color, weight: 2, fillColor: style.fillColor,
        fillOpacity: 0.95, dashArray: p.approximate ? "3 3" : null
      });
      marker.bindTooltip(p.name);
      marker.bindPopup(popupContent(p));
      markers.push(marker);
      bounds.extend(latlng);
    });
    var zoom = parseFloat(element.dataset.zoom);
    if (markers.length === 1 && zoom) {
      map.setView(markers[0].getLatLng(), zoom);
    } else if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15 });
    } else if (areas.length) {
      map.fitBounds(background.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([52.2, 5.3], 7);  // the Netherlands
    }
    background.addTo(map);
    circles.forEach(function (circle) { circle.addTo(map); });
    var label = element.dataset.clusterLabel;
    if (label && typeof L.markerClusterGroup === "function") {
      var clusters = L.markerClusterGroup({
        showCoverageOnHover: false,
        maxClusterRadius: 50,
        iconCreateFunction: function (cluster) {
          var icon = document.createElement("span");
          var count = document.createElement("span");
          count.textContent = String(cluster.getChildCount());
          var name = document.createElement("span");
          name.className = "cr-visually-hidden";
          name.textContent = " " + label;
          icon.appendChild(count);
          icon.appendChild(name);
          return L.divIcon({ html: icon, className: "cr-cluster", iconSize: L.point(40, 40) });
        }
      });
      clusters.addLayers(markers);
      map.addLayer(clusters);
    } else {
      markers.forEach(function (marker) { marker.addTo(map); });
    }
  }

  document.querySelectorAll("[data-map]").forEach(initMap);
})();
