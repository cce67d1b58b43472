// The map page's own script (geo.web.page; docs/map.md says what a visitor sees). Everything it
// shows comes from the page: the JSON data block #geo-data (places, lines, words, views) and the
// markup the server-side templates escaped (symbols, popups, the tool bar, the key). Text from
// data is only ever set with textContent. Folium's script (after this one) made the large map and
// a feature group per layer; geo.start() finds them by the names in the data block, adds the world
// overview when places crowd around home (geoLayout), and wires the tools, popups, deep links
// (sv.html#kiel) and the table.
var geo = (function () {
  "use strict";
  var data = null, map = null, world = null, groups = {}, places = {}, figure = null;
  var marks = {}, popups = {}, sheet = null, opened = null, layouts = [], ready = false;

  function make(tag, className, parent) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (parent) { parent.appendChild(el); }
    return el;
  }
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"};
  function esc(value) {  // for the one place Leaflet wants HTML: a tile server's attribution
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
  function textElement(tag, className, value) {
    var el = make(tag, className);
    el.textContent = value;
    return el;
  }

  // --- basemap: polyline-encoded rings (geo.web.assets), drawn on one canvas per view --------
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
  // Web Mercator at zoom 0 in widths of the world (Leaflet's L.CRS.EPSG3857, its latitude limit
  // too), computed once per point, without an object for each: times crs.scale(zoom) a pixel.
  // The world's edges are exact: x 0 and 1 at 180 degrees west and east, y 0 and 1 at the limit.
  var MAX_LAT = 85.0511287798;
  function mercator(lat, lon, xy, i) {
    var y = lat * Math.PI / 180;
    xy[i] = 0.5 + lon / 360;
    xy[i + 1] = lat >= MAX_LAT ? 0 : lat <= -MAX_LAT ? 1 : 0.5 - Math.log(Math.tan(Math.PI / 4 + y / 2)) / (2 * Math.PI);
  }
  function edge(a) { return a === 0 || a === 1; }
  // The land's polygons and the borders, each ring or line projected, with the box of the
  // polygon's outer ring or of the line (x east, y south), once.
  function projected(texts, scale) {
    var out = {rings: [], west: 1, east: 0, north: 1, south: 0};
    texts.forEach(function (text, k) {
      var q = decode(text, scale), xy = new Float64Array(2 * q.length), i;
      for (i = 0; i < q.length; i++) { mercator(q[i][0], q[i][1], xy, 2 * i); }
      for (i = 0; k === 0 && i < xy.length; i += 2) {
        out.west = Math.min(out.west, xy[i]); out.east = Math.max(out.east, xy[i]);
        out.north = Math.min(out.north, xy[i + 1]); out.south = Math.max(out.south, xy[i + 1]);
      }
      out.rings.push(xy);
    });
    return out;
  }
  function rings(outlines) {
    var scale = Math.pow(10, outlines.precision);
    return {land: outlines.land.map(function (p) { return projected(p, scale); }),
      borders: outlines.borders.map(function (l) { return projected([l], scale); })};
  }
  // The country outlines of a view: one canvas in its pane "geo-basemap", the view and `padding`
  // views around it (what a drag shows before it ends: Leaflet's own canvas renderer does the
  // same), drawn again when the view has moved, zoomed or changed size. Only the countries whose
  // box meets the canvas are drawn; the world repeats east and west as far as the map goes.
  // (Made when first used: this script runs also where Leaflet could not be loaded.)
  var Outlines = null;
  function outlinesLayer() { return L.Layer.extend({
    options: {pane: "geo-basemap", padding: 0.5},
    initialize: function (options) { L.setOptions(this, options); },
    onAdd: function () {
      this._canvas = L.DomUtil.create("canvas", "", this.getPane());
      this._drawn = null;
      this._draw();
    },
    onRemove: function () { L.DomUtil.remove(this._canvas); },
    getEvents: function () { return {viewreset: this._draw, moveend: this._draw, resize: this._draw}; },
    _draw: function () {
      var map = this._map, size = map.getSize(), pad = size.multiplyBy(this.options.padding).round();
      var topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round(), box = size.add(pad.multiplyBy(2));
      var width = map.options.crs.scale(map.getZoom()), origin = map.getPixelOrigin().add(topLeft);
      var key = [width, origin.x, origin.y, box.x, box.y].join(" ");
      if (key === this._drawn) { return; }
      this._drawn = key;
      var canvas = this._canvas, ratio = window.devicePixelRatio || 1, ctx = canvas.getContext("2d");
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = Math.round(box.x * ratio); canvas.height = Math.round(box.y * ratio);
      canvas.style.width = box.x + "px"; canvas.style.height = box.y + "px";
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var west = origin.x / width, east = (origin.x + box.x) / width;
      var north = origin.y / width, south = (origin.y + box.y) / width;
      // The land's rings to fill (`area`) and the lines to stroke (`edges`: coasts and borders;
      // never a ring's edge along the world's edge: the antimeridian, where the outlines are cut,
      // RFC 7946, or a pole, where Antarctica's ring is closed; no coast runs there). A point
      // within half a pixel of the last one drawn adds nothing (one on the world's edge is always
      // drawn: it tells a cut from a coast).
      function trace(list, fill) {
        var area = fill ? new Path2D() : null, edges = new Path2D();
        [-1, 0, 1].forEach(function (turn) {
          list.forEach(function (p) {
            if (p.east + turn < west || p.west + turn > east || p.south < north || p.north > south) { return; }
            p.rings.forEach(function (xy) {
              var u = xy[0], v = xy[1], x = (u + turn) * width - origin.x, y = v * width - origin.y, i, nx, ny;
              if (area) { area.moveTo(x, y); }
              edges.moveTo(x, y);
              for (i = 2; i < xy.length; i += 2) {
                nx = (xy[i] + turn) * width - origin.x; ny = xy[i + 1] * width - origin.y;
                if (Math.abs(nx - x) + Math.abs(ny - y) >= 0.5 || i === xy.length - 2 || edge(xy[i]) || edge(xy[i + 1])) {
                  if (area) { area.lineTo(nx, ny); }
                  if ((xy[i] === u && edge(u)) || (xy[i + 1] === v && edge(v))) { edges.moveTo(nx, ny); } else { edges.lineTo(nx, ny); }
                  x = nx; y = ny; u = xy[i]; v = xy[i + 1];
                }
              }
            });
          });
        });
        return {area: area, edges: edges};
      }
      var c = data.colours, land = trace(basemapData.land, true);
      ctx.fillStyle = c.land; ctx.fill(land.area, "evenodd");
      ctx.strokeStyle = c.coastline; ctx.lineWidth = 0.8; ctx.lineJoin = ctx.lineCap = "round";
      ctx.stroke(land.edges);
      ctx.stroke(trace(basemapData.borders, false).edges);  // each border once
    }
  }); }
  function drawOutlines(target, overview) {  // the world overview never moves: no margin
    if (!target.getPane("geo-basemap")) { target.createPane("geo-basemap").style.zIndex = 350; }
    Outlines = Outlines || outlinesLayer();
    new Outlines({padding: overview ? 0 : 0.5}).addTo(target);
  }
  var basemapData = null, waiting = [];
  function outlines(target) {
    if (window.geoBasemap) { basemapLoaded(window.geoBasemap); }
    waiting.push(target);
    if (basemapData) { flush(); }
  }
  function flush() {
    waiting.splice(0).forEach(function (target) { drawOutlines(target, target === world); });
    if (map && !waiting.length) { map.getContainer().setAttribute("data-geo-outlines", "true"); }
  }
  function basemapLoaded(outlinesData) {  // called by assets/basemap.js when it has loaded
    if (!basemapData) { basemapData = rings(outlinesData); }
    if (data) { flush(); }
  }
  // The finer (1:50m) outlines near home, from the zoom data.view.fineFrom on: one file beside
  // the page, asked for once, after the first complete view (it is not part of it).
  var fine = {state: null, layers: []};
  function fineOutlines() {
    if (!data.fine || map.getZoom() < data.view.fineFrom) { fine.layers.forEach(function (l) { map.removeLayer(l); }); return; }
    if (fine.state === "drawn") { fine.layers.forEach(function (l) { l.addTo(map); }); return; }
    if (fine.state) { return; }
    fine.state = "asked";
    var script = make("script", "", document.head);
    script.src = data.fine.url;
  }
  function fineLoaded(outlines) {  // called by the finer outlines' script: cells of land and lines
    var c = data.colours, scale = Math.pow(10, outlines.precision), land = [], edges = [];
    if (!map.getPane("geo-fine")) { map.createPane("geo-fine").style.zIndex = 351; }
    var renderer = L.canvas({padding: 0.5, pane: "geo-fine"});
    function moved(text, turn) { return decode(text, scale).map(function (q) { return [q[0], q[1] + turn]; }); }
    outlines.cells.forEach(function (cell) {
      cell.fill.forEach(function (p) { land.push(p.map(function (r) { return moved(r, cell.turn); })); });
      cell.lines.forEach(function (l) { edges.push(moved(l, cell.turn)); });
    });
    var look = {interactive: false, pane: "geo-fine", renderer: renderer};
    // the sea of their box over the 1:110m land, then their land (one fill: no seams between the
    // cells) and their coasts and borders
    fine.layers = [L.rectangle(data.fine.box, L.extend({stroke: false, fillColor: c.sea, fillOpacity: 1}, look)),
      L.polygon(land, L.extend({stroke: false, fillColor: c.land, fillOpacity: 1}, look)),
      L.polyline(edges, L.extend({color: c.coastline, weight: 0.8}, look))];
    fine.state = "drawn";
    map.getContainer().setAttribute("data-geo-fine", "true");
    fineOutlines();
  }

  // --- places and lines -------------------------------------------------------------------
  function markerIcon(mark, label) {
    var box = make("span", "geo-marker-inner");
    box.appendChild(clone(mark));
    box.appendChild(textElement("span", "geo-sr", label));
    return box;
  }
  function icon(p, size) {
    return L.divIcon({className: "geo-marker geo-layer-" + p.layer + (p.office ? " geo-home" : ""),
      html: markerIcon(marks[p.mark], p.label), iconSize: [size, size], iconAnchor: [size / 2, size / 2],
      popupAnchor: [0, -size / 2 + 1], tooltipAnchor: [0, -size / 2 - 1]});
  }
  function marker(p, size) {
    var m = L.marker(p.latlon, {icon: icon(p, size), keyboard: true, riseOnHover: true});
    m.geo = p;
    m.bindTooltip(textElement("span", "", p.label), {direction: "top", className: "geo-tooltip"});
    m.on("click", function () { open(p.id, m); });
    m.on("add", function () {
      var el = m.getElement();
      el.setAttribute("data-place", p.id);
      el.addEventListener("keydown", function (e) {  // a button: Enter and Space activate it
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); m.fire("click"); }
      });
      el.addEventListener("focus", function () {
        m.setZIndexOffset(1000);  // in front; and a place out of sight on the large map comes into view
        if (map.hasLayer(m) && el.classList.contains("geo-off")) { map.panTo(p.latlon, {animate: false}); }
      });
      el.addEventListener("blur", function () { m.setZIndexOffset(0); });
    });
    return m;
  }
  function lines(target, wanted, group) {
    data.lines.forEach(function (l) {
      if (!wanted(l)) { return; }
      var look = L.extend({interactive: false, className: "geo-connection geo-rank-" + l.rank}, l.style);
      var line = L.polyline(decode(l.line, 1000), look);
      if (group) { group.addLayer(line); } else { line.addTo(target); }
    });
  }

  // --- a place's popup: beside it on a large map, a bottom sheet on a small one --------------
  function small() { var s = map.getSize(); return s.x < 480 || s.y < 340; }
  function focusables(root) {
    return Array.prototype.filter.call(root.querySelectorAll("a[href], button, [tabindex='0']"),
      function (el) { return !el.hidden && el.offsetParent !== null; });
  }
  function keys(box, m) {  // Escape closes; Tab past the end goes on to the next place
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(true); return; }
      if (e.key !== "Tab") { return; }
      var inside = focusables(box), first = inside[0], last = inside[inside.length - 1];
      if (!e.shiftKey && (document.activeElement === last || !inside.length)) {
        e.preventDefault();
        var list = focusables(figure).filter(function (el) { return el.hasAttribute("data-place"); });
        var next = list[list.indexOf(m.getElement()) + 1];
        close(!next);
        if (next) { next.focus(); }
      } else if (e.shiftKey && (document.activeElement === first || document.activeElement.classList.contains("geo-popup-name"))) {
        e.preventDefault();
        close(true);
      }
    });
  }
  function fill(box, content) {
    var title = content.querySelector(".geo-popup-name");
    title.id = "geo-popup-title";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-labelledby", title.id);
    content.querySelector(".geo-popup-close").addEventListener("click", function () { close(true); });
    return content;
  }
  // Opens the popup of place `id` (marker `m`): `content` is its filled popup (a large map's,
  // from large.js), else a copy of the popup the page holds for it.
  function open(id, m, content) {
    if (!content) {
      if (!places[id] || !popups[id]) { return; }
      m = places[id].marker;
      content = clone(popups[id]);
    }
    close(false);
    opened = {id: id, marker: m};
    if (small()) {
      sheet.replaceChildren(fill(sheet, content));
      sheet.hidden = false;
      var more = make("p", "geo-more", sheet);
      more.textContent = data.text.more;
      more.setAttribute("aria-hidden", "true");
      var cue = function () {
        more.hidden = sheet.scrollHeight - sheet.scrollTop - sheet.clientHeight < 4;
      };
      sheet.addEventListener("scroll", cue);
      cue();
      sheet.tabIndex = sheet.scrollHeight > sheet.clientHeight ? 0 : -1;
      keys(sheet, m);
      clear(m);
      sheet.querySelector(".geo-popup-name").focus({preventScroll: true});
    } else {
      var popup = L.popup({closeButton: false, autoClose: false, autoPan: false, className: "geo-popup-box",
        minWidth: 160}).setLatLng(m.getLatLng());
      geoLayout.fitPopup(map, popup, m);
      popup.setContent(fill(make("div"), content)).openOn(map);
      var el = popup.getElement();
      inside(el.querySelector(".leaflet-popup-content-wrapper"));
      el.setAttribute("role", "dialog");
      el.setAttribute("aria-labelledby", "geo-popup-title");
      var content = el.querySelector(".leaflet-popup-content");
      if (content.scrollHeight > content.clientHeight) { content.tabIndex = 0; }
      keys(el, m);
      opened.popup = popup;
      el.querySelector(".geo-popup-name").focus({preventScroll: true});
    }
    follow(id);
  }
  function inside(el) {  // pan a popup into the map at once (Leaflet's auto-pan is animated)
    var r = el.getBoundingClientRect(), box = map.getContainer().getBoundingClientRect(), dx = 0, dy = 0;
    if (r.top < box.top + 8) { dy = r.top - box.top - 8; } else if (r.bottom > box.bottom - 8) { dy = r.bottom - box.bottom + 8; }
    if (r.left < box.left + 8) { dx = r.left - box.left - 8; } else if (r.right > box.right - 8) { dx = r.right - box.right + 8; }
    if (dx || dy) { map.panBy([dx, dy], {animate: false}); }
  }
  function clear(m) {  // pan (never zoom) a place into sight above the bottom sheet, as it opens
    var rect = map.getContainer().getBoundingClientRect(), size = map.getSize();
    var free = Math.min(sheet.getBoundingClientRect().top - rect.top, size.y);  // above the sheet
    var at = map.latLngToContainerPoint(m.getLatLng()), half = m.options.icon.options.iconSize[0] / 2 + 6;
    if (at.y < half || at.y > free - half) { map.panBy([0, at.y - Math.max(free / 2, half)], {animate: false}); }
    if (at.x < half || at.x > size.x - half) { map.panBy([at.x - size.x / 2, 0], {animate: false}); }
  }
  function close(refocus) {
    if (!opened) { return; }
    var was = opened;
    opened = null;
    if (was.popup) { map.closePopup(was.popup); } else { sheet.hidden = true; sheet.replaceChildren(); }
    follow(null);
    if (refocus && was.marker.getElement()) { was.marker.getElement().focus({preventScroll: true}); }
  }
  // Deep links: sv.html#kiel opens with Kiel centred and its popup open; the address follows.
  function follow(id) {
    try {
      history.replaceState(null, "", id ? "#" + encodeURIComponent(id) : location.pathname + location.search);
    } catch (e) { /* a sandboxed frame without an origin of its own keeps its address */ }
  }
  function show(id) {
    if (data.large) { geoLarge.show(id); return; }
    var place = places[id];
    if (!place) { return; }
    var zoom = Math.max(map.getZoom(), Math.min(4, map.getMaxZoom()));
    map.setView(place.marker.geo.latlon, zoom, {animate: false});
    geoLayout.now();
    open(id);
  }
  function fromAddress() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && (data.large || places[id]) && (!opened || opened.id !== id)) { show(id); }
  }
  function links() {  // the table's names show their place on the map; so does the address
    window.addEventListener("hashchange", fromAddress);
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[data-place]");
      if (!a || !a.closest(".geo-table")) { return; }
      e.preventDefault();
      figure.scrollIntoView({block: "nearest"});
      show(a.getAttribute("data-place"));
    });
  }

  // --- the tool bar, the layer toggles, the scale bar -------------------------------------
  function tools() {
    var bar = figure.querySelector(".geo-tools"), home = L.latLng(data.view.home || map.getCenter());
    function pan(dx, dy) { return function () { var s = map.getSize(); map.panBy([dx * s.x / 3, dy * s.y / 3]); }; }
    var actions = {
      "in": function () {  // toward home, while home is in view
        var z = Math.min(map.getZoom() + 1, map.getMaxZoom());
        if (map.getBounds().contains(home)) { map.setZoomAround(home, z); } else { map.setZoom(z); }
      },
      "out": function () { map.zoomOut(); },
      "reset": function () { close(false); geoLayout.reset(); },
      "n": pan(0, -1), "s": pan(0, 1), "w": pan(-1, 0), "e": pan(1, 0)
    };
    bar.querySelectorAll("[data-do]").forEach(function (b) {
      b.addEventListener("click", actions[b.getAttribute("data-do")]);
    });
    var toggle = bar.querySelector(".geo-key-toggle"), layers = figure.querySelector(".geo-layers");
    function expand(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      layers.hidden = !open;
      figure.classList.toggle("geo-layers-open", open);  // a small frame shows them for the key
    }
    toggle.addEventListener("click", function () { expand(layers.hidden); });
    expand(false);
    layers.querySelectorAll("input[data-layer]").forEach(function (box) {
      var group = groups[box.getAttribute("data-layer")];
      box.checked = map.hasLayer(group);
      box.addEventListener("change", function () {
        if (box.checked) { map.addLayer(group); } else { map.removeLayer(group); }
        var layer = box.getAttribute("data-layer");
        if (world && layer === "connections") {
          world.eachLayer(function (l) { if (l instanceof L.Polyline && l.options.className &&
            l.options.className.indexOf("geo-connection") === 0) { l.getElement().classList.toggle("geo-hidden", !box.checked); } });
        }
        Object.keys(places).forEach(function (id) {  // the world view follows
          var o = places[id].overview;
          if (o && o.geo.layer === layer) { if (box.checked) { o.addTo(world); } else { world.removeLayer(o); } }
        });
        if (world) { world.fire("geo:layers"); }
      });
    });
    bar.hidden = false;
    var scale = L.control.scale({imperial: false, maxWidth: 120}).addTo(map).getContainer();
    var slot = figure.querySelector(".geo-scale");
    slot.appendChild(scale);
    function scaled() { slot.hidden = map.getZoom() < data.view.scaleFrom; }
    map.on("zoomend", scaled);
    scaled();
    map.on("zoomend", fineOutlines);
  }
  // Leaflet.GestureHandling (one finger and the wheel scroll the page; two fingers or Ctrl and
  // the wheel move the map), loaded after the first complete view unless the page holds it.
  function gestures() {
    map.options.gestureHandlingOptions = {duration: 1500, text: {touch: data.text.gesture_touch,
      scroll: data.text.gesture_scroll, scrollMac: data.text.gesture_scroll_mac}};
    function enable() {
      if (!map.gestureHandling) { map.addHandler("gestureHandling", window.leafletGestureHandling.GestureHandling); }
      map.gestureHandling.enable();
    }
    if (window.leafletGestureHandling) { enable(); return; }
    if (!data.gesture) { map.dragging.enable(); return; }
    var script = make("script", "", document.head);
    script.onload = enable;
    script.src = data.gesture;
  }

  // --- start ------------------------------------------------------------------------------
  function start() {
    data = JSON.parse(document.getElementById("geo-data").textContent);
    map = window[data.names.map];
    figure = map.getContainer().closest(".geo-figure");
    Object.keys(data.names.groups).forEach(function (name) { groups[name] = window[data.names.groups[name]]; });
    var box = map.getContainer(), message = box.querySelector(".geo-map-message");
    if (message) { message.remove(); }
    box.style.background = data.colours.sea;
    map.setMaxZoom(data.view.maxZoom);
    marks = templates("mark");
    popups = templates("popup");
    sheet = figure.querySelector(".geo-sheet");
    if (data.tiles) {
      L.tileLayer(data.tiles.url, {attribution: esc(data.tiles.attribution), maxZoom: data.view.maxZoom}).addTo(map);
    }
    tools();
    if (data.large) {
      geoLarge.load(map, groups, data, function () {
        box.setAttribute("data-geo-ready", "true");
        ready = true;
        fromAddress();
        gestures();
      });
      if (!data.tiles) { outlines(map); }
      links();
      return;
    }
    world = geoLayout.prepare(map, figure, data);  // the views at their start, nothing drawn yet
    if (world) { world.getContainer().style.background = data.colours.sea; }
    lines(map, function () { return true; }, groups.connections);
    var size = geoLayout.symbolSize(map);
    data.places.forEach(function (p) {
      var m = marker(p, size);
      places[p.id] = {marker: m};
      groups[p.layer].addLayer(m);
    });
    if (world) {
      lines(world, function (l) { return !l.near; });
      size = geoLayout.symbolSize(world);
      data.places.forEach(function (p) {
        if (p.near) { return; }
        var m = marker(p, size);
        m.off("click");
        m.on("click", function () { show(p.id); });
        places[p.id].overview = m;
        m.addTo(world);
      });
    }
    if (!data.tiles) {
      outlines(map);
      if (world) { outlines(world); }
    }
    geoLayout.start(places);
    map.on("popupclose", function (e) { if (opened && opened.popup === e.popup) { opened = null; follow(null); } });
    links();
    box.setAttribute("data-geo-ready", "true");
    ready = true;
    fromAddress();
    window.requestAnimationFrame(function () { gestures(); fineOutlines(); });
  }
  return {start: start, basemapLoaded: basemapLoaded, fineLoaded: fineLoaded, templates: templates,
    clone: clone, make: make, esc: esc, textElement: textElement, markerIcon: markerIcon,
    icon: icon, open: open, show: show, views: function () { return {near: map, world: world}; },
    isReady: function () { return ready; }};
})();
