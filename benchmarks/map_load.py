"""Map load benchmark on a throttled phone: the first complete view against a bare Leaflet page.

Builds the default maps into a temporary folder, serves it on 127.0.0.1, and loads in the same
run, interleaved, our Swedish page (``sv.html``) and a bare Leaflet page served from the same
folder: the same local Leaflet, the same 14 places as plain ``divIcon`` markers, fitted to them.
Every load is a fresh browser context with the phone profile of issue 20, set through the
DevTools protocol: 4x CPU slowdown, 1.6 Mbit/s down (750 kbit/s up), 150 ms latency, a 360 x 740
viewport, cache off.

The *first complete view* is the time from the start of navigation until the page's map says it
is complete: every place laid out in its final place and the country outlines drawn (our page
sets ``data-geo-ready`` and ``data-geo-outlines`` on its map box); for the bare page, until its
14 markers are in the document. Also counted: every byte and request the page loads until it is
complete and the network is idle (later requests it makes by itself, such as the finer outlines,
included). Goals: first complete view <= 1.2x the bare page; <= 350 KB; <= 6 requests.

    .venv/bin/python benchmarks/map_load.py [--loads 7] [--page sv.html]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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

PHONE = {"width": 360, "height": 740}
CPU_SLOWDOWN = 4
NETWORK = {
    "offline": False,
    "latency": 150,  # ms
    "downloadThroughput": 1.6e6 / 8,  # bytes/s
    "uploadThroughput": 750e3 / 8,
}
BARE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Bare</title>
<link rel="stylesheet" href="assets/leaflet.css"><script src="assets/leaflet.js"></script>
</head><body style="margin:0"><div id="map" style="height:100vh"></div><script>
var places = %s;
var map = L.map("map");
places.forEach(function (p) { L.marker(p, {icon: L.divIcon({className: "m"})}).addTo(map); });
map.fitBounds(places);
</script></body></html>
"""
# When the page is complete: our map box says so; the bare page holds all its markers.
OBSERVER = """
window.__complete = null;
(function check() {
  var box = document.querySelector('.geo-map');
  var done = box ? box.hasAttribute('data-geo-ready') && box.hasAttribute('data-geo-outlines')
                 : document.querySelectorAll('.leaflet-marker-icon').length >= %d;
  if (done) { window.__complete = performance.now(); } else { requestAnimationFrame(check); }
})();
"""


def load(browser, url: str, markers: int) -> tuple[float, int, int]:
    """One throttled load: (ms to the first complete view, requests, bytes)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.add_init_script(OBSERVER % markers)
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
    page.goto(url, wait_until="load", timeout=120_000)
    # polled through the DevTools protocol: the page's CSP refuses Playwright's in-page polling
    harness.wait_until(page, "window.__complete !== null", timeout=120.0)
    complete = float(page.evaluate("window.__complete"))
    page.wait_for_load_state("networkidle", timeout=120_000)
    context.close()
    return complete, len(sizes), sum(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--page", default="sv.html", help="the map page to load")
    parser.add_argument("--folder", type=Path, help="a maps folder built already (to compare)")
    args = parser.parse_args()
    settings = geo.read_settings(ROOT / "geo.toml")
    names = ("office", "partner_cities", "friendship_towns", "connections", "all")
    layers = {n: json.loads((ROOT / "data/layers" / f"{n}.geojson").read_bytes()) for n in names}
    points = [
        [f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]]
        for n in names[:3]
        for f in layers[n]["features"]
    ]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        if args.folder:
            shutil.copytree(args.folder, folder, dirs_exist_ok=True)
        else:
            for name, data in render_maps(layers, settings).items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
        (folder / "bare.html").write_text(BARE % json.dumps(points), encoding="utf-8")
        browser = harness.launch(pw)
        results: dict[str, list[tuple[float, int, int]]] = {"map": [], "bare": []}
        with harness.serve(folder) as url:
            load(browser, url + "bare.html", len(points))  # a first load warms the server
            for _ in range(args.loads):  # interleaved, so both see the same machine load
                results["map"].append(load(browser, url + args.page, len(points)))
                results["bare"].append(load(browser, url + "bare.html", len(points)))
        browser.close()
    med = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
    _, requests, size = results["map"][0]
    _, bare_requests, bare_size = results["bare"][0]
    print(
        f"{args.page} on a throttled phone ({CPU_SLOWDOWN}x CPU, 1.6 Mbit/s, 150 ms, "
        f"{PHONE['width']} x {PHONE['height']}, cache off), {args.loads} loads each, medians; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  bytes      {size / 1024:8.1f} KB  (bare Leaflet {bare_size / 1024:.1f} KB)"
        "  goal <= 350 KB"
    )
    print(f"  requests   {requests:8d}     (bare Leaflet {bare_requests})  goal <= 6")
    print(f"  complete   {med['map']:8.1f} ms  (bare Leaflet {med['bare']:.1f} ms)")
    print(f"  ratio      {med['map'] / med['bare']:8.2f}x    goal <= 1.2x")
    spread = {k: (min(r[0] for r in v), max(r[0] for r in v)) for k, v in results.items()}
    print(
        f"  range      map {spread['map'][0]:.0f}-{spread['map'][1]:.0f} ms, "
        f"bare {spread['bare'][0]:.0f}-{spread['bare'][1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
