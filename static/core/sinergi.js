// Sinergi maps: a Leaflet map per [data-map] element, drawn from the shipped boundaries.
// No inline script (CSP): everything the map needs comes from data- attributes.
(function () {
  "use strict";
  // Sequential light -> dark (ColorBrewer RdPu, 5 classes); grey is "no data", outside the scale.
  var PALETTE = ["#feebe2", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177"];
  var NO_DATA = "#c4c8d0";
  var refitters = []; // one per map: fit its features into its current size

  function locale() {
    return document.documentElement.lang === "en" ? "en-US" : "id-ID";
  }

  function fmt(n) {
    return (n || 0).toLocaleString(locale(), { maximumFractionDigits: 2 });
  }

  function hasValue(v) {
    return typeof v === "number" && isFinite(v);
  }

  // The roundest number t with below < t <= value: a break there sorts the data exactly as a
  // break at value does, and reads better in the legend (150.000 rather than 152.337).
  function roundBreak(value, below, span) {
    var top = Math.floor(Math.log10(Math.max(Math.abs(value), span, 1e-9)));
    for (var e = top; e >= -2; e--) {
      var steps = [Math.pow(10, e), 5 * Math.pow(10, e - 1), 2 * Math.pow(10, e - 1)];
      for (var s = 0; s < steps.length; s++) {
        var digits = Math.max(0, -(e - 1));
        var t = Number((Math.floor(value / steps[s] + 1e-9) * steps[s]).toFixed(digits));
        if (t > below && t <= value) return t;
      }
    }
    return value;
  }

  // The colour scale of a choropleth, from the values actually shown: classes by quantiles
  // (about as many areas per colour), at most PALETTE.length, never an empty class. Both the
  // fills (colorOf) and the legend (classes, noData) come from this one object, so they agree.
  function colorScale(values, suffix) {
    suffix = suffix || "";
    var data = values.filter(hasValue).sort(function (a, b) { return a - b; });
    var noData = data.length < values.length;
    var classes = [];
    if (data.length) {
      var distinct = data.filter(function (v, i) { return i === 0 || v !== data[i - 1]; });
      var k = Math.min(PALETTE.length, distinct.length);
      var min = data[0];
      var span = data[data.length - 1] - min;
      // lower bounds of classes 1..k-1: data values, strictly increasing, above the minimum;
      // a quantile that falls inside a run of equal values moves up to the next value
      var lows = [];
      for (var i = 1; i < k; i++) {
        var floor = lows.length ? lows[lows.length - 1] : min;
        var b = data[Math.floor((i * data.length) / k)];
        if (b <= floor) b = distinct.filter(function (v) { return v > floor; })[0];
        if (b === undefined) break;
        lows.push(b);
      }
      lows = lows.map(function (b) {
        var below = min;
        for (var j = 0; j < data.length && data[j] < b; j++) below = data[j];
        return roundBreak(b, below, span);
      });
      var n = lows.length + 1;
      for (var c = 0; c < n; c++) {
        // spread fewer classes over the whole palette; a single class takes its middle
        var color = PALETTE[n === 1 ? Math.floor(PALETTE.length / 2) : Math.round((c * (PALETTE.length - 1)) / (n - 1))];
        var label;
        if (n === 1) label = fmt(min) + suffix;
        else if (c === 0) label = "< " + fmt(lows[0]) + suffix;
        else if (c === n - 1) label = "≥ " + fmt(lows[c - 1]) + suffix;
        else label = fmt(lows[c - 1]) + "–" + fmt(lows[c]) + suffix;
        // from: the class's lower limit (none for the first one)
        classes.push({ color: color, from: c === 0 ? null : lows[c - 1], label: label });
      }
    }
    return {
      classes: classes,
      noData: noData,
      noDataColor: NO_DATA,
      colorOf: function (v) {
        if (!hasValue(v) || !classes.length) return NO_DATA;
        var found = classes[0];
        classes.forEach(function (cls) { if (cls.from !== null && v >= cls.from) found = cls; });
        return found.color;
      }
    };
  }

  function swatch(color, text) {
    var item = document.createElement("span");
    item.className = "swatch";
    var box = document.createElement("i");
    box.style.backgroundColor = color; // CSSOM, which the CSP allows (a style attribute it would not)
    item.appendChild(box);
    item.appendChild(document.createTextNode(text));
    return item;
  }

  function drawLegend(target, scale, title, noDataLabel) {
    if (!target) return;
    target.textContent = "";
    if (title) {
      var t = document.createElement("span");
      t.className = "legend-title";
      t.textContent = title;
      target.appendChild(t);
    }
    scale.classes.forEach(function (cls) { target.appendChild(swatch(cls.color, cls.label)); });
    if (scale.noData) target.appendChild(swatch(scale.noDataColor, noDataLabel)).classList.add("no-data");
  }

  // What a tooltip or a tap shows of a feature: its name, its figures, where they come from.
  function card(title, lines, note) {
    var box = document.createElement("div");
    box.className = "map-card";
    var h = document.createElement("strong");
    h.textContent = title;
    box.appendChild(h);
    lines.concat(note ? [note] : []).forEach(function (line, i) {
      var p = document.createElement("div");
      p.textContent = line;
      if (note && i === lines.length) p.className = "muted";
      box.appendChild(p);
    });
    return box;
  }

  function initMap(el) {
    if (el.dataset.ready || typeof L === "undefined") return;
    el.dataset.ready = "1";
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false, maxZoom: 18 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    // Points get their own pane above the areas' (overlayPane, 400): the areas' file may arrive
    // after the points' and would otherwise be drawn over them. Tooltips (650) stay above both.
    map.createPane("points").style.zIndex = 450;
    var bounds = null;
    var label = el.dataset.labelTps || "TPS";
    var labelDpt = el.dataset.labelDpt || "DPT";
    var noDataLabel = el.dataset.labelNoData || "—";
    var openLabel = el.dataset.labelOpen || "→";
    var note = el.dataset.note || "";

    // Touch: the first tap on a feature shows its figures, a second tap on it (or the link in
    // the card) opens its page. A mouse keeps hover for figures and click to open.
    var lastPointer = "mouse";
    el.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; }, true);
    var picked = null;
    // kept clear of the zoom control (top left) and narrow enough for a 360 px phone
    var popup = L.popup({
      closeOnClick: false, autoPanPaddingTopLeft: [52, 12], autoPanPaddingBottomRight: [12, 12],
      maxWidth: Math.max(140, Math.min(260, el.clientWidth - 120))
    });
    map.on("popupclose", function () { picked = null; });
    map.on("click", function () { map.closePopup(); });

    function interact(lyr, content, url) {
      lyr.bindTooltip(content());
      lyr.on("click", function (e) {
        var oe = e.originalEvent || {};
        var pointer = oe.pointerType || lastPointer;
        if (pointer === "mouse") {
          if (url) window.location.href = url;
          return;
        }
        L.DomEvent.stopPropagation(e); // the map's own click would close the card again
        lyr.closeTooltip();
        if (picked === lyr && url) {
          window.location.href = url;
          return;
        }
        var box = content();
        if (url) {
          var a = document.createElement("a");
          a.href = url;
          a.className = "map-open";
          a.textContent = openLabel;
          box.appendChild(a);
        }
        popup.setLatLng(e.latlng).setContent(box).openOn(map);
        picked = lyr;
      });
    }

    var fit = function () {
      // maxZoom: one TPS is a zero-size bounds, which would zoom to infinity and draw nothing.
      // paddingTopLeft keeps markers clear of the zoom control.
      if (bounds && bounds.isValid()) {
        map.fitBounds(bounds, { paddingTopLeft: [44, 12], paddingBottomRight: [12, 12], maxZoom: 15, animate: false });
      } else {
        map.setView([-0.5, 116.5], 6, { animate: false });
      }
    };
    var done = function () {
      fit();
      refitters.push(function () { map.invalidateSize({ animate: false }); fit(); });
      el.classList.add("map-ready");
    };
    var pending = 0;
    function finish() { pending -= 1; if (pending === 0) done(); }

    if (el.dataset.areas) {
      pending += 1;
      // data-value: which property colours the areas (default dpt); "percent" is a share
      var key = el.dataset.value || "dpt";
      var valueLabel = el.dataset.labelValue || labelDpt;
      var suffix = key === "percent" ? "%" : "";
      var legend = document.querySelector('[data-legend-for="' + el.id + '"]');
      fetch(el.dataset.areas, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (gj) {
        var scale = colorScale(gj.features.map(function (f) { return f.properties[key]; }), suffix);
        var layer = L.geoJSON(gj, {
          style: function (f) {
            var missing = !hasValue(f.properties[key]);
            return {
              color: "#555", weight: 1, fillOpacity: missing ? 0.5 : 0.8,
              dashArray: missing ? "3 3" : null, fillColor: scale.colorOf(f.properties[key])
            };
          },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            var figure = function (v, s) { return hasValue(v) ? fmt(v) + (s || "") : noDataLabel; };
            var lines = key === "dpt"
              ? [label + ": " + fmt(p.tps), labelDpt + ": " + figure(p.dpt)]
              : [valueLabel + ": " + figure(p[key], suffix)];
            if (key !== "dpt" && hasValue(p.received) && el.dataset.labelReceived) {
              lines.push(el.dataset.labelReceived + ": " + fmt(p.received) + " / " + fmt(p.required));
            }
            interact(lyr, function () { return card(p.name, lines, note); }, p.url);
          }
        }).addTo(map);
        drawLegend(legend, scale, el.dataset.legendTitle || (key === "dpt" ? labelDpt : valueLabel), noDataLabel);
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
            // a layer may colour its own points (security: by vulnerability category)
            var color = f.properties.color ||
              (mode === "river" ? "#1565c0" : mode === "air" ? "#6a1b9a" : mode === "foot" ? "#b36b00" : "#1f7a3d");
            if (f.properties.risk) {
              return L.circleMarker(latlng, { pane: "points", radius: 9, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 });
            }
            return L.circleMarker(latlng, { pane: "points", radius: 6, color: "#fff", weight: 1, fillColor: color, fillOpacity: 0.9 });
          },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            var title = p.label || ("TPS " + p.number);
            var lines = p.lines || (p.label ? [] : [p.village, labelDpt + ": " + fmt(p.dpt)].filter(Boolean));
            interact(lyr, function () { return card(title, lines, ""); }, p.url);
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

  // A printed page is narrower than the screen: before the print layout, give the maps their
  // printed size (html.printing, see sinergi.css) and fit them again, then back after printing.
  function printing(on) {
    if (document.documentElement.classList.contains("printing") === on) return;
    document.documentElement.classList.toggle("printing", on);
    refitters.forEach(function (f) { f(); });
  }
  window.addEventListener("beforeprint", function () { printing(true); });
  window.addEventListener("afterprint", function () { printing(false); });
  if (window.matchMedia) {
    var printMedia = window.matchMedia("print");
    var onMedia = function (e) { printing(e.matches); };
    if (printMedia.addEventListener) printMedia.addEventListener("change", onMedia);
  }

  // Present mode (the situation report projected at a rakor): one slide per screen; the arrow
  // keys, Page Up/Down, space, Home and End move between slides, Escape leaves.
  function initPresent() {
    if (!document.body.classList.contains("presenting")) return;
    var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
    if (!slides.length) return;
    var counter = document.querySelector("[data-slide-counter]");
    var at = 0;
    function go(i) {
      at = Math.max(0, Math.min(slides.length - 1, i));
      slides[at].scrollIntoView({ block: "start" });
      slides.forEach(function (s, j) { s.setAttribute("aria-current", j === at ? "step" : "false"); });
      if (counter) counter.textContent = (at + 1) + " / " + slides.length;
    }
    var keys = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 };
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (keys[e.key]) go(at + keys[e.key]);
      else if (e.key === "Home") go(0);
      else if (e.key === "End") go(slides.length - 1);
      else if (e.key === "Escape") {
        var exit = document.querySelector("[data-present-exit]");
        if (exit) window.location.href = exit.href;
        return;
      } else return;
      e.preventDefault();
    });
    go(0);
  }
  document.addEventListener("DOMContentLoaded", initPresent);

  function initAll(root) {
    (root || document).querySelectorAll("[data-map]").forEach(initMap);
  }
  // The scale is a pure function: exposed so the browser tests can check its breaks directly.
  window.SinergiMaps = { colorScale: colorScale };
  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { initAll(e.target); });
})();
