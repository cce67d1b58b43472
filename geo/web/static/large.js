// The map page of a large table (geo.web.large, above LARGE_TABLE places): the places are not in
// the page but fetched from the layer files beside it (same origin), drawn as clusters
// (Leaflet.markercluster) and listed in a table a page at a time; the connections are fetched
// and drawn on one canvas only when their layer is switched on. Every string from the data
// goes through esc() before it becomes HTML.
var geoLarge = (function () {
  "use strict";
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"};
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  function name(p, lang) { return p["name_" + lang] || p.name_en || p.id; }
  function relation(p, t) {
    var words = t["kind_" + p.kind];
    if (p.status) { words += ", " + t["status_" + p.status]; }
    return words;
  }
  function since(p, t) {
    var year = p.since !== null && p.since !== undefined ? esc(p.since) : esc(t.unknown);
    return year + (p.since_note ? "<br><span class=\"geo-note\">" + esc(p.since_note) + "</span>" : "");
  }
  function telUrl(phone) {
    return "tel:" + (phone.trim().charAt(0) === "+" ? "+" : "") + phone.replace(/[^0-9]/g, "");
  }
  function country(p, cfg) { return cfg.countries[p.country] || p.country || ""; }
  function popup(p, cfg, lang) {  // the same fields as geo.web.entries.popup
    var t = cfg.text, rows = [], n = name(p, lang);
    if (p.name_local && p.name_local !== n) { rows.push([t.name_local, esc(p.name_local)]); }
    rows.push([t.country, esc(country(p, cfg))]);
    rows.push([t.kind, esc(t["kind_" + p.kind])]);
    if (p.status) {
      rows.push([t.status, esc(t["status_" + p.status])]);
      rows.push([t.since, since(p, t)]);
    }
    ["visiting_address", "postal_address"].forEach(function (k) {
      if (p[k]) { rows.push([t[k], esc(p[k])]); }
    });
    if (p.phone) {
      rows.push([t.phone, "<a href=\"" + esc(telUrl(p.phone)) + "\">" + esc(p.phone) + "</a>"]);
    }
    rows.push([t.source, esc(p.source || "")]);
    if (p.as_of) { rows.push([t.as_of, esc(p.as_of)]); }
    return "<div class=\"geo-popup\"><div class=\"geo-popup-head\"><h2 class=\"geo-popup-name\" " +
      "tabindex=\"-1\">" + esc(n) + "</h2><button type=\"button\" class=\"geo-popup-close\" " +
      "aria-label=\"" + esc(t.close) + "\"><span aria-hidden=\"true\">\u00d7</span></button></div><p>" +
      esc(p["description_" + lang] || "") + "</p><dl>" + rows.map(function (r) {
        return "<dt>" + esc(r[0]) + "</dt><dd>" + r[1] + "</dd>";
      }).join("") + "</dl></div>";
  }
  function row(p, cfg, lang) {  // the same cells as geo.web.templates/table.html
    var t = cfg.text;
    return "<tr><th scope=\"row\">" + esc(name(p, lang)) + "</th><td>" +
      esc(p.status ? t["status_" + p.status] : "\u2013") + "</td><td>" + esc(t["kind_" + p.kind]) +
      "</td><td>" + (p.status ? since(p, t) : "\u2013") + "</td><td>" + esc(country(p, cfg)) +
      "</td><td>" + esc(p.name_local || "") + "</td></tr>";
  }
  function clusterIcon(t) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 100 ? 34 : n < 1000 ? 42 : 50;
      return L.divIcon({className: "geo-cluster", iconSize: [size, size],
        html: "<span aria-hidden=\"true\">" + n + "</span><span class=\"geo-sr\">" +
          esc(t.cluster.replace("{n}", n)) + "</span>"});
    };
  }
  function table(rows, cfg) {
    var t = cfg.text, size = cfg.pageSize, body = document.getElementById("geo-table-body");
    var status = document.getElementById("geo-table-status");
    var prev = document.getElementById("geo-table-prev"), next = document.getElementById("geo-table-next");
    if (!body || !status || !prev || !next) { return; }
    var pages = Math.max(1, Math.ceil(rows.length / size)), page = 0;
    function show(k) {
      page = Math.min(Math.max(k, 0), pages - 1);
      body.innerHTML = rows.slice(page * size, (page + 1) * size).join("");
      status.textContent = t.page.replace("{n}", page + 1).replace("{m}", pages);
      prev.disabled = page === 0;
      next.disabled = page === pages - 1;
    }
    prev.addEventListener("click", function () { show(page - 1); });
    next.addEventListener("click", function () { show(page + 1); });
    prev.hidden = next.hidden = false;
    show(0);
  }
  function fail(cfg, error) {
    if (window.console) { console.error(error); }
    var status = document.getElementById("geo-table-status");
    if (status) { status.textContent = cfg.text.failed; }
  }
  function fetchLayer(cfg, layer) {
    return fetch(cfg.base + layer + ".geojson").then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + r.url); }
      return r.json();
    });
  }
  function lineStyle(cfg, p) {
    return L.extend({}, cfg.lines[p.relation + "|" + p.status], {weight: 1.5, opacity: 0.6,
      interactive: false});
  }
  function connections(map, group, cfg) {
    var loaded = false;
    function draw() {
      if (loaded || !map.hasLayer(group)) { return; }
      loaded = true;
      fetchLayer(cfg, "connections").then(function (fc) {
        L.geoJSON(fc, {style: function (f) { return lineStyle(cfg, f.properties); },
          interactive: false, renderer: L.canvas({padding: 0.5})}).addTo(group);
      }).catch(function (e) { loaded = false; fail(cfg, e); });
    }
    group.on("add", draw);
    draw();
  }
  function load(map, groups, data) {
    var cfg = data.large, t = cfg.text, lang = data.lang, labels = {}, rows = [];
    var pending = cfg.layers.length, marks = geo.templates("mark");
    function ready() {  // every shown layer is clustered and drawn: the first view is complete
      if (--pending === 0) { map.getContainer().setAttribute("data-geo-ready", "true"); }
    }
    // Clustering needs a highest zoom; without tiles the map has none. Places closer than a
    // cluster at this zoom are spread out (spiderfied) when their cluster is opened.
    if (map.options.maxZoom === undefined) { map.setMaxZoom(cfg.maxZoom); }
    connections(map, groups.connections, cfg);
    Promise.all(cfg.layers.map(function (layer) { return fetchLayer(cfg, layer); }))
      .then(function (collections) {
        collections.forEach(function (fc, i) {
          var layer = cfg.layers[i];
          // Clustered in chunks (the page stays responsive), with short breaks between them.
          var cluster = L.markerClusterGroup({chunkedLoading: true, chunkDelay: 10,
            showCoverageOnHover: false,
            maxClusterRadius: 50, iconCreateFunction: clusterIcon(t),
            chunkProgress: function (done, total) { if (done === total) { ready(); } }});
          var markers = fc.features.map(function (f) {
            var p = f.properties, c = f.geometry.coordinates;
            var label = name(p, lang) + ": " + relation(p, t);
            if (labels[label]) { label += " (" + country(p, cfg) + ", " + f.id + ")"; }
            labels[label] = true;
            rows.push(row(p, cfg, lang));
            var icon = L.divIcon({className: "geo-marker geo-layer-" + layer,
              html: geo.markerIcon(marks[p.kind + "|" + (p.status || "")], label),
              iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12],
              tooltipAnchor: [0, -14]});
            var marker = L.marker([c[1], c[0]], {icon: icon, keyboard: true, riseOnHover: true});
            marker.on("click", function () {  // the popup is made on first use (Enter too)
              if (marker.getPopup()) { return; }
              var box = L.popup({closeButton: false, className: "geo-popup-box"});
              geoLayout.fitPopup(map, box);
              box.setContent(popup(p, cfg, lang));
              marker.bindPopup(box).openPopup();
            });
            marker.bindTooltip(geo.textElement("span", "", label),
              {direction: "top", className: "geo-tooltip"});
            marker.on("add", function () { marker.getElement().setAttribute("data-place", f.id); });
            return marker;
          });
          groups[layer].addLayer(cluster);
          cluster.addLayers(markers);
          if (!map.hasLayer(cluster)) { ready(); }  // a hidden layer is clustered when shown
        });
        table(rows, cfg);
      })
      .catch(function (e) { fail(cfg, e); });
  }
  return {load: load, esc: esc};
})();
