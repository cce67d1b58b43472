"""The visual language of :mod:`geo.style` in matplotlib's terms (part of the print stage).

:mod:`geo.style` says how a kind and a status look on every map: colour and shape by kind, fill
and dash by status, line widths in CSS pixels and dash patterns as multiples of the line width.
This module turns those values into points, marker codes and dash tuples, and adds only what
print needs besides (how large a symbol is, how thick its outline). Pure data and arithmetic:
the panel and the legend draw with :func:`place_look` and :func:`line_look`, and nothing else
chooses a colour, a shape or a dash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo import style
from geo.schema import Kind, Status

PT_PER_PX = 0.75  # a CSS pixel is 1/96 inch, a point 1/72 inch
MARKERS: dict[str, str] = {"square": "s", "circle": "o", "triangle": "^"}
# Matplotlib draws a square as wide as a circle's diameter and a triangle of that height; these
# bring them to the proportions of the web map's symbols (square 18, circle 20, triangle 22 px).
SHAPE_SCALE: dict[str, float] = {"square": 0.9, "circle": 1.0, "triangle": 1.15}
SYMBOL_PT = 9.0  # the diameter of a circle symbol
STROKE_PT = 1.0  # the white outline (style.HALO) of a filled symbol
HOLLOW_STROKE_PT = 1.3  # the dashed outline of a hollow symbol, in its kind's colour
EDGE_PT = 0.6  # the thin edge (style.EDGE) around a filled symbol's white outline


@dataclass(frozen=True)
class PlaceLook:
    """How the places of one kind and status are drawn (sizes in points)."""

    colour: str
    marker: str  # a matplotlib marker code
    size: float  # the marker's size in points
    hollow: bool
    face: str  # fill
    stroke: str  # outline colour
    stroke_width: float
    dash: tuple[float, float] | None  # the outline's dash pattern in points; None: solid

    def scatter_layers(self) -> list[dict[str, Any]]:
        """Keyword arguments for ``Axes.scatter``, one dict per layer, bottom first.

        A filled symbol has a thin dark edge (style.EDGE) outside its white outline, drawn as
        a wider stroke beneath it, as on the web map; a hollow one is a single layer.
        """
        main: dict[str, Any] = {
            "marker": self.marker,
            "s": self.size**2,
            "facecolors": self.face,
            "edgecolors": self.stroke,
            "linewidths": self.stroke_width,
            "linestyles": [(0.0, self.dash) if self.dash else "solid"],
        }
        if self.hollow:
            return [main]
        edge = self.stroke_width * (1.0 + 2 * EDGE_PT / STROKE_PT)
        return [{**main, "edgecolors": style.EDGE, "linewidths": edge}, main]


@dataclass(frozen=True)
class LineLook:
    """How the connection lines to places of one kind and status are drawn (points)."""

    colour: str
    width: float
    alpha: float
    dash: tuple[float, float] | None  # on, off in points; None: solid

    @property
    def linestyle(self) -> Any:
        """The dash pattern as matplotlib takes it."""
        return (0.0, self.dash) if self.dash else "solid"


def _dash(multiples: tuple[float, ...] | None, width: float) -> tuple[float, float] | None:
    """A dash pattern given in multiples of the line width, in points."""
    if not multiples:
        return None
    on, off = multiples
    return (on * width, off * width)


def place_look(kind: Kind | str, status: Status | str | None, scale: float = 1.0) -> PlaceLook:
    """The look of a place: colour and shape by its kind, fill and dash by its status.

    `scale` makes the symbol and its outlines smaller (a map of thousands of places) and keeps
    the proportions: the dashes stay the same multiples of the outline.
    """
    symbol = style.SYMBOLS[Kind(kind)]
    hollow = style.is_hollow(status)
    stroke = (HOLLOW_STROKE_PT if hollow else STROKE_PT) * scale
    return PlaceLook(
        colour=symbol.colour,
        marker=MARKERS[symbol.shape],
        size=SYMBOL_PT * SHAPE_SCALE[symbol.shape] * scale,
        hollow=hollow,
        face=style.HOLLOW_FILL if hollow else symbol.colour,
        stroke=symbol.colour if hollow else style.HALO,
        stroke_width=stroke,
        dash=_dash(style.OUTLINE_DASH, stroke) if hollow else None,
    )


def line_look(relation: Kind | str, status: Status | str, scale: float = 1.0) -> LineLook:
    """The look of a connection line: the colour of the far end's kind; heavy and opaque when
    active, light, paler and dashed when dormant (the hierarchy of :mod:`geo.style`).

    `scale` makes the line thinner (a map of thousands of lines); dashes scale with it.
    """
    status = Status(status)
    width = style.LINE_WIDTH[status] * PT_PER_PX * scale
    return LineLook(
        colour=style.SYMBOLS[Kind(relation)].colour,
        width=width,
        alpha=style.LINE_OPACITY[status],
        dash=_dash(style.LINE_DASH.get(status), width),
    )
