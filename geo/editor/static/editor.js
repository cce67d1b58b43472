/* geo edit: the editor page's script (geo/editor/templates/page.html).
   The draft (every row of the table, as text) lives here; the editor checks it (api/check, the
   same validation as geo validate), draws its map (api/preview), saves it (api/save) and puts
   it on top of a newer file (api/rebase). Every value from the table or the server is set as
   text (textContent, value, option text), never as markup. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("editor-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var fieldsByName = {};
  data.fields.forEach(function (f) { fieldsByName[f.name] = f; });

  function T(key, values) {
    var text = data.text[key.slice("editor.".length)] || key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function clone(rows) { return JSON.parse(JSON.stringify(rows)); }

  var state = {
    version: data.version,
    saved: clone(data.rows),
    rows: clone(data.rows),
    current: null,
    problems: [],
    seq: 0,
    checkTimer: null,
    previewTimer: null,
    searchTimer: null,
    active: -1,
    found: []
  };

  var els = {
    rows: $("rows"), form: $("form"), heading: $("place-h"), status: $("status"),
    unsaved: $("unsaved"), problems: $("problems"), count: $("problem-count"),
    preview: $("preview"), previewNote: $("preview-note"), add: $("add"),
    panel: $("add-panel"), search: $("search"), results: $("results"),
    searchStatus: $("search-status"), kind: $("new-kind"), save: $("save"),
    conflict: $("conflict"), conflictList: $("conflict-list"), rebase: $("rebase")
  };

  function post(route, body) {
    return fetch(route, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try { json = JSON.parse(text); } catch (e) { json = { error: text }; }
        return { status: response.status, json: json };
      });
    });
  }

  function say(text) { els.status.textContent = text; }

  function failed(error) { say(T("editor.failed", { error: String(error) })); }

  /* --- the table of places ------------------------------------------------------------------ */

  function cell(row, name) { return (row.cells[name] || "").trim(); }

  function titleOf(index) {
    var row = state.rows[index];
    return cell(row, data.name) || cell(row, data.fallback_name) || cell(row, "id") || T("editor.new_place");
  }

  function words(name, value) {
    var options = (fieldsByName[name] || {}).options || {};
    return Object.prototype.hasOwnProperty.call(options, value.trim()) ? options[value.trim()] : value;
  }

  function savedRow(row) {
    if (row.key === null) { return null; }
    for (var i = 0; i < state.saved.length; i += 1) {
      if (state.saved[i].key === row.key) { return state.saved[i]; }
    }
    return null;
  }

  function isChanged(index) {
    var row = state.rows[index];
    var before = savedRow(row);
    if (!before) { return true; }
    return Object.keys(row.cells).some(function (name) {
      return (row.cells[name] || "") !== (before.cells[name] || "");
    });
  }

  function rowElement(index) {
    var tr = document.createElement("tr");
    var th = document.createElement("th");
    th.scope = "row";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "open";
    th.appendChild(button);
    tr.appendChild(th);
    data.summary.forEach(function (name) {
      var td = document.createElement("td");
      td.dataset.column = name;
      tr.appendChild(td);
    });
    var changed = document.createElement("td");
    changed.className = "changed";
    tr.appendChild(changed);
    return tr;
  }

  function updateRow(index) {
    var tr = els.rows.rows[index];
    var row = state.rows[index];
    tr.querySelector("button.open").textContent = titleOf(index);
    data.summary.forEach(function (name, i) {
      tr.cells[i + 1].textContent = words(name, row.cells[name] || "");
    });
    tr.querySelector("td.changed").textContent = isChanged(index) ? T("editor.changed") : "";
    tr.classList.toggle("current", index === state.current);
  }

  function drawTable() {
    while (els.rows.rows.length > state.rows.length) { els.rows.deleteRow(-1); }
    while (els.rows.rows.length < state.rows.length) { els.rows.appendChild(rowElement()); }
    for (var i = 0; i < state.rows.length; i += 1) { updateRow(i); }
    showUnsaved();
  }

  function showUnsaved() {
    var count = 0;
    for (var i = 0; i < state.rows.length; i += 1) { if (isChanged(i)) { count += 1; } }
    els.unsaved.textContent = count ? T("editor.unsaved", { count: count }) : T("editor.all_saved");
  }

  els.rows.addEventListener("click", function (event) {
    var button = event.target.closest("button.open");
    if (button) { openPlace(button.closest("tr").sectionRowIndex); }
  });

  /* --- the form of one place ---------------------------------------------------------------- */

  function control(name) { return $("f-" + name); }

  function setChoice(select, value) {
    Array.prototype.slice.call(select.querySelectorAll("option[data-extra]")).forEach(function (o) {
      o.remove();
    });
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (!known) {
      var option = document.createElement("option");
      option.value = value;
      option.dataset.extra = "1";
      option.textContent = T("editor.not_allowed", { value: value });
      select.appendChild(option);
    }
    select.value = value;
  }

  function openPlace(index, focusName) {
    state.current = index;
    els.form.hidden = false;
    var row = state.rows[index];
    data.fields.forEach(function (f) {
      var input = control(f.name);
      var value = row.cells[f.name] || "";
      if (input.tagName === "SELECT") { setChoice(input, value); } else { input.value = value; }
    });
    els.heading.textContent = T("editor.edit", { name: titleOf(index) });
    drawTable();
    showFieldProblems();
    var target = focusName && control(focusName) ? control(focusName) : els.heading;
    target.focus();
    if (target === els.heading) { els.heading.scrollIntoView({ block: "start" }); }
  }

  function edited(event) {
    var name = event.target.name;
    if (state.current === null || !name || !fieldsByName[name]) { return; }
    state.rows[state.current].cells[name] = event.target.value;
    if (name === data.name || name === "id") {
      els.heading.textContent = T("editor.edit", { name: titleOf(state.current) });
    }
    updateRow(state.current);
    showUnsaved();
    scheduleCheck();
  }

  els.form.addEventListener("input", edited);
  els.form.addEventListener("change", edited);
  els.form.addEventListener("submit", function (event) { event.preventDefault(); });

  /* --- problems ------------------------------------------------------------------------------ */

  function messageElement(text) {
    var span = document.createElement("span");
    if (data.lang !== "en") { span.lang = "en"; }
    span.textContent = text;
    return span;
  }

  function showFieldProblems() {
    data.fields.forEach(function (f) {
      var list = $("p-" + f.name);
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var mine = state.problems.filter(function (p) {
        return p.row === state.current && state.current !== null && p.field === f.name;
      });
      mine.forEach(function (p) {
        var li = document.createElement("li");
        li.className = p.severity;
        li.appendChild(messageElement(p.message));
        list.appendChild(li);
      });
      var bad = mine.some(function (p) { return p.severity === "error"; });
      if (bad) { control(f.name).setAttribute("aria-invalid", "true"); }
      else { control(f.name).removeAttribute("aria-invalid"); }
    });
  }

  function showProblems() {
    var errors = state.problems.filter(function (p) { return p.severity === "error"; }).length;
    var warnings = state.problems.filter(function (p) { return p.severity === "warning"; }).length;
    els.count.textContent = state.problems.length
      ? T("editor.count", { errors: errors, warnings: warnings })
      : T("editor.no_problems");
    while (els.problems.firstChild) { els.problems.removeChild(els.problems.firstChild); }
    state.problems.forEach(function (p) {
      var li = document.createElement("li");
      li.className = p.severity;
      li.appendChild(messageElement(p.message));
      if (p.row !== null && p.row < state.rows.length) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "go";
        button.textContent = T("editor.go_to", { place: titleOf(p.row) });
        button.addEventListener("click", function () { openPlace(p.row, p.field); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button);
      }
      els.problems.appendChild(li);
    });
    showFieldProblems();
    return errors;
  }

  function draft() { return { version: state.version, rows: state.rows }; }

  function check() {
    state.seq += 1;
    var seq = state.seq;
    return post("api/check", draft()).then(function (r) {
      if (seq !== state.seq) { return; }
      if (r.status !== 200) { failed(r.json.error || r.status); return; }
      state.problems = r.json.problems;
      showProblems();
      schedulePreview();
    }).catch(failed);
  }

  function scheduleCheck() {
    clearTimeout(state.checkTimer);
    state.checkTimer = setTimeout(check, 250);
  }

  /* --- the map ------------------------------------------------------------------------------- */

  function preview() {
    return post("api/preview", draft()).then(function (r) {
      if (r.status !== 200) { return; }
      els.preview.src = r.json.url;
      els.previewNote.textContent = T("editor.preview_note", r.json);
    }).catch(failed);
  }

  function schedulePreview() {
    clearTimeout(state.previewTimer);
    state.previewTimer = setTimeout(preview, 600);
  }

  /* --- saving, and someone else's change ----------------------------------------------------- */

  function adopt(json) {
    state.version = json.version;
    state.saved = clone(json.saved);
    state.rows = clone(json.rows);
    if (state.current !== null && state.current >= state.rows.length) { state.current = null; }
    drawTable();
    if (state.current !== null) { openPlace(state.current); }
  }

  function changeText(c) {
    var field = c.field && fieldsByName[c.field] ? fieldsByName[c.field].label : c.field;
    if (c.what === "added") { return T("editor.change_added", { place: c.place }); }
    if (c.what === "removed") { return T("editor.change_removed", { place: c.place }); }
    return T("editor.change_field", { place: c.place, field: field, before: c.before, after: c.after });
  }

  function listInto(list, texts) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    texts.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
  }

  els.save.addEventListener("click", function () {
    say(T("editor.saving"));
    post("api/save", draft()).then(function (r) {
      if (r.status === 200) {
        els.conflict.hidden = true;
        adopt(r.json);
        say(T("editor.saved", { where: data.where }));
        check();
      } else if (r.status === 422) {
        state.problems = r.json.problems;
        var errors = showProblems();
        say(T("editor.refused", { count: errors }));
      } else if (r.status === 409) {
        listInto(els.conflictList, (r.json.conflict || []).map(changeText));
        els.conflict.hidden = false;
        say("");  // (the section says it, and takes the focus)
        els.conflict.focus();
      } else {
        say(T("editor.busy", { error: r.json.error || r.status }));
      }
    }).catch(failed);
  });

  els.rebase.addEventListener("click", function () {
    post("api/rebase", draft()).then(function (r) {
      if (r.status !== 200) { failed(r.json.error || r.status); return; }
      adopt(r.json);
      var clashes = (r.json.clashes || []).map(function (c) {
        var field = fieldsByName[c.field] ? fieldsByName[c.field].label : c.field;
        return T("editor.clash", { place: c.place, field: field, theirs: c.theirs, mine: c.mine });
      });
      listInto(els.conflictList, clashes);
      els.conflict.hidden = clashes.length === 0;
      say(T("editor.rebased"));
      els.save.focus();
      check();
    }).catch(failed);
  });

  window.addEventListener("beforeunload", function (event) {
    for (var i = 0; i < state.rows.length; i += 1) {
      if (isChanged(i)) { event.preventDefault(); event.returnValue = ""; return; }
    }
  });

  /* --- adding a place: the gazetteer search (a combobox) ------------------------------------- */

  function setPanel(open) {
    els.panel.hidden = !open;
    els.add.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { els.search.focus(); } else { closeResults(); }
  }

  els.add.addEventListener("click", function () { setPanel(els.panel.hidden); });
  $("add-close").addEventListener("click", function () { setPanel(false); els.add.focus(); });

  function closeResults() {
    els.results.hidden = true;
    els.search.setAttribute("aria-expanded", "false");
    els.search.removeAttribute("aria-activedescendant");
    state.active = -1;
  }

  function setActive(index) {
    var options = els.results.querySelectorAll("[role=option]");
    state.active = index;
    Array.prototype.forEach.call(options, function (o, i) {
      o.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      els.search.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  function showResults(found) {
    state.found = found;
    while (els.results.firstChild) { els.results.removeChild(els.results.firstChild); }
    found.forEach(function (c, i) {
      var li = document.createElement("li");
      li.id = "result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var also = c.matched !== c.name ? " (" + c.matched + ")" : "";
      li.textContent = c.name + also + ", " + c.country + " · " + c.population.toLocaleString(data.lang) + " · GeoNames " + c.geonames_id;
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { choose(i); });
      els.results.appendChild(li);
    });
    els.results.hidden = found.length === 0;
    els.search.setAttribute("aria-expanded", found.length ? "true" : "false");
    els.searchStatus.textContent = found.length ? T("editor.found", { count: found.length }) : T("editor.none_found");
    setActive(found.length ? 0 : -1);
  }

  function search() {
    var q = els.search.value.trim();
    if (q.length < 2) { closeResults(); els.searchStatus.textContent = ""; return; }
    var url = "api/search?q=" + encodeURIComponent(q) + "&kind=" + encodeURIComponent(els.kind.value);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (found) {
      if (els.search.value.trim() === q) { showResults(found); }
    }).catch(failed);
  }

  els.search.addEventListener("input", function () {
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(search, 150);
  });

  els.search.addEventListener("keydown", function (event) {
    var count = state.found.length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      if (els.results.hidden) { showResults(state.found); } else { setActive((state.active + 1) % count); }
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      setActive((state.active - 1 + count) % count);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!els.results.hidden && state.active >= 0) { choose(state.active); }
    } else if (event.key === "Escape") {
      if (!els.results.hidden) { event.preventDefault(); closeResults(); }
    }
  });

  function choose(index) {
    var c = state.found[index];
    var cells = {};
    data.header.forEach(function (name) { cells[name] = ""; });
    Object.keys(c.row).forEach(function (name) { cells[name] = c.row[name]; });
    cells.kind = els.kind.value;
    state.rows.push({ key: null, cells: cells });
    els.search.value = "";
    closeResults();
    setPanel(false);
    drawTable();
    openPlace(state.rows.length - 1);
    say(T("editor.chosen", { name: titleOf(state.rows.length - 1) }));
    check();
  }

  drawTable();
  check();
})();
