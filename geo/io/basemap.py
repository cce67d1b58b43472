"""Read the basemap: the country outlines the maps draw (GeoJSON, Natural Earth by default).

The outlines ship inside the package (``geo/basemap/``), so a new project needs no copy of them;
``[map] basemap`` in the settings may name another file. Checked when read: a FeatureCollection of
Polygons and MultiPolygons whose positions are ``[lon, lat]`` numbers; anything else is a
:class:`~geo.errors.SourceError` naming the file and the first bad feature.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import SourceError
from geo.geometry import polygons

if TYPE_CHECKING:
    from geo.config import Settings

PACKAGED = "countries-110m.geojson"
HINT = "Point `[map] basemap` at a GeoJSON file of country outlines, or remove the setting to use "
HINT += "the outlines shipped with geo."


def packaged_bytes() -> bytes:
    """The shipped outlines (Natural Earth 1:110m, public domain; see geo/basemap/README.md)."""
    return resources.files("geo").joinpath("basemap", PACKAGED).read_bytes()


def read_basemap_bytes(path: Path | None, where: str | None = None) -> bytes:
    """The basemap file's bytes: `path`, or the shipped outlines when it is None."""
    if path is None:
        return packaged_bytes()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(
            f"{where or path}: cannot read the basemap ({exc.strerror or exc}); expected "
            f"a GeoJSON file of country outlines. {HINT}"
        ) from exc


def load_basemap(data: bytes, where: str) -> dict[str, Any]:
    """Parse and check the outlines; SourceError if they are not usable."""
    try:
        basemap = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise SourceError(
            f"{where}: the basemap is not valid JSON ({str(exc)[:100]}); expected a GeoJSON "
            f"FeatureCollection. {HINT}"
        ) from exc
    if not isinstance(basemap, dict) or basemap.get("type") != "FeatureCollection":
        raise SourceError(f"{where}: the basemap is not a GeoJSON FeatureCollection. {HINT}")
    features = basemap.get("features")
    if not isinstance(features, list):
        raise SourceError(f"{where}: the basemap has no list of features. {HINT}")
    for i, feature in enumerate(features):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not _outline(geometry):
            raise SourceError(
                f"{where}: feature {i} of the basemap is not a Polygon or MultiPolygon of "
                f"[lon, lat] numbers. {HINT}"
            )
    return basemap


def read_basemap(path: Path | None, where: str | None = None) -> dict[str, Any]:
    """Read and check the outlines at `path` (None: the shipped ones)."""
    where = where or (str(path) if path is not None else f"geo/basemap/{PACKAGED}")
    return load_basemap(read_basemap_bytes(path, where), where)


class Basemap:
    """The basemap of a build, read once: its bytes for the render stamps, parsed only by the
    process that draws a map (it arrives there pickled, as its bytes: this module is all that
    process imports for it)."""

    def __init__(self, settings: Settings) -> None:
        self.where = settings.display(settings.basemap) if settings.basemap else "basemap"
        self.data = read_basemap_bytes(settings.basemap, self.where)
        self._parsed: dict[str, Any] | None = None

    def __call__(self) -> dict[str, Any]:
        if self._parsed is None:
            self._parsed = load_basemap(self.data, self.where)
        return self._parsed


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ring(ring: Any) -> bool:
    return isinstance(ring, list) and all(
        isinstance(p, list) and len(p) >= 2 and _number(p[0]) and _number(p[1]) for p in ring
    )


def _outline(geometry: Any) -> bool:
    """A (Multi)Polygon whose rings are lists of [lon, lat] numbers."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return False
    if not isinstance(geometry.get("coordinates"), list):
        return False
    found = polygons(geometry)
    return all(isinstance(p, list) and all(_ring(ring) for ring in p) for p in found)
