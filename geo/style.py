"""One visual language for every map: how a kind and a status look, on the web and in print.

Kind is told by colour *and* shape (Okabe-Ito colours, safe for colour-blind readers): the office
a black square, partner cities blue circles, friendship towns vermillion triangles. Status is told
by fill and line style: an active relation is a filled symbol on a heavy solid line, a dormant one
a hollow symbol with a dashed outline on a light dashed line. Words say it again everywhere (legend,
labels, popups, the table). The web map (:mod:`geo.web`) and the print map (:mod:`geo.printmap`)
both draw from these values and nothing else, so the two maps read alike. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.schema import Kind, Status


@dataclass(frozen=True)
class Symbol:
    """How places of one kind are drawn."""

    colour: str  # fill of an active place, outline of a dormant one, colour of its lines
    shape: str  # "square", "circle" or "triangle"


SYMBOLS: dict[Kind, Symbol] = {
    Kind.OFFICE: Symbol("#000000", "square"),
    Kind.PARTNER_CITY: Symbol("#0072B2", "circle"),
    Kind.FRIENDSHIP_TOWN: Symbol("#D55E00", "triangle"),
}
HOLLOW_FILL = "#FFFFFF"  # the inside of a dormant place's symbol
EDGE = "#000000"  # a thin edge that keeps filled symbols at 3:1 against any background
HALO = "#FFFFFF"  # the outline between a filled symbol and its edge


def is_hollow(status: Status | str | None) -> bool:
    """Dormant relations are drawn hollow and dashed; active ones and the office filled."""
    return status == Status.DORMANT


# Lines from the office, in a hierarchy: the colour of the far end's kind; an active relation's
# line heavy and opaque (it reads first), a dormant one's light, paler and dashed, drawn beneath.
# Widths in CSS pixels on the web; the print map scales them to points.
LINE_WIDTH: dict[Status, float] = {Status.ACTIVE: 3.5, Status.DORMANT: 1.75}
LINE_OPACITY: dict[Status, float] = {Status.ACTIVE: 1.0, Status.DORMANT: 0.7}
# Dash patterns as multiples of the line width (on, off), so web and print look the same.
LINE_DASH: dict[Status, tuple[float, ...] | None] = {
    Status.ACTIVE: None,
    Status.DORMANT: (2.6, 2.0),
}
# Lines are drawn in this order, so that an active line is never under a dormant one.
LINE_ORDER: tuple[Status, ...] = (Status.DORMANT, Status.ACTIVE)
OUTLINE_DASH = (1.3, 0.85)  # a dormant symbol's dashed outline, in multiples of its stroke

# The basemap: land, its coastlines and borders, and the sea behind it.
LAND = "#FBFBF8"
COASTLINE = "#9A9A9A"
SEA = "#EAF2F7"
# A place drawn away from its true point (to keep crowded places apart, never by more than its
# symbol's diameter) is joined to that point by a thin leader line ending in a small dot.
LEADER = "#1A1A1A"
# Places this near the office (geodesic km) are crowded around home on a world map: both maps give
# them a view of their own, the print map's "near" panel and the web map's near-home view, while
# the places further away are shown on the world panel.
NEAR_KM = 2_500.0
