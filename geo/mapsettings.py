"""The ``[map]`` section of the settings: how the maps load their assets and tiles, and where
the iframe snippet and a large table's pages point, each value checked when read (a tile
address an https URL template with {z}, {x} and {y}, and its attribution given). Part of
:mod:`geo.config`, which reads the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.tomlcheck import TableChecker, show
from geo.urls import url_problem

ASSET_MODES: tuple[str, ...] = ("local", "inline", "cdn")


@dataclass(frozen=True)
class MapSettings:
    """The ``[map]`` section: how the maps load their assets and where the snippet points."""

    assets: str = "local"
    tiles: str | None = None
    tiles_attribution: str | None = None
    url: str = ""  # where maps/ is published, for the iframe snippet (empty: relative links)
    data_url: str = "../data/layers/all.geojson"
    layers_url: str = "../data/layers/"  # where a large table's pages fetch the layers


def tiles_ok(tiles: str) -> bool:
    """Whether `tiles` is a tile address Leaflet can fill: an https URL template with {z}, {x}
    and {y} (and optionally {s} and {r}), and no other placeholder."""
    filled = tiles.replace("{z}", "1").replace("{x}", "1").replace("{y}", "1")
    filled = filled.replace("{s}", "a").replace("{r}", "")
    return (
        all(p in tiles for p in ("{z}", "{x}", "{y}"))
        and "{" not in filled
        and "}" not in filled
        and not url_problem(filled, relative=False)
        and filled.startswith("https://")
    )


def read_map(c: TableChecker) -> MapSettings:
    """The ``[map]`` section, checked (its defaults where a key is missing)."""
    assets = c.text("map", "assets") or "local"
    if assets not in ASSET_MODES:
        c.fail(
            "settings/bad-choice",
            "map.assets",
            f"`map.assets` is {show(assets)}",
            "one of " + ", ".join(ASSET_MODES),
        )
    tiles = c.text("map", "tiles")
    if tiles is not None and not tiles_ok(tiles):
        c.fail(
            "settings/bad-tiles",
            "map.tiles",
            f"`map.tiles` {show(tiles)} is not usable",
            "an https URL template with {z}, {x} and {y}",
        )
        tiles = None
    attribution = c.text("map", "tiles_attribution")
    if c.get("map", "tiles") is not None and not attribution:
        c.fail(
            "settings/missing",
            "map.tiles_attribution",
            "`map.tiles` needs `tiles_attribution`",
            "the text the tile provider asks for, such as '© OpenStreetMap contributors'",
        )
    defaults = MapSettings()
    return MapSettings(
        assets=assets,
        tiles=tiles,
        tiles_attribution=attribution,
        url=c.url("map", "url", relative=True, default="") or "",
        data_url=c.url("map", "data_url", relative=True, default=defaults.data_url) or "",
        layers_url=c.url("map", "layers_url", relative=True, default=defaults.layers_url) or "",
    )
