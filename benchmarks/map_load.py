"""Map load benchmark on a throttled phone: the first complete view against a bare Leaflet page.

Builds the default maps into a temporary folder, serves it on 127.0.0.1, and loads in the same
run, interleaved, our Swedish page (``sv.html``) and a bare Leaflet page served from the same
folder: the same local Leaflet, the same 14 places as plain ``divIcon`` markers, fitted to them.
Every load is a fresh browser context with the phone profile of issue 20, set through the
DevTools protocol: 4x CPU slowdown, 1.6 Mbit/s down (750 kbit/s up), 150 ms latency, a 360 x 740
viewport, cache off.

The *first complete view* is the same event for both pages: the first frame painted once the page
shows everything of its first view. Checked at every animation frame: our page's map box says it
is complete (``data-geo-ready``: every place laid out in its final place, names written;
``data-geo-outlines``: the country outlines drawn, in both views); the bare page holds its 14
markers. The time taken is the next animation frame's, i.e. after that frame's layout, paint and
canvas drawing (Leaflet draws canvas paths in an animation frame). Also counted: every byte and
request the page loads until it is complete and the network is idle (later requests it makes by
itself, such as the gesture plugin, included). Goals: first complete view <= 1.2x the bare page;
<= 350 KB; <= 6 requests.

``--compare DIR`` loads the same page from another built maps folder too (e.g. the maps of
main), in the same rounds, so that before and after are measured on the same machine load.
``--gzip`` adds a second server that compresses (gzip level 6, as most web servers' default)
every file it sends, to both pages alike: its figures are printed as rows of their own, beside
the raw server's, never instead of them. ``--breakdown`` prints where the time goes.

    .venv/bin/python benchmarks/map_load.py [--loads 9] [--page sv.html] [--compare DIR]
        [--gzip] [--breakdown]
"""

from __future__ import annotations

import argparse
import gzip
import json
import mimetypes
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

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
GZIP_LEVEL = 6
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
# When the page is complete (see the module's docstring), and on the way there: when the map box
# said it had laid out its places and drawn its outlines, and the main thread's long tasks.
OBSERVER = """
window.__geo = {long: []};
(function () {
  var marks = window.__geo;
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { marks.long.push([e.startTime, e.duration]); });
    }).observe({type: "longtask", buffered: true});
  } catch (e) { /* no long tasks in this browser */ }
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      var name = c.attributeName.replace("data-geo-", "");
      if (!(name in marks)) { marks[name] = performance.now(); }
    });
  }).observe(document, {attributes: true, subtree: true,
                        attributeFilter: ["data-geo-ready", "data-geo-outlines"]});
  (function check() {
    var box = document.querySelector(".geo-map");
    var done = box ? box.hasAttribute("data-geo-ready") && box.hasAttribute("data-geo-outlines")
                   : document.querySelectorAll(".leaflet-marker-icon").length >= %d;
    if (!done) { requestAnimationFrame(check); return; }
    requestAnimationFrame(function () { marks.complete = performance.now(); });
  })();
})();
"""
TIMINGS = """() => {
  const m = window.__geo, nav = performance.getEntriesByType("navigation")[0];
  const end = name => performance.getEntriesByType("resource")
    .filter(e => e.name.endsWith("/" + name)).map(e => e.responseEnd)[0] ?? null;
  return {complete: m.complete, ready: m.ready ?? null, outlines: m.outlines ?? null,
          html: nav.responseEnd, leaflet: end("leaflet.js"), basemap: end("basemap.js"),
          busy: m.long.filter(([s]) => s < m.complete).reduce((a, [, d]) => a + d, 0)};
}"""


class Compressing(harness.QuietHandler):
    """Sends each file gzip-compressed (level GZIP_LEVEL) to a browser that accepts it."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "text/plain")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def load(browser, url: str, markers: int) -> dict[str, float]:
    """One throttled load: ms to the first complete view and on the way, requests, bytes."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.add_init_script(OBSERVER % markers)
    sizes: list[int] = []
    pending: set[Any] = set()
    page.on("request", lambda r: pending.add(r))
    page.on("requestfailed", lambda r: pending.discard(r))
    page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
    page.on("requestfinished", lambda r: pending.discard(r))
    page.goto(url, wait_until="load", timeout=120_000)
    # polled through the DevTools protocol: the page's CSP refuses Playwright's in-page polling
    harness.wait_until(page, "window.__geo.complete !== undefined", timeout=120.0)
    timings = page.evaluate(TIMINGS)
    quiet = 0  # then until no request has been open for a second (what it loads by itself)
    while quiet < 1000:
        page.wait_for_timeout(100)
        quiet = 0 if pending else quiet + 100
    context.close()
    return {**timings, "requests": len(sizes), "bytes": sum(sizes)}


