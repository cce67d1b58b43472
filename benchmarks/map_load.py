"""Map load benchmark: bytes, requests and time until every marker is drawn, against bare Leaflet.

Builds the default maps into a temporary folder, serves it on 127.0.0.1 and loads, in the same
run and the same way, our Swedish page and a bare Leaflet page (the same local Leaflet, one
marker). Prints the medians and the ratios. Goals: at most 350 KB and 6 requests; time to draw
at most 1.5 times the bare page.

    .venv/bin/python benchmarks/map_load.py [--loads 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geo  # noqa: E402
from geo.web.render import render_maps  # noqa: E402
from tests import browser as harness  # noqa: E402

BARE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title>
<link rel="stylesheet" href="assets/leaflet.css"><script src="assets/leaflet.js"></script>
</head><body><div id="map" style="height:600px"></div><script>
var map = L.map("map").setView([57.7, 11.97], 3);
L.marker([57.7, 11.97], {icon: L.divIcon({className: "m"})}).addTo(map);
</script></body></html>
"""
# Records when the page first holds `n` markers, from the start of navigation.
OBSERVER = """
window.__drawn = null;
new MutationObserver(function (list, obs) {
  if (document.querySelectorAll('.leaflet-marker-icon').length >= %d) {
    window.__drawn = performance.now(); obs.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def load(browser, url: str, markers: int) -> tuple[float, int, int]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(OBSERVER % markers)
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.__drawn !== null")
    drawn = page.evaluate("window.__drawn")
    page.wait_for_load_state("networkidle")
    context.close()
    return drawn, len(sizes), sum(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    settings = geo.read_settings(ROOT / "geo.toml")
    names = ("office", "partner_cities", "friendship_towns", "connections", "all")
    layers = {n: json.loads((ROOT / "data/layers" / f"{n}.geojson").read_bytes()) for n in names}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        for name, data in render_maps(layers, settings).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        (folder / "bare.html").write_text(BARE, encoding="utf-8")
        markers = sum(len(layers[n]["features"]) for n in names[:3])
        browser = harness.launch(pw)
        results: dict[str, list[tuple[float, int, int]]] = {"map": [], "bare": []}
        with harness.serve(folder) as url:
            for _ in range(args.loads):  # interleaved, so both see the same machine load
                results["map"].append(load(browser, url + "sv.html", markers))
                results["bare"].append(load(browser, url + "bare.html", 1))
        browser.close()
    med = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
    _, requests, size = results["map"][0]
    _, bare_requests, bare_size = results["bare"][0]
    print(f"default page (sv.html), {args.loads} loads each, medians")
    print(
        f"  bytes      {size / 1024:8.1f} KB  (bare Leaflet {bare_size / 1024:.1f} KB)"
        "  goal <= 350 KB"
    )
    print(f"  requests   {requests:8d}     (bare Leaflet {bare_requests})  goal <= 6")
    print(f"  drawn      {med['map']:8.1f} ms  (bare Leaflet {med['bare']:.1f} ms)")
    print(f"  ratio      {med['map'] / med['bare']:8.2f}x    goal <= 1.5x")


if __name__ == "__main__":
    main()
