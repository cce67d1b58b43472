"""zlib's level for the print map's PNG (`geo/printmap/png.py`): time and bytes per level.

Compresses the unfiltered rows of a built print map (`maps/partnerships-sv.png`, from
`make build`) at levels 1, 3, 6 and 9, round-robin, and prints each level's median time and
size against level 3, the one png.py uses.

    .venv/bin/python benchmarks/png_level.py [--runs 9] [--png maps/partnerships-sv.png]
"""

from __future__ import annotations

import argparse
import statistics
import time
import zlib
from pathlib import Path

import matplotlib.image
import numpy as np

LEVELS = (1, 3, 6, 9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--png", type=Path, default=Path("maps/partnerships-sv.png"))
    args = parser.parse_args()
    rgba = (matplotlib.image.imread(args.png) * 255).round().astype(np.uint8)
    height, width, _ = rgba.shape
    rows = np.zeros((height, width * 4 + 1), np.uint8)  # filter type 0 for every row, as png.py
    rows[:, 1:] = rgba.reshape(height, width * 4)
    raw = rows.tobytes()
    times: dict[int, list[float]] = {level: [] for level in LEVELS}
    sizes: dict[int, int] = {}
    for _ in range(args.runs):
        for level in LEVELS:
            start = time.perf_counter()
            sizes[level] = len(zlib.compress(raw, level))
            times[level].append(time.perf_counter() - start)
    base_time, base_size = statistics.median(times[3]), sizes[3]
    print(f"{args.png}: {width} x {height} pixels, {args.runs} runs")
    for level in LEVELS:
        median = statistics.median(times[level])
        print(
            f"level {level}: {median * 1000:.1f} ms ({median / base_time:.2f}x level 3), "
            f"{sizes[level]:,} bytes ({sizes[level] / base_size - 1:+.1%})"
        )


if __name__ == "__main__":
    main()
