"""What a person sees on a map page, measured in the browser (boxes, hits, overlaps)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

WCAG22 = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
READY = "document.querySelector('.geo-map[data-geo-ready]') !== null"
# The page's Leaflet map, found by the name in its data block.
MAP = "window[JSON.parse(document.getElementById('geo-data').textContent).names.map]"

# Each marker's centre: does the element there belong to that marker?
HITS = """() => [...document.querySelectorAll('.geo-marker')].map(m => {
  const b = m.getBoundingClientRect(), x = b.left + b.width / 2, y = b.top + b.height / 2;
  const hit = document.elementFromPoint(x, y);
  const owner = hit && hit.closest('.geo-marker');
  const other = hit ? hit.className.baseVal ?? hit.className : null;
  return [m.dataset.place, owner ? owner.dataset.place : other];
}).filter(([want, got]) => want !== got)"""

BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .filter(e => !e.hidden && e.offsetParent !== null)
  .map(e => { const b = e.getBoundingClientRect();
              return {x: b.left, y: b.top, w: b.width, h: b.height, text: e.textContent}; })"""

MAP_BOX = """() => { const b = document.querySelector('.geo-map').getBoundingClientRect();
  return {x: b.left, y: b.top, w: b.width, h: b.height}; }"""


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    """The files of a maps folder (path -> bytes) written into `folder`."""
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def inside(box: dict[str, Any], area: dict[str, Any], slack: float = 0.5) -> bool:
    return (
        box["x"] >= area["x"] - slack
        and box["y"] >= area["y"] - slack
        and box["x"] + box["w"] <= area["x"] + area["w"] + slack
        and box["y"] + box["h"] <= area["y"] + area["h"] + slack
    )


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    )


def boxes(page, selector: str) -> list[dict[str, Any]]:
    return page.evaluate(BOXES, selector)


def settle(page) -> None:
    """Wait until the layout that follows a move has run (two animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def shoot(page, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    return path


STILL = """async ([selector, frames, ms]) => {
  const box = () => { const b = document.querySelector(selector).getBoundingClientRect();
                      return [b.left, b.top, b.width, b.height].join(); };
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const end = performance.now() + ms;
  let last = box(), same = 0;
  while (same < frames) {
    if (performance.now() > end) throw new Error(`${selector} still moving after ${ms} ms`);
    await frame();
    const now = box();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}"""


def still(page, selector: str = ".leaflet-popup", timeout: float = 10.0) -> None:
    """Wait until `selector` stops moving (a popup's auto-pan is animated): the same box over
    three animation frames in a row; fails if it still moves after `timeout` seconds."""
    page.evaluate(STILL, [selector, 3, timeout * 1000])


# The outlines' canvas of a view at a place on the Earth: [r, g, b, alpha] (alpha 0: no land
# drawn there, the view's sea shows). Only the outlines' own canvas is read: no symbol, line or
# name can hide what it says.
CANVAS = """([view, lat, lon]) => {
  const map = geo.views()[view], canvas = map.getPane('geo-basemap').querySelector('canvas');
  const at = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect(), c = canvas.getBoundingClientRect();
  const x = (at.x + box.left - c.left) * canvas.width / c.width;
  const y = (at.y + box.top - c.top) * canvas.height / c.height;
  return [...canvas.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data];
}"""


def assert_outlines(page, view: str, points) -> None:
    """The outlines' canvas of `view` shows land (the page's land colour) or sea (nothing drawn)
    at each ((lat, lon), "land" | "sea") of `points`."""
    colours = page.evaluate("JSON.parse(document.getElementById('geo-data').textContent).colours")
    land = tuple(int(colours["land"][i : i + 2], 16) for i in (1, 3, 5))
    for (lat, lon), kind in points:
        r, g, b, alpha = page.evaluate(CANVAS, [view, lat, lon])
        if kind == "sea":
            assert alpha == 0, (view, lat, lon, "land drawn at sea")
        else:
            off = max(abs(x - y) for x, y in zip((r, g, b), land, strict=True))
            assert alpha == 255 and off <= 3, (view, lat, lon, "no land", (r, g, b, alpha))


# [lat, lon, degrees of longitude per pixel] at fractions `at` of a view's width and height
SPOTS = """([view, at]) => {
  const map = geo.views()[view], s = map.getSize(), out = [];
  const perPixel = 360 / map.options.crs.scale(map.getZoom());
  for (const fx of at) for (const fy of at) {
    const p = map.containerPointToLatLng([fx * s.x, fy * s.y]); out.push([p.lat, p.lng, perPixel]);
  }
  return out;
}"""


@functools.cache
def natural_earth():  # the shipped 1:110m outlines: the land as one shape, every outline's line
    import shapely
    from shapely.geometry import shape

    from geo.io.basemap import read_basemap

    shapes = [shapely.make_valid(shape(f["geometry"])) for f in read_basemap(None)["features"]]
    return shapely.union_all(shapes), shapely.union_all([s.boundary for s in shapes])


def land_or_sea(lat: float, lon: float, per_pixel: float = 0.0) -> str | None:
    """ "land" or "sea" at a point by the 1:110m outlines themselves; None within 0.3 degree or
    three pixels (`per_pixel`: degrees of longitude a pixel) of a coast or border, where the
    page's 0.1 degree grid and its strokes may colour the point."""
    import shapely

    (land, lines), point = natural_earth(), shapely.Point((lon + 180) % 360 - 180, lat)
    if point.distance(lines) < max(0.3, 3 * per_pixel):
        return None
    return "land" if land.covers(point) else "sea"