def build(folder: Path, source: Path | None, compare: Path | None) -> int:
    """The maps (built now, or copied from `source`), the bare page, and `compare` in before/."""
    settings = geo.read_settings(ROOT / "geo.toml")
    names = ("office", "partner_cities", "friendship_towns", "connections", "all")
    layers = {n: json.loads((ROOT / "data/layers" / f"{n}.geojson").read_bytes()) for n in names}
    points = [
        [f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]]
        for n in names[:3]
        for f in layers[n]["features"]
    ]
    if source:
        shutil.copytree(source, folder, dirs_exist_ok=True)
    else:
        for name, data in render_maps(layers, settings).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    if compare:
        shutil.copytree(compare, folder / "before")
    (folder / "bare.html").write_text(BARE % json.dumps(points), encoding="utf-8")
    return len(points)


def median(runs: list[dict[str, float]], key: str) -> float:
    values = [r[key] for r in runs if r[key] is not None]
    return statistics.median(values) if values else float("nan")


def report(title: str, results: dict[str, list[dict[str, float]]], breakdown: bool) -> None:
    bare = median(results["bare"], "complete")
    print(title)
    for name, runs in results.items():
        first, complete = runs[0], median(runs, "complete")
        spread = f"{min(r['complete'] for r in runs):.0f}-{max(r['complete'] for r in runs):.0f}"
        print(
            f"  {name:<7} {first['bytes'] / 1024:7.1f} KB {first['requests']:3d} requests"
            f"  complete {complete:7.1f} ms ({spread})  ratio {complete / bare:5.2f}x"
        )
        if breakdown:
            print(
                "          received: HTML {:.0f}, leaflet.js {:.0f}, basemap.js {:.0f};"
                " places laid out {:.0f}, outlines drawn {:.0f} ms;"
                " main thread in long tasks {:.0f} ms".format(
                    *(
                        median(runs, k)
                        for k in ("html", "leaflet", "basemap", "ready", "outlines", "busy")
                    )
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--page", default="sv.html", help="the map page to load")
    parser.add_argument("--folder", type=Path, help="a maps folder built already (to measure)")
    parser.add_argument("--compare", type=Path, help="another maps folder, measured alongside")
    parser.add_argument("--gzip", action="store_true", help="also through a compressing server")
    parser.add_argument("--breakdown", action="store_true", help="print where the time goes")
    args = parser.parse_args()
    pages = {"map": args.page, "bare": "bare.html"}
    if args.compare:
        pages = {"map": args.page, "before": f"before/{args.page}", "bare": "bare.html"}
    servers = {"raw": harness.QuietHandler, **({"gzip": Compressing} if args.gzip else {})}
    results = {s: {name: [] for name in pages} for s in servers}
    load_average = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        markers = build(folder, args.folder, args.compare)
        browser = harness.launch(pw)
        with harness.serve(folder) as raw, harness.serve(folder, Compressing) as compressing:
            urls = {"raw": raw, "gzip": compressing}
            load(browser, raw + "bare.html", markers)  # a first load warms the server
            for _ in range(args.loads):  # interleaved, so all see the same machine load
                for server in servers:
                    for name, page in pages.items():
                        run = load(browser, urls[server] + page, markers)
                        results[server][name].append(run)
        browser.close()
    load_average.append(os.getloadavg()[0])
    print(
        f"{args.page} on a throttled phone ({CPU_SLOWDOWN}x CPU, 1.6 Mbit/s, 150 ms, "
        f"{PHONE['width']} x {PHONE['height']}, cache off), {args.loads} loads each, interleaved, "
        f"medians; load average {load_average[0]:.1f} at the start, "
        f"{load_average[1]:.1f} at the end"
    )
    print("  goals: <= 350 KB, <= 6 requests, first complete view <= 1.2x the bare page")
    report("server sending files as they are:", results["raw"], args.breakdown)
    if args.gzip:
        report(f"server compressing every file (gzip -{GZIP_LEVEL}):", results["gzip"], False)


if __name__ == "__main__":
    main()
