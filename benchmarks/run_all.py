"""Every figure of issue 14 in one run: cold builds, scale, the large map.

1. :mod:`benchmarks.cold_build`: the Göteborg table, whole processes round-robin: the import floor
   (``import geopandas, folium``), a hand-written one-map Folium script, ``geo validate``,
   ``geo build`` unchanged, ``--force``, after a description edit and after a name edit;
2. :mod:`benchmarks.scale`: synthetic tables of 10,000, 30,000 and 100,000 places, validate and
   build from empty outputs (peak memory of all the build's processes together), the same
   Folium script and the import floor in the same run; the 30,000-place map in Chromium
   (bytes before any interaction, first complete view, the connections on demand).

Prints the machine, the load average before and after each part, medians and ratios:

    .venv/bin/python benchmarks/run_all.py [--runs 9] [--scale-runs 3] [--large-runs 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import cold_build, scale  # noqa: E402


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each cold build (0: none)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs of 10,000 and 30,000")
    parser.add_argument("--large-runs", type=int, default=2, help="runs of 100,000")
    parser.add_argument("--loads", type=int, default=5, help="loads of the 30,000-place map")
    args = parser.parse_args()
    print(machine())
    if args.runs:
        load = os.getloadavg()[0]
        samples = cold_build.measure(args.runs)
        print(f"\ncold builds, Göteborg, {args.runs} runs round-robin "
              f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f})")  # fmt: skip
        print(cold_build.BYTECODE)
        print("\n".join(cold_build.report(samples)), flush=True)
    sizes = list(scale.SIZES)
    load = os.getloadavg()[0]
    found = scale.measure(sizes, args.scale_runs, args.large_runs, args.loads, 30000)
    print(f"\nscale, {args.scale_runs} runs ({sizes[-1]}: {args.large_runs}) round-robin "
          f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f})")  # fmt: skip
    print("\n".join(scale.report(found, sizes, 30000)))


if __name__ == "__main__":
    main()
