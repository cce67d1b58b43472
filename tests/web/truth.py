"""What a visitor sees of the map's truth, measured in the browser (issue 20): for every place
drawn in the first view, its symbol's centre against the view's own projection of its
coordinates, its box against its view, and what covers it; the names, the key, the tools."""

from __future__ import annotations

from pathlib import Path

import geo
from geo.web import render
from tests.web.seeing import inside, overlap, write_files

# Full pages at these widths (height: a common screen of that width) and embeds at these sizes.
PAGES = [(320, 640), (360, 740), (768, 1024), (1280, 800), (1920, 1080)]
EMBEDS = [(300, 225), (360, 270), (480, 360), (640, 480), (1000, 750)]

# Every place drawn in a view: id, the view, its symbol's box, the true point as the view projects
# the place's coordinates, and what the browser finds at five points of the symbol.
PLACES = """(truth) => {
  const views = geo.views(), out = [];
  for (const [name, map] of Object.entries(views)) {
    if (!map) continue;
    const box = map.getContainer(), area = box.getBoundingClientRect();
    for (const el of box.querySelectorAll('.geo-marker')) {
      if (el.classList.contains('geo-off') || !el.offsetParent) continue;
      const p = {id: el.dataset.place};
      const b = el.getBoundingClientRect(), t = map.latLngToContainerPoint(truth[p.id]);
      const probe = [[.5, .5], [.3, .3], [.7, .3], [.3, .7], [.7, .7]].map(([fx, fy]) => {
        const hit = document.elementFromPoint(b.left + fx * b.width, b.top + fy * b.height);
        return !!hit && hit.closest('.geo-marker') === el;
      });
      out.push({id: p.id, view: name, x: b.left, y: b.top, w: b.width, h: b.height,
        cx: b.left + b.width / 2, cy: b.top + b.height / 2,
        tx: area.left + t.x, ty: area.top + t.y, seen: probe,
        area: {x: area.left, y: area.top, w: area.width, h: area.height}});
    }
  }
  return out;
}"""

# Visible names on the views, with whether a word of theirs is broken across lines.
NAMES = """() => [...document.querySelectorAll('.geo-label')].filter(e => !e.hidden).map(e => {
  const b = e.getBoundingClientRect(), text = e.firstChild, words = [];
  let at = 0;
  for (const word of e.textContent.split(' ')) {
    const r = document.createRange();
    r.setStart(text, at); r.setEnd(text, at + word.length);
    words.push(new Set([...r.getClientRects()].map(q => Math.round(q.top))).size);
    at += word.length + 1;
  }
  return {x: b.left, y: b.top, w: b.width, h: b.height, text: e.textContent,
    home: e.classList.contains('geo-home-label'), broken: words.some(n => n > 1),
    view: e.closest('.geo-world') ? 'world' : 'near'};
})"""

BOX = """(s) => [...document.querySelectorAll(s)].filter(e => !e.hidden && e.offsetParent)
  .map(e => { const b = e.getBoundingClientRect();
              return {x: b.left, y: b.top, w: b.width, h: b.height}; })"""


def true_points(layers: dict) -> dict[str, list[float]]:
    """Each place's [lat, lon] from the layers, its longitude within half a turn of home's (as
    the map is centred on home): the truth to measure the map against, not the page's data."""
    home = next(iter(layers["office"]["features"]))["geometry"]["coordinates"][0]
    out = {}
    for name in ("office", "partner_cities", "friendship_towns"):
        for f in layers[name]["features"]:
            lon, lat = f["geometry"]["coordinates"][:2]
            lon += 360.0 * round((home - lon) / 360.0)
            out[str(f["id"])] = [lat, lon]
    return out


def untruths(page, home: str, truth: dict[str, list[float]]) -> list[str]:
    """Everything the first view gets wrong, in words (empty: the view tells the truth)."""
    wrong = []
    places = page.evaluate(PLACES, truth)
    names = page.evaluate(NAMES)
    missing = sorted(set(truth) - {p["id"] for p in places})
    if missing:
        wrong.append(f"not drawn in any view: {missing}")
    for p in places:
        off = ((p["cx"] - p["tx"]) ** 2 + (p["cy"] - p["ty"]) ** 2) ** 0.5
        if off > p["w"]:
            wrong.append(f"{p['id']} ({p['view']}): {off:.1f} px from its point, symbol {p['w']}")
        if not inside(p, p["area"]):
            wrong.append(f"{p['id']} ({p['view']}): outside its view")
        if not all(p["seen"]):
            wrong.append(f"{p['id']} ({p['view']}): covered at {p['seen']}")
    for i, a in enumerate(places):
        for b in places[i + 1 :]:
            if a["view"] == b["view"] and overlap(a, b):
                wrong.append(f"{a['id']} and {b['id']} ({a['view']}) overlap")
    for i, n in enumerate(names):
        if n["broken"]:
            wrong.append(f"name {n['text']!r} broken inside a word")
        for p in places:
            if overlap(n, p):
                wrong.append(f"name {n['text']!r} covers {p['id']}")
        for m in names[i + 1 :]:
            if overlap(n, m):
                wrong.append(f"names {n['text']!r} and {m['text']!r} overlap")
    homes = [n for n in names if n["home"]]
    if [n["text"] for n in homes] != [home]:
        wrong.append(f"the home city is named {[n['text'] for n in homes]}, not [{home!r}]")
    views = page.evaluate(BOX, ".geo-panels > .leaflet-container")
    for selector in (".geo-tools", ".geo-under", ".geo-layers"):
        for box in page.evaluate(BOX, selector):
            if any(overlap(box, v) for v in views):
                wrong.append(f"{selector} lies over a view")
    return wrong


def write_maps(folder: Path, settings: geo.Settings, layers: dict | None = None) -> Path:
    if layers is None:
        layers = geo.build_layers(geo.read_places(settings))
    return write_files(folder, render.render_maps(layers, settings))
