"""How fast `geo lookup` finds a city, against parsing the gazetteer and folding every name.

In process (the city file already read, as a second search in the same process would have it):
geo.lookup.search for a set of queries, against the obvious index (json.loads the 16 MB file,
fold its ~1 million names into a dict) and a search in that index. The two run round-robin so
that noise hits them alike. Then whole-process time of `geo lookup NAME` against
`python -c "import geo.cli"` (what every command pays first).

    .venv/bin/python benchmarks/lookup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from geo import gazetteer, lookup
from geo.textrules import fold

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUERIES = ("Göteborg", "Goteborg", "Krakow", "Åbo", "Bergen", "Xian", "上海", "Port Elizabeth")


def full_index() -> dict[str, set[int]]:
    """The baseline: parse everything, fold every name."""
    index: dict[str, set[int]] = {}
    for key, record in json.loads(gazetteer.city_bytes()).items():
        for name in [record["name"], *record["alternatenames"]]:
            index.setdefault(fold(name), set()).add(int(key))
    return index


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    read = timed(gazetteer.city_bytes)
    searches: dict[str, list[float]] = {q: [] for q in QUERIES}
    builds: list[float] = []
    index: dict[str, set[int]] = {}
    for _ in range(runs):
        for query in QUERIES:
            lookup._regex.cache_clear()  # compile the pattern each time, as a new process does
            searches[query].append(timed(lambda q=query: lookup.search(q)))
        start = time.perf_counter()
        index = full_index()
        builds.append(time.perf_counter() - start)
    in_index = statistics.median(
        timed(lambda: [index.get(fold(q)) for q in QUERIES]) / len(QUERIES) for _ in range(runs)
    )
    build = statistics.median(builds)
    print(f"read the city file once: {read * 1000:.0f} ms ({len(gazetteer.city_bytes()):,} bytes)")
    print(f"baseline, parse and fold every name: {build * 1000:.0f} ms (median of {runs})")
    print(f"  then a search in that index: {in_index * 1e6:.1f} µs")
    print("geo.lookup.search, median of", runs)
    for query, times in searches.items():
        median = statistics.median(times)
        print(
            f"  {query:16} {median * 1000:6.1f} ms  ({build / median:4.1f}x faster than the index)"
        )
    overall = statistics.median(t for times in searches.values() for t in times)
    print(f"  all queries      {overall * 1000:6.1f} ms  ({build / overall:4.1f}x)")
    print(f"  searches that pay off building the index first: {build / overall:.0f}")

    def process(cmd: list[str]) -> float:
        return timed(lambda: subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL))

    floor, command = [], []
    for _ in range(runs):
        floor.append(process([sys.executable, "-c", "import geo.cli"]))
        command.append(process([str(BIN / "geo"), "lookup", "Göteborg"]))
    f, c = statistics.median(floor), statistics.median(command)
    print(
        f"whole process: import geo.cli {f * 1000:.0f} ms; geo lookup Göteborg {c * 1000:.0f} ms "
        f"(+{(c - f) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
