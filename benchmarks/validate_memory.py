"""Memory while `geo validate` checks a large table: the peak against the table's size.

Issue 21 asks that validating stays under 4x the file's size (a 200 MB table took 1.95 GB, and
one of 540 MB ended in MemoryError). This makes a synthetic table of about `--megabytes` MB
(the Göteborg office and GeoNames cities, as `benchmarks/synthetic.py` draws them, in a process
of its own), runs `geo validate` on it as a fresh process, and samples the summed PSS of the
process and its children every 20 ms (`benchmarks/scale.py`'s sampler; validation forks one
child for the second half of a long table); the kernel's peak RSS of the process tree is
printed beside it. The baseline, measured in the same run, is `geo validate` of the shipped
14-place table: the interpreter, the libraries and the gazetteer, which any table pays. Then
the same validation with every place kept, as `geo build` validates before it builds the
layers (the places themselves take about 4x the bytes of this table: they are the build's
product, not validation's).

    .venv/bin/python benchmarks/validate_memory.py [--megabytes 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import run  # noqa: E402
from benchmarks.synthetic import synthetic_table  # noqa: E402

GEO = str(Path(sys.executable).parent / "geo")
KEEP = (
    "from geo import pipeline; from geo.config import read_settings; "
    "r = pipeline.validate(read_settings(), keep_places=True); assert r.ok, r.errors[:3]"
)


def project(folder: Path, megabytes: float | None) -> Path:
    """A copy of the Göteborg settings and a table: the shipped one (None) or a synthetic one
    of about `megabytes` MB, made in a process of its own (its memory is not this one's)."""
    (folder / "data").mkdir(parents=True)
    table = folder / "data" / "places.csv"
    if megabytes is None:
        table.write_bytes((ROOT / "data" / "places.csv").read_bytes())
    else:
        per_row = len(synthetic_table(2000)) / 2001
        rows = max(1, round(megabytes * 2**20 / per_row) - 1)
        command = [sys.executable, "-m", "benchmarks.synthetic", str(rows), str(table)]
        subprocess.run(command, cwd=ROOT, check=True)
    limit = max(1.0, 2 * table.stat().st_size / 2**20)  # the size limit raised to fit
    settings = (ROOT / "geo.toml").read_text(encoding="utf-8")
    settings = settings.replace("[source]\n", f"[source]\nmax_megabytes = {limit:.0f}\n")
    (folder / "geo.toml").write_text(settings, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=100.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    found: dict[str, list[tuple[float, float, float]]] = {"big": [], "small": [], "kept": []}
    with tempfile.TemporaryDirectory(prefix="geo-memory-") as scratch:
        big = project(Path(scratch) / "big", args.megabytes)
        small = project(Path(scratch) / "small", None)
        size = (big / "data" / "places.csv").stat().st_size / 2**20
        rows = (big / "data" / "places.csv").read_bytes().count(b"\n") - 1
        for _ in range(args.runs):  # round-robin: noise hits each alike
            for name, cwd, command in (
                ("big", big, [GEO, "validate"]),
                ("small", small, [GEO, "validate"]),
                ("kept", big, [sys.executable, "-c", KEEP]),
            ):
                seconds, maxrss, _, pss = run(command, cwd)
                found[name].append((pss, maxrss, seconds))

    def median(name: str, i: int) -> float:
        return statistics.median(f[i] for f in found[name])

    floor = median("small", 0)
    print(f"table: {size:,.1f} MB, {rows:,} places (synthetic); medians of {args.runs} runs")
    print(f"baseline, geo validate of the 14-place table: peak PSS {floor:,.0f} MB")
    for name, label in (("big", "geo validate"), ("kept", "validation, places kept (build)")):
        peak = median(name, 0)
        print(
            f"{label}: peak PSS {peak:,.0f} MB = {peak / size:.2f}x the file "
            f"({(peak - floor) / size:.2f}x above the baseline); kernel's peak RSS "
            f"{median(name, 1):,.0f} MB; {median(name, 2):.1f} s"
        )
    peak = median("big", 0)
    verdict = "met" if peak < 4 * size else "NOT met"
    print(f"goal, geo validate under 4x the file ({4 * size:,.0f} MB): {verdict}")


if __name__ == "__main__":
    main()
