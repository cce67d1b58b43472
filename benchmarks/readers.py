"""Readers during publishes: does anyone reading the published files ever see one missing or cut?

A reader process loops over every file of the publication, through the folder's name as a web
server would (`public/...`), reading each whole and recording its SHA-256; meanwhile the main
process publishes again and again, alternating two tables so that most files change each time.
Afterwards every digest read is checked against every version of that file that was published:
a read that failed with "no such file" is *missing*, one whose bytes are no published version
is *truncated* (half-written or mixed). Both must be 0.

Three runs, one after the other, each with its own reader:

1. `geo publish` for real (pipeline.publish: build, assemble, write) `--publishes` times;
2. the writer alone (geo.io.write.publication), handed the files of those two publications
   `--switches` times, to put many more switches under the reader;
3. the baseline: the old swap (rename the folder away, rename the new one in, delete the old),
   the same files, the same number of times: it shows what the reader catches when there is a
   gap (issue 11: 2 missing in 347,000 reads).

    .venv/bin/python benchmarks/readers.py [--publishes 20] [--switches 400]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import pipeline  # noqa: E402
from geo.config import read_settings  # noqa: E402
from geo.io.write import publication  # noqa: E402

BASE_URL = "https://data.example.se/relations/"


def reader(out: Path, names: list[str], stop, results) -> None:
    """Read every file again and again until told to stop; send back what was seen."""
    seen: dict[str, set[str]] = {n: set() for n in names}
    reads = missing = 0
    while not stop.is_set():
        for name in names:
            try:
                with open(out / name, "rb") as fp:
                    data = fp.read()
            except (FileNotFoundError, NotADirectoryError):
                missing += 1
            else:
                seen[name].add(hashlib.sha256(data).hexdigest())
            reads += 1
    results.put((reads, missing, seen))


def under_reader(out: Path, names: list[str], work: Callable[[], dict[str, set[str]]]):
    """Run `work` (which returns every published digest per file) while a reader reads."""
    ctx = mp.get_context("fork")
    stop, results = ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=reader, args=(out, names, stop, results))
    proc.start()
    time.sleep(0.2)
    started = time.perf_counter()
    known = work()
    elapsed = time.perf_counter() - started
    stop.set()
    reads, missing, seen = results.get(timeout=60)
    proc.join()
    truncated = sum(len(seen[n] - known.get(n, set())) for n in names)
    return reads, missing, truncated, elapsed


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {n: hashlib.sha256(d).hexdigest() for n, d in files.items()}


def old_swap(target: Path, files: dict[str, bytes]) -> None:
    """What geo publish did before: build aside, two renames, delete the old folder."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-new-", dir=target.parent))
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    old = Path(tempfile.mkdtemp(prefix=".staging-old-", dir=target.parent))
    os.rename(target, old / "previous")
    os.rename(staging, target)
    shutil.rmtree(old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--switches", type=int, default=400)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory(prefix="geo-readers-") as tmp_name:
        tmp = Path(tmp_name)
        shutil.copy(ROOT / "geo.toml", tmp / "geo.toml")
        (tmp / "data").mkdir()
        table_a = (ROOT / "data" / "places.csv").read_bytes()
        table_b = table_a.replace(b"chicago,partner_city,dormant", b"chicago,partner_city,active")
        (tmp / "data" / "places.csv").write_bytes(table_a)
        (tmp / "b.csv").write_bytes(table_b)
        settings = read_settings(tmp / "geo.toml")
        pipeline.build(settings)
        out = tmp / "public"
        first = pipeline.publish(settings, BASE_URL, out)
        names = sorted(first.files)
        versions = [first.files]

        def publishes() -> dict[str, set[str]]:
            known: dict[str, set[str]] = {n: {d} for n, d in digests(first.files).items()}
            for i in range(args.publishes):
                source = tmp / "b.csv" if i % 2 == 0 else None
                report = pipeline.publish(settings, BASE_URL, out, source)
                versions.append(report.files)
                for n, d in digests(report.files).items():
                    known.setdefault(n, set()).add(d)
            return known

        rows = [("geo publish", args.publishes, *under_reader(out, names, publishes))]
        a, b = versions[-1], versions[-2]
        known = {n: {digests(a)[n], digests(b)[n]} for n in names}

        def switches() -> dict[str, set[str]]:
            from geo.io.versions import MARKER

            for i in range(args.switches):
                files = a if i % 2 else b
                with publication(out, wait=10) as target:
                    made = {n: d for n, d in files.items() if n != MARKER}
                    target.write(made, *pipeline._identity(made))
            return {**known, MARKER: {digests(a)[MARKER], digests(b)[MARKER]}}

        rows.append(("writer alone", args.switches, *under_reader(out, names, switches)))
        swapped = tmp / "swapped"
        old_swap_first = a
        swapped.mkdir()
        for name, data in old_swap_first.items():
            (swapped / name).parent.mkdir(parents=True, exist_ok=True)
            (swapped / name).write_bytes(data)

        def swaps() -> dict[str, set[str]]:
            for i in range(args.switches):
                old_swap(swapped, b if i % 2 == 0 else a)
            return known

        rows.append(("baseline: old swap", args.switches, *under_reader(swapped, names, swaps)))

    print(f"{'run':<20} {'changes':>8} {'reads':>9} {'missing':>8} {'truncated':>10} {'s':>7}")
    for name, count, reads, missing, truncated, elapsed in rows:
        print(f"{name:<20} {count:>8} {reads:>9,} {missing:>8} {truncated:>10} {elapsed:>7.1f}")
    bad = rows[0][3] + rows[0][4] + rows[1][3] + rows[1][4]
    print("OK: no reader saw a missing or cut file" if bad == 0 else f"FAILED: {bad} bad reads")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
