"""One map panel of the print map (part of the print stage): land, lines, places, a box.

A :class:`Panel` says where on the page a panel sits, which part of the projected world it shows
and which places it names; :func:`draw_panel` draws a :class:`~geo.printmap.scene.Scene` into it
with the looks of :mod:`geo.printmap.look`. The names are drawn by :mod:`geo.printmap.names`.
A large table's lines and place symbols are drawn once, for every panel and both languages, as
an image (:func:`draw_sheet`): thousands of paths would cost seconds per file and tens of
megabytes of SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import style
from geo.printmap.look import line_look, place_look
from geo.printmap.scene import Line, Place, Scene

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Extent = tuple[float, float, float, float]  # x0, x1, y0, y1 in projected metres
Rect = tuple[float, float, float, float]  # left, bottom, width, height in fractions of the page
LAND, BORDER, SEA, FRAME, INK = "#E2E2E2", "#FFFFFF", "#EEF3F7", "#9AA5AE", "#222222"
MIN_SPAN_M = 200_000.0  # a panel shows at least 200 km, even around a single place
LARGE_SCALE = 0.5  # symbols and lines of a large table: thousands of them at full size hide all
SYMBOL_REACH_PT = 12.0  # no symbol reaches further from its place (the largest, at full size: 8)


@dataclass(frozen=True)
class Panel:
    """One map panel: where it sits on the page, what it shows, which places it names."""

    role: str  # "world", "near" (the detail panel) or "single": its title
    rect: Rect
    view: Extent  # what it shows, with the shape of `rect` on the page (metres)
    named: frozenset[str]  # the ids of the places named on it
    outline: Extent | None = None  # another panel's view, drawn as a box on this one
    raster: bool = False  # lines and place symbols as an image (see draw_sheet)
    scale: float = 1.0  # of symbols and lines: smaller where thousands are drawn


def limits(xy: np.ndarray, pad: float, centre_x: float | None = None) -> Extent:
    """The box around `xy` with `pad` (a fraction of its size) on each side.

    With `centre_x`, the box is widened to be symmetric about it, so that the home's meridian
    runs down the middle of the panel.
    """
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    if centre_x is not None:
        half = max(abs(lo[0] - centre_x), abs(hi[0] - centre_x))
        lo[0], hi[0] = centre_x - half, centre_x + half
    span = np.maximum(hi - lo, MIN_SPAN_M)
    mid = (lo + hi) / 2
    lo, hi = mid - (0.5 + pad) * span, mid + (0.5 + pad) * span
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def fit(box: Extent, width: float, height: float) -> Extent:
    """Widen `box` about its centre to the shape `width` x `height`, one metre each way alike."""
    x0, x1, y0, y1 = box
    want, have = width / height, (x1 - x0) / (y1 - y0)
    if have < want:
        grow = (y1 - y0) * want - (x1 - x0)
        return x0 - grow / 2, x1 + grow / 2, y0, y1
    grow = (x1 - x0) / want - (y1 - y0)
    return x0, x1, y0 - grow / 2, y1 + grow / 2


def make_panel(
    role: str,
    rect: Rect,
    box: Extent,
    named: set[str] | frozenset[str],
    page: tuple[float, float],
    outline: Extent | None = None,
    large: bool = False,
) -> Panel:
    """A panel at `rect` of a page `page` (inches) showing at least `box`.

    The panel of a `large` table is drawn as raster, with smaller symbols and thinner lines.
    """
    view = fit(box, rect[2] * page[0], rect[3] * page[1])
    return Panel(role, rect, view, frozenset(named), outline, large, LARGE_SCALE if large else 1.0)


def in_view(lines: Sequence[Line], view: Extent) -> list[Line]:
    """The runs of each line's vertices inside `view`, each with one vertex beyond it at either
    end, so that the line still leaves the panel where it did (Agg is slow with long lines far
    outside the panel)."""
    if not lines:
        return []
    x0, x1, y0, y1 = view
    xy = np.concatenate([line.xy for line in lines])
    counts = np.fromiter(map(len, (line.xy for line in lines)), np.int64, len(lines))
    start = np.zeros(len(xy), bool)
    start[np.cumsum(counts)[:-1]] = True
    start[0] = True
    inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    keep = inside.copy()
    keep[:-1] |= inside[1:] & ~start[1:]  # the vertex before one inside, on the same line
    keep[1:] |= inside[:-1] & ~start[1:]  # the vertex after one inside
    del inside
    # A run begins at a kept vertex that starts its line or follows a dropped one.
    begins = keep & (start | ~np.concatenate(([False], keep[:-1])))
    idx = np.flatnonzero(keep)
    heads = np.flatnonzero(begins[idx])  # where each run starts among the kept vertices
    line_of = np.searchsorted(np.cumsum(counts), idx[heads], side="right").tolist()
    kept = xy[idx]  # one array; the runs are views into it
    del xy, keep, begins, start, idx
    ends = [*heads[1:].tolist(), len(kept)] if len(heads) else []
    return [
        Line(lines[k].relation, lines[k].status, kept[a:b])
        for k, a, b in zip(line_of, heads.tolist(), ends, strict=True)
        if b - a >= 2
    ]


def places_in_view(places: Sequence[Place], view: Extent, reach: float) -> list[Place]:
    """The places whose symbols may show in `view`: within `reach` (metres) of it.

    Agg draws nothing of a symbol wholly outside the panel, but still works through it: in the
    detail panel of a large table, two places in three.
    """
    x0, x1, y0, y1 = view[0] - reach, view[1] + reach, view[2] - reach, view[3] + reach
    return [p for p in places if x0 <= p.x <= x1 and y0 <= p.y <= y1]


def _groups(scene: Scene) -> list[tuple[str, str | None]]:
    """The (kind, status) pairs of the places, hollow ones first so filled ones lie on top."""
    pairs = {(p.kind, p.status) for p in scene.places}
    return sorted(pairs, key=lambda ks: (ks[1] != "dormant", ks[0] == "office", ks))


def draw_lines(ax: Axes, lines: Sequence[Line], scale: float = 1.0) -> None:
    """The connection lines, one collection per relation and status (its SVG group's id says)."""
    from matplotlib.collections import LineCollection

    groups: dict[tuple[str, str], list[np.ndarray]] = {}
    for line in lines:
        groups.setdefault((line.relation, line.status), []).append(line.xy)
    # dormant lines first, active ones over them (geo.style.LINE_ORDER)
    order = {status.value: k for k, status in enumerate(style.LINE_ORDER)}
    for (relation, status), segments in sorted(groups.items(), key=lambda g: (order[g[0][1]], g)):
        look = line_look(relation, status, scale)
        collection = LineCollection(
            segments,
            colors=look.colour,
            linewidths=look.width,
            linestyles=[look.linestyle],
            alpha=look.alpha,
            capstyle="butt",
            zorder=2,
        )
        collection.set_gid(f"line-{relation}-{status}")
        ax.add_collection(collection, autolim=False)  # the panel's limits are set


def draw_places(
    ax: Axes,
    places: Sequence[Place],
    groups: Sequence[tuple[str, str | None]],
    scale: float = 1.0,
) -> None:
    """The place symbols, one collection per kind and status (its SVG group's id says which)."""
    where: dict[tuple[str, str | None], list[tuple[float, float]]] = {}
    for p in places:  # one pass over the places, not one per group
        where.setdefault((p.kind, p.status), []).append((p.x, p.y))
    for kind, status in groups:
        xy = np.array(where.get((kind, status), []), float)
        if not len(xy):
            continue
        look = place_look(kind, status, 1.0 if kind == "office" else scale)
        for i, layer in enumerate(reversed(look.scatter_layers())):
            marks = ax.scatter(
                xy[:, 0], xy[:, 1], zorder=(5 if kind == "office" else 4) - i / 10, **layer
            )
            marks.set_gid(f"place-{kind}-{status or 'none'}" + ("-edge" if i else ""))


def _frame(ax: Axes, panel: Panel) -> None:
    x0, x1, y0, y1 = panel.view
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(FRAME)
        spine.set_linewidth(0.6)


def _land(ax: Axes, rings: Sequence[np.ndarray], view: Extent) -> None:
    """The country outlines in view (only those: less to draw, a smaller SVG), as one path.

    One path of many rings is one SVG element and one call into Agg, where a collection of
    hundreds of polygons is as many elements for the SVG writer's Python. Each ring is made to
    run the same way round, so that the nonzero rule fills them all: a country inside another
    (Lesotho in South Africa) is land, not a hole.
    """
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path

    x0, x1, y0, y1 = view
    shown = [
        r if _signed_area(r) >= 0 else r[::-1]
        for r in rings
        if r[:, 0].max() >= x0 and r[:, 0].min() <= x1 and r[:, 1].max() >= y0
        and r[:, 1].min() <= y1
    ]  # fmt: skip
    if not shown:
        return
    codes = np.full(sum(map(len, shown)), Path.LINETO, Path.code_type)
    codes[np.cumsum([0, *map(len, shown[:-1])])] = Path.MOVETO
    outline = Path(np.concatenate(shown), codes)
    land = PathCollection([outline], facecolors=LAND, edgecolors=BORDER, linewidths=0.4, zorder=1)
    land.set_gid("land")
    ax.add_collection(land, autolim=False)  # (the panel's limits are set)


def _signed_area(ring: np.ndarray) -> float:
    """Twice the area `ring` encloses, positive if it runs anticlockwise (the shoelace rule)."""
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]) + x[-1] * y[0] - x[0] * y[-1])


