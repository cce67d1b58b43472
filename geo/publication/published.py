"""Read an earlier publication: the places it published, its change log and its checksums.

The next publication builds on it: the change log goes on, and each file keeps its last-change
date while its bytes stay the same. Everything read is checked for shape, so a damaged or foreign
folder gives a :class:`~geo.errors.PublishError` naming the file, never a traceback.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo import textrules
from geo.errors import PublishError
from geo.model import ALL
from geo.publication import changes

LAYERS_DIR = "data/layers"  # as in the repository: the maps link ../data/layers/all.geojson
ALL_PATH = f"{LAYERS_DIR}/{ALL}.geojson"
SUMS = "SHA256SUMS"
CHANGES = "changes.json"


@dataclass(frozen=True)
class Published:
    """What an earlier publication holds that the next one builds on."""

    records: dict[str, changes.Record]
    log: dict[str, Any] = field(default_factory=dict)  # changes.json
    sums: dict[str, str] = field(default_factory=dict)  # SHA256SUMS


def is_publication(folder: Path) -> bool:
    """Whether `folder` holds a publication made by ``geo publish`` (it has SHA256SUMS)."""
    return (folder / SUMS).is_file() and (folder / ALL_PATH).is_file()


def parse_checksums(text: str) -> dict[str, str]:
    """Path -> hex digest from a ``SHA256SUMS`` text (the format ``sha256sum --check`` reads)."""
    sums = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name.lstrip("*")] = digest
    return sums


MAX_BYTES = 256 * 1024 * 1024  # an earlier publication's file larger than this is not ours
_HINT = "Publish into an empty folder instead, or restore the folder from a backup."


def _bad(where: Path, what: str) -> PublishError:
    return PublishError(f"{where}: {what}; expected what `geo publish` writes. {_HINT}")


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _load(path: Path) -> Any:
    """JSON from an earlier publication: UTF-8, finite numbers, a sane size and depth."""
    with path.open("rb") as fp:
        data = fp.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES:,} bytes")
    return json.loads(data.decode("utf-8"), parse_constant=_no_constants)


def _value_ok(value: Any) -> bool:
    """A published property: text by the text rules, a finite number, true/false or null."""
    if isinstance(value, str):
        return textrules.first_bad(value, multiline=True) is None
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, int | bool)


def _features(collection: Any, where: Path) -> list[dict[str, Any]]:
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise _bad(where, "not a GeoJSON FeatureCollection")
    points = []
    for i, feature in enumerate(features):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            continue
        coords, props = geometry.get("coordinates"), feature.get("properties")
        ok = isinstance(props, dict) and isinstance(coords, list) and len(coords) >= 2
        ok = ok and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
        ok = ok and all(_value_ok(v) for v in (*props.values(), feature.get("id")))
        if not ok:
            raise _bad(where, f"feature {i} is not a place as `geo publish` writes it")
        points.append(feature)
    return points


def _summary_ok(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and all(_value_ok(v) for v in item.values())
    )


def _entry_ok(entry: Any) -> bool:
    """One change-log entry as `geo publish` writes it (what the next one renders again)."""
    date = entry.get("date") if isinstance(entry, dict) else None
    if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return False
    lists = [entry.get(k) for k in ("added", "removed", "changed")]
    if not all(isinstance(x, list) for x in lists):
        return False
    changed = entry["changed"]
    return all(_summary_ok(s) for s in entry["added"] + entry["removed"]) and all(
        isinstance(c, dict)
        and _summary_ok({"id": c.get("id"), "name_en": c.get("name_en")})
        and isinstance(c.get("fields"), list)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("field"), str)
            and _value_ok(f["field"])
            and _value_ok(f.get("old"))
            and _value_ok(f.get("new"))
            for f in c["fields"]
        )
        for c in changed
    )


def _check_log(log: Any, where: Path) -> dict[str, Any]:
    if not isinstance(log, dict):
        raise _bad(where, "not the change log")
    entries = log.get("entries", [])
    if not isinstance(entries, list):
        raise _bad(where, "`entries` is not a list")
    for i, entry in enumerate(entries):
        if not _entry_ok(entry):
            raise _bad(where, f"entry {i + 1} of `entries` is not a change-log entry")
    files = log.get("files", {})
    if not isinstance(files, dict):
        raise _bad(where, "`files` is not an object")
    return log


def read_published(folder: Path) -> Published:
    """Read an earlier publication; PublishError if `folder` is not one or is damaged."""
    if not is_publication(folder):
        raise PublishError(
            f"{folder}: not a publication; expected a folder made by `geo publish` "
            f"(with {SUMS} and {ALL_PATH})."
        )
    try:
        collection = _load(folder / ALL_PATH)
        log_path = folder / CHANGES
        log = _load(log_path) if log_path.is_file() else {}
        sums = parse_checksums((folder / SUMS).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise PublishError(
            f"{folder}: the earlier publication cannot be read ({str(exc)[:120]}); expected the "
            f"files `geo publish` writes. {_HINT}"
        ) from exc
    log = _check_log(log, folder / CHANGES)
    features = _features(collection, folder / ALL_PATH)
    return Published(changes.records_from_features(features), log, sums)
