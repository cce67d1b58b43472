// The map page of a large table (geo.web.large, above LARGE_TABLE places). The places are not in
// the page: it fetches one compact file beside it (places/points.json: id, coordinates, kind,
// status, names, country), draws the markers as clusters (Leaflet.markercluster), and fetches
// the details of a place (places/details-NNNN.json, one chunk of places) only when its popup
// opens or the table turns to its page. The connections (the layer file) are fetched and drawn
// on one canvas only when their layer is switched on. A popup and a table row are the
// <template>s the server's templates wrote once, filled with text (textContent, never HTML).
var geoLarge = (function () {
  "use strict";
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"};
  function esc(value) {  // the one place Leaflet wants HTML: the cluster icons (no data in them)
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
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

  // --- what a person reads: the popup and the table row the page's templates wrote once -----
  // (geo.web.entries.popup_slots, web/table.html), filled with a place's values as text. The
  // templates decide the fields, their labels, order and language; the data the words (the tel:
  // link and the dates are made in Python); a field the place has no value for is removed.
  function since(p, t) { return p.since !== null && p.since !== undefined ? String(p.since) : t.unknown; }
  function values(p, cfg, lang) {
    var t = cfg.text, n = name(p, lang, cfg.fallback);
    return {name_local: p.name_local && p.name_local !== n ? p.name_local : "", country: country(p, cfg),
      kind: t["kind_" + p.kind], status: p.status ? t["status_" + p.status] : "",
      since: p.status ? since(p, t) : "", visiting_address: p.visiting_address || "",
      postal_address: p.postal_address || "", phone: p.phone || "", source: p.source || "",
      as_of: p.as_of ? cfg.dates[p.as_of] || p.as_of : ""};
  }
  function popup(p, cfg, lang) {
    var box = geo.clone(document.getElementById("geo-popup-template")), v = values(p, cfg, lang);
    var own = inLanguage(p, "name", lang, cfg.fallback);
    say(box.querySelector(".geo-popup-name"), own[0] ? own : [p.id, ""]);
    var text = box.querySelector("p"), description = inLanguage(p, "description", lang, cfg.fallback);
    if (description[0]) { say(text, description); } else { text.remove(); }
    box.querySelectorAll("[data-slot]").forEach(function (slot) {
      var key = slot.getAttribute("data-slot"), dd = slot.querySelector("dd");
      if (!v[key]) { slot.remove(); return; }
      var inner = dd.querySelector("a, time, span:not(.geo-note)");
      if (inner) { inner.textContent = v[key]; } else { dd.insertBefore(document.createTextNode(v[key]), dd.firstChild); }
      if (key === "phone") { inner.href = p.phone_href; }
      if (key === "as_of") { inner.dateTime = p.as_of; }
      var note = dd.querySelector(".geo-note");
      if (note && key === "since" && p.since_note) { note.textContent = p.since_note; } else if (note) {
        note.previousSibling.remove(); note.remove();
      }
    });
    return box;
  }
  function row(p, cfg, lang) {
    var tr = geo.clone(document.getElementById("geo-row-template")), v = values(p, cfg, lang);
    var a = tr.querySelector("a"), cells = tr.querySelectorAll("td"), note = tr.querySelector(".geo-note");
    var own = inLanguage(p, "name", lang, cfg.fallback);
    say(a, own[0] ? own : [p.id, ""]);
    a.href = "#" + p.id;
    a.setAttribute("data-place", p.id);
    cells[0].textContent = v.status || "\u2013";
    cells[1].textContent = v.kind;
    cells[2].firstChild.textContent = v.since || "\u2013";
    if (p.status && p.since_note) { note.textContent = p.since_note; } else { note.previousSibling.remove(); note.remove(); }
    cells[3].textContent = v.country;
    cells[4].textContent = p.name_local || "";
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
  function marker(map, cfg, points, i, p, label) {
    var m = L.marker([p.lat, p.lon], {keyboard: true, riseOnHover: true,
      icon: geo.icon({layer: cfg.layerOf[p.kind], office: p.kind === "office", label: label,
        mark: p.kind + "|" + (p.status || "")}, 26)});
    var asked = false;
    m.on("click", function () {  // the details are fetched on first use, then the popup opens
      if (asked) { return; }
      asked = true;
      details(cfg, points, i).then(function (full) {
        asked = false;
        geo.open(p.id, m, popup(full, cfg, map.geoLang));
      }).catch(function (e) { asked = false; fail(cfg, e); });
    });
    if (p.kind !== "office") {  // (the office's is its permanent name: load())
      m.bindTooltip(geo.textElement("span", "", label), {direction: "top", className: "geo-tooltip"});
    }
    m.on("add", function () {
      var el = m.getElement();
      el.setAttribute("data-place", p.id);
      el.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); m.fire("click"); }
      });
    });
    return m;
  }
  var shown = {}, clusters = {};  // each place's marker by id, and its layer's cluster group
  function show(id) {  // a place from the table or the address: zoomed to, its popup opened
    var m = shown[id];
    if (!m) { return; }
    var group = clusters[m.geoLayer];
    if (group && group.hasLayer(m)) {
      group.zoomToShowLayer(m, function () { m.fire("click"); });
    } else {
      m.fire("click");
    }
  }
  function load(map, groups, data, done) {
    var cfg = data.large, t = cfg.text, lang = data.lang, labels = {};
    var pending = cfg.layers.length;
    map.geoLang = lang;
    function ready() {  // every shown layer is clustered and drawn: the first view is complete
      if (--pending === 0) { done(); }
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
        var m = marker(map, cfg, points, i, p, label);
        m.geoLayer = cfg.layerOf[p.kind];
        shown[p.id] = m;
        byLayer[m.geoLayer].push(m);
        if (p.kind === "office") {  // the home city, named and never in a cluster
          m.bindTooltip(geo.textElement("span", "", data.home.name), {permanent: true, direction: "right",
            className: "geo-home-label", offset: [14, 0]});
        }
      });
      cfg.layers.forEach(function (layer) {
        if (layer === "office") {
          byLayer[layer].forEach(function (m) { groups[layer].addLayer(m); });
          ready();
          return;
        }
        // Clustered in chunks (the page stays responsive), with short breaks between them. The
        // plugin reports the last chunk before it works out the clusters' bounds, in the same
        // task: the layer is ready once that task is over (a deep link zooms to those bounds).
        var cluster = L.markerClusterGroup({chunkedLoading: true, chunkDelay: 10,
          showCoverageOnHover: false, maxClusterRadius: 50, iconCreateFunction: clusterIcon(t),
          chunkProgress: function (done, total) { if (done === total) { setTimeout(ready, 0); } }});
        clusters[layer] = cluster;
        groups[layer].addLayer(cluster);
        cluster.addLayers(byLayer[layer]);
        if (!map.hasLayer(cluster)) { ready(); }  // a hidden layer is clustered when shown
      });
      table(cfg, points, lang);
    }).catch(function (e) { fail(cfg, e); });
  }
  return {load: load, show: show, esc: esc};
})();
