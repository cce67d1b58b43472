// The map page's own script (geo.render): decodes the basemap, draws places and lines,
// labels controls in the page's language, closes popups with Escape. Data arrive as arguments.
var geo = (function () {
  "use strict";
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
  function basemap(map, data) {
    var scale = Math.pow(10, data.precision);
    var polygons = data.polygons.map(function (p) {
      return p.map(function (ring) { return decode(ring, scale); });
    });
    // Its own pane under the overlays: drawn last, it must still lie beneath lines and places.
    if (!map.getPane("geo-basemap")) { map.createPane("geo-basemap").style.zIndex = 350; }
    L.polygon(polygons, {color: "#9a9a9a", weight: 0.8, fillColor: "#fbfbf8", fillOpacity: 1,
      interactive: false, className: "geo-basemap", pane: "geo-basemap",
      renderer: L.canvas({padding: 0.5, pane: "geo-basemap"})}).addTo(map);
  }
  // The outlines' script loads deferred (after this page's script) unless it is inlined before
  // it: draw at once if the data are here, else when the script hands them over.
  var waiting = [];
  function outlines(map) {
    if (window.geoBasemap) { basemap(map, window.geoBasemap); } else { waiting.push(map); }
  }
  function basemapLoaded(data) {
    waiting.splice(0).forEach(function (map) { basemap(map, data); });
  }
  function places(group, list) {
    list.forEach(function (p) {
      var icon = L.divIcon({className: "geo-marker geo-layer-" + p.layer, html: p.icon,
        iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12], tooltipAnchor: [0, -14]});
      var marker = L.marker(p.latlon, {icon: icon, keyboard: true, riseOnHover: true});
      marker.bindPopup(p.popup, {maxWidth: 300, maxHeight: 320, autoPanPadding: [16, 16]});
      marker.bindTooltip(p.tooltip, {direction: "top"});
      marker.on("add", function () { marker.getElement().setAttribute("data-place", p.id); });
      group.addLayer(marker);
    });
  }
  function lines(group, list) {
    list.forEach(function (l) { group.addLayer(L.polyline(l.latlngs, l.style)); });
  }
  function setup(map, text, layersControl) {
    var box = map.getContainer();
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", text.map);
    var target = document.getElementById("geo-layers");
    if (target && layersControl) {
      var c = layersControl.getContainer();
      c.removeAttribute("aria-haspopup");
      target.appendChild(c);
    }
    map.on("popupopen", function (e) {
      var b = e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (b) { b.setAttribute("aria-label", text.close); b.setAttribute("title", text.close); }
      // A long text scrolls inside the popup; a scrolling region must be reachable by keyboard.
      var content = e.popup.getElement().querySelector(".leaflet-popup-content");
      if (content && content.scrollHeight > content.clientHeight) {
        content.setAttribute("tabindex", "0");
      }
    });
    box.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") { return; }
      var popup = null;
      map.eachLayer(function (l) { if (l instanceof L.Popup && map.hasLayer(l)) { popup = l; } });
      if (popup) {
        var source = popup._source;
        map.closePopup();
        if (source && source.getElement) { source.getElement().focus(); }
        e.preventDefault();
      }
    });
  }
  return {basemap: basemap, outlines: outlines, basemapLoaded: basemapLoaded, places: places,
    lines: lines, setup: setup};
})();
