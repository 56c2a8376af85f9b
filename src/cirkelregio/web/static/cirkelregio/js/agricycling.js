// SPDX-License-Identifier: EUPL-1.2
// The Agricycling pages. The map: our own municipal boundaries as a quiet base
// layer (tiles only when the site has a tile URL), the mowing parcels coloured by
// whether their mowings were placed (unplaced ones dashed), the farms as circles
// and a dashed line from each parcel to each farm it goes to; the tables on the
// page hold the same information. The run form: while HiGHS runs, the form says so
// (a live region) and a progress bar shows the seconds used of the time limit.
(function () {
  "use strict";

  var BACKGROUND = { color: "#8a9a90", weight: 1, fillColor: "#f1f4f2", fillOpacity: 0.6 };
  var FARM = { radius: 8, color: "#1a1a1a", weight: 2, fillColor: "#0072b2", fillOpacity: 0.9 };
  var STATE = { placed: "#009e73", partial: "#e69f00", unplaced: "#d55e00", none: "#6b6b6b" };

  function style(feature) {
    var p = feature.properties;
    if (p.kind === "farm") { return FARM; }
    if (p.kind === "line") { return { color: "#1a1a1a", weight: 2, dashArray: "5 5", opacity: 0.9 }; }
    var colour = STATE[p.state] || STATE.none;
    return {
      color: colour, weight: 6, opacity: 0.95, fillColor: colour, fillOpacity: 0.5,
      dashArray: p.state === "unplaced" ? "6 4" : null
    };
  }

  function initMap(element) {
    var dataElement = document.getElementById(element.dataset.features);
    if (!dataElement || typeof L === "undefined") { return; }
    var data = JSON.parse(dataElement.textContent);
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false, maxZoom: 19 });
    L.control.zoom({
      zoomInTitle: element.dataset.zoomInLabel || "Zoom in",
      zoomOutTitle: element.dataset.zoomOutLabel || "Zoom out"
    }).addTo(map);
    map.attributionControl.setPrefix(false);
    if (element.dataset.attribution) { map.attributionControl.addAttribution(element.dataset.attribution); }
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    var background = data.features.filter(function (f) { return f.properties.kind === "background"; });
    var rest = data.features.filter(function (f) { return f.properties.kind !== "background"; });
    var order = { parcel: 0, line: 1, farm: 2 };
    rest.sort(function (a, b) { return order[a.properties.kind] - order[b.properties.kind]; });
    var base = L.geoJSON({ type: "FeatureCollection", features: background }, {
      style: function () { return BACKGROUND; }, interactive: false
    });
    var layer = L.geoJSON({ type: "FeatureCollection", features: rest }, {
      style: style,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, FARM);
      },
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties;
        featureLayer.bindTooltip(p.name, { sticky: true });
      }
    });
    if (rest.length) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15 });
    } else if (background.length) {
      map.fitBounds(base.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([52.09, 5.12], 10);
    }
    base.addTo(map);
    layer.addTo(map);
    element.dataset.ready = "true";
  }

  document.querySelectorAll("[data-map]").forEach(initMap);

  document.querySelectorAll("form.cr-run").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var status = form.querySelector(".cr-busy");
      var box = form.querySelector(".cr-progress");
      var bar = form.querySelector("progress");
      var limitInput = form.querySelector("[name=time_limit]");
      var limit = parseFloat((limitInput && limitInput.value || "").replace(",", ".")) || 20;
      var started = Date.now();
      form.setAttribute("aria-busy", "true");
      form.classList.add("cr-run--busy");
      if (box) { box.hidden = false; }
      if (bar) { bar.max = limit; bar.value = 0; }
      // The live region speaks once; the progress bar counts the seconds.
      if (status) { status.textContent = form.dataset.busyText || ""; }
      function tick() {
        var seconds = Math.min(limit, Math.round((Date.now() - started) / 1000));
        if (bar) {
          bar.value = seconds;
          bar.setAttribute("aria-valuetext", seconds + " " + (form.dataset.elapsedText || "/") + " " + limit);
        }
      }
      tick();
      window.setInterval(tick, 1000);
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
  var summary = document.querySelector(".cr-error-summary");
  if (summary) { summary.focus(); }
})();
