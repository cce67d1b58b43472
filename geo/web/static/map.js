// The map page's own script (geo.web.page). Everything it shows comes from the page: the JSON
// data block #geo-data (places, lines, words, the view) and <template> elements (symbols, popups,
// the key), which the server-side templates escaped. Text from data is only ever set with
// textContent. Folium's script (after this one) made the map and a feature group per layer;
// geo.start() finds them by the names in the data block and does the rest.
var geo = (function () {
  "use strict";
  var data = null, map = null, groups = {}, markers = [];

  function make(tag, className, parent) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (parent) { parent.appendChild(el); }
    return el;
  }
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"};
  function esc(value) {  // for the one place Leaflet wants HTML: the attribution
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  function templates(attribute) {
    var out = {};
    document.querySelectorAll("template[data-" + attribute + "]").forEach(function (t) {
      out[t.getAttribute("data-" + attribute)] = t;
    });
    return out;
  }
  function clone(template) { return template.content.firstElementChild.cloneNode(true); }

  // --- basemap: polyline-encoded rings (geo.web.assets), drawn as far round as the view goes ---
  function decode(text, scale) {
    var out = [], lat = 0, lon = 0, i = 0, value = [0, 0], k;
    while (i < text.length) {
      for (k = 0; k < 2; k++) {
        var bits = 0, shift = 0, b;
        do { b = text.charCodeAt(i++) - 63; bits |= (b & 31) << shift; shift += 5; } while (b >= 32);
        value[k] = bits & 1 ? ~(bits >> 1) : bits >> 1;
      }
      lat += value[0]; lon += value[1];
      out.push([lat / scale, lon / scale]);
    }
    return out;
  }
  function basemap(target, outlines) {
    var scale = Math.pow(10, outlines.precision), centre = data.view.centre, span = data.view.span;
    var c = data.colours;
    var polygons = outlines.polygons.map(function (p) {
      return p.map(function (ring) { return decode(ring, scale); });
    });
    // Its own pane under the overlays: drawn last, it must still lie beneath lines and places.
    if (!target.getPane("geo-basemap")) { target.createPane("geo-basemap").style.zIndex = 350; }
    var renderer = L.canvas({padding: 0.5, pane: "geo-basemap"});
    [-360, 0, 360].forEach(function (turn) {  // the map shows the home longitude ± span
      var list = polygons.filter(function (p) {
        var lons = p[0].map(function (q) { return q[1] + turn; });
        return Math.max.apply(null, lons) > centre - span && Math.min.apply(null, lons) < centre + span;
      }).map(function (p) {
        return turn ? p.map(function (r) { return r.map(function (q) { return [q[0], q[1] + turn]; }); }) : p;
      });
      if (!list.length) { return; }
      L.polygon(list, {color: c.coastline, weight: 0.8, fillColor: c.land, fillOpacity: 1,
        interactive: false, className: "geo-basemap", pane: "geo-basemap", renderer: renderer}).addTo(target);
    });
  }
  // The outlines' script loads deferred (after this page's script) unless it is inlined before
  // it: draw at once if the data are here, else when the script hands them over.
  var waiting = [];
  function outlines(target) {
    if (window.geoBasemap) { basemap(target, window.geoBasemap); } else { waiting.push(target); }
  }
  function basemapLoaded(outlinesData) {
    waiting.splice(0).forEach(function (target) { basemap(target, outlinesData); });
  }

  // --- places and lines -------------------------------------------------------------------
  function textElement(tag, className, value) {
    var el = make(tag, className);
    el.textContent = value;
    return el;
  }
  function markerIcon(mark, label) {
    var box = make("span", "geo-marker-inner");
    box.appendChild(clone(mark));
    box.appendChild(textElement("span", "geo-sr", label));
    return box;
  }
  function place(p, marks, popups) {
    var icon = L.divIcon({className: "geo-marker geo-layer-" + p.layer,
      html: markerIcon(marks[p.mark], p.label), iconSize: [26, 26], iconAnchor: [13, 13],
      popupAnchor: [0, -12], tooltipAnchor: [0, -14]});
    var marker = L.marker(p.latlon, {icon: icon, keyboard: true, riseOnHover: true});
    marker.geo = p;
    var popup = L.popup({closeButton: false, className: "geo-popup-box", minWidth: 160});
    popup.setContent(function () { geoLayout.fitPopup(map, popup); return clone(popups[p.id]); });
    marker.bindPopup(popup);
    marker.bindTooltip(textElement("span", "", p.label), {direction: "top", className: "geo-tooltip"});
    marker.on("add", function () {
      var el = marker.getElement();
      el.setAttribute("data-place", p.id);
      el.addEventListener("focus", function () { focusMarker(marker); });
      el.addEventListener("blur", function () { marker.setZIndexOffset(0); });
    });
    return marker;
  }
  function places() {
    var marks = templates("mark"), popups = templates("popup");
    data.places.forEach(function (p) {
      var marker = place(p, marks, popups);
      markers.push(marker);
      groups[p.layer].addLayer(marker);
    });
  }
  function lines() {
    data.lines.forEach(function (l) {
      var style = L.extend({interactive: false, className: "geo-connection"}, l.style);
      groups.connections.addLayer(L.polyline(l.latlngs, style));
    });
  }

  // --- focus and popups -------------------------------------------------------------------
  function focusMarker(marker) {
    var box = map.getContainer();
    box.scrollTop = 0; box.scrollLeft = 0;  // the browser scrolls a hidden marker into view
    marker.setZIndexOffset(1000);  // a focused marker comes to the front
    var open = openPopup();
    if (open && open._source !== marker) { map.closePopup(); }
    if (!map.getBounds().pad(-0.05).contains(marker.getLatLng())) { map.panTo(marker.getLatLng()); }
  }
  function openPopup() {
    var found = null;
    map.eachLayer(function (l) { if (l instanceof L.Popup && map.hasLayer(l)) { found = l; } });
    return found;
  }
  function closePopup(marker) {
    map.closePopup();
    if (marker && marker.getElement()) { marker.getElement().focus(); }
  }
  function popupEvents() {
    map.on("popupopen", function (e) {
      var el = e.popup.getElement(), title = el.querySelector(".geo-popup-name");
      el.setAttribute("role", "dialog");
      var close = el.querySelector(".geo-popup-close");
      if (close) { close.addEventListener("click", function () { closePopup(e.popup._source); }); }
      if (title) {
        title.id = "geo-popup-title";
        el.setAttribute("aria-labelledby", title.id);
        title.focus({preventScroll: true});  // Enter on a marker moves focus into its popup
      }
      var content = el.querySelector(".leaflet-popup-content");
      if (content && content.scrollHeight > content.clientHeight) { content.tabIndex = 0; }
      el.addEventListener("focusout", function (f) {  // leaving the popup by keyboard closes it
        if (f.relatedTarget && !el.contains(f.relatedTarget) && map.hasLayer(e.popup)) {
          map.closePopup(e.popup);
        }
      });
    });
    map.getContainer().addEventListener("keydown", function (e) {
      if (e.key !== "Escape") { return; }
      var popup = openPopup();
      if (popup) {
        closePopup(popup._source);
        e.preventDefault();
      }
    });
  }

  // --- controls: our own buttons (Space and Enter work on a <button>), before the markers ---
  function button(parent, label, symbol, action) {
    var b = make("button", "geo-button", parent);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.title = label;
    b.appendChild(textElement("span", "", symbol)).setAttribute("aria-hidden", "true");
    b.addEventListener("click", action);
    return b;
  }
  function control(position, className, build) {
    var Control = L.Control.extend({options: {position: position}, onAdd: function () {
      var box = make("div", "leaflet-control " + className);
      build(box);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }});
    return new Control().addTo(map);
  }
  function resetView() { map.fitBounds(data.view.bounds, {padding: [24, 24], animate: false}); }
  function controls(text) {
    control("topleft", "geo-zoom", function (box) {
      button(box, text.zoom_in, "+", function () { map.zoomIn(); });
      button(box, text.zoom_out, "\u2212", function () { map.zoomOut(); });
      button(box, text.reset, "\u2302", resetView);
    });
    control("bottomleft", "geo-pan", function (box) {  // moving the map without dragging (2.5.7)
      function pan(dx, dy) {
        return function () { var s = map.getSize(); map.panBy([dx * s.x / 3, dy * s.y / 3]); };
      }
      button(box, text.pan_north, "\u2191", pan(0, -1)).classList.add("geo-pan-n");
      button(box, text.pan_west, "\u2190", pan(-1, 0)).classList.add("geo-pan-w");
      button(box, text.pan_south, "\u2193", pan(0, 1)).classList.add("geo-pan-s");
      button(box, text.pan_east, "\u2192", pan(1, 0)).classList.add("geo-pan-e");
    });
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    var attribution = L.control.attribution({prefix: "<a href=\"https://leafletjs.com\">" + esc(data.prefix) + "</a>"});
    attribution.addTo(map);
    if (data.attribution) { attribution.addAttribution(esc(data.attribution)); }
    keyControl();
  }
  function keyControl() {
    var key = control("topright", "geo-key-box", function (box) {
      box.appendChild(clone(document.getElementById("geo-key-template")));
    }).getContainer();
    var toggle = key.querySelector(".geo-key-toggle"), layers = key.querySelector(".geo-layers");
    function show(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      layers.hidden = !open;
      map.fire("geo:controls");
    }
    toggle.addEventListener("click", function () { show(layers.hidden); });
    var size = map.getSize();
    show(size.x >= 600 && size.y >= 400);  // small maps start with the status key alone
    key.querySelectorAll("input[data-layer]").forEach(function (box) {
      var group = groups[box.getAttribute("data-layer")];
      box.checked = map.hasLayer(group);
      box.addEventListener("change", function () {
        if (box.checked) { map.addLayer(group); } else { map.removeLayer(group); }
      });
    });
  }

  // --- start ------------------------------------------------------------------------------
  function start() {
    data = JSON.parse(document.getElementById("geo-data").textContent);
    map = window[data.names.map];
    Object.keys(data.names.groups).forEach(function (name) { groups[name] = window[data.names.groups[name]]; });
    var box = map.getContainer(), text = data.text;
    var message = box.querySelector(".geo-map-message");
    if (message) { message.remove(); }
    box.style.background = data.colours.sea;
    map.setMaxZoom(data.view.maxZoom);
    map.setMinZoom(Math.min(map.getZoom(), Math.max(0, Math.floor(4 * Math.log2(map.getSize().x / 256)) / 4)));
    map.options.gestureHandlingOptions = {duration: 1500, text: {touch: text.gesture_touch,
      scroll: text.gesture_scroll, scrollMac: text.gesture_scroll_mac}};
    if (map.gestureHandling) { map.gestureHandling.enable(); }
    if (data.tiles) {
      L.tileLayer(data.tiles.url, {attribution: esc(data.tiles.attribution), maxZoom: data.view.maxZoom}).addTo(map);
    } else {
      outlines(map);
    }
    controls(text);
    popupEvents();
    // The controls come before the markers in the Tab order.
    box.insertBefore(box.querySelector(".leaflet-control-container"), box.firstChild);
    if (data.large) {
      geoLarge.load(map, groups, data);
    } else {
      lines();
      places();
      geoLayout.attach(map, markers, data.colours.leader);
      box.setAttribute("data-geo-ready", "true");
    }
  }
  return {start: start, basemapLoaded: basemapLoaded, templates: templates, clone: clone,
    make: make, esc: esc, textElement: textElement, markerIcon: markerIcon, place: place};
})();
