"""How fast ``geo build --force`` could be on this machine, with what it must do (issue 22).

Times, round-robin in fresh processes on the Göteborg table, each against the import floor
(``python -c "import geopandas, folium"``) of the same run:

- *prefix*: Python, geo, reading and validating the table, building the layers: what must be
  done, one step after the other, before any map can be drawn without a guess;
- *print chain*: the prefix, then matplotlib imported, the print map's scene prepared and its
  first language drawn: the longest part that cannot be split;
- *web chain*: the prefix, then Folium imported (it imports pandas) and the web maps drawn;
- *build*: ``geo build --force`` itself (from empty outputs, as :mod:`benchmarks.ab`), and the CPU
  time of all its processes (user + system).

On two cores the build cannot end before ``prefix + (build CPU - prefix CPU) / 2``: the bound
printed last. A chain ends with ``os._exit``, as a forked process does.

    .venv/bin/python benchmarks/build_bound.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PREFIX = """
import os
from pathlib import Path
from geo import pipeline
from geo.config import read_settings
from geo.io.basemap import Basemap
from geo.layers import build_array_layers
settings = read_settings(Path("geo.toml"))
layers = build_array_layers(pipeline.validate(settings).places, settings.languages)
"""
PRINT = """
from geo.printmap.figure import prepare_static, render_language
prepared = prepare_static(layers, settings, Basemap(settings)(), source="table")
render_language(prepared, settings, settings.languages[0])
"""
WEB = """
from geo.web import render_maps
render_maps(layers, settings, Basemap(settings)())
"""
EXIT = "os._exit(0)\n"
FLOOR = "import geopandas, folium"


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process and all it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("geo.toml", "data/places.csv"):
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_bytes((ROOT / name).read_bytes())
        env_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        os.environ["PYTHONPATH"] = env_path
        commands = {
            "import floor": [python, "-c", FLOOR],
            "prefix": [python, "-c", PREFIX + EXIT],
            "print chain": [python, "-c", PREFIX + PRINT + EXIT],
            "web chain": [python, "-c", PREFIX + WEB + EXIT],
            "build --force": [python, "-m", "geo", "build", "--force"],
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        load = os.getloadavg()[0]
        for _ in range(args.runs):
            for name, command in commands.items():
                for folder in ("maps", "data/layers"):  # built from empty outputs, as ab.py
                    shutil.rmtree(project / folder, ignore_errors=True)
                runs[name].append(timed(command, project))
    wall = {name: statistics.median(w for w, _ in r) for name, r in runs.items()}
    cpu = {name: statistics.median(c for _, c in r) for name, r in runs.items()}
    floor = wall["import floor"]
    print(f"Göteborg table, {args.runs} runs round-robin (load average {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f}); medians")  # fmt: skip
    print(f"{'':15} {'wall s':>8} {'/ floor':>8} {'CPU s':>8}")
    for name in commands:
        print(f"{name:15} {wall[name]:8.3f} {wall[name] / floor:8.2f} {cpu[name]:8.3f}")
    bound = wall["prefix"] + (cpu["build --force"] - cpu["prefix"]) / 2
    print(f"{'2-core bound':15} {bound:8.3f} {bound / floor:8.2f}")


if __name__ == "__main__":
    main()
