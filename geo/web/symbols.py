"""Stage 4, render maps: the web map's symbols and line styles, from :mod:`geo.style`.

Gives what the templates draw (``web/symbols.html`` turns a :class:`Mark` into SVG) and what the
page script styles lines with (:func:`line_style`). Kind is told by colour and shape, status by
fill and dash, exactly as :mod:`geo.style` says for every map; nothing here picks a colour of its
own. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo import style
from geo.schema import Kind, Status

SIZE = 26  # CSS pixels: the marker (at least 24 by 24, WCAG 2.5.8)
STROKE_HOLLOW, STROKE_FILLED = 3.0, 2.0  # outline width of a hollow (dormant) and a filled symbol


def _dashes(pattern: tuple[float, ...] | None, width: float) -> str | None:
    if not pattern:
        return None
    return " ".join(f"{value * width:g}" for value in pattern)


@dataclass(frozen=True)
class Mark:
    """One symbol: a shape, its fill, its outline (maybe dashed), and a thin edge when filled."""

    key: str  # "partner_city|dormant", "office|": how pages and scripts name it
    shape: str  # square, circle or triangle (geo.style)
    fill: str
    stroke: str
    width: float
    dash: str | None
    edge: str | None  # the thin outer edge of a filled symbol (3:1 on any background)
    ring: str | None  # the colour of the circle's outer ring (filled or hollow); None: no ring


def mark_key(kind: str, status: str | None) -> str:
    return f"{kind}|{status or ''}"


def mark(kind: str, status: str | None) -> Mark:
    """The symbol of a place of `kind` whose relation has `status` (None for the office)."""
    symbol = style.SYMBOLS[Kind(kind)]
    hollow = style.is_hollow(status)
    width = STROKE_HOLLOW if hollow else STROKE_FILLED
    return Mark(
        key=mark_key(kind, status),
        shape=symbol.shape,
        fill=style.HOLLOW_FILL if hollow else symbol.colour,
        stroke=symbol.colour if hollow else style.HALO,
        width=width,
        dash=_dashes(style.OUTLINE_DASH, width) if hollow else None,
        edge=None if hollow else style.EDGE,
        ring=style.EDGE if symbol.shape == "circle" else None,
    )


def all_marks() -> list[Mark]:
    """Every symbol a place can have (the office has no status), in a fixed order."""
    marks = [mark(Kind.OFFICE, None)]
    marks += [mark(kind, status) for kind in Kind if kind != Kind.OFFICE for status in Status]
    return marks


@dataclass(frozen=True)
class Stroke:
    """A line sample for keys: colour, width, opacity and dash, as the map draws the line."""

    colour: str
    width: float
    opacity: float
    dash: str | None


def line_stroke(colour: str, status: str) -> Stroke:
    """A connection's look in a key: `colour`, with the width, opacity and dash of `status`."""
    state = Status(status)
    width = style.LINE_WIDTH[state]
    return Stroke(colour, width, style.LINE_OPACITY[state], _dashes(style.LINE_DASH[state], width))


def line_style(kind: str, status: str) -> dict[str, Any]:
    """Leaflet path options of a connection to a place of `kind` with `status`."""
    stroke = line_stroke(style.SYMBOLS[Kind(kind)].colour, status)
    options: dict[str, Any] = {
        "color": stroke.colour,
        "weight": stroke.width,
        "opacity": stroke.opacity,
    }
    if stroke.dash:
        options["dashArray"] = stroke.dash
    return options


def line_rank(status: str) -> int:
    """Where a line of `status` is drawn: dormant lines first, active ones over them."""
    return style.LINE_ORDER.index(Status(status))


def colours() -> dict[str, str]:
    """The colours the page script needs besides symbols and lines (basemap, leader lines)."""
    return {
        "land": style.LAND,
        "coastline": style.COASTLINE,
        "sea": style.SEA,
        "leader": style.LEADER,
    }
