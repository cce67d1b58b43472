"""A/B runs of ``geo build --force`` from several versions of geo, interleaved, and the floor.

Each version is a git revision of this repository (exported to a temporary folder) or a folder
holding a ``geo`` package; all run with this environment's Python and libraries
(``PYTHONPATH`` puts the version's package first), each compiled to bytecode first, each in a
project of its own with the same table: the Göteborg table (``--places 0``) or a synthetic one of
``--places`` places (:mod:`benchmarks.synthetic`), built from empty outputs each time. Runs go
round-robin (the import floor ``python -c "import geopandas, folium"`` among them), so that the
machine's noise hits every version alike. With ``--memory``, one more build of each version is
sampled for the peak PSS of all its processes together (:func:`benchmarks.scale.run`, untimed).

Prints the medians, the ratio of each version to the first and to the import floor:

    .venv/bin/python benchmarks/ab.py main HEAD [--places 0] [--runs 11] [--memory]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import run  # noqa: E402
from benchmarks.synthetic import synthetic_table  # noqa: E402

FLOOR = "import floor"


def export(version: str, into: Path) -> Path:
    """A folder whose ``geo`` package is `version` (a folder as it is, or a git revision), with
    that version's settings and table: an older geo refuses a setting it does not know."""
    if (Path(version) / "geo" / "__init__.py").is_file():
        return Path(version).resolve()
    into.mkdir(parents=True)
    paths = ["geo", "geo.toml", "data/places.csv"]
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", version, *paths], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def project(folder: Path, places: int, tree: Path = ROOT) -> Path:
    """A project of the settings and table of `tree` (a version's), or of `places` synthetic."""
    folder.mkdir(parents=True)
    tree = tree if (tree / "geo.toml").is_file() else ROOT  # a folder of geo/ alone
    shutil.copy(tree / "geo.toml", folder / "geo.toml")
    (folder / "data").mkdir()
    table = (tree / "data" / "places.csv").read_bytes() if not places else synthetic_table(places)
    (folder / "data" / "places.csv").write_bytes(table)
    return folder


def clean(folder: Path) -> None:
    for name in ("maps", "data/layers"):
        shutil.rmtree(folder / name, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", help="git revisions or folders holding geo/")
    parser.add_argument("--places", type=int, default=0, help="0: the Göteborg table")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--memory", action="store_true", help="one sampled build each")
    args = parser.parse_args()
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        trees: dict[str, Path] = {}
        projects: dict[str, Path] = {}
        commands: dict[str, list[str]] = {}
        for i, version in enumerate(args.versions):
            name = f"{i + 1}. {version}"
            trees[name] = export(version, Path(tmp) / f"tree{i}")
            compileall.compile_dir(trees[name] / "geo", quiet=1)
            projects[name] = project(Path(tmp) / f"project{i}", args.places, trees[name])
            commands[name] = [sys.executable, "-m", "geo", "build", "--force"]
        floor = [sys.executable, "-c", "import geopandas, folium"]
        samples: dict[str, list[float]] = {FLOOR: [], **{name: [] for name in trees}}
        peaks: dict[str, float] = {}

        def build(name: str, sample: bool) -> tuple[float, float, float, float]:
            clean(projects[name])
            env = {**os.environ, "PYTHONPATH": str(trees[name])}
            return run(commands[name], projects[name], sample=sample, env=env)

        for name in trees:  # warm the file cache; check that each version builds
            build(name, False)
        for _ in range(args.runs):
            samples[FLOOR].append(run(floor, ROOT, sample=False)[0])
            for name in trees:
                samples[name].append(build(name, False)[0])
        if args.memory:
            for name in trees:
                peaks[name] = build(name, True)[3]
    after = os.getloadavg()[0]
    table = f"Göteborg ({14} places)" if not args.places else f"{args.places:,} places"
    print(f"geo build --force, {table}, {args.runs} runs round-robin "
          f"(load average {before:.1f} -> {after:.1f}); medians")  # fmt: skip
    floor_s = statistics.median(samples[FLOOR])
    first = statistics.median(samples[next(iter(trees))])
    print(f"{'version':<40} {'median s':>9} {'min s':>7} {'/ first':>8} {'/ floor':>8}"
          + (f" {'PSS MB':>7}" if peaks else ""))  # fmt: skip
    for name, values in samples.items():
        median = statistics.median(values)
        peak = f" {peaks[name]:7.0f}" if name in peaks else ""
        print(f"{name:<40} {median:9.3f} {min(values):7.3f} {median / first:8.3f} "
              f"{median / floor_s:8.2f}{peak}")  # fmt: skip


if __name__ == "__main__":
    main()
