// The layout of the map's views (geo.web; docs/map.md explains the design). Where places crowd
// around home the map has two views, as the print map has two panels: the large map opens on the
// places near home, and a world overview beside it (or above it, on a tall screen) shows the places
// further away at their true points, with a box for what the large map shows. In each view every
// place is drawn within one symbol's diameter of its true point (crowded places are moved apart
// that far at most, each joined to its point by a short leader line), inside the view and clear of
// the others' symbols and names; names are written where they fit, the home city's first and
// always. Controls and the key sit outside the views, so nothing covers a place. Screen pixels.
var geoLayout = (function () {
  "use strict";
  var GAP = 3, EDGE = 4, LABEL_GAP = 3, BIG = 420;
  var near = null, world = null, data = null, places = null, views = [], box = null;
  var startBounds = null, pending = false, last = null;

  // --- the two views ------------------------------------------------------------------------
  // The views at their start, before anything is drawn on them (so that places, lines and
  // outlines are projected once, where they are first seen): the large map and, where places
  // crowd around home, the world overview beside or below it. Gives the overview (or null).
  function prepare(nearMap, figure, pageData) {
    near = nearMap; data = pageData;
    box = near.getContainer().parentNode;
    last = [box.clientWidth, box.clientHeight];
    if (data.view.near) {
      var el = figure.querySelector(".geo-world");
      el.hidden = false;
      arrange(el, near.getContainer());  // before the map is made: it keeps its first size
      world = L.map(el, {zoomControl: false, attributionControl: false, dragging: false, touchZoom: false,
        scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false, zoomSnap: 0,
        zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false, inertia: false,
        minZoom: -3, maxBounds: data.view.maxBounds, maxBoundsViscosity: 1});
    }
    near.invalidateSize({pan: false});
    if (world) { world.getSize(); }  // both sizes read in one layout, before either view moves
    startBounds = data.view.near || data.view.world;
    started(fit(near, startBounds, symbolSize(near)));
    if (world) { fit(world, data.view.world, symbolSize(world)); }
    return world;
  }
  function aspect(bounds) {  // width / height of a box in Web Mercator
    var crs = L.CRS.EPSG3857, a = crs.latLngToPoint(L.latLng(bounds[0]), 0), b = crs.latLngToPoint(L.latLng(bounds[1]), 0);
    return Math.max(Math.abs(b.x - a.x), 1) / Math.max(Math.abs(b.y - a.y), 1);
  }
  // Side by side on a wide box, one above the other on a tall one: the view near home first (to
  // the left, or on top, where a bottom sheet leaves it in sight), the world beside or below it;
  // the near view gets the room its places need, the world at least a third.
  function arrange(worldEl, nearEl) {
    var w = last[0], h = last[1], side = w >= 1.15 * h, gap = 4;
    box.classList.toggle("geo-beside", side);
    box.classList.toggle("geo-above", !side);
    if (side) {
      var nearW = Math.round(Math.min(Math.max(h * aspect(data.view.near) + 40, 0.45 * w), 0.64 * w));
      nearEl.style.width = nearW + "px";
      worldEl.style.width = (w - nearW - gap) + "px";
      nearEl.style.height = worldEl.style.height = "";
    } else {
      var worldH = Math.round(Math.min(Math.max(w / aspect(data.view.world), 0.26 * h), 0.42 * h));
      worldEl.style.height = worldH + "px";
      nearEl.style.height = (h - worldH - gap) + "px";
      nearEl.style.width = worldEl.style.width = "";
    }
  }
  function rearrange() {
    last = [box.clientWidth, box.clientHeight];
    if (world) { arrange(world.getContainer(), near.getContainer()); }
    near.invalidateSize({pan: false});
    if (world) { world.invalidateSize({pan: false}); }
  }
  // Whether the near view is where the start view left it: its zoom, and its centre within two
  // pixels. (Leaflet keeps the centre when the window is resized, before the resize observer
  // below is told; the view's bounds then no longer hold the start box, though nobody moved it.)
  // A start view fitted in a box too small to show it (a frame laid out at almost nothing before
  // its real size) counts as not yet made: the next size makes it.
  var startAt = null;
  function started(roomy) { startAt = roomy ? {centre: near.getCenter(), zoom: near.getZoom()} : "cramped"; }
  function atStart() {
    return startAt === "cramped" || (startAt !== null && near.getZoom() === startAt.zoom &&
      near.project(near.getCenter()).distanceTo(near.project(startAt.centre)) <= 2);
  }
  function symbolSize(map) { var s = map.getSize(); return Math.min(s.x, s.y) >= BIG ? 26 : 24; }
  // The margin keeps a symbol whole at the edge; a map smaller than its margins (a frame laid out
  // at almost nothing before its real size) gets what room there is, never a negative one.
  // Whether there was room for the margins and a symbol between them. The limits are lifted while
  // any pan still running stops (a map grown from almost nothing lies off them, and the pan back
  // that stopping starts would go on over the new view), and the view is held inside them at once.
  function fit(map, bounds, size) {
    var room = map.getSize(), want = size / 2 + EDGE + 2, limits = map.options.maxBounds;
    var pad = Math.max(0, Math.min(want, (room.x - 1) / 2, (room.y - 1) / 2));
    map.setMaxBounds(null);
    map.stop();
    map.fitBounds(bounds, {padding: [pad, pad], animate: false});
    if (limits) {
      map.panInsideBounds(limits, {animate: false});
      map.setMaxBounds(limits);
    }
    return Math.min(room.x, room.y) >= 2 * want + size;
  }
  function startView() {
    views.forEach(function (v) { resize(v, symbolSize(v.map)); });
    started(fit(near, startBounds, views[0].size));
    if (world) { fit(world, data.view.world, views[1].size); }
  }
  function resize(view, size) {
    if (view.size === size) { return; }
    view.size = size;
    view.markers.forEach(function (m) {
      var o = m.options.icon.options;
      o.iconSize = [size, size]; o.iconAnchor = [size / 2, size / 2];
      o.popupAnchor = [0, -size / 2 + 1]; o.tooltipAnchor = [0, -size / 2 - 1];
      var el = m.getElement();
      if (el) {
        el.style.width = el.style.height = size + "px";
        el.style.marginLeft = el.style.marginTop = -size / 2 + "px";
      }
    });
  }

  // --- moving crowded places apart, within one diameter ---------------------------------------
  // items: {x, y (the true point), s (the symbol's size)}; area: where centres may lie. Pairs whose
  // symbols (and a gap) overlap are pushed apart along the shorter way out; each place is then held
  // within one diameter of its true point and inside the area. ok: no two symbols overlap.
  function overlaps(q, items, i, j) {
    var need = (items[i].s + items[j].s) / 2 + GAP - 0.5;
    return Math.abs(q[j].x - q[i].x) < need && Math.abs(q[j].y - q[i].y) < need;
  }
  function spread(items, area) {
    var n = items.length, q = items.map(function (p) { return {x: p.x, y: p.y}; }), i, j;
    for (var round = 0; round < 400; round++) {
      var moved = false;
      for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
          var need = (items[i].s + items[j].s) / 2 + GAP, dx = q[j].x - q[i].x, dy = q[j].y - q[i].y;
          var ox = need - Math.abs(dx), oy = need - Math.abs(dy);
          if (ox <= 0 || oy <= 0) { continue; }
          if (Math.abs(dx) < 0.01 && Math.abs(dy) < 0.01) {  // the same point: spread by index
            var a = (i + 2 * j) * 2.399963;
            dx = Math.cos(a); dy = Math.sin(a);
          }
          var alongX = ox <= oy;
          if (round > 200 && (round + i + j) % 3 === 0) { alongX = !alongX; }  // out of a deadlock
          if (alongX) {
            var sx = (dx < 0 ? -1 : 1) * (ox / 2 + 0.1);
            q[i].x -= sx; q[j].x += sx;
          } else {
            var sy = (dy < 0 ? -1 : 1) * (oy / 2 + 0.1);
            q[i].y -= sy; q[j].y += sy;
          }
          moved = true;
        }
      }
      for (i = 0; i < n; i++) {
        var p = items[i], ex = q[i].x - p.x, ey = q[i].y - p.y, d = Math.sqrt(ex * ex + ey * ey), r = p.s - 1;
        if (d > r) { q[i].x = p.x + ex * r / d; q[i].y = p.y + ey * r / d; }
        var half = p.s / 2 + EDGE;
        q[i].x = Math.min(Math.max(q[i].x, area.x + half), area.x + area.w - half);
        q[i].y = Math.min(Math.max(q[i].y, area.y + half), area.y + area.h - half);
      }
      if (!moved) { break; }
    }
    var ok = true;
    for (i = 0; i < n; i++) { for (j = i + 1; j < n; j++) { if (overlaps(q, items, i, j)) { ok = false; } } }
    return {points: q, ok: ok};
  }

  // --- names on the map ---------------------------------------------------------------------
  function within(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function candidates(p, w, h, s, far) {
    var out = [];
    for (var ring = 0; ring <= far; ring++) {
      var g = s / 2 + LABEL_GAP + ring * 7;
      out.push([p.x + g, p.y - h / 2], [p.x - g - w, p.y - h / 2], [p.x - w / 2, p.y - g - h],
        [p.x - w / 2, p.y + g], [p.x + g - 4, p.y - g - h + 4], [p.x + g - 4, p.y + g - 4],
        [p.x - g - w + 4, p.y - g - h + 4], [p.x - g - w + 4, p.y + g - 4]);
    }
    return out;
  }
  // Further spots for the home city's name, where none beside it is free: the nearest free
  // spot in the view, joined to its symbol by a thin line.
  function anywhere(p, w, h, size) {
    var out = [];
    for (var y = 2; y + h <= size.y - 2; y += 3) {
      for (var x = 2; x + w <= size.x - 2; x += 3) { out.push([x, y, Math.hypot(x + w / 2 - p.x, y + h / 2 - p.y)]); }
    }
    return out.sort(function (a, b) { return a[2] - b[2]; });
  }
  // Names where they fit, the home city's first; `it.w` and `it.h` are each name's size, measured
  // for every view at once (runAll).
  function names(view, items) {
    var size = view.map.getSize(), taken = [];
    items.forEach(function (it) {
      var h = it.s / 2 + 1;
      taken.push({x: it.at.x - h, y: it.at.y - h, w: 2 * h, h: 2 * h});
      if (it.moved) { taken.push({x: it.home.x - 4, y: it.home.y - 4, w: 8, h: 8}); }
    });
    var order = items.map(function (it, k) { return k; }).sort(function (a, b) {
      return (items[b].office ? 1 : 0) - (items[a].office ? 1 : 0) || a - b;
    });
    function free(w, h) {
      return function (c) {
        var b = {x: c[0], y: c[1], w: w, h: h};
        if (b.x < 2 || b.y < 2 || b.x + w > size.x - 2 || b.y + h > size.y - 2) { return null; }
        return taken.some(function (t) { return within(b, t); }) ? null : b;
      };
    }
    function first(list, test) {
      for (var i = 0; i < list.length; i++) { var b = test(list[i]); if (b) { return b; } }
      return null;
    }
    order.forEach(function (k) {
      var it = items[k], w = it.w, h = it.h, test = free(w, h);
      var spot = first(candidates(it.at, w, h, it.s, it.office ? 3 : 0), test);
      if (!spot && it.office) { spot = first(anywhere(it.at, w, h, size), test); }
      if (spot) {
        taken.push(spot);
        L.DomUtil.setPosition(it.label, view.map.containerPointToLayerPoint([spot.x, spot.y]));
        var cx = Math.min(Math.max(it.at.x, spot.x), spot.x + w), cy = Math.min(Math.max(it.at.y, spot.y), spot.y + h);
        if (Math.hypot(cx - it.at.x, cy - it.at.y) > it.s / 2 + LABEL_GAP + 22) {  // far: a line to it
          var m = view.map;
          L.polyline([m.containerPointToLatLng(it.at), m.containerPointToLatLng([cx, cy])], {pane: "geo-leaders",
            renderer: view.renderer, interactive: false, color: data.colours.leader, weight: 1,
            className: "geo-label-leader"}).addTo(view.leaders);
        }
      } else {
        it.label.hidden = true;  // its name shows on hover and focus instead
      }
    });
  }

  // --- one view's layout at its current position ---------------------------------------------
  function run(view) {
    var map = view.map, size = map.getSize(), items = [], area = {x: 0, y: 0, w: size.x, h: size.y};
    view.leaders.clearLayers();
    view.markers.forEach(function (m, i) {
      var home = L.latLng(m.geo.latlon), label = view.labels[i], el = m.getElement();
      label.hidden = true;
      if (!map.hasLayer(m) || !el) { return; }
      var p = map.latLngToContainerPoint(home), inside = p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y;
      el.classList.toggle("geo-off", !inside);
      if (view.twin && !m.geo.near) {  // a place the world view shows is reached there while out of sight
        el.tabIndex = inside ? 0 : -1;
        if (inside) { el.removeAttribute("aria-hidden"); } else { el.setAttribute("aria-hidden", "true"); }
      }
      if (!inside) { m.setLatLng(home); return; }
      items.push({marker: m, label: label, home: p, x: p.x, y: p.y, s: view.size, office: m.geo.office});
    });
    var result = spread(items, area);
    items.forEach(function (it, k) {
      var at = L.point(result.points[k].x, result.points[k].y), home = L.latLng(it.marker.geo.latlon);
      it.at = at;
      it.moved = at.distanceTo(it.home) > 1.5;
      it.marker.setLatLng(it.moved ? map.containerPointToLatLng(at) : home);
      if (it.moved) {
        var look = {pane: "geo-leaders", renderer: view.renderer, interactive: false, color: data.colours.leader};
        L.polyline([home, map.containerPointToLatLng(at)], L.extend({weight: 1.2, opacity: 0.9,
          className: "geo-leader"}, look)).addTo(view.leaders);
        L.circleMarker(home, L.extend({radius: 2.5, stroke: false, fillColor: data.colours.leader,
          fillOpacity: 1, className: "geo-leader-dot"}, look)).addTo(view.leaders);
      }
    });
    map.getContainer().toggleAttribute("data-geo-crowded", !result.ok);
    return items;
  }
  // Every view laid out; the names of all of them measured in one go (one layout of the page).
  function runAll() {
    var laid = views.map(run);
    laid.forEach(function (items) { items.forEach(function (it) { it.label.hidden = false; }); });
    laid.forEach(function (items) {
      items.forEach(function (it) { it.w = it.label.offsetWidth; it.h = it.label.offsetHeight; });
    });
    laid.forEach(function (items, i) { names(views[i], items); });
    if (world) { track(); }
  }
  function later() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; runAll(); });
  }
  var frame = null;
  function track() {  // the box on the world view: what the large map shows
    var b = near.getBounds();
    if (!frame) {
      frame = L.rectangle(b, {color: "#1a1a1a", weight: 1.5, fill: false, interactive: false,
        className: "geo-frame"}).addTo(world);
    } else {
      frame.setBounds(b);
    }
  }
  function makeView(map, markers, twin) {
    if (!map.getPane("geo-leaders")) { map.createPane("geo-leaders").style.zIndex = 450; }
    var pane = map.getPane("geo-labels") || map.createPane("geo-labels");
    pane.style.zIndex = 590;
    var view = {map: map, markers: markers, twin: twin, size: symbolSize(map), leaders: L.layerGroup().addTo(map),
      renderer: L.svg({pane: "geo-leaders", padding: 0.2})};
    view.labels = markers.map(function (m) {
      var label = L.DomUtil.create("div", "geo-label" + (m.geo.office ? " geo-home-label" : ""), pane);
      label.textContent = m.geo.office && data.home ? data.home.name : m.geo.name;
      label.setAttribute("aria-hidden", "true");  // the marker itself has the name
      label.hidden = true;
      label.addEventListener("click", function () { m.fire("click"); });
      return label;
    });
    markers.forEach(function (m) { m.on("add remove", later); });
    return view;
  }
  // Lays the places out in the views made by prepare() (markers made at symbolSize), and again
  // whenever the large map moves or the box changes size.
  function start(all) {
    places = all;
    var ids = Object.keys(places);
    views = [makeView(near, ids.map(function (id) { return places[id].marker; }), !!world)];
    if (world) {
      views.push(makeView(world, ids.filter(function (id) { return places[id].overview; })
        .map(function (id) { return places[id].overview; }), false));
    }
    runAll();
    near.on("moveend zoomend", later);
    if (world) { world.on("geo:layers", later); }
    near.on("tooltipopen", function (e) { fitTooltip(near, e.tooltip); });
    if (world) { world.on("tooltipopen", function (e) { fitTooltip(world, e.tooltip); }); }
    if (window.ResizeObserver) {
      new ResizeObserver(function () {  // a new size: the same start view if it was not moved
        if (box.clientWidth === last[0] && box.clientHeight === last[1]) { return; }
        var unmoved = atStart();
        rearrange();
        if (unmoved) { startView(); }
        runAll();
      }).observe(box);
    }
  }
  function reset() { startView(); runAll(); }

  // --- popups and tooltips inside the map ---------------------------------------------------
  function fitPopup(map, popup, marker) {
    var size = map.getSize(), o = popup.options;
    o.maxWidth = Math.max(140, Math.min(320, size.x - 16 - 50));
    o.minWidth = Math.min(200, o.maxWidth);
    var at = map.latLngToContainerPoint(marker.getLatLng());
    var north = map.options.maxBounds ? map.latLngToContainerPoint([map.options.maxBounds.getNorth(), 0]).y : -1e4;
    var room = at.y - Math.min(north, 0) - 100;  // less the tip, anchor and margins
    o.maxHeight = Math.max(90, Math.min(size.y - 64, room));
    o.offset = L.point(0, -(marker.options.icon.options.iconSize[0] / 2) + 6);
    o.autoPanPaddingTopLeft = L.point(8, 8);
    o.autoPanPaddingBottomRight = L.point(8, 8);
  }
  function fitTooltip(map, tooltip) {
    var el = tooltip.getElement();
    if (!el) { return; }
    var rect = map.getContainer().getBoundingClientRect();
    el.style.maxWidth = Math.max(120, Math.min(320, rect.width - 16)) + "px";
    tooltip.options.direction = "top";
    tooltip.options.offset = L.point(0, 0);
    tooltip.update();
    var r = el.getBoundingClientRect(), dx = 0;
    if (r.left < rect.left + 4) { dx = rect.left + 4 - r.left; } else if (r.right > rect.right - 4) { dx = rect.right - 4 - r.right; }
    if (r.top < rect.top + 4) { tooltip.options.direction = "bottom"; }
    tooltip.options.offset = L.point(dx, 0);
    tooltip.update();
  }
  return {prepare: prepare, start: start, symbolSize: symbolSize, reset: reset, now: runAll,
    fitPopup: fitPopup, spread: spread};
})();
