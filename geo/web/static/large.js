// The map page of a large table (geo.web.large, above LARGE_TABLE places). The places are not in
// the page: it fetches one compact file beside it (places/points.json: id, coordinates, kind,
// status, names, country), draws the markers as clusters (Leaflet.markercluster), and fetches
// the details of a place (places/details-NNNN.json, one chunk of places) only when its popup
// opens or the table turns to its page. The connections (the layer file) are fetched and drawn
// on one canvas only when their layer is switched on. Popups start from a <template> that the
// server escaped; every string from the data is set with textContent, never as HTML.
var geoLarge = (function () {
  "use strict";
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"};
  function esc(value) {  // the one place Leaflet wants HTML: the cluster icons (no data in them)
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  function make(tag, parent, text) {
    var el = document.createElement(tag);
    if (text !== undefined) { el.textContent = text; }
    if (parent) { parent.appendChild(el); }
    return el;
  }
  // A place's name or description in the page's language, else in the fallback language
  // (English): [text, the lang the element then needs, or ""], as geo.web.words.in_language.
  function inLanguage(p, field, lang, fallback) {
    if (p[field + "_" + lang]) { return [p[field + "_" + lang], ""]; }
    var other = p[field + "_" + fallback] || "";
    return [other, other && lang !== fallback ? fallback : ""];
  }
  function name(p, lang, fallback) { return inLanguage(p, "name", lang, fallback)[0] || p.id; }
  function say(el, found) {  // the text of inLanguage in `el`, marked with its language
    el.textContent = found[0];
    if (found[1]) { el.lang = found[1]; }
    return el;
  }
  function relation(p, t) {
    var words = t["kind_" + p.kind];
    if (p.status) { words += ", " + t["status_" + p.status]; }
    return words;
  }
  function since(cell, p, t) {  // the year (or "unknown") and its note, as text
    cell.textContent = p.since !== null && p.since !== undefined ? String(p.since) : t.unknown;
    if (p.since_note) {
      make("br", cell);
      make("span", cell, p.since_note).className = "geo-note";
    }
  }
  function telUrl(phone) {
    return "tel:" + (phone.trim().charAt(0) === "+" ? "+" : "") + phone.replace(/[^0-9]/g, "");
  }
  function country(p, cfg) { return cfg.countries[p.country] || p.country || ""; }

  // --- the files beside the page ---------------------------------------------------------
  function fetchJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + r.url); }
      return r.json();
    });
  }
  var chunks = {};
  function chunk(cfg, n) {  // one details file, fetched once
    if (!chunks[n]) {
      chunks[n] = fetchJSON(cfg.details.replace("{n}", ("000" + n).slice(-4)))
        .catch(function (e) { delete chunks[n]; throw e; });
    }
    return chunks[n];
  }
  function details(cfg, points, i) {  // the details of place i, checked to be that place
    return chunk(cfg, Math.floor(i / points.chunk)).then(function (list) {
      var p = list[i % points.chunk];
      if (!p || p.id !== points.places[i][0]) {
        throw new Error("places/details: place " + points.places[i][0] + " is not in its chunk");
      }
      return p;
    });
  }
  function range(cfg, points, from, to) {  // the details of places from..to-1
    var first = Math.floor(from / points.chunk), last = Math.floor((to - 1) / points.chunk);
    var wanted = [];
    for (var n = first; n <= last; n++) { wanted.push(chunk(cfg, n)); }
    return Promise.all(wanted).then(function (lists) {
      var all = [].concat.apply([], lists), offset = first * points.chunk;
      return all.slice(from - offset, to - offset);
    });
  }

  // --- what a person reads: popups and table rows, built as elements ------------------------
  function popup(p, cfg, lang) {  // the same fields as geo.web.entries.popup
    var t = cfg.text, box = geo.clone(document.getElementById("geo-popup-template"));
    var n = name(p, lang, cfg.fallback), text = box.querySelector("p");
    var list = box.querySelector("dl"), own = inLanguage(p, "name", lang, cfg.fallback);
    say(box.querySelector(".geo-popup-name"), own[0] ? own : [n, ""]);
    var description = inLanguage(p, "description", lang, cfg.fallback);
    if (description[0]) { say(text, description); } else { text.remove(); }
    function field(label, value) {
      make("dt", list, label);
      var dd = make("dd", list);
      if (typeof value === "function") { value(dd); } else { dd.textContent = value; }
    }
    if (p.name_local && p.name_local !== n) { field(t.name_local, p.name_local); }
    field(t.country, country(p, cfg));
    field(t.kind, t["kind_" + p.kind]);
    if (p.status) {
      field(t.status, t["status_" + p.status]);
      field(t.since, function (dd) { since(dd, p, t); });
    }
    ["visiting_address", "postal_address"].forEach(function (k) {
      if (p[k]) { field(t[k], p[k]); }
    });
    if (p.phone) {
      field(t.phone, function (dd) { make("a", dd, p.phone).href = telUrl(p.phone); });
    }
    field(t.source, p.source || "");
    if (p.as_of) { field(t.as_of, p.as_of); }
    return box;
  }
  function row(p, cfg, lang) {  // the same cells as geo.web.templates/table.html
    var t = cfg.text, tr = make("tr");
    var own = inLanguage(p, "name", lang, cfg.fallback);
    say(make("th", tr), own[0] ? own : [p.id, ""]).setAttribute("scope", "row");
    make("td", tr, p.status ? t["status_" + p.status] : "\u2013");
    make("td", tr, t["kind_" + p.kind]);
    var cell = make("td", tr);
    if (p.status) { since(cell, p, t); } else { cell.textContent = "\u2013"; }
    make("td", tr, country(p, cfg));
    make("td", tr, p.name_local || "");
    return tr;
  }
  function fail(cfg, error) {
    if (window.console) { console.error(error); }
    var status = document.getElementById("geo-table-status");
    if (status) { status.textContent = cfg.text.failed; }
  }
  function table(cfg, points, lang) {  // the first page is in the page; the others are fetched
    var t = cfg.text, size = cfg.pageSize, body = document.getElementById("geo-table-body");
    var status = document.getElementById("geo-table-status");
    var prev = document.getElementById("geo-table-prev"), next = document.getElementById("geo-table-next");
    if (!body || !status || !prev || !next) { return; }
    var count = points.places.length, pages = Math.max(1, Math.ceil(count / size)), page = 0;
    var asked = 0;
    function show(k) {
      var wanted = Math.min(Math.max(k, 0), pages - 1), ask = ++asked;
      range(cfg, points, wanted * size, Math.min(count, (wanted + 1) * size)).then(function (list) {
        if (ask !== asked) { return; }  // a later click won
        page = wanted;
        body.replaceChildren.apply(body, list.map(function (p) { return row(p, cfg, lang); }));
        status.textContent = t.page.replace("{n}", page + 1).replace("{m}", pages);
        prev.disabled = page === 0;
        next.disabled = page === pages - 1;
      }).catch(function (e) { fail(cfg, e); });
    }
    prev.addEventListener("click", function () { show(page - 1); });
    next.addEventListener("click", function () { show(page + 1); });
    prev.disabled = true;
    next.disabled = pages === 1;
    prev.hidden = next.hidden = false;
  }

  // --- the map ---------------------------------------------------------------------------
  function clusterIcon(t) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 100 ? 34 : n < 1000 ? 42 : 50;
      return L.divIcon({className: "geo-cluster", iconSize: [size, size],
        html: "<span aria-hidden=\"true\">" + n + "</span><span class=\"geo-sr\">" +
          esc(t.cluster.replace("{n}", n)) + "</span>"});
    };
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
      fetchJSON(cfg.base + "connections.geojson").then(function (fc) {
        L.geoJSON(fc, {style: function (f) { return lineStyle(cfg, f.properties); },
          interactive: false, renderer: L.canvas({padding: 0.5})}).addTo(group);
      }).catch(function (e) { loaded = false; fail(cfg, e); });
    }
    group.on("add", draw);
    draw();
  }
  function marker(map, cfg, points, i, p, label, mark) {
    var icon = L.divIcon({className: "geo-marker geo-layer-" + cfg.layerOf[p.kind],
      html: geo.markerIcon(mark, label), iconSize: [26, 26], iconAnchor: [13, 13],
      popupAnchor: [0, -12], tooltipAnchor: [0, -14]});
    var m = L.marker([p.lat, p.lon], {icon: icon, keyboard: true, riseOnHover: true});
    function open() {  // the popup is made on first use; then Leaflet opens it (Enter too)
      if (m.getPopup() || m.geoAsked) { return; }
      m.geoAsked = true;
      details(cfg, points, i).then(function (full) {
        var box = L.popup({closeButton: false, className: "geo-popup-box"});
        geoLayout.fitPopup(map, box);
        box.setContent(popup(full, cfg, map.geoLang));
        m.bindPopup(box).openPopup();
      }).catch(function (e) { m.geoAsked = false; fail(cfg, e); });
    }
    m.on("click", open);
    m.on("keypress", function (e) { if (e.originalEvent.keyCode === 13) { open(); } });
    m.bindTooltip(geo.textElement("span", "", label), {direction: "top", className: "geo-tooltip"});
    m.on("add", function () { m.getElement().setAttribute("data-place", p.id); });
    return m;
  }
  function load(map, groups, data) {
    var cfg = data.large, t = cfg.text, lang = data.lang, labels = {};
    var pending = cfg.layers.length, marks = geo.templates("mark");
    map.geoLang = lang;
    function ready() {  // every shown layer is clustered and drawn: the first view is complete
      if (--pending === 0) { map.getContainer().setAttribute("data-geo-ready", "true"); }
    }
    // Clustering needs a highest zoom; without tiles the map has none. Places closer than a
    // cluster at this zoom are spread out (spiderfied) when their cluster is opened.
    if (map.options.maxZoom === undefined) { map.setMaxZoom(cfg.maxZoom); }
    connections(map, groups.connections, cfg);
    fetchJSON(cfg.points).then(function (points) {
      var byLayer = {};
      cfg.layers.forEach(function (layer) { byLayer[layer] = []; });
      points.places.forEach(function (r, i) {
        var p = {};  // id, lon, lat, kind, status, a name per language, country
        points.fields.forEach(function (f, j) { p[f] = r[j]; });
        p.kind = points.kinds[p.kind];
        p.status = points.statuses[p.status];
        var label = name(p, lang, cfg.fallback) + ": " + relation(p, t);
        if (labels[label]) { label += " (" + country(p, cfg) + ", " + p.id + ")"; }
        labels[label] = true;
        var mark = marks[p.kind + "|" + (p.status || "")];
        byLayer[cfg.layerOf[p.kind]].push(marker(map, cfg, points, i, p, label, mark));
      });
      cfg.layers.forEach(function (layer) {
        // Clustered in chunks (the page stays responsive), with short breaks between them.
        var cluster = L.markerClusterGroup({chunkedLoading: true, chunkDelay: 10,
          showCoverageOnHover: false, maxClusterRadius: 50, iconCreateFunction: clusterIcon(t),
          chunkProgress: function (done, total) { if (done === total) { ready(); } }});
        groups[layer].addLayer(cluster);
        cluster.addLayers(byLayer[layer]);
        if (!map.hasLayer(cluster)) { ready(); }  // a hidden layer is clustered when shown
      });
      table(cfg, points, lang);
    }).catch(function (e) { fail(cfg, e); });
  }
  return {load: load, esc: esc};
})();
