"""Stage 4, render maps: layers in, the files of the maps folder out (as bytes, never written).

Takes the layers of :func:`geo.layers.build_layers` (never the table) and the settings; gives the
files of the maps folder by relative path: for each of the settings' languages a full page
(``sv.html``, ``en.html`` ...) and an embed page for an iframe (``sv-embed.html`` ...),
``embed-snippet.html`` with the iframe code, ``assets/`` (Leaflet, Leaflet.GestureHandling,
Leaflet.markercluster for large tables, and the country-outline basemap) and, for a large table,
``places/`` (the compact file and the chunks of details its pages load: :mod:`geo.web.large`).
Each page is made by :func:`geo.web.page.render_page`; options come from ``[map]`` in geo.toml
(:class:`geo.config.MapSettings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.config import Settings
from geo.gc_pause import without_gc_pauses
from geo.io.basemap import read_basemap
from geo.layers import FeatureCollection
from geo.web import large
from geo.web.assets import (
    Asset,
    basemap_script,
    fine_outlines,
    gesture_asset,
    leaflet_assets,
    markercluster_assets,
)
from geo.web.entries import home_longitude, near_bounds
from geo.web.large import LARGE_TABLE, PAGE_SIZE, is_large
from geo.web.page import STATIC, Bundle, render_page
from geo.web.snippet import STYLESHEET, render_snippet

SNIPPET = "embed-snippet.html"
__all__ = ["LARGE_TABLE", "PAGE_SIZE", "SNIPPET", "is_large", "render_maps"]


def bundle(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    outlines: Mapping[str, Any] | None,
) -> Bundle:
    """The third-party files the pages load, and the basemap unless tiles are set."""
    basemap = None
    if not settings.map.tiles:
        if outlines is None:
            outlines = read_basemap(settings.basemap)
        basemap = Asset("assets/basemap.js", basemap_script(dict(outlines)))
    fine = None
    near = None if is_large(layers) else near_bounds(layers)
    if basemap is not None and settings.basemap is None and near is not None:
        fine = fine_outlines(near, home_longitude(layers))  # (the shipped outlines only)
    return Bundle(
        leaflet=leaflet_assets(),
        gesture=gesture_asset(),
        basemap=basemap,
        cluster=markercluster_assets() if is_large(layers) else None,
        fine=fine[0] if fine else None,
        fine_box=fine[1] if fine else None,
    )


def asset_files(files: Bundle, assets: str) -> dict[str, bytes]:
    """The files of ``assets/`` the pages load in the asset mode `assets`."""
    if assets == "inline":
        return {}
    out = [files.gesture, *(files.cluster or ())]
    if assets == "local":
        out += files.leaflet
    if files.basemap is not None:
        out.append(files.basemap)
    if files.fine is not None:
        out.append(files.fine)
    return {asset.path: asset.data for asset in out}


@without_gc_pauses
def render_maps(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    outlines: Mapping[str, Any] | None = None,
) -> dict[str, bytes]:
    """Every file of the maps folder, by path relative to it.

    `outlines` is the basemap GeoJSON; when not given it is read from the settings' basemap file.
    """
    files_used = bundle(layers, settings, outlines)
    files: dict[str, bytes] = {}
    for lang in settings.languages:
        for embed in (False, True):
            name = f"{lang}-embed.html" if embed else f"{lang}.html"
            files[name] = render_page(layers, settings, lang, embed, files_used).encode("utf-8")
    files.update(asset_files(files_used, settings.map.assets))
    if files_used.cluster is not None:  # a large table's places, beside the pages
        files.update(large.map_files(layers, settings.schema.languages))
    example = next((str(f["id"]) for f in layers["partner_cities"]["features"]), "")
    files[SNIPPET] = render_snippet(settings, files_used.cluster is not None, example).encode()
    files[STYLESHEET] = (STATIC / STYLESHEET).read_bytes()
    return dict(sorted(files.items()))
