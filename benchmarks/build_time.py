"""Whole-process time of `geo validate` and `geo build` against the import floor.

The floor is `python -c "import geopandas, folium"`: what any Python map pipeline pays before it
does anything. The three commands run round-robin (so that noise hits them alike), N times each,
in the project root; the script prints medians, ratios to the floor and the goals.

    .venv/bin/python benchmarks/build_time.py [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GOALS = {"geo validate": 0.6, "geo build": 1.3}
# `geo build` on an unchanged table reuses the rendered maps (geo.io.stamps); `--force` renders
# them all (Folium and matplotlib): both are measured, the goal is the everyday build.


def commands() -> dict[str, list[str]]:
    return {
        "import floor": [sys.executable, "-c", "import geopandas, folium"],
        "geo validate": [str(BIN / "geo"), "validate"],
        "geo build": [str(BIN / "geo"), "build"],
        "geo build --force": [str(BIN / "geo"), "build", "--force"],
    }


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    cmds = commands()
    for cmd in cmds.values():  # warm the file cache once
        timed(cmd)
    samples: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(args.runs):
        for name, cmd in cmds.items():
            samples[name].append(timed(cmd))
    floor = statistics.median(samples["import floor"])
    print(f"{'command':<18} {'median s':>9} {'min s':>7} {'ratio':>6}  goal   (runs: {args.runs})")
    for name, values in samples.items():
        median = statistics.median(values)
        goal = GOALS.get(name)
        verdict = ""
        if goal is not None:
            verdict = f"<= {goal:.1f}  " + ("met" if median / floor <= goal else "MISSED")
        print(f"{name:<18} {median:9.3f} {min(values):7.3f} {median / floor:6.2f}  {verdict}")


if __name__ == "__main__":
    main()
