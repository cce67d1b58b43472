"""JavaScript coverage of geo/web/static/*.js from the browser tests (issue 26, item 5).

Runs the browser tests (`pytest -m browser`) with Chromium's own precise coverage switched on
in every page they open (the DevTools protocol's Profiler domain, through Playwright's CDP
session), then prints, for each of the map's own scripts, the lines of code, the share run at
least once by some test, and the lines no test ever ran:

    .venv/bin/python benchmarks/js_coverage.py                 # every browser test
    .venv/bin/python benchmarks/js_coverage.py tests/web/test_map_browser.py   # some of them

The pages carry map.js, layout.js and large.js inline, one after the other in one script
(geo.web.page), minified; while the coverage is recorded they carry them as the files are, so
that each file is found in the script's source by its text and the figures are per file and per
line of the file. A line counts as code unless it is blank or a comment only; it
counts as run when any of its characters lies in a block V8 counted as run. Coverage is taken
when a test closes its browser context (every test does).

This file is also the pytest plugin that records the coverage (`-p benchmarks.js_coverage`,
active only when GEO_JS_COVERAGE names the file to write).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "geo" / "web" / "static"
ENV = "GEO_JS_COVERAGE"


def static_sources() -> dict[str, str]:
    """Our own scripts as the page carries them (line ends as an HTML parser makes them)."""
    return {
        path.name: path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        for path in sorted(STATIC.glob("*.js"))
    }


def _utf16_offsets(text: str) -> list[int]:
    """The UTF-16 offset of each character of `text` (V8 counts positions in UTF-16 units)."""
    offsets, at = [], 0
    for char in text:
        offsets.append(at)
        at += 2 if ord(char) > 0xFFFF else 1
    offsets.append(at)
    return offsets


def counts_by_character(source: str, functions: list[dict[str, Any]]) -> list[int]:
    """How often each character of `source` ran, from V8's block coverage: every range sets the
    count of its characters, the larger ranges first so that a block inside overrides them."""
    ranges = [r for f in functions for r in f["ranges"]]
    ranges.sort(key=lambda r: r["endOffset"] - r["startOffset"], reverse=True)
    units = _utf16_offsets(source)[-1]
    count = [0] * units
    for r in ranges:
        start, end = r["startOffset"], min(r["endOffset"], units)
        count[start:end] = [r["count"]] * max(0, end - start)
    offsets = _utf16_offsets(source)
    return [count[offsets[i]] if offsets[i] < units else 0 for i in range(len(source))]


def is_code(line: str) -> bool:
    text = line.strip()
    return bool(text) and not text.startswith(("//", "/*", "*"))


def lines_run(file_text: str, counts: list[int]) -> dict[int, bool]:
    """For each line of code (1-based) of a file, whether any of its characters ran."""
    out, at = {}, 0
    for number, line in enumerate(file_text.split("\n"), start=1):
        if is_code(line):
            span = counts[at : at + len(line)]
            out[number] = any(c > 0 for i, c in enumerate(span) if not line[i].isspace())
        at += len(line) + 1
    return out


def coverage_of_script(source: str, functions: list[dict[str, Any]]) -> dict[str, dict[int, bool]]:
    """Per static file found in a page's script, its lines and whether each ran."""
    found: dict[str, dict[int, bool]] = {}
    counts: list[int] | None = None
    for name, text in static_sources().items():
        start = source.find(text)
        if start < 0:
            continue
        if counts is None:
            counts = counts_by_character(source, functions)
        found[name] = lines_run(text, counts[start : start + len(text)])
    return found


# --- the pytest plugin ---------------------------------------------------------------------------


