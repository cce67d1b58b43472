"""Scale benchmark: validate and build synthetic tables of 300, 3,000 and 30,000 places.

For each size a throw-away project (geo.toml, the basemap, the table of
:func:`benchmarks.synthetic.synthetic_table`) is made in a temporary folder. `geo validate` and
`geo build` run there as child processes, round-robin across sizes so that machine noise hits
all alike; every build starts without outputs, so it writes everything. Per run the script
records the wall time; the first round also builds each size once more for its memory (the
sampler reads every process's smaps_rollup every 20 ms, which takes CPU from the build: 1.1 s
of 7.6 s at 30,000 places on two cores, so no time is taken from those runs): the child's peak
resident memory (``os.wait4``'s rusage of that one process) and, sampled with psutil, the
peaks of two sums over it and its children (a large build draws its maps in forked
processes): of their RSS, which counts a page shared
copy-on-write after a fork once in every process that maps it, and of their PSS (proportional
set size: a shared page split between its sharers), the honest measure of all processes
together, which the memory goal is judged by. Then it loads the 30,000-place
map (``maps/sv.html``, served over HTTP on 127.0.0.1 with the project's layer files beside it)
in headless Chromium and records the time from
navigation to the first complete view (every shown layer clustered and drawn: the page sets
``data-geo-ready``) and the bytes it loaded; and, once, the time to fetch and draw the 30,000
connections when their layer is switched on.

Prints medians, the growth ratios between sizes and the goals of issue 6:

    .venv/bin/python benchmarks/scale.py [--runs 3] [--large-runs 1] [--loads 3]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_table  # noqa: E402
from tests import browser as harness  # noqa: E402

BIN = Path(sys.executable).parent
SIZES = (10000, 30000, 100000)
READY = """
window.__ready = null;
new MutationObserver(function (list, obs) {
  var map = document.querySelector('.geo-map');
  if (map && map.hasAttribute('data-geo-ready')) {
    window.__ready = performance.now(); obs.disconnect();
  }
}).observe(document, {attributes: true, childList: true, subtree: true});
"""


def make_project(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "geo.toml", folder / "geo.toml")
    (folder / "data").mkdir()
    (folder / "data" / "places.csv").write_bytes(synthetic_table(n))
    return folder


def tree_rss(pid: int, peak: list[float], stop: threading.Event) -> None:
    """Sample the summed RSS and the summed PSS (MB) of a process and its children (the
    forked map renderers) every 20 ms; keep the highest in `peak[0]` and `peak[1]`."""
    import psutil

    try:
        root = psutil.Process(pid)
        while not stop.is_set():
            rss = pss = 0
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    memory = proc.memory_full_info()  # PSS: /proc/<pid>/smaps_rollup
                    rss, pss = rss + memory.rss, pss + memory.pss
            peak[0] = max(peak[0], rss / 2**20)
            peak[1] = max(peak[1], pss / 2**20)
            stop.wait(0.02)
    except psutil.Error:
        pass


def run(
    cmd: list[str], cwd: Path, sample: bool = True, env: dict[str, str] | None = None
) -> tuple[float, float, float, float]:
    """Wall seconds, peak RSS (MB) of the process, and the peak sums of the RSS and of the PSS
    of it and its children (0 unless `sample`: reading every process's smaps_rollup every
    20 ms takes CPU from the build, ~1.1 s of 7.6 s at 30,000 places on two cores, so times
    are taken from runs without it)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    peak, stop = [0.0, 0.0], threading.Event()
    sampler = threading.Thread(target=tree_rss, args=(child.pid, peak, stop))
    if sample:
        sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stop.set()
    if sample:
        sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}: {child.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024.0, peak[0], peak[1]


def clean(project: Path) -> None:
    for name in ("maps", "data/layers"):
        shutil.rmtree(project / name, ignore_errors=True)


def sizes_of(project: Path) -> dict[str, int]:
    files = [*(project / "data" / "layers").glob("*.geojson"), *(project / "maps").rglob("*")]
    return {p.relative_to(project).as_posix(): p.stat().st_size for p in files if p.is_file()}


def load_map(browser, url: str) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(READY)
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.__ready !== null", timeout=60_000)
    ready = page.evaluate("window.__ready")
    context.close()
    return ready / 1000.0, sum(sizes)


def lines_on_demand(browser, url: str) -> float:
    """Seconds from switching the connections on to their canvas being drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(READY)
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.__ready !== null", timeout=60_000)
    canvases = page.locator(".geo-map canvas").count()
    start = time.perf_counter()
    page.locator("#geo-layers input[type=checkbox]").last.check()  # the connections
    page.wait_for_function(
        "(n) => document.querySelectorAll('.geo-map canvas').length > n",
        arg=canvases,
        timeout=120_000,
    )
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    seconds = time.perf_counter() - start
    context.close()
    return seconds


FOLIUM_TIMEOUT = 300.0  # seconds: a one-map Folium script of 100,000 places may take long


def folium_script(project: Path) -> list[str]:
    """The hand-written one-map Folium script of benchmarks/cold_build.py, for this project."""
    from benchmarks.cold_build import FOLIUM_SCRIPT

    script = project / "folium_script.py"
    script.write_text(FOLIUM_SCRIPT, encoding="utf-8")
    return [sys.executable, str(script), str(project / "data/layers"), str(project / "f.html")]


def timed_or_none(cmd: list[str], cwd: Path) -> float | None:
    start = time.perf_counter()
    try:
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, timeout=FOLIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def measure(sizes: list[int], runs: int, large_runs: int, loads: int, map_size: int) -> dict:
    """Round-robin runs of every size (validate, build from empty outputs, the Folium script,
    the import floor), then the map of `map_size` places in Chromium."""
    geo = str(BIN / "geo")
    floor = [sys.executable, "-c", "import geopandas, folium"]
    samples: dict[tuple[int | str, str], list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {n: make_project(Path(tmp) / str(n), n) for n in sizes}
        for project in projects.values():  # warm the file cache, check it works, make layers
            run([geo, "build"], project)
        scripts = {n: folium_script(p) for n, p in projects.items()}
        for i in range(max(runs, large_runs)):
            samples.setdefault(("floor", "s"), []).append(run(floor, ROOT)[0])
            for n, project in projects.items():
                if i >= (large_runs if n == sizes[-1] else runs):
                    continue
                for command in ("validate", "build"):
                    if command == "build":
                        clean(project)
                    seconds = run([geo, command], project, sample=False)[0]
                    samples.setdefault((n, command), []).append(seconds)
                    if command == "build" and i == 0:  # memory: a run of its own, sampled
                        clean(project)
                        _, mb, tree_mb, tree_pss = run([geo, command], project)
                        samples.setdefault((n, "build MB"), []).append(max(mb, tree_mb))
                        samples.setdefault((n, "build PSS"), []).append(tree_pss)
                if i == 0:  # once: it is slow, and only a yardstick
                    samples[(n, "folium")] = [timed_or_none(scripts[n], project)]
        outputs = {n: sizes_of(project) for n, project in projects.items()}
        found = {"samples": samples, "outputs": outputs, "views": [], "on_demand": 0.0}
        print("\n".join(report(found, sizes, 0)), file=sys.stderr)  # in case the browser fails
        from playwright.sync_api import sync_playwright

        shown = projects[map_size]
        with sync_playwright() as pw, harness.serve(shown) as url:
            browser = harness.launch(pw)
            views = [load_map(browser, url + "maps/sv.html") for _ in range(loads)]
            on_demand = lines_on_demand(browser, url + "maps/sv.html")
            browser.close()
    return {"samples": samples, "outputs": outputs, "views": views, "on_demand": on_demand}


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(found: dict, sizes: list[int], map_size: int) -> list[str]:
    samples, outputs = found["samples"], found["outputs"]
    med = {k: statistics.median(v) for k, v in samples.items() if None not in v}
    peak = {n: max(samples[(n, "build MB")]) for n in sizes}
    pss = {n: max(samples[(n, "build PSS")]) for n in sizes}
    floor = med[("floor", "s")]
    out = [
        f"{'places':>7} {'validate s':>10} {'build s':>8} {'/ floor':>8} {'folium s':>9} "
        f"{'/ folium':>9} {'RSS MB':>8} {'PSS MB':>8} {'layers MB':>10} {'maps MB':>8}",
    ]
    for n in sizes:
        build = med[(n, "build")]
        script = med.get((n, "folium"))
        layer_mb = sum(s for p, s in outputs[n].items() if p.startswith("data/")) / 1e6
        maps_mb = sum(s for p, s in outputs[n].items() if p.startswith("maps/")) / 1e6
        script_s = f"{script:9.2f}" if script else f"{'>' + str(int(FOLIUM_TIMEOUT)):>9}"
        ratio = (
            f"{build / script:9.2f}" if script else f"{'<' + f'{build / FOLIUM_TIMEOUT:.2f}':>9}"
        )
        out.append(
            f"{n:>7} {med[(n, 'validate')]:10.2f} {build:8.2f} {build / floor:8.1f} {script_s} "
            f"{ratio} {peak[n]:8.0f} {pss[n]:8.0f} {layer_mb:10.1f} {maps_mb:8.2f}"
        )
    out.append(f"import floor {floor:.2f} s (median); `geo build` validates too")
    out.append("RSS MB, PSS MB: the peak sums over the build and its forked children (RSS counts "
               "shared pages in each process; PSS splits them)")  # fmt: skip
    for a, b in itertools.pairwise(sizes):
        out.append(
            f"growth {a} -> {b} ({b / a:.0f}x places): time "
            f"{med[(b, 'build')] / med[(a, 'build')]:.2f}x, memory {pss[b] / pss[a]:.2f}x"
        )
    if not found["views"]:
        return out
    first = statistics.median(t for t, _ in found["views"])
    weight = statistics.median(w for _, w in found["views"])
    out.append(
        f"map of {map_size} places (maps/sv.html, {len(found['views'])} loads): first complete "
        f"view {first:.2f} s, {weight / 1e6:.2f} MB loaded before any interaction; "
        f"connections fetched and drawn on demand in {found['on_demand']:.2f} s"
    )
    goals = []
    if 30000 in sizes:
        goals.append(f"30,000 places built in {med[(30000, 'build')]:.2f} s <= 8 s: "
                     + verdict(med[(30000, "build")] <= 8.0))  # fmt: skip
    if 100000 in sizes:
        goals.append(f"100,000 places built in {med[(100000, 'build')]:.2f} s <= 25 s: "
                     + verdict(med[(100000, "build")] <= 25.0))  # fmt: skip
        goals.append(f"peak memory at 100,000 (all processes, PSS) {pss[100000]:.0f} MB "
                     f"(RSS sum {peak[100000]:.0f} MB) <= 1536 MB: "
                     + verdict(pss[100000] <= 1536))  # fmt: skip
    if 10000 in sizes and 100000 in sizes:
        growth = med[(100000, "build")] / med[(10000, "build")]
        goals.append(f"growth 10,000 -> 100,000 {growth:.2f}x <= 11x: " + verdict(growth <= 11))
    goals.append(f"map weight before interaction {weight / 1e6:.2f} MB <= 5 MB: "
                 + verdict(weight <= 5e6))  # fmt: skip
    goals.append(f"first complete view {first:.2f} s <= 2 s: " + verdict(first <= 2.0))
    return [*out, "goals (issue 14):", *("  " + g for g in goals)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the smaller sizes")
    parser.add_argument("--large-runs", type=int, default=1, help="runs of the largest size")
    parser.add_argument("--loads", type=int, default=3, help="loads of the map")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--map-size", type=int, default=30000, help="the map loaded")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    if args.map_size not in sizes:  # (its table is built with the others)
        parser.error(f"--map-size {args.map_size}: expected one of --sizes ({sizes})")
    before = os.getloadavg()[0]
    found = measure(sizes, args.runs, args.large_runs, args.loads, args.map_size)
    print(f"scale (runs: {args.runs}; {sizes[-1]}: {args.large_runs}; load average "
          f"{before:.1f} -> {os.getloadavg()[0]:.1f})")  # fmt: skip
    print("\n".join(report(found, sizes, args.map_size)))


if __name__ == "__main__":
    main()
