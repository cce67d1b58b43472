"""The names on a map panel (part of the print stage): measured, placed, drawn on a halo.

Each place a panel names gets its name in the page's language beside its symbol; the office
is named by the home city, in bold. The names are measured with the page's renderer, their
places chosen by :func:`geo.printmap.labels.place_labels` (clear of each other, of the symbols
and inside the panel), then set in points, so that the PNG and the SVG agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from geo.printmap.labels import Box, alignment, candidate_box, offset, place_labels
from geo.printmap.look import place_look
from geo.printmap.panel import INK, Panel
from geo.printmap.scene import Place, Scene

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Annotation

# Between a symbol's centre and its name: beyond half the largest symbol (5.2 pt) even on a
# diagonal (labels.DIAGONAL), so that no name touches its own symbol.
GAP_PT = 6.5
HALO_PT = 2.6  # the white stroke round each letter
MARGIN_PX = 2.0  # names keep this far inside the panel
SPACING_PT = 4.0  # names keep this far apart, so that two never read as one


def symbol_boxes(places: Sequence[Place], pixels: np.ndarray, px_per_pt: float) -> list[Box]:
    """The box of each place's symbol, in pixels, for names to keep clear of."""
    boxes = []
    halves: dict[tuple[str, str | None], float] = {}  # by kind and status
    for p, (x, y) in zip(places, pixels.tolist(), strict=True):
        half = halves.get((p.kind, p.status))
        if half is None:
            half = halves[p.kind, p.status] = place_look(p.kind, p.status).size * px_per_pt / 2
        boxes.append((x - half, y - half, x + half, y + half))
    return boxes


def near(obstacles: list[Box], anchors: np.ndarray, reach: float) -> list[Box]:
    """The obstacles within `reach` of some anchor (the others cannot touch a name)."""
    if not len(anchors) or not obstacles:
        return []
    boxes = np.asarray(obstacles, float)
    close = np.zeros(len(boxes), bool)
    for x, y in anchors.tolist():
        close |= (
            (boxes[:, 2] >= x - reach)
            & (boxes[:, 0] <= x + reach)
            & (boxes[:, 3] >= y - reach)
            & (boxes[:, 1] <= y + reach)
        )
    return [obstacles[i] for i in np.flatnonzero(close)]


def _text(ax: Axes, place: Place, text: str) -> tuple[Annotation, Annotation]:
    """A name and its halo, drawn as two texts so that no halo covers another name."""
    from matplotlib.patheffects import Stroke

    weight = "bold" if place.is_office else "normal"
    xy = (place.x, place.y)
    halo = ax.annotate(
        text, xy, xytext=(0, 0), textcoords="offset points", color="white", zorder=6,
        fontweight=weight, path_effects=[Stroke(linewidth=HALO_PT, foreground="white")],
    )  # fmt: skip
    label = ax.annotate(
        text, xy, xytext=(0, 0), textcoords="offset points", color=INK, zorder=7, fontweight=weight
    )
    label.set_gid(f"name-{place.id}")
    return halo, label


def draw_names(
    ax: Axes,
    scene: Scene,
    panel: Panel,
    name_of: Callable[[Place], str],
    renderer: RendererBase,
) -> list[Box]:
    """Name the places of `panel.named` on `ax`; the boxes the names took, in pixels."""
    to_px = ax.transData.transform
    px_per_pt = ax.figure.dpi / 72.0
    gap = GAP_PT * px_per_pt
    chosen = sorted(
        (p for p in scene.places if p.id in panel.named),
        key=lambda p: (not p.is_office, -p.y, p.id),
    )
    if not chosen:
        return []
    texts = [_text(ax, p, name_of(p)) for p in chosen]
    sizes = []
    for _, label in texts:
        extent = label.get_window_extent(renderer)
        sizes.append((extent.width + 2.0, extent.height + 1.0))
    anchors = to_px(np.array([[p.x, p.y] for p in chosen]))
    x0, x1, y0, y1 = panel.view
    shown = [p for p in scene.places if x0 <= p.x <= x1 and y0 <= p.y <= y1]
    obstacles = symbol_boxes(shown, to_px(np.array([[p.x, p.y] for p in shown])), px_per_pt)
    reach = max(max(w, h) for w, h in sizes) + gap
    frame = ax.get_window_extent(renderer)
    bounds = (
        frame.x0 + MARGIN_PX, frame.y0 + MARGIN_PX, frame.x1 - MARGIN_PX, frame.y1 - MARGIN_PX
    )  # fmt: skip
    choices = place_labels(
        anchors, sizes, near(obstacles, anchors, reach), bounds, gap,
        spacing=SPACING_PT * px_per_pt,
    )  # fmt: skip
    for (halo, label), k in zip(texts, choices, strict=True):
        ha, va = alignment(k)
        for artist in (halo, label):
            artist.set_position(offset(k, GAP_PT))
            artist.set_horizontalalignment(ha)
            artist.set_verticalalignment(va)
    return [
        candidate_box(anchor, size, gap, k)
        for anchor, size, k in zip(anchors.tolist(), sizes, choices, strict=True)
    ]
