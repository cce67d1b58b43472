"""Cold builds of the Göteborg table against the import floor and a hand-written Folium script.

Every command is a fresh process, run round-robin (so that noise hits them alike) in a copy of
the project in a temporary folder:

- ``import floor``: ``python -c "import geopandas, folium"``, what any Python map pipeline
  pays before it does anything;
- ``folium script``: a hand-written one-map script (:data:`FOLIUM_SCRIPT`): reads the built
  layers with geopandas and saves one ``folium.Map`` with a marker per place and the lines;
- ``geo validate``; ``geo build`` with nothing changed (every map reused);
- ``geo build --force`` (every map drawn);
- ``description edit``: ``geo build`` after the English description of one place changed (it
  toggles between two versions of that row): the web maps are drawn, the print map is reused;
- ``name edit``: ``geo build`` after the English name of one place changed: both are drawn.

Prints the medians, the ratios to the floor and to the Folium script, and the goal of issue 14
(a cold build at most 1.3 times the floor):

    .venv/bin/python benchmarks/cold_build.py [--runs 9]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GOAL = 1.3
EDITED = "kiel"  # the row that the edits change

FOLIUM_SCRIPT = """
import sys
import folium
import geopandas

layers = sys.argv[1]
places = geopandas.read_file(layers + "/all.geojson")
points = places[places.geometry.geom_type == "Point"]
lines = places[places.geometry.geom_type != "Point"]
fmap = folium.Map(location=[57.7, 12.0], zoom_start=3)
for _, row in points.iterrows():
    folium.Marker([row.geometry.y, row.geometry.x], popup=str(row["name_en"])).add_to(fmap)
folium.GeoJson(lines[["id", "geometry"]].to_json()).add_to(fmap)
fmap.save(sys.argv[2])
"""


def edited(table: bytes, column: str, value: str) -> bytes:
    """`table` with `column` of the row :data:`EDITED` set to `value`."""
    rows = list(csv.DictReader(io.StringIO(table.decode("utf-8"))))
    for row in rows:
        if row["id"] == EDITED:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def make_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "geo.toml", folder / "geo.toml")
    (folder / "data").mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "places.csv", folder / "data" / "places.csv")
    return folder


def timed(cmd: list[str], cwd: Path, before: Callable[[], None] | None = None) -> float:
    if before is not None:
        before()
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def commands(project: Path) -> dict[str, tuple[list[str], Callable[[], None] | None]]:
    """Each measured command and what to do before it (untimed)."""
    geo = str(BIN / "geo")
    table = project / "data" / "places.csv"
    original = table.read_bytes()
    versions = {
        "description edit": [edited(original, "description_en", t) for t in ("One.", "Two.")],
        "name edit": [edited(original, "name_en", n) for n in ("Kiel (I)", "Kiel (II)")],
    }
    turn = {name: 0 for name in versions}

    def edit(name: str) -> Callable[[], None]:
        def before() -> None:
            turn[name] += 1
            table.write_bytes(versions[name][turn[name] % 2])
            subprocess.run([geo, "build"], cwd=project, check=True, stdout=subprocess.DEVNULL)
            table.write_bytes(versions[name][(turn[name] + 1) % 2])

        return before

    def restore() -> None:
        table.write_bytes(original)
        subprocess.run([geo, "build"], cwd=project, check=True, stdout=subprocess.DEVNULL)

    script = project / "folium_script.py"
    script.write_text(FOLIUM_SCRIPT, encoding="utf-8")
    out = str(project / "folium.html")
    return {
        "import floor": ([sys.executable, "-c", "import geopandas, folium"], None),
        "folium script": ([sys.executable, str(script), str(project / "data/layers"), out], None),
        "geo validate": ([geo, "validate"], restore),
        "geo build (unchanged)": ([geo, "build"], None),
        "geo build --force": ([geo, "build", "--force"], None),
        "description edit": ([geo, "build"], edit("description edit")),
        "name edit": ([geo, "build"], edit("name edit")),
    }


BYTECODE = "geo's modules compiled to bytecode first, as an installed package has them"


def compile_geo() -> None:
    """geo's modules compiled to bytecode, as pip compiles a package it installs. An editable
    install has none, and where PYTHONDONTWRITEBYTECODE is set (as on the machines these figures
    come from) Python would compile each of geo's modules from source in every process of every
    run: 0.07 s of a cold build, which the import floor's libraries, compiled, do not pay."""
    import compileall

    compileall.compile_dir(ROOT / "geo", quiet=1)


def measure(runs: int) -> dict[str, list[float]]:
    compile_geo()
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "project")
        subprocess.run([str(BIN / "geo"), "build"], cwd=project, check=True, capture_output=True)
        cmds = commands(project)
        for cmd, before in cmds.values():  # warm the file cache once
            timed(cmd, project, before)
        samples: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, (cmd, before) in cmds.items():
                samples[name].append(timed(cmd, project, before))
    return samples


def report(samples: dict[str, list[float]]) -> list[str]:
    floor = statistics.median(samples["import floor"])
    script = statistics.median(samples["folium script"])
    lines = [
        f"{'command':<22} {'median s':>9} {'min s':>7} {'/ floor':>8} {'/ script':>9}  goal",
    ]
    for name, values in samples.items():
        median = statistics.median(values)
        verdict = ""
        if name in ("geo build --force", "description edit", "name edit"):
            verdict = f"<= {GOAL} x floor: " + ("met" if median / floor <= GOAL else "MISSED")
        lines.append(
            f"{name:<22} {median:9.3f} {min(values):7.3f} {median / floor:8.2f} "
            f"{median / script:9.2f}  {verdict}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    before = os.getloadavg()
    samples = measure(args.runs)
    after = os.getloadavg()
    print(
        f"cold builds, Göteborg (runs: {args.runs}; load average {before[0]:.1f} -> {after[0]:.1f})"
    )
    print(BYTECODE)
    print("\n".join(report(samples)))


if __name__ == "__main__":
    main()