def _box(ax: Axes, box: Extent) -> None:
    from matplotlib.patches import Rectangle

    x0, x1, y0, y1 = box
    frame = Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=INK, linewidth=0.8)
    frame.set_zorder(3)
    frame.set_gid("detail-box")
    ax.add_patch(frame)


def draw_panel(ax: Axes, scene: Scene, panel: Panel, image: np.ndarray | None = None) -> None:
    """Draw the land, the lines, the places and the outline box of `panel` into `ax`.

    `image` is the panel's part of :func:`draw_sheet` where the panel is drawn as raster; the
    office is drawn on top of it all the same.
    """
    _frame(ax, panel)
    _land(ax, scene.rings, panel.view)
    if image is not None:
        _put_image(ax, image, panel.view)
        draw_places(ax, [p for p in scene.places if p.is_office], [("office", None)])
    else:
        draw_lines(ax, in_view(scene.lines, panel.view), panel.scale)
        draw_places(ax, scene.places, _groups(scene), panel.scale)
    if panel.outline is not None:
        _box(ax, panel.outline)


def _pixel(v: float) -> int:
    """A position on the page rounded to a pixel's edge, half up (as Agg rounds a clip box)."""
    return math.floor(v + 0.5)


def _put_image(ax: Axes, image: np.ndarray, view: Extent) -> None:
    """`image` (a part of :func:`draw_sheet`) on `ax` over `view`, as ``ax.imshow`` puts it
    (unscaled, clipped to the panel), but drawn into a PNG pixel for pixel where it was cut
    from the sheet: not resampled, which takes time and shifts it by a fraction of a pixel."""
    from matplotlib.image import AxesImage
    from matplotlib.transforms import IdentityTransform

    class SheetImage(AxesImage):
        def make_image(
            self, renderer: Any, magnification: float = 1.0, unsampled: bool = False
        ) -> tuple[Any, ...]:
            box = ax.bbox
            x0, y0 = _pixel(box.x0), _pixel(box.y0)
            fits = image.shape[:2] == (_pixel(box.y1) - y0, _pixel(box.x1) - x0)
            if unsampled or magnification != 1.0 or not fits:
                return super().make_image(renderer, magnification, unsampled)
            return np.ascontiguousarray(image[::-1]), x0, y0, IdentityTransform()  # bottom up

    shown = SheetImage(ax, interpolation="none", origin="upper", extent=view, zorder=2)
    ax.set_aspect("auto")
    shown.set_data(image)
    shown.set_clip_path(ax.patch)
    shown.set_extent(shown.get_extent())
    ax.add_image(shown)


