"""What the static print map costs, against the issue-2 baseline and, optionally, another tree.

Runs each command N times, interleaved, each in a fresh interpreter, and prints the median wall
time and its ratio to the baseline ``python -c "import geopandas, folium"`` measured in the same
run (the build goal is at most 1.3 x that baseline). The print map is rendered for real: the
render commands call ``geo.printmap.render_static`` on the Göteborg table and on a synthetic table
of 3,000 places, and the build is ``geo build --force`` (a plain build reuses unchanged maps).

    .venv/bin/python benchmarks/bench_static_map.py [N] [--compare DIR]

With ``--compare DIR`` the same commands also run on the project tree in DIR (for example a
``git worktree`` of main), with this tree's interpreter, so that before and after are measured
in one run on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RENDER = (
    "import geo; from geo.printmap import render_static; s = geo.read_settings(); "
    "render_static(geo.build_layers(geo.read_places(s)), s)"
)
RENDER_LARGE = (
    "import tempfile, pathlib, geo; from geo.printmap import render_static; "
    "from benchmarks.synthetic import synthetic_table; from tests.support import make_project; "
    "s = make_project(pathlib.Path(tempfile.mkdtemp()), synthetic_table(3000)); "
    "render_static(geo.build_layers(geo.read_places(s)), s)"
)
BASELINE = "baseline: import geopandas, folium"


def commands() -> dict[str, list[str]]:
    """Each measured command, by name; run from the root of the tree measured."""
    return {
        BASELINE: [PY, "-c", "import geopandas, folium"],
        "import matplotlib (Figure, Agg, SVG)": [
            PY,
            "-c",
            "from matplotlib.figure import Figure; "
            "import matplotlib.backends.backend_agg, matplotlib.backends.backend_svg",
        ],
        "render_static, Göteborg (14 places)": [PY, "-c", RENDER],
        "render_static, 3,000 places": [PY, "-c", RENDER_LARGE],
        "geo build --force (layers + all maps)": [PY, "-m", "geo", "build", "--force"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="another project tree to measure too")
    args = parser.parse_args()
    trees = {"this tree": ROOT}
    if args.compare is not None:
        trees["compared"] = args.compare.resolve()
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for tree, root in trees.items():
            for name, cmd in commands().items():
                if name == BASELINE and tree != "this tree":
                    continue
                start = time.perf_counter()
                # cwd first on sys.path (-c, -m): each tree runs its own geo package
                subprocess.run(cmd, cwd=root, check=True, capture_output=True)
                times.setdefault((tree, name), []).append(time.perf_counter() - start)
    base = statistics.median(times[("this tree", BASELINE)])
    print(f"{args.rounds} rounds, median wall time, ratio to the baseline")
    for (tree, name), values in times.items():
        median = statistics.median(values)
        label = name if len(trees) == 1 else f"[{tree}] {name}"
        print(f"  {label:55s} {median:6.2f} s  {median / base:5.2f} x")


if __name__ == "__main__":
    main()
