"""Stage 4, render maps: the pages of a large table (more than :data:`LARGE_TABLE` places).

Such pages do not carry the places. They load, beside them in ``maps/places/``
(:func:`map_files`), one compact file of what the map draws (:data:`POINTS`: each place's id,
coordinates, kind, status, names and country, in the order of the table) and, only when asked,
the details of :data:`CHUNK` places at a time (``details-0000.json``, ...: every property, for
a popup or a page of the table: one popup or one page fetches one chunk). The page script
(``static/large.js``) clusters the markers, fetches a chunk when a popup opens or the table
turns a page, and fetches the connections (the layer file) only when they are switched on.
This module makes those files, gives the script its settings and words (:func:`config`) and
the note under the table. Below the threshold every place is in the page, which works offline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from geo.config import MapSettings
from geo.layers import FeatureCollection
from geo.model import LAYER_OF_KIND, PLACE_LAYERS
from geo.schema import Kind, Status
from geo.text import FALLBACK, texts
from geo.urls import tel_url
from geo.web import symbols
from geo.web.entries import features, place_count
from geo.web.words import date_text

LARGE_TABLE = 500
PAGE_SIZE = 100  # rows of the places table per page
MAX_ZOOM = 12  # clusters need a highest zoom; places closer than a cluster there are spiderfied
CHUNK = PAGE_SIZE  # places per details file: one page of the table, or one popup's neighbours
FOLDER = "places"  # in the maps folder
POINTS = f"{FOLDER}/points.json"
KINDS = tuple(k.value for k in Kind)
STATUSES = (None, *(s.value for s in Status))


def fields(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of a place in :data:`POINTS`: its names in English and in each of the column
    `languages` (:attr:`geo.schema.Schema.languages`) among the others."""
    names = (f"name_{lang}" for lang in languages if lang != FALLBACK)
    return ("id", "lon", "lat", "kind", "status", f"name_{FALLBACK}", *names, "country")


def details_name(chunk: int) -> str:
    """The details file of chunk `chunk` (places chunk * CHUNK onwards), in the maps folder."""
    return f"{FOLDER}/details-{chunk:04d}.json"


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def map_files(
    layers: Mapping[str, FeatureCollection], languages: tuple[str, ...]
) -> dict[str, bytes]:
    """The files a large map loads, by path in the maps folder: :data:`POINTS` and the chunks.

    In :data:`POINTS` each place is a row of :func:`fields`: kind and status as indexes into
    ``kinds`` and ``statuses``, a name empty where it is the English one. Row `i`'s
    details are in chunk ``i // CHUNK``. JSON, read by the page with ``fetch().json()``: the
    text from the data is never HTML until the page script sets it as text.
    """
    places = list(features(layers))
    names = [f"name_{lang}" for lang in languages if lang != FALLBACK]
    rows = []
    for f in places:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        english = p[f"name_{FALLBACK}"]
        rows.append([
            f["id"], lon, lat, KINDS.index(p["kind"]), STATUSES.index(p.get("status")), english,
            *("" if (p.get(n) or "") == english else p.get(n) or "" for n in names),
            p.get("country") or "",
        ])  # fmt: skip
    points = {"fields": fields(languages), "kinds": KINDS, "statuses": STATUSES, "chunk": CHUNK}
    files = {POINTS: _json({**points, "places": rows})}
    for start in range(0, len(places), CHUNK):
        chunk = [details(f["properties"]) for f in places[start : start + CHUNK]]
        files[details_name(start // CHUNK)] = _json(chunk)
    return files


def details(props: Mapping[str, Any]) -> dict[str, Any]:
    """A place's properties as its chunk holds them (no empty ones), with the ``tel:`` link of
    its phone made here (:func:`geo.urls.tel_url`), never by the page script."""
    out = {k: v for k, v in props.items() if v is not None}
    if props.get("phone"):
        out["phone_href"] = tel_url(str(props["phone"]))
    return out


def is_large(layers: Mapping[str, FeatureCollection]) -> bool:
    return place_count(layers) > LARGE_TABLE


def config(
    options: MapSettings, lang: str, layers: Mapping[str, FeatureCollection] | None = None
) -> dict[str, Any]:
    """What ``geoLarge.load`` needs: where the layers are, words, country names, the dates of
    the table written for people, line styles."""
    t = texts(lang)
    places = features(layers) if layers else ()
    days = {str(f["properties"]["as_of"]) for f in places if f["properties"].get("as_of")}
    words: dict[str, str] = {}
    keys = ("map.unknown", "map.cluster", "map.page", "map.failed")
    words |= {k.removeprefix("map."): t(k) for k in keys}
    words |= {f"kind_{k.value}": t.kind(k.value) for k in Kind}
    words |= {f"status_{s.value}": t.status(s.value) for s in Status}
    territories = t.locale.territories
    return {
        "fallback": FALLBACK,
        "base": options.layers_url,
        "points": POINTS,
        "details": details_name(0).replace("0000", "{n}"),
        "layers": list(PLACE_LAYERS),
        "layerOf": {kind.value: layer for kind, layer in LAYER_OF_KIND.items()},
        "text": words,
        "countries": {code: name for code, name in territories.items() if len(code) == 2},
        "dates": {day: date_text(day, lang) for day in sorted(days)},
        "lines": {
            f"{kind.value}|{status.value}": symbols.line_style(kind.value, status.value)
            for kind in Kind
            if kind != Kind.OFFICE
            for status in Status
        },
        "pageSize": PAGE_SIZE,
        "maxZoom": MAX_ZOOM,
    }


def table_note(layers: Mapping[str, FeatureCollection], lang: str) -> dict[str, str]:
    """The note under a large table and the first page's status line."""
    t = texts(lang)
    count = place_count(layers)
    pages = -(-count // PAGE_SIZE)
    return {
        "note": t("map.table_large", count=t.number(count), size=PAGE_SIZE),
        "status": t("map.page", n=1, m=pages),
    }
