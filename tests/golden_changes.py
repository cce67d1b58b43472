"""What a rewrite of the golden files would change, in words a reviewer can judge: features
added, removed or moved, properties changed, rows of the CSV, JSON values, RDF triples, the text a
person sees on each page. `make golden` prints it before it rewrites anything, so a rewrite is a
decision about meaning, not a byte diff waved through (issue 26: golden files are change alarms).

    .venv/bin/python -m tests.golden_changes      # publish into a temporary folder and compare

Exit status 0 either way; the lines are for people.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "publication"
MAX_LINES = 40  # per file; the rest is counted
HIDDEN = {"script", "style", "template", "head", "noscript"}
TEXT_SUFFIXES = {".json", ".geojson", ".csv", ".rdf", ".html", ".md", ".atom", ".txt", ""}
SKIPPED_DIRS = ("maps/assets/",)  # third-party files (Leaflet) and the encoded basemap


def text_outputs(folder: Path) -> dict[str, bytes]:
    """The text outputs below `folder` that golden files hold, by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and path.suffix in TEXT_SUFFIXES and not rel.startswith(SKIPPED_DIRS):
            out[rel] = path.read_bytes()
    return out


def _short(value: Any, limit: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_changes(old: Any, new: Any, path: str = "") -> Iterator[str]:
    """Every value added, removed or changed between two JSON documents, by its path."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys(), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in new:
                yield f"removed {where} (was {_short(old[key])})"
            elif key not in old:
                yield f"added {where} = {_short(new[key])}"
            else:
                yield from json_changes(old[key], new[key], where)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from json_changes(a, b, f"{path}[{i}]")
    elif old != new:
        yield f"{path or 'value'}: {_short(old)} -> {_short(new)}"


def _features(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(f.get("id", i)): f for i, f in enumerate(doc.get("features", []))}


def geojson_changes(old: bytes, new: bytes) -> Iterator[str]:
    """Features by id: added, removed, their geometry moved, each property changed."""
    a, b = json.loads(old), json.loads(new)
    before, after = _features(a), _features(b)
    for fid in sorted(before.keys() - after.keys()):
        yield f"feature {fid} removed"
    for fid in sorted(after.keys() - before.keys()):
        yield f"feature {fid} added ({after[fid]['geometry']['type']})"
    for fid in sorted(before.keys() & after.keys()):
        x, y = before[fid], after[fid]
        if x.get("geometry") != y.get("geometry"):
            yield f"feature {fid}: geometry changed"
        for line in json_changes(x.get("properties") or {}, y.get("properties") or {}):
            yield f"feature {fid}: property {line}"
        if x.get("bbox") != y.get("bbox"):
            yield f"feature {fid}: bbox {x.get('bbox')} -> {y.get('bbox')}"
    rest_a = {k: v for k, v in a.items() if k != "features"}
    rest_b = {k: v for k, v in b.items() if k != "features"}
    yield from (f"collection: {line}" for line in json_changes(rest_a, rest_b))


def csv_changes(old: bytes, new: bytes) -> Iterator[str]:
    """Rows by their first column (the id): added, removed, each cell changed; the header."""

    def rows(data: bytes) -> tuple[list[str], dict[str, dict[str, str]]]:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        header = list(reader.fieldnames or [])
        return header, {row[header[0]]: row for row in reader} if header else {}

    (ha, a), (hb, b) = rows(old), rows(new)
    if ha != hb:
        yield f"header: {ha} -> {hb}"
    for key in sorted(a.keys() - b.keys()):
        yield f"row {key} removed"
    for key in sorted(b.keys() - a.keys()):
        yield f"row {key} added"
    for key in sorted(a.keys() & b.keys()):
        for column in hb:
            if a[key].get(column) != b[key].get(column):
                was, now = _short(a[key].get(column)), _short(b[key].get(column))
                yield f"row {key}: {column} {was} -> {now}"


def visible_text(data: bytes) -> list[str]:
    """The text a person sees on an HTML page (the title, the body without scripts and
    templates), one line per block, and the JSON data blocks the page's script reads."""
    import html5rdf

    root = html5rdf.parse(data.decode("utf-8"), namespaceHTMLElements=False)
    lines: list[str] = []
    title = root.find(".//title")
    if title is not None and title.text:
        lines.append("title: " + " ".join(title.text.split()))

    def walk(element: Any, out: list[str]) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HIDDEN or element.get("hidden") is not None:
            return
        if element.text:
            out.append(element.text)
        for child in element:
            walk(child, out)
            if child.tail:
                out.append(child.tail)
        if tag in ("p", "li", "h1", "h2", "h3", "tr", "div", "dd", "dt", "br", "section", "th"):
            out.append("\n")

    body = root.find(".//body")
    if body is not None:
        words: list[str] = []
        walk(body, words)
        lines += [" ".join(line.split()) for line in "".join(words).split("\n")]
    for script in root.iter("script"):
        if script.get("type") == "application/json" and script.text:
            lines.append(f"data block {script.get('id')}: {script.text.strip()}")
    return [line for line in lines if line]


def page_changes(old: bytes, new: bytes) -> Iterator[str]:
    a, b = visible_text(old), visible_text(new)
    blocks_a = {line.split(":", 1)[0]: line for line in a if line.startswith("data block ")}
    blocks_b = {line.split(":", 1)[0]: line for line in b if line.startswith("data block ")}
    a = [line for line in a if not line.startswith("data block ")]
    b = [line for line in b if not line.startswith("data block ")]
    for line in difflib.unified_diff(a, b, lineterm="", n=0):
        if not line.startswith(("---", "+++", "@@")):
            yield f"text {line[0]} {line[1:]}"
    for name in sorted(blocks_a.keys() | blocks_b.keys()):
        x, y = blocks_a.get(name), blocks_b.get(name)
        if x != y:
            load = lambda v: json.loads(v.split(": ", 1)[1]) if v else None  # noqa: E731
            yield from (f"{name[11:]}: {line}" for line in json_changes(load(x), load(y)))
    if a == b and blocks_a == blocks_b:
        yield "markup only: the visible text and the data are the same"


def rdf_changes(old: bytes, new: bytes) -> Iterator[str]:
    """Triples added and removed (catalog.rdf has no blank nodes: tests/publication)."""
    import rdflib

    def triples(data: bytes) -> set[str]:
        graph = rdflib.Graph().parse(data=data, format="xml")
        return {f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph}

    a, b = triples(old), triples(new)
    yield from (f"triple removed: {t}" for t in sorted(a - b))
    yield from (f"triple added: {t}" for t in sorted(b - a))


def text_changes(old: bytes, new: bytes) -> Iterator[str]:
    a = old.decode("utf-8", "replace").splitlines()
    b = new.decode("utf-8", "replace").splitlines()
    for line in difflib.unified_diff(a, b, lineterm="", n=0):
        if not line.startswith(("---", "+++", "@@")):
            yield f"line {line[0]} {line[1:]}"


def _json_file(old: bytes, new: bytes) -> Iterator[str]:
    return json_changes(json.loads(old), json.loads(new))


BY_SUFFIX: dict[str, Callable[[bytes, bytes], Iterator[str]]] = {
    ".geojson": geojson_changes,
    ".json": _json_file,
    ".csv": csv_changes,
    ".html": page_changes,
    ".rdf": rdf_changes,
}


def describe(rel: str, old: bytes | None, new: bytes | None) -> list[str]:
    """What changes in the output `rel` (a path relative to the folder), in words."""
    if old is None:
        return ["new output"]
    if new is None:
        return ["no longer made"]
    if old == new:
        return []
    compare = BY_SUFFIX.get(Path(rel).suffix, text_changes)
    try:
        lines = list(compare(old, new))
    except Exception as exc:  # an output that no longer parses is a change to report too
        lines = [f"could not be compared ({type(exc).__name__}: {exc}); bytes differ"]
    return lines or ["bytes differ, the meaning compared is the same"]


def report(golden: dict[str, bytes], outputs: dict[str, bytes]) -> list[str]:
    """Lines for every output whose golden file would change, grouped by file."""
    lines: list[str] = []
    for rel in sorted(golden.keys() | outputs.keys()):
        found = describe(rel, golden.get(rel), outputs.get(rel))
        if not found:
            continue
        lines.append(f"{rel}:")
        lines += [f"  {line}" for line in found[:MAX_LINES]]
        if len(found) > MAX_LINES:
            lines.append(f"  ... and {len(found) - MAX_LINES} more")
    return lines


def main() -> int:
    from tests.publishing import publish

    with tempfile.TemporaryDirectory() as tmp:
        publish(Path(tmp), Path(tmp) / "public")
        outputs = text_outputs(Path(tmp) / "public")
    lines = report(text_outputs(GOLDEN), outputs)
    print("What the golden files would change (tests/golden/publication):")
    print("\n".join(lines) if lines else "  nothing: every output is as its golden file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