def pytest_configure(config: Any) -> None:
    out = os.environ.get(ENV)
    if not out:
        return
    from playwright.sync_api import BrowserContext

    import geo.web.page

    # The pages carry the scripts minified (rjsmin): here they carry them as the files are, so
    # that each file is found in a page's script and its lines counted (the CSP hash is made
    # from the same text, so the pages work alike).
    def plain_text(*names: str) -> str:
        text = "".join((STATIC / name).read_text(encoding="utf-8") for name in names)
        return text if names[0].endswith(".js") else original_text(*names)

    original_text = geo.web.page.static_text
    geo.web.page.static_text = plain_text

    new_page, close = BrowserContext.new_page, BrowserContext.close
    sessions: dict[int, list[Any]] = {}

    def recording_new_page(self: BrowserContext, *args: Any, **kwargs: Any) -> Any:
        page = new_page(self, *args, **kwargs)
        cdp = self.new_cdp_session(page)
        cdp.send("Debugger.enable")  # (to read the scripts' sources back)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.startPreciseCoverage", {"callCount": True, "detailed": True})
        sessions.setdefault(id(self), []).append(cdp)
        return page

    def recording_close(self: BrowserContext, *args: Any, **kwargs: Any) -> Any:
        records = []
        for cdp in sessions.pop(id(self), []):
            try:
                taken = cdp.send("Profiler.takePreciseCoverage")["result"]
                for script in taken:
                    if not script["url"].startswith(("http://127.0.0.1", "file://")):
                        continue
                    source = cdp.send("Debugger.getScriptSource", {"scriptId": script["scriptId"]})
                    found = coverage_of_script(source["scriptSource"], script["functions"])
                    if found:
                        records.append(found)
            except Exception as exc:  # a page that crashed or was closed: its coverage is lost
                records.append({"error": str(exc)})
        if records:
            with open(out, "a", encoding="utf-8") as fp:
                for record in records:
                    fp.write(json.dumps(record) + "\n")
        return close(self, *args, **kwargs)

    BrowserContext.new_page = recording_new_page  # type: ignore[method-assign]
    BrowserContext.close = recording_close  # type: ignore[method-assign]


# --- the benchmark -------------------------------------------------------------------------------


def merge(records: Iterable[dict[str, Any]]) -> tuple[dict[str, dict[int, bool]], int]:
    """Every page's lines merged: a line ran if it ran in any page. Also the pages lost."""
    merged: dict[str, dict[int, bool]] = {}
    lost = 0
    for record in records:
        if "error" in record:
            lost += 1
            continue
        for name, lines in record.items():
            seen = merged.setdefault(name, {})
            for number, ran in lines.items():
                seen[int(number)] = seen.get(int(number), False) or ran
    return merged, lost


def spans(numbers: list[int]) -> str:
    """1, 2, 3, 7 as ``1-3, 7``."""
    groups: list[list[int]] = []
    for n in numbers:
        if groups and groups[-1][-1] == n - 1:
            groups[-1].append(n)
        else:
            groups.append([n])
    return ", ".join(f"{g[0]}-{g[-1]}" if len(g) > 1 else str(g[0]) for g in groups)


def report(merged: dict[str, dict[int, bool]], verbose: bool) -> None:
    sources = static_sources()
    print(f"{'file':12} {'lines':>6} {'run':>6} {'share':>7}")
    total = run = 0
    for name in sources:
        lines = merged.get(name)
        if lines is None:
            print(f"{name:12} {'':>6} {'':>6} {'never loaded':>7}")
            continue
        n, k = len(lines), sum(lines.values())
        total, run = total + n, run + k
        print(f"{name:12} {n:6} {k:6} {100 * k / n:6.1f} %")
    if total:
        print(f"{'all':12} {total:6} {run:6} {100 * run / total:6.1f} %")
    if not verbose:
        return
    for name, text in sources.items():
        missed = sorted(number for number, ran in merged.get(name, {}).items() if not ran)
        if not missed:
            continue
        print(f"\n{name}: never run, lines {spans(missed)}")
        file_lines = text.split("\n")
        for number in missed:
            print(f"  {number:4}  {file_lines[number - 1].strip()[:96]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tests", nargs="*", help="test files or ids (default: -m browser)")
    parser.add_argument("--quiet", action="store_true", help="the figures only, not the lines")
    parser.add_argument("--keep", type=Path, help="keep the raw per-page records here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        raw = args.keep or Path(tmp) / "coverage.jsonl"
        raw.unlink(missing_ok=True)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        command += ["-p", "benchmarks.js_coverage", "-m", "browser", *args.tests]
        print("$", " ".join(command[2:]), flush=True)
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, ENV: str(raw)}, timeout=7200)
        if not raw.exists():
            print("no page was opened: no coverage")
            return 1
        merged, lost = merge(json.loads(line) for line in raw.read_text().splitlines())
    print(f"\nJavaScript line coverage of geo/web/static/*.js (tests exit {done.returncode})")
    if lost:
        print(f"({lost} page(s) closed before their coverage was taken)")
    report(merged, verbose=not args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
