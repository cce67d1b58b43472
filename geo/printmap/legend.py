"""The print map's legend (part of the print stage): every symbol and line on the map, in words.

One entry per kind and status on the map: the line sample and the symbol drawn exactly as on the
map (the same :mod:`geo.printmap.look`), and words that say both ("Partner city, dormant
(hollow symbol, dashed line)"). The entries are set in a grid of as many columns as fit the
page: a row per kind, filled symbols in the first column and hollow ones in the second, measured
with the page's renderer and centred below the map panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from geo.printmap.look import line_look, place_look
from geo.printmap.panel import INK
from geo.printmap.scene import Scene
from geo.schema import Kind, Status
from geo.style import is_hollow
from geo.text import Texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

FONT_PT = 9.5
SAMPLE_PT = 42.0  # the length of a line sample; its symbol sits in the middle
TEXT_GAP_PT = 6.0  # between the sample and the words
COLUMN_GAP_PT = 20.0
ROW_PT = 15.0
MARGIN_PT = 10.0  # at either side of the page


@dataclass(frozen=True)
class Entry:
    """One row of the legend: a kind and status on the map and the words for it."""

    kind: str
    status: str | None  # None: the office
    text: str


LOOKS = {"active": "print.look_active", "dormant": "print.look_dormant"}


def _order(pair: tuple[str, str | None]) -> tuple[int, int]:
    kind, status = pair
    return list(Kind).index(Kind(kind)), list(Status).index(Status(status)) if status else -1


def capitalise(text: str) -> str:
    """The text with its first letter in upper case (and the rest as it was)."""
    return text[:1].upper() + text[1:]


def legend_entries(scene: Scene, t: Texts) -> list[Entry]:
    """An entry for each kind and status on the map, in the language of `t`."""
    entries = []
    for kind, status in sorted({(p.kind, p.status) for p in scene.places}, key=_order):
        if status is None:
            office = scene.office
            name = office.name(t.lang) if office is not None else t.kind(kind)
            entries.append(Entry(kind, None, t("print.office", name=name)))
            continue
        relation = t("print.relation", kind=t.kind(kind), status=t.status(status))
        text = t("print.entry", relation=capitalise(relation), look=t(LOOKS[status]))
        entries.append(Entry(kind, status, text))
    return entries


def grid(entries: Sequence[Entry]) -> list[tuple[int, int]]:
    """The (row, column) of each entry: a row per kind, a column per fill (filled, hollow).

    >>> grid([Entry("office", None, ""), Entry("partner_city", "active", ""),
    ...       Entry("partner_city", "dormant", ""), Entry("friendship_town", "dormant", "")])
    [(0, 0), (1, 0), (1, 1), (2, 1)]
    """
    rows = {kind: i for i, kind in enumerate(dict.fromkeys(e.kind for e in entries))}
    return [(rows[e.kind], int(is_hollow(e.status))) for e in entries]


def _sample(ax: Axes, entry: Entry, x: float, y: float) -> None:
    """The entry's line and symbol, drawn as on the map, at (x, y) in points."""
    from matplotlib.collections import LineCollection

    if entry.status is not None:
        look = line_look(entry.kind, entry.status)
        line = LineCollection(
            [np.array([[x, y], [x + SAMPLE_PT, y]])], colors=look.colour,
            linewidths=look.width, linestyles=[look.linestyle], alpha=look.alpha, capstyle="butt",
        )  # fmt: skip
        line.set_gid(f"legend-line-{entry.kind}-{entry.status}")
        ax.add_collection(line)
    layers = place_look(entry.kind, entry.status).scatter_layers()
    for i, layer in enumerate(reversed(layers)):
        mark = ax.scatter([x + SAMPLE_PT / 2], [y], zorder=3 - i / 10, **layer)
        mark.set_gid(f"legend-place-{entry.kind}-{entry.status or 'none'}" + ("-edge" if i else ""))


def draw_legend(
    fig: Figure, entries: Sequence[Entry], renderer: RendererBase, top: float, bottom: float
) -> None:
    """Set the entries in a grid centred between `top` and `bottom` (fractions of the page)."""
    if not entries:
        return
    width_pt = fig.get_figwidth() * 72.0
    height_pt = (top - bottom) * fig.get_figheight() * 72.0
    ax = fig.add_axes((0.0, bottom, 1.0, top - bottom))
    ax.set_axis_off()
    ax.set_xlim(0.0, width_pt)
    ax.set_ylim(0.0, height_pt)
    texts = [ax.text(0, 0, e.text, fontsize=FONT_PT, color=INK, va="center") for e in entries]
    to_pt = 72.0 / fig.dpi
    widths = [SAMPLE_PT + TEXT_GAP_PT + t.get_window_extent(renderer).width * to_pt for t in texts]
    cells = grid(entries)
    column_widths = [
        max((w for w, (_, c) in zip(widths, cells, strict=True) if c == col), default=0.0)
        for col in (0, 1)
    ]
    if sum(column_widths) + COLUMN_GAP_PT > width_pt - 2 * MARGIN_PT:  # one column instead
        cells, column_widths = [(i, 0) for i in range(len(entries))], [max(widths), 0.0]
    gap = COLUMN_GAP_PT if all(column_widths) else 0.0
    left = (width_pt - sum(column_widths) - gap) / 2
    starts = (left, left + column_widths[0] + gap)
    rows = max(r for r, _ in cells) + 1
    first_row = height_pt / 2 + (rows - 1) * ROW_PT / 2
    for entry, text, (row, col) in zip(entries, texts, cells, strict=True):
        x, y = starts[col], first_row - row * ROW_PT
        _sample(ax, entry, x, y)
        text.set_position((x + SAMPLE_PT + TEXT_GAP_PT, y))
        text.set_gid(f"legend-text-{entry.kind}-{entry.status or 'none'}")
