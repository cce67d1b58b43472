"""Stage 4, render maps: the key below the map and the sentence that sums the map up.

The key has a row per kind and status on the map, its line and symbol drawn exactly as the map
draws them (the print map's legend has the same rows, from the same :mod:`geo.style`), and a
toggle per layer; :func:`summary` is the one sentence above the map for screen readers. Plain
values for the templates (``web/key.html``), never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from geo import style
from geo.layers import FeatureCollection
from geo.model import CONNECTIONS
from geo.schema import Kind, Status
from geo.text import texts
from geo.web import symbols
from geo.web.entries import features


@dataclass(frozen=True)
class KeyItem:
    """A row of the key: a symbol or line sample and its words (a layer toggle when `layer`)."""

    text: str
    mark: symbols.Mark | None = None
    stroke: symbols.Stroke | None = None
    layer: str | None = None
    count: int = 0
    hint: str = ""  # said to screen readers only: how the sample looks


@dataclass(frozen=True)
class Key:
    statuses: list[KeyItem] = field(default_factory=list)
    layers: list[KeyItem] = field(default_factory=list)


HINTS = {Status.ACTIVE: "map.key_active", Status.DORMANT: "map.key_dormant"}


def _rank(pair: tuple[str, str | None]) -> tuple[int, int]:
    kind, status = pair
    return list(Kind).index(Kind(kind)), list(Status).index(Status(status)) if status else -1


def key(layers: Mapping[str, FeatureCollection], lang: str) -> Key:
    """The key: a row per kind and status on the map (its line and symbol exactly as the map
    draws them, as the print map's legend has them), and each layer with its toggle."""
    t = texts(lang)
    pairs = {(str(f["properties"]["kind"]), f["properties"].get("status") or None)
             for f in features(layers)}  # fmt: skip
    statuses = []
    for kind, status in sorted(pairs, key=_rank):
        colour = style.SYMBOLS[Kind(kind)].colour
        text = t.kind(kind) if status is None else t("map.key_entry", kind=t.kind(kind),
                                                       status=t.status(status))  # fmt: skip
        statuses.append(
            KeyItem(
                text[:1].upper() + text[1:],
                mark=symbols.mark(kind, status),
                stroke=symbols.line_stroke(colour, status) if status else None,
                hint=t(HINTS[Status(status)]) if status else "",
            )
        )
    kinds = {"office": Kind.OFFICE, "partner_cities": Kind.PARTNER_CITY}
    kinds["friendship_towns"] = Kind.FRIENDSHIP_TOWN
    rows = [
        KeyItem(t.layer(name), layer=name, count=len(layers[name]["features"])) for name in kinds
    ]
    rows.append(
        KeyItem(
            t.layer(CONNECTIONS),
            layer=CONNECTIONS,
            count=len(layers[CONNECTIONS]["features"]),
        )
    )
    return Key(statuses, rows)


# The catalogue keys of a count of one status (written out so every key can be found in code).
COUNTS = {
    (Status.ACTIVE, True): "map.summary_active_one",
    (Status.ACTIVE, False): "map.summary_active_other",
    (Status.DORMANT, True): "map.summary_dormant_one",
    (Status.DORMANT, False): "map.summary_dormant_other",
}


def summary(layers: Mapping[str, FeatureCollection], home: str, lang: str) -> str:
    """The one sentence above the map for screen readers, counted as the print map's subtitle
    counts: "Gothenburg: 10 partner cities (1 active, 9 dormant) and 3 friendship towns (3
    active)."."""
    t = texts(lang)
    parts = []
    for kind in (Kind.PARTNER_CITY, Kind.FRIENDSHIP_TOWN):
        group = [f["properties"].get("status") for f in features(layers)
                 if f["properties"]["kind"] == kind]  # fmt: skip
        if not group:
            continue
        counts = [(s, sum(g == s for g in group)) for s in Status]
        statuses = ", ".join(t(COUNTS[s, n == 1], n=n) for s, n in counts if n)
        noun = t.kind(kind) if len(group) == 1 else t(f"kind_plural.{kind.value}")
        parts.append(t("map.summary_kind", n=len(group), kind=noun, statuses=statuses))
    if not parts:
        return t("map.summary_none", home=home)
    return t("map.summary", home=home, relations=t("map.summary_join").join(parts))
