"""What the static print map adds to `geo build`, against the issue-2 baseline.

Runs each command N times, interleaved, each in a fresh interpreter from the project root, and
prints the median wall time and its ratio to the baseline ``python -c "import geopandas, folium"``
measured in the same run (the build goal is at most 1.3 x that baseline).

    .venv/bin/python benchmarks/bench_static_map.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
LAYERS_ONLY = (
    "import geo; from geo import pipeline; s = geo.read_settings(); "
    "r = pipeline.load_places(s); pipeline.layer_files(s, geo.build_layers(r.places))"
)
COMMANDS: dict[str, list[str]] = {
    "baseline: import geopandas, folium": [PY, "-c", "import geopandas, folium"],
    "layers only (no maps), no write": [PY, "-c", LAYERS_ONLY],
    "import matplotlib (Figure, Agg, SVG)": [
        PY,
        "-c",
        "from matplotlib.figure import Figure; "
        "import matplotlib.backends.backend_agg, matplotlib.backends.backend_svg",
    ],
    "geo build (layers + static map)": [str(Path(PY).parent / "geo"), "build"],
}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(rounds):
        for name, cmd in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["baseline: import geopandas, folium"])
    print(f"{rounds} rounds, median wall time, ratio to the baseline")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:40s} {median:6.2f} s  {median / base:5.2f} x")


if __name__ == "__main__":
    main()
