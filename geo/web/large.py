"""Stage 4, render maps: the pages of a large table (more than :data:`LARGE_TABLE` places).

Such pages do not carry the places: the page script (``static/large.js``) fetches the layer files
beside the maps, clusters the markers, draws the connections only when they are switched on and
lists the places a page at a time. This module gives that script its settings and words
(:func:`config`) and the note under the table. Below the threshold every place is in the page,
which works offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.config import MapSettings
from geo.layers import FeatureCollection
from geo.model import PLACE_LAYERS
from geo.schema import BY_NAME, Kind, Status
from geo.text import texts
from geo.web import symbols
from geo.web.entries import place_count
from geo.web.words import locale

LARGE_TABLE = 500
PAGE_SIZE = 100  # rows of the places table per page
MAX_ZOOM = 12  # clusters need a highest zoom; places closer than a cluster there are spiderfied
COLUMNS = ("name_local", "country", "kind", "status", "since", "source", "as_of")
COLUMNS += ("visiting_address", "postal_address", "phone")


def is_large(layers: Mapping[str, FeatureCollection]) -> bool:
    return place_count(layers) > LARGE_TABLE


def config(options: MapSettings, lang: str) -> dict[str, Any]:
    """What ``geoLarge.load`` needs: where the layers are, words, country names, line styles."""
    t = texts(lang)
    words = {column: BY_NAME[column].label(lang) for column in COLUMNS}
    keys = ("map.unknown", "map.cluster", "map.page", "map.failed", "map.close")
    words |= {k.removeprefix("map."): t(k) for k in keys}
    words |= {f"kind_{k.value}": t.kind(k.value) for k in Kind}
    words |= {f"status_{s.value}": t.status(s.value) for s in Status}
    territories = locale(lang).territories
    return {
        "base": options.layers_url,
        "layers": list(PLACE_LAYERS),
        "text": words,
        "countries": {code: name for code, name in territories.items() if len(code) == 2},
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
        "note": t("map.table_large", count=f"{count:,}".replace(",", "\u00a0"), size=PAGE_SIZE),
        "status": t("map.page", n=1, m=pages),
    }
