"""Read an earlier publication: the places it published, its change log and its checksums.

The next publication builds on it: the change log goes on, and each file keeps its last-change
date while its bytes stay the same. Everything read is checked for shape, so a damaged or foreign
folder gives a :class:`~geo.errors.PublishError` naming the file, never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _features(collection: Any, where: Path) -> list[dict[str, Any]]:
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise PublishError(
            f"{where}: not a GeoJSON FeatureCollection; expected the layer "
            "`geo publish` writes. Publish into an empty folder instead."
        )
    points = []
    for i, feature in enumerate(features):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            continue
        coords, props = geometry.get("coordinates"), feature.get("properties")
        ok = isinstance(props, dict) and isinstance(coords, list) and len(coords) >= 2
        if not ok or not all(isinstance(c, int | float) for c in coords[:2]):
            raise PublishError(
                f"{where}: feature {i} is not a place as `geo publish` writes it. "
                "Publish into an empty folder instead."
            )
        points.append(feature)
    return points


def read_published(folder: Path) -> Published:
    """Read an earlier publication; PublishError if `folder` is not one or is damaged."""
    if not is_publication(folder):
        raise PublishError(
            f"{folder}: not a publication; expected a folder made by `geo publish` "
            f"(with {SUMS} and {ALL_PATH})."
        )
    try:
        collection = json.loads((folder / ALL_PATH).read_bytes())
        log_path = folder / CHANGES
        log = json.loads(log_path.read_bytes()) if log_path.is_file() else {}
        sums = parse_checksums((folder / SUMS).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise PublishError(
            f"{folder}: the earlier publication cannot be read ({str(exc)[:120]}); expected the "
            "files `geo publish` writes. Publish into an empty folder instead."
        ) from exc
    if not isinstance(log, dict):
        raise PublishError(
            f"{folder / CHANGES}: not the change log `geo publish` writes. "
            "Publish into an empty folder instead."
        )
    features = _features(collection, folder / ALL_PATH)
    return Published(changes.records_from_features(features), log, sums)
