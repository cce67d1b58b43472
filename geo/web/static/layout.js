// Layout of the map's places at each view (geo.web; see docs/map.md): crowded places are moved
// apart and joined to their true point by a leader line, so that every place can be seen,
// clicked and focused; markers under a control are moved out from under it; names are written
// on the map where they fit without covering a marker, a control or another name; popups and
// tooltips are kept inside the map, clear of the controls. All in screen pixels.
var geoLayout = (function () {
  "use strict";
  var SIZE = 26, GAP = 29, MARGIN = 16, LABEL_GAP = 4;

  function within(a, b) {  // do boxes a and b overlap?
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function boxOf(el, origin, grow) {
    var r = el.getBoundingClientRect();
    return {x: r.left - origin.left - grow, y: r.top - origin.top - grow,
      w: r.width + 2 * grow, h: r.height + 2 * grow};
  }
  function controlBoxes(map, grow) {
    var box = map.getContainer(), origin = box.getBoundingClientRect(), out = [];
    box.querySelectorAll(".leaflet-control").forEach(function (c) {
      if (c.offsetWidth && c.offsetHeight) { out.push(boxOf(c, origin, grow)); }
    });
    return out;
  }
  // Push a point out of a box (grown by `half`), the shortest way that stays in `area`.
  function leave(q, b, half, area) {
    var moves = [[b.x - half - q.x, 0], [b.x + b.w + half - q.x, 0],
      [0, b.y - half - q.y], [0, b.y + b.h + half - q.y]].filter(function (m) {
      var x = q.x + m[0], y = q.y + m[1];
      return x >= area.x && x <= area.x + area.w && y >= area.y && y <= area.y + area.h;
    });
    if (!moves.length) { return false; }
    moves.sort(function (a, b) { return Math.abs(a[0] + a[1]) - Math.abs(b[0] + b[1]); });
    q.x += moves[0][0]; q.y += moves[0][1];
    return true;
  }
  // Move points apart until no two markers' boxes (GAP apart) overlap and none is under a control.
  function spread(points, blocks, area) {
    var n = points.length, half = SIZE / 2 + 2, q = points.map(function (p) { return {x: p.x, y: p.y}; });
    for (var round = 0; round < 150; round++) {
      var moved = false, i, j;
      for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {  // markers are boxes: no two may overlap, corners neither
          var dx = q[j].x - q[i].x, dy = q[j].y - q[i].y, ox = GAP - Math.abs(dx), oy = GAP - Math.abs(dy);
          if (ox <= 0 || oy <= 0) { continue; }
          if (Math.abs(dx) < 0.01 && Math.abs(dy) < 0.01) {  // the same point: spread by index
            var a = (i + 2 * j) * 2.399963;
            dx = Math.cos(a); dy = Math.sin(a);
          }
          if (ox <= oy) {
            var sx = (dx < 0 ? -1 : 1) * (ox / 2 + 0.05);
            q[i].x -= sx; q[j].x += sx;
          } else {
            var sy = (dy < 0 ? -1 : 1) * (oy / 2 + 0.05);
            q[i].y -= sy; q[j].y += sy;
          }
          moved = true;
        }
      }
      for (i = 0; i < n; i++) {
        q[i].x = Math.min(Math.max(q[i].x, area.x), area.x + area.w);
        q[i].y = Math.min(Math.max(q[i].y, area.y), area.y + area.h);
        for (j = 0; j < blocks.length; j++) {
          var b = blocks[j];
          if (q[i].x > b.x - half && q[i].x < b.x + b.w + half && q[i].y > b.y - half &&
              q[i].y < b.y + b.h + half && leave(q[i], b, half, area)) { moved = true; }
        }
      }
      if (!moved) { break; }
    }
    return q;
  }
  function candidates(p, w, h) {
    var s = SIZE / 2 + LABEL_GAP;
    return [[p.x + s, p.y - h / 2], [p.x - s - w, p.y - h / 2], [p.x - w / 2, p.y - s - h],
      [p.x - w / 2, p.y + s], [p.x + s - 4, p.y - s - h + 4], [p.x + s - 4, p.y + s - 4],
      [p.x - s - w + 4, p.y - s - h + 4], [p.x - s - w + 4, p.y + s - 4]];
  }
  function placeLabels(map, items, blocks, area) {
    var taken = blocks.slice();
    items.forEach(function (it) {
      taken.push({x: it.at.x - SIZE / 2 - 1, y: it.at.y - SIZE / 2 - 1, w: SIZE + 2, h: SIZE + 2});
      if (it.moved) { taken.push({x: it.home.x - 4, y: it.home.y - 4, w: 8, h: 8}); }
    });
    items.forEach(function (it) { it.label.hidden = false; });
    var sizes = items.map(function (it) { return {w: it.label.offsetWidth, h: it.label.offsetHeight}; });
    var order = items.map(function (it, k) { return k; }).sort(function (a, b) {
      return (items[b].office ? 1 : 0) - (items[a].office ? 1 : 0) || a - b;
    });
    order.forEach(function (k) {
      var it = items[k], w = sizes[k].w, h = sizes[k].h, spot = null;
      candidates(it.at, w, h).some(function (c) {
        var box = {x: c[0], y: c[1], w: w, h: h};
        if (box.x < area.x || box.y < area.y || box.x + w > area.x + area.w ||
            box.y + h > area.y + area.h) { return false; }
        if (taken.some(function (t) { return within(box, t); })) { return false; }
        spot = box;
        return true;
      });
      if (spot) {
        taken.push(spot);
        L.DomUtil.setPosition(it.label, map.containerPointToLayerPoint([spot.x, spot.y]));
      } else {
        it.label.hidden = true;  // its name shows on hover and focus instead
      }
    });
  }
  function layout(map, state) {
    var size = map.getSize(), area = {x: MARGIN, y: MARGIN, w: size.x - 2 * MARGIN, h: size.y - 2 * MARGIN};
    var blocks = controlBoxes(map, 4), items = [], points = [];
    state.leaders.clearLayers();
    state.markers.forEach(function (m, i) {
      var home = L.latLng(m.geo.latlon), label = state.labels[i];
      label.hidden = true;
      if (!map.hasLayer(m)) { return; }
      var p = map.latLngToContainerPoint(home);
      if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { m.setLatLng(home); return; }
      items.push({marker: m, label: label, home: p, office: m.geo.office});
      points.push(p);
    });
    var placed = spread(points, blocks, area), colour = state.colour;
    items.forEach(function (it, k) {
      var at = L.point(placed[k].x, placed[k].y), homeLatLng = L.latLng(it.marker.geo.latlon);
      it.at = at;
      it.moved = at.distanceTo(it.home) > 2;
      it.marker.setLatLng(it.moved ? map.containerPointToLatLng(at) : homeLatLng);
      if (it.moved) {
        var style = {pane: "geo-leaders", renderer: state.renderer, interactive: false};
        L.polyline([homeLatLng, map.containerPointToLatLng(at)],
          L.extend({color: colour, weight: 1.2, opacity: 0.9, className: "geo-leader"}, style)).addTo(state.leaders);
        L.circleMarker(homeLatLng, L.extend({radius: 2.5, stroke: false, fillColor: colour,
          fillOpacity: 1, className: "geo-leader-dot"}, style)).addTo(state.leaders);
      }
    });
    placeLabels(map, items, blocks, area);
  }
  function attach(map, markers, colour) {
    map.createPane("geo-leaders").style.zIndex = 450;
    var labelPane = map.createPane("geo-labels");
    labelPane.style.zIndex = 590;
    var state = {markers: markers, colour: colour, leaders: L.layerGroup().addTo(map),
      renderer: L.svg({pane: "geo-leaders", padding: 0.2})};
    state.labels = markers.map(function (m) {
      var label = L.DomUtil.create("div", "geo-label", labelPane);
      label.textContent = m.geo.name;
      label.setAttribute("aria-hidden", "true");  // the marker itself has the name
      label.hidden = true;
      label.addEventListener("click", function () { m.openPopup(); });
      return label;
    });
    var pending = false, popupOpen = false;
    function later() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        // Not while a popup is open: moving its marker would move the popup, whose auto-pan
        // would move the map again. The layout follows when it closes.
        if (!popupOpen) { layout(map, state); }
      });
    }
    map.on("popupopen", function () { popupOpen = true; window.requestAnimationFrame(uncover); });
    map.on("popupclose", function () { popupOpen = false; uncover(); later(); });
    map.on("moveend", function () { if (popupOpen) { uncover(); } });
    // On a small map a popup may have no room clear of the controls: the controls it would lie
    // under step aside (hidden, so not focusable either) until it closes.
    function uncover() {
      var box = map.getContainer(), popup = box.querySelector(".leaflet-popup");
      var origin = box.getBoundingClientRect(), area = popup && popupOpen ? boxOf(popup, origin, 2) : null;
      box.querySelectorAll(".leaflet-control").forEach(function (c) {
        c.classList.remove("geo-under-popup");
        if (area && within(boxOf(c, origin, 0), area)) { c.classList.add("geo-under-popup"); }
      });
    }
    map.on("moveend resize geo:controls", later);
    markers.forEach(function (m) { m.on("add remove", later); });
    map.on("tooltipopen", function (e) { fitTooltip(map, e.tooltip); });
    layout(map, state);
  }
  // --- popups and tooltips inside the map ---------------------------------------------------
  function fitPopup(map, popup) {
    var size = map.getSize(), top = 8, bottom = 8, o = popup.options;
    o.maxWidth = Math.max(140, Math.min(320, size.x - 16 - 50));
    o.minWidth = Math.min(200, o.maxWidth);
    var at = popup._source ? map.latLngToContainerPoint(popup._source.getLatLng()) : L.point(size.x / 2, 0);
    var left = Math.max(8, Math.min(at.x - o.maxWidth / 2 - 30, size.x - o.maxWidth - 58));
    var column = {x: left, y: 0, w: o.maxWidth + 50, h: size.y};
    controlBoxes(map, 0).forEach(function (b) {
      if (!within(b, column)) { return; }
      if (b.y + b.h / 2 < size.y / 2) { top = Math.max(top, b.y + b.h + 8); } else { bottom = Math.max(bottom, size.y - b.y + 8); }
    });
    // A popup opens above its place: no taller than the room above it once the map is panned
    // as far down as its bounds allow.
    var north = map.options.maxBounds ? map.latLngToContainerPoint([map.options.maxBounds.getNorth(), 0]).y : -1e4;
    var room = at.y - Math.min(north, 0) - top - 100;  // less the tip, anchor and margins
    o.maxHeight = Math.max(90, Math.min(size.y - top - bottom - 48, room));
    o.autoPanPaddingTopLeft = L.point(8, top);
    o.autoPanPaddingBottomRight = L.point(8, bottom);
  }
  function fitTooltip(map, tooltip) {
    var el = tooltip.getElement();
    if (!el) { return; }
    var box = map.getContainer().getBoundingClientRect();
    el.style.maxWidth = Math.max(120, Math.min(320, box.width - 16)) + "px";
    tooltip.options.direction = "top";
    tooltip.options.offset = L.point(0, 0);
    tooltip.update();
    var r = el.getBoundingClientRect(), dx = 0;
    if (r.left < box.left + 4) { dx = box.left + 4 - r.left; } else if (r.right > box.right - 4) { dx = box.right - 4 - r.right; }
    if (r.top < box.top + 4) { tooltip.options.direction = "bottom"; }
    tooltip.options.offset = L.point(dx, 0);
    tooltip.update();
  }
  return {attach: attach, fitPopup: fitPopup, fitTooltip: fitTooltip, spread: spread};
})();
