// Sinergi maps: a Leaflet map per [data-map] element, drawn from the shipped boundaries.
// No inline script (CSP): everything the map needs comes from data- attributes.
(function () {
  "use strict";
  var COLORS = ["#fde0dd", "#fa9fb5", "#dd3497", "#7a0177"];

  function colorFor(value, max) {
    if (!max || !value) return COLORS[0];
    var i = Math.min(COLORS.length - 1, Math.floor((value / max) * COLORS.length));
    return COLORS[i];
  }

  function fmt(n) {
    return (n || 0).toLocaleString(document.documentElement.lang === "en" ? "en-US" : "id-ID");
  }

  function initMap(el) {
    if (el.dataset.ready || typeof L === "undefined") return;
    el.dataset.ready = "1";
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false, maxZoom: 18 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    var bounds = null;
    var label = el.dataset.labelTps || "TPS";
    var labelDpt = el.dataset.labelDpt || "DPT";
    var done = function () {
      // maxZoom: one TPS is a zero-size bounds, which would zoom to infinity and draw nothing.
      // paddingTopLeft keeps markers clear of the zoom control.
      if (bounds && bounds.isValid()) {
        map.fitBounds(bounds, { paddingTopLeft: [44, 12], paddingBottomRight: [12, 12], maxZoom: 15 });
      } else {
        map.setView([-0.5, 116.5], 6);
      }
      el.classList.add("map-ready");
    };
    var pending = 0;
    function finish() { pending -= 1; if (pending === 0) done(); }

    if (el.dataset.areas) {
      pending += 1;
      // data-value: which property colours the areas (default dpt); data-max="100" for percentages
      var key = el.dataset.value || "dpt";
      var valueLabel = el.dataset.labelValue || labelDpt;
      var suffix = key === "percent" ? "%" : "";
      fetch(el.dataset.areas, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (gj) {
        var max = el.dataset.max ? Number(el.dataset.max) : 0;
        if (!max) gj.features.forEach(function (f) { max = Math.max(max, f.properties[key] || 0); });
        var layer = L.geoJSON(gj, {
          style: function (f) {
            return { color: "#555", weight: 1, fillOpacity: 0.75, fillColor: colorFor(f.properties[key], max) };
          },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            var text = key === "dpt"
              ? p.name + " — " + label + ": " + fmt(p.tps) + ", " + labelDpt + ": " + fmt(p.dpt)
              : p.name + " — " + valueLabel + ": " + fmt(p[key]) + suffix;
            lyr.bindTooltip(text);
            if (p.url) lyr.on("click", function () { window.location.href = p.url; });
          }
        }).addTo(map);
        el.dataset.features = String(gj.features.length);
        if (gj.features.length) bounds = layer.getBounds();
      }).catch(function () {}).then(finish);
    }
    if (el.dataset.points) {
      pending += 1;
      fetch(el.dataset.points, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (gj) {
        var layer = L.geoJSON(gj, {
          pointToLayer: function (f, latlng) {
            var mode = f.properties.access_mode;
            var color = mode === "river" ? "#1565c0" : mode === "air" ? "#6a1b9a" : mode === "foot" ? "#b36b00" : "#1f7a3d";
            if (f.properties.risk) {
              return L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 });
            }
            return L.circleMarker(latlng, { radius: 6, color: "#fff", weight: 1, fillColor: color, fillOpacity: 0.9 });
          },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            lyr.bindTooltip(p.label || ("TPS " + p.number + " — " + labelDpt + " " + fmt(p.dpt)));
            if (p.url) lyr.on("click", function () { window.location.href = p.url; });
          }
        }).addTo(map);
        el.dataset.pointsCount = String(gj.features.length);
        if (gj.features.length) {
          var b = layer.getBounds();
          bounds = bounds ? bounds.extend(b) : b;
        }
      }).catch(function () {}).then(finish);
    }
    if (!pending) done();
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-map]").forEach(initMap);
  }
  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { initAll(e.target); });
})();
