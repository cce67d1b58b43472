"""What a person sees on a map page, measured in the browser (boxes, hits, overlaps)."""

from __future__ import annotations

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
