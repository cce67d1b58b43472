"""Scale benchmark: validate and build synthetic tables of 300, 3,000 and 30,000 places.

For each size a throw-away project (geo.toml, the basemap, the table of
:func:`benchmarks.synthetic.synthetic_table`) is made in a temporary folder. `geo validate` and
`geo build` run there as child processes, round-robin across sizes so that machine noise hits
all alike; every build starts without outputs, so it writes everything. Per run the script
records the wall time and the child's peak resident memory (``os.wait4``'s rusage of that one
process) and, sampled every 20 ms with psutil, the peak of its RSS and its children's together
(a large build draws its print map in a forked second process). Then it loads the 30,000-place
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
SIZES = (300, 3000, 30000)
GOALS = {"seconds": 15.0, "memory_mb": 1536.0, "growth": 12.0, "first_view_s": 3.0}
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
    """Sample the summed RSS (MB) of a process and its children (the forked print-map
    renderer) every 20 ms; keep the highest in `peak[0]`."""
    import psutil

    try:
        root = psutil.Process(pid)
        while not stop.is_set():
            total = 0
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            peak[0] = max(peak[0], total / 2**20)
            stop.wait(0.02)
    except psutil.Error:
        pass


def run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) of the process, peak RSS of it and its children together."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, stop = [0.0], threading.Event()
    sampler = threading.Thread(target=tree_rss, args=(child.pid, peak, stop))
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}: {child.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024.0, peak[0]


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
    page.wait_for_function("window.__ready !== null", timeout=60_000)
    ready = page.evaluate("window.__ready")
    context.close()
    return ready / 1000.0, sum(sizes)


def lines_on_demand(browser, url: str) -> float:
    """Seconds from switching the connections on to their canvas being drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(READY)
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__ready !== null", timeout=60_000)
    canvases = page.locator(".geo-map canvas").count()
    start = time.perf_counter()
    page.locator("#geo-layers input[type=checkbox]").last.check()  # the connections
    page.wait_for_function(
        f"document.querySelectorAll('.geo-map canvas').length > {canvases}", timeout=120_000
    )
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the smaller sizes")
    parser.add_argument("--large-runs", type=int, default=1, help="runs of the largest size")
    parser.add_argument("--loads", type=int, default=3, help="loads of the 30,000-place map")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    geo = str(BIN / "geo")
    times: dict[tuple[int, str], list[float]] = {}
    memory: dict[tuple[int, str], list[float]] = {}
    tree: dict[tuple[int, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {n: make_project(Path(tmp) / str(n), n) for n in sizes}
        for project in projects.values():  # warm the file cache and check it works
            run([geo, "validate"], project)
        for i in range(max(args.runs, args.large_runs)):
            for n, project in projects.items():
                if i >= (args.large_runs if n == sizes[-1] else args.runs):
                    continue
                for command in ("validate", "build"):
                    if command == "build":
                        clean(project)
                    seconds, mb, tree_mb = run([geo, command], project)
                    times.setdefault((n, command), []).append(seconds)
                    memory.setdefault((n, command), []).append(mb)
                    tree.setdefault((n, command), []).append(tree_mb)
        outputs = {n: sizes_of(project) for n, project in projects.items()}

        largest = projects[sizes[-1]]
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw, harness.serve(largest) as url:
            browser = harness.launch(pw)
            loads = [load_map(browser, url + "maps/sv.html") for _ in range(args.loads)]
            on_demand = lines_on_demand(browser, url + "maps/sv.html")
            browser.close()

    print(
        f"geo validate / geo build, whole process "
        f"(runs: {args.runs}; {sizes[-1]}: {args.large_runs})"
    )
    print(f"{'places':>7} {'validate s':>10} {'build s':>8} {'sum s':>7} {'build MB':>9} "
          f"{'+worker MB':>10} {'layers MB':>10} {'maps MB':>8}")  # fmt: skip
    med = {key: statistics.median(v) for key, v in times.items()}
    mem = {key: max(v) for key, v in memory.items()}
    both = {key: max(v) for key, v in tree.items()}
    for n in sizes:
        layer_mb = sum(s for p, s in outputs[n].items() if p.startswith("data/")) / 1e6
        maps_mb = sum(s for p, s in outputs[n].items() if p.startswith("maps/")) / 1e6
        print(
            f"{n:>7} {med[(n, 'validate')]:10.2f} {med[(n, 'build')]:8.2f} "
            f"{med[(n, 'validate')] + med[(n, 'build')]:7.2f} {mem[(n, 'build')]:9.0f} "
            f"{both[(n, 'build')]:10.0f} "
            f"{layer_mb:10.1f} {maps_mb:8.2f}"
        )
    print("growth (build time, build memory, layer bytes)")
    for a, b in itertools.pairwise(sizes):
        size_a = sum(outputs[a].values())
        size_b = sum(outputs[b].values())
        print(
            f"  {a} -> {b} ({b / a:.0f}x places): "
            f"time {med[(b, 'build')] / med[(a, 'build')]:.2f}x, "
            f"memory {mem[(b, 'build')] / mem[(a, 'build')]:.2f}x, bytes {size_b / size_a:.2f}x"
        )
    big = sizes[-1]
    largest_files = sorted(outputs[big].items(), key=lambda kv: -kv[1])[:4]
    print(
        "largest outputs at", big, ":", ", ".join(f"{p} {s / 1e6:.1f} MB" for p, s in largest_files)
    )
    first = statistics.median(t for t, _ in loads)
    weight = loads[0][1]
    print(f"map at {big} places (maps/sv.html, {args.loads} loads, median)")
    print(f"  first complete view  {first:6.2f} s   goal <= {GOALS['first_view_s']:.0f} s")
    print(f"  page weight          {weight / 1e6:6.2f} MB (connections not loaded until shown)")
    print(f"  connections on       {on_demand:6.2f} s to fetch and draw")
    growth = med[(big, "build")] / med[(sizes[-2], "build")] if len(sizes) > 1 else 0.0
    total = med[(big, "validate")] + med[(big, "build")]
    print("goals")
    print(
        f"  geo build at {big} (validates too) {med[(big, 'build')]:.2f} s "
        f"<= {GOALS['seconds']:.0f} s: "
        f"{'met' if med[(big, 'build')] <= GOALS['seconds'] else 'MISSED'}; "
        f"validate + build {total:.2f} s: {'met' if total <= GOALS['seconds'] else 'MISSED'}"
    )
    peak = max(mem[(big, "build")], both[(big, "build")])
    print(
        f"  peak memory {peak:.0f} MB (the build and its print-map worker together) "
        f"<= {GOALS['memory_mb']:.0f} MB: {'met' if peak <= GOALS['memory_mb'] else 'MISSED'}"
    )
    print(
        f"  growth {growth:.2f}x <= {GOALS['growth']:.0f}x: "
        f"{'met' if growth <= GOALS['growth'] else 'MISSED'}"
    )
    print(
        f"  first view {first:.2f} s <= {GOALS['first_view_s']:.0f} s: "
        f"{'met' if first <= GOALS['first_view_s'] else 'MISSED'}"
    )
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