def draw_sheet(
    scene: Scene, panels: Sequence[Panel], page: tuple[float, float], dpi: float
) -> list[np.ndarray | None]:
    """The lines and place symbols (but the office) of each raster panel, drawn once as RGBA.

    Drawn on a transparent page of the same size, each panel's part is an image that
    :func:`draw_panel` puts above the land: the PNG and the SVG, in either language, show the
    same pixels. Panels that are not raster get None.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not any(panel.raster for panel in panels):
        return [None] * len(panels)
    sheet = Figure(figsize=page, dpi=dpi)
    sheet.patch.set_alpha(0.0)
    canvas = FigureCanvasAgg(sheet)
    axes = []
    others = [g for g in _groups(scene) if g[0] != "office"]
    for panel in panels:
        ax = sheet.add_axes(panel.rect)
        ax.set_axis_off()
        ax.set_xlim(panel.view[0], panel.view[1])
        ax.set_ylim(panel.view[2], panel.view[3])
        if panel.raster:
            draw_lines(ax, in_view(scene.lines, panel.view), panel.scale)
            metres_per_pt = (panel.view[1] - panel.view[0]) / ax.bbox.width * dpi / 72
            reach = SYMBOL_REACH_PT * metres_per_pt
            draw_places(ax, places_in_view(scene.places, panel.view, reach), others, panel.scale)
        axes.append(ax)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    out: list[np.ndarray | None] = []
    for panel, ax in zip(panels, axes, strict=True):
        box = ax.get_window_extent()
        top, bottom = pixels.shape[0] - _pixel(box.y1), pixels.shape[0] - _pixel(box.y0)
        part = pixels[top:bottom, _pixel(box.x0) : _pixel(box.x1)].copy()
        out.append(part if panel.raster else None)
    # The figure and its axes refer to each other: only the cyclic collector would free them,
    # and it is paused while the print map is drawn (geo.gc_pause). Emptied, the lines' paths
    # and arrays (80 MB at 100,000 places) are freed now.
    sheet.clear()
    return out
