"""The layers' vocabulary: one snake_case name per layer, used everywhere.

The same name is the file stem, the dict key, the option value and the map group:
``office``, ``partner_cities``, ``friendship_towns``, ``connections``, and ``all`` for every
feature of the four. Human labels for them live in the text catalogue (:mod:`geo.text`). The
landing page of each language is named once too (:func:`landing_page`).
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.schema import Kind

LAYER_OF_KIND: dict[Kind, str] = {
    Kind.OFFICE: "office",
    Kind.PARTNER_CITY: "partner_cities",
    Kind.FRIENDSHIP_TOWN: "friendship_towns",
}
PLACE_LAYERS: tuple[str, ...] = tuple(LAYER_OF_KIND.values())
CONNECTIONS = "connections"
ALL = "all"
LAYERS: tuple[str, ...] = (*PLACE_LAYERS, CONNECTIONS)
LAYER_FILES: tuple[str, ...] = (*LAYERS, ALL)


def landing_page(lang: str, languages: Sequence[str]) -> str:
    """The publication's landing page in `lang`: ``index.html`` for the first (main) of the
    page `languages`, ``<lang>.html`` for the others (``en.html``)."""
    return "index.html" if lang == languages[0] else f"{lang}.html"
