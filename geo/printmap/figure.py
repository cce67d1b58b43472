"""Stage 4, render for print: the layers in, a static map as PNG and SVG bytes out.

:func:`render_static` draws the country outlines (Natural Earth, read from the basemap file), the
geodesic connection lines (each part of a MultiLineString on its own, so a line cut at the
antimeridian is not drawn across the map), the places with their status shown by colour *and*
marker shape (active: filled bluish-green circles on solid lines; dormant: hollow diamonds on
dashed grey lines; the office a black star; friendship towns named in italics), labels placed
so that they do not overlap (:func:`geo.labels.place_labels`), a legend, a title, the data
source and the basemap attribution. Places far from the office are drawn on a world panel;
when some lie near it, a second panel shows those in detail. Equal Earth projection.

matplotlib is imported inside :func:`render_static` (Agg canvas, ``Figure`` without pyplot, no
network), so ``geo validate`` does not pay for it. Output is deterministic: DejaVu Sans (shipped
with matplotlib), no dates in the metadata, a fixed salt for SVG ids. Returns bytes; writing is
:mod:`geo.publish`'s job.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.config import Settings
from geo.gc_pause import without_gc_pauses
from geo.io.basemap import read_basemap
from geo.layers import FeatureCollection
from geo.model import CONNECTIONS, LAYER_OF_KIND
from geo.printmap.labels import CANDIDATES, place_labels
from geo.schema import Kind

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

PNG_NAME = "partnerships.png"
SVG_NAME = "partnerships.svg"
ATTRIBUTION = "Country outlines: Natural Earth"
PROJECTION = "EPSG:8857"  # Equal Earth (Greenwich): equal-area, pleasant for world maps
NEAR_KM = 2_500.0  # places nearer the office than this also get the detail panel
FIG_SIZE = (12.0, 6.6)  # inches: fits an A4 page across
DPI = 150  # PNG: 1800 x 990 pixels; the SVG is vector
LABEL_GAP_PT = 5.0  # between a marker's centre and its label
# Above this many places the map names only the office: thousands of labels cannot be read (nor
# placed: label placement compares every pair), the names are in the data and the web map. The
# lines and markers of so many places are also drawn as an image inside the SVG, which would
# otherwise hold a path per line (tens of megabytes); text, outlines and legend stay vector.
MAX_LABELS = 60
RASTER_DPI = 96


def _many(layers: Mapping[str, FeatureCollection]) -> bool:
    """Whether the table is too large to name every place (see MAX_LABELS)."""
    return sum(len(layers.get(n, {}).get("features", [])) for n in LAYER_OF_KIND.values()) > (
        MAX_LABELS
    )


RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "svg.fonttype": "none",  # real <text> elements: searchable, and checked by the tests
    "text.parse_math": False,  # a `$` in a name is a dollar sign, not mathtext
    "svg.hashsalt": "geo-partnerships",  # ids derived from content, not random
    "savefig.facecolor": "white",
    "path.simplify": True,
}
LAND, BORDER, SEA, INK, MUTED = "#E2E2E2", "#FFFFFF", "#EEF3F7", "#222222", "#555555"


@dataclass(frozen=True)
class Style:
    """How one group of places is drawn and named in the legend."""

    label: str
    color: str  # marker fill
    marker: str
    size: float  # points
    edge: str = INK
    edge_width: float = 0.7
    line_color: str = MUTED  # the connection lines to places of this status
    line_style: Any = "-"


OFFICE_STYLE = Style("Office", "#000000", "*", 15.0, edge="#FFFFFF")
# Status by colour and by shape: active places are filled Okabe-Ito bluish green circles on
# solid lines, dormant ones hollow diamonds on grey dashed lines. Dark fill against white tells
# them apart with any colour vision and in greyscale print; the shape says it again. Filled
# against hollow and dashed for dormant follow the interactive map. The interactive map's colours
# (blue, vermillion) stand for kinds there, so they are not reused here for statuses.
STATUS_STYLES: dict[str, Style] = {
    "active": Style("Active relation", "#009E73", "o", 8.0, line_color="#009E73"),
    "dormant": Style(
        "Dormant relation", "#FFFFFF", "D", 6.5, edge="#4D4D4D", edge_width=1.4,
        line_color="#7A7A7A", line_style=(0, (4.0, 2.5)),
    ),
}  # fmt: skip
# Kinds: friendship towns have their names in italics (the legend says so).
ITALIC_KIND = Kind.FRIENDSHIP_TOWN.value
KIND_LABELS: dict[str, str] = {
    Kind.PARTNER_CITY.value: "partner city",
    Kind.FRIENDSHIP_TOWN.value: "friendship town",
}
KIND_PLURALS: dict[str, str] = {
    Kind.PARTNER_CITY.value: "partner cities",
    Kind.FRIENDSHIP_TOWN.value: "friendship towns",
}


def _clip(ring: np.ndarray, x: float, keep_left: bool) -> np.ndarray:
    """Sutherland-Hodgman against one vertical line: the part of a ring on one side of it."""
    out: list[np.ndarray] = []
    inside = (ring[:, 0] <= x) if keep_left else (ring[:, 0] >= x)
    for i in range(len(ring)):
        a, b = ring[i - 1], ring[i]
        if inside[i] != inside[i - 1]:
            t = (x - a[0]) / (b[0] - a[0])
            out.append(np.array([x, a[1] + t * (b[1] - a[1])]))
        if inside[i]:
            out.append(b)
    return np.asarray(out).reshape(-1, 2)


def split_ring(ring: np.ndarray) -> list[np.ndarray]:
    """A ring as one or more rings within -180..180 longitude, for a flat map.

    A ring that crosses the antimeridian (Fiji, Chukotka) is made continuous and cut into the
    pieces on either side; one that goes round a pole (Antarctica) is closed along the pole.

    >>> [p[:, 0].tolist() for p in split_ring(np.array([[170, 0], [-170, 0], [-170, 5],
    ...     [170, 5], [170, 0]], float))]
    [[-180.0, -170.0, -170.0, -180.0], [170.0, 180.0, 180.0, 170.0, 170.0]]
    """
    steps = np.diff(ring[:, 0])
    if not (np.abs(steps) > 180.0).any():
        return [ring]
    lons = ring[0, 0] + np.concatenate(([0.0], np.cumsum(steps - 360.0 * np.round(steps / 360.0))))
    ring = np.column_stack([lons, ring[:, 1]])
    if abs(lons[-1] - lons[0]) > 180.0:  # goes round a pole: close the ring along it
        pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
        ring = np.vstack([ring, [[lons[-1], pole], [lons[0], pole]], ring[:1]])
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        piece = _clip(_clip(ring + np.array([shift, 0.0]), 180.0, True), -180.0, False)
        if len(piece) >= 3 and np.ptp(piece[:, 0]) > 1e-9:
            pieces.append(piece)
    return pieces


def basemap_rings(basemap: Mapping[str, Any]) -> list[np.ndarray]:
    """The outer ring of every polygon as ``(n, 2)`` arrays of ``[lon, lat]`` in -180..180.

    Holes are left out: in Natural Earth each one is another country (Lesotho in South
    Africa), drawn on top in the same colour. Rings across the antimeridian are cut there.
    """
    rings = []
    for feature in basemap.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            continue
        for polygon in polygons:
            if polygon:
                rings += split_ring(np.asarray(polygon[0], float))
    return rings


def line_parts(geometry: Mapping[str, Any]) -> list[np.ndarray]:
    """The parts of a LineString or MultiLineString, each an ``(n, 2)`` array of ``[lon, lat]``.

    A line cut at the antimeridian is a MultiLineString whose parts end on +180 and go on from
    -180; drawing each part on its own keeps the map from joining them across the world.

    >>> [p.tolist() for p in line_parts({"type": "MultiLineString",
    ...     "coordinates": [[[170, 10], [180, 12]], [[-180, 12], [-170, 14]]]})]
    [[[170.0, 10.0], [180.0, 12.0]], [[-180.0, 12.0], [-170.0, 14.0]]]
    """
    if geometry["type"] == "LineString":
        return [np.asarray(geometry["coordinates"], float)]
    if geometry["type"] == "MultiLineString":
        return [np.asarray(part, float) for part in geometry["coordinates"]]
    raise ValueError(
        f"line_parts: expected a LineString or MultiLineString, got {geometry['type']}"
    )


@dataclass(frozen=True)
class _Place:
    id: str
    label: str
    kind: str
    status: str | None
    lon: float
    lat: float
    distance_km: float | None
    as_of: str


def _places(layers: Mapping[str, FeatureCollection]) -> list[_Place]:
    distance = {
        f["properties"]["to_id"]: f["properties"]["distance_km"]
        for f in layers.get(CONNECTIONS, {}).get("features", [])
    }
    out = []
    for name in LAYER_OF_KIND.values():
        for f in layers.get(name, {}).get("features", []):
            p = f["properties"]
            lon, lat = f["geometry"]["coordinates"]
            out.append(
                _Place(
                    f["id"],
                    p["name_en"],
                    p["kind"],
                    p["status"],
                    lon,
                    lat,
                    distance.get(f["id"]),
                    p["as_of"],
                )
            )
    return out


def _project(lonlat: np.ndarray) -> np.ndarray:
    from pyproj import Transformer

    transformer = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
    x, y = transformer.transform(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])


def _project_many(arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Project many ``[lon, lat]`` arrays in one call."""
    if not arrays:
        return []
    xy = _project(np.concatenate(arrays))
    return np.split(xy, np.cumsum([len(a) for a in arrays])[:-1])


def _limits(xy: np.ndarray, pad: float) -> tuple[float, float, float, float]:
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.maximum(hi - lo, 200_000.0)  # at least 200 km, even around a single point
    lo, hi = lo - pad * span, hi + pad * span
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def _fit(limits: tuple[float, float, float, float], box: Any) -> tuple[float, ...]:
    """Widen `limits` about their centre so that one metre is as long across as up."""
    x0, x1, y0, y1 = limits
    want = box.width / box.height
    have = (x1 - x0) / (y1 - y0)
    if have < want:
        grow = (y1 - y0) * want - (x1 - x0)
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    else:
        grow = (x1 - x0) / want - (y1 - y0)
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    return x0, x1, y0, y1


def _subtitle(places: list[_Place]) -> str:
    parts = []
    for kind, label in KIND_LABELS.items():
        group = [p for p in places if p.kind == kind]
        if not group:
            continue
        counts = [
            f"{sum(p.status == s for p in group)} {s}"
            for s in STATUS_STYLES
            if any(p.status == s for p in group)
        ]
        noun = label if len(group) == 1 else KIND_PLURALS[kind]
        parts.append(f"{len(group)} {noun} ({', '.join(counts)})")
    return " and ".join(parts) + ", joined to the office by geodesic lines"


def _line_collection(segments: list[np.ndarray], style: Style) -> Any:
    from matplotlib.collections import LineCollection

    return LineCollection(
        segments,
        colors=style.line_color,
        linewidths=1.2,
        linestyles=[style.line_style],
        alpha=0.85,
        zorder=2,
    )


def _draw_lines_once(
    fig: Figure, deferred: list[tuple[Axes, list[tuple[list[np.ndarray], Style]]]]
) -> None:
    """Draw the lines of every panel once, as an image, and put it into each panel.

    Thousands of lines cost Agg about 40 µs each per drawing; drawn as they are, they would be
    drawn again for the SVG. Drawn once on a transparent figure of the same size, each panel's
    part becomes an image above the countries: the PNG and the SVG show the same pixels.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sheet = Figure(figsize=fig.get_size_inches(), dpi=fig.dpi)
    sheet.patch.set_alpha(0.0)
    canvas = FigureCanvasAgg(sheet)
    for ax, groups in deferred:
        copy = sheet.add_axes(ax.get_position())
        copy.set_axis_off()
        copy.set_xlim(ax.get_xlim())
        copy.set_ylim(ax.get_ylim())
        for segments, style in groups:
            copy.add_collection(_line_collection(segments, style))
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    height = pixels.shape[0]
    for ax, _ in deferred:
        box = ax.get_window_extent()
        x0, x1 = round(box.x0), round(box.x1)
        top, bottom = height - round(box.y1), height - round(box.y0)
        ax.imshow(
            pixels[top:bottom, x0:x1].copy(),
            extent=(*ax.get_xlim(), *ax.get_ylim()),
            origin="upper",
            interpolation="none",
            aspect="auto",
            zorder=2,
        )


def _in_view(
    lines: Sequence[tuple[str, str | None, np.ndarray]], view: tuple[float, float, float, float]
) -> list[tuple[str, str | None, np.ndarray]]:
    """The runs of each line's vertices inside `view` (x0, x1, y0, y1), each with one vertex
    beyond it at either end so that the line still leaves the panel where it did."""
    if not lines:
        return []
    x0, x1, y0, y1 = view
    xy = np.concatenate([line for _, _, line in lines])
    counts = np.array([len(line) for _, _, line in lines])
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    start = np.zeros(len(xy), bool)
    start[first] = True
    keep = inside.copy()
    keep[:-1] |= inside[1:] & ~start[1:]  # the vertex before one inside, on the same line
    keep[1:] |= inside[:-1] & ~start[1:]  # the vertex after one inside
    line_of = np.repeat(np.arange(len(lines)), counts)
    # A run begins at a kept vertex that starts its line or follows a dropped one.
    begins = keep & (start | ~np.concatenate(([False], keep[:-1])))
    run = np.cumsum(begins) - 1
    idx = np.flatnonzero(keep)
    bounds = np.flatnonzero(np.diff(run[idx])) + 1
    out = []
    for part in np.split(idx, bounds):
        if len(part) >= 2:
            kind, status, _ = lines[line_of[part[0]]]
            out.append((kind, status, xy[part]))
    return out


def _near(
    obstacles: list[tuple[float, float, float, float]],
    anchors: Sequence[Sequence[float]],
    sizes: Sequence[tuple[float, float]],
    gap: float,
) -> list[tuple[float, float, float, float]]:
    """The obstacles that some label position could touch (the others add nothing)."""
    if not anchors or not obstacles:
        return []
    boxes = np.asarray(obstacles, float)
    reach = max(max(w, h) for w, h in sizes) + gap
    near = np.zeros(len(boxes), bool)
    for x, y in anchors:
        near |= (
            (boxes[:, 2] >= x - reach)
            & (boxes[:, 0] <= x + reach)
            & (boxes[:, 3] >= y - reach)
            & (boxes[:, 1] <= y + reach)
        )
    return [obstacles[i] for i in np.flatnonzero(near)]


def _draw_panel(
    ax: Axes,
    renderer: RendererBase,
    rings: Sequence[np.ndarray],
    lines: Sequence[tuple[str, str | None, np.ndarray]],
    places: Sequence[tuple[_Place, np.ndarray]],
    labelled: set[str],
    limits: tuple[float, float, float, float],
    office_label: str,
    deferred: list[tuple[Axes, list[tuple[list[np.ndarray], Style]]]] | None = None,
) -> None:
    from matplotlib.collections import PolyCollection
    from matplotlib.patheffects import Stroke

    x0, x1, y0, y1 = _fit(limits, ax.get_window_extent(renderer))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    # Only the countries in view: less to draw, a smaller SVG.
    rings = [
        r
        for r in rings
        if r[:, 0].max() >= x0
        and r[:, 0].min() <= x1
        and r[:, 1].max() >= y0
        and r[:, 1].min() <= y1
    ]
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9AA5AE")
        spine.set_linewidth(0.6)
    ax.add_collection(
        PolyCollection(rings, facecolors=LAND, edgecolors=BORDER, linewidths=0.4, zorder=1)
    )
    raster = deferred is not None
    if raster:  # only what is in view: Agg is slow with long lines far outside the panel
        lines = _in_view(lines, (x0, x1, y0, y1))
        deferred.append((ax, []))
    for status, style in STATUS_STYLES.items():
        segments = [xy for _, s, xy in lines if s == status]
        if segments and deferred is not None:
            deferred[-1][1].append((segments, style))
        elif segments:
            ax.add_collection(_line_collection(segments, style))
    for status, style in [(None, OFFICE_STYLE), *STATUS_STYLES.items()]:
        xy = [p_xy for p, p_xy in places if p.status == status]
        if xy:
            pts = np.asarray(xy)
            ax.plot(
                pts[:, 0],
                pts[:, 1],
                linestyle="none",
                marker=style.marker,
                markersize=style.size,
                markerfacecolor=style.color,
                markeredgecolor=style.edge,
                markeredgewidth=style.edge_width,
                zorder=5 if status is None else 4,
                rasterized=raster and status is not None,
            )

    # Labels: measure each text, choose positions in pixels, then place them in points (the
    # SVG is written at 72 dpi, the PNG at DPI: offsets in points keep both the same).
    to_px = ax.transData.transform
    px_per_pt = ax.figure.dpi / 72.0
    obstacles = []
    pixels = to_px(np.asarray([xy for _, xy in places]).reshape(-1, 2))
    for (p, _), (x, y) in zip(places, pixels.tolist(), strict=True):
        half = (OFFICE_STYLE.size if p.status is None else 8.0) * px_per_pt / 2
        obstacles.append((x - half, y - half, x + half, y + half))
    chosen = [(p, xy) for p, xy in places if p.id in labelled]
    chosen.sort(key=lambda item: (item[0].status is not None, -item[1][1], item[0].id))
    texts = []
    for p, xy in chosen:
        bold = p.status is None
        text = office_label if bold else p.label
        font = {
            "fontweight": "bold" if bold else "normal",
            "fontstyle": "italic" if p.kind == ITALIC_KIND else "normal",
        }
        halo = ax.annotate(
            text,
            xy=xy,
            xytext=(0, 0),
            textcoords="offset points",
            color="white",
            zorder=6,
            path_effects=[Stroke(linewidth=2.6, foreground="white")],
            **font,
        )
        label = ax.annotate(
            text, xy=xy, xytext=(0, 0), textcoords="offset points", color=INK, zorder=7, **font
        )
        texts.append((halo, label))
    sizes = []
    for _, label in texts:
        extent = label.get_window_extent(renderer)
        sizes.append((extent.width + 2.0, extent.height + 1.0))
    bbox = ax.get_window_extent(renderer)
    anchors = [to_px(xy) for _, xy in chosen]
    choices = place_labels(
        anchors,
        sizes,
        _near(obstacles, anchors, sizes, LABEL_GAP_PT * px_per_pt),
        (bbox.x0 + 2, bbox.y0 + 2, bbox.x1 - 2, bbox.y1 - 2),
        LABEL_GAP_PT * px_per_pt,
    )
    for (halo, label), k in zip(texts, choices, strict=True):
        dx, dy = CANDIDATES[k]
        scale = LABEL_GAP_PT * (0.75 if dx and dy else 1.0)
        ha = "left" if dx > 0 else "right" if dx < 0 else "center"
        va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
        for artist in (halo, label):
            artist.set_position((dx * scale, dy * scale))
            artist.set_horizontalalignment(ha)
            artist.set_verticalalignment(va)


def _figure(
    layers: Mapping[str, FeatureCollection], settings: Settings, basemap: Mapping[str, Any]
) -> tuple[Figure, str, str]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    places = _places(layers)
    office = next((p for p in places if p.kind == Kind.OFFICE.value), None)
    lines_ll = [
        (f["properties"]["relation"], f["properties"]["status"], part)
        for f in layers.get(CONNECTIONS, {}).get("features", [])
        for part in line_parts(f["geometry"])
    ]
    rings = _project_many(basemap_rings(basemap))
    line_xy = _project_many([part for _, _, part in lines_ll])
    lines = [(k, s, xy) for (k, s, _), xy in zip(lines_ll, line_xy, strict=True)]
    place_xy = _project_many([np.array([[p.lon, p.lat]]) for p in places])
    placed = [(p, xy[0]) for p, xy in zip(places, place_xy, strict=True)]

    near = {p.id for p in places if p.distance_km is not None and p.distance_km <= NEAR_KM}
    far = {p.id for p in places if p.kind != Kind.OFFICE.value} - near
    two_panels = bool(near) and bool(far) and office is not None
    many = _many(layers)
    deferred: list[tuple[Axes, list[tuple[list[np.ndarray], Style]]]] | None = [] if many else None
    if office is not None:
        near.add(office.id)

    home = settings.home.name_en
    title = f"{home}'s international relations"
    fig = Figure(figsize=FIG_SIZE, dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    fig.text(0.012, 0.955, title, fontsize=17, fontweight="bold", color=INK, va="center")
    subtitle = _subtitle(places)
    fig.text(0.012, 0.905, subtitle, fontsize=10.5, color=MUTED, va="center")

    everything = np.concatenate([*line_xy, *place_xy]) if placed else None
    world_limits = (
        _limits(everything, 0.06) if everything is not None else (-1.7e7, 1.7e7, -8e6, 8e6)
    )
    if two_panels:
        world = fig.add_axes((0.008, 0.17, 0.6, 0.68))
        detail = fig.add_axes((0.62, 0.17, 0.372, 0.68))
        near_xy = np.asarray([xy for p, xy in placed if p.id in near])
        named = {office.id} if many else near
        _draw_panel(
            detail, renderer, rings, lines, placed, named, _limits(near_xy, 0.14), home, deferred
        )
        _draw_panel(
            world,
            renderer,
            rings,
            lines,
            placed,
            set() if many else far,
            world_limits,
            home,
            deferred,
        )
        x0, x1 = detail.get_xlim()
        y0, y1 = detail.get_ylim()
        world.add_patch(
            Rectangle(
                (x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=INK, linewidth=0.8, zorder=3
            )
        )
        world.set_title("The world", loc="left", fontsize=10, color=MUTED)
        detail.set_title(
            f"Near {home} (the box on the world map)", loc="left", fontsize=10, color=MUTED
        )
    else:
        world = fig.add_axes((0.008, 0.17, 0.984, 0.68))
        named = {office.id} if many and office is not None else {p.id for p in places}
        _draw_panel(world, renderer, rings, lines, placed, named, world_limits, home, deferred)
    if deferred:
        _draw_lines_once(fig, deferred)

    handles, labels = [], []
    if office is not None:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=OFFICE_STYLE.marker,
                markersize=OFFICE_STYLE.size * 0.8,
                markerfacecolor="#000000",
                markeredgecolor="#000000",
            )
        )
        labels.append(f"Office: {office.label}")
    for status, style in STATUS_STYLES.items():
        if any(p.status == status for p in places):
            handles.append(
                Line2D(
                    [],
                    [],
                    color=style.line_color,
                    linestyle=style.line_style,
                    linewidth=1.2,
                    marker=style.marker,
                    markersize=style.size,
                    markerfacecolor=style.color,
                    markeredgecolor=style.edge,
                    markeredgewidth=style.edge_width,
                )
            )
            labels.append(style.label)
    italic = any(p.kind == ITALIC_KIND for p in places)
    if italic:
        handles.append(Line2D([], [], linestyle="none"))
        labels.append(f"{KIND_LABELS[ITALIC_KIND].capitalize()}: name in italics")
    legend = fig.legend(
        handles,
        labels,
        loc="center",
        bbox_to_anchor=(0.5, 0.105),
        ncol=len(handles),
        frameon=False,
        fontsize=9.5,
        handlelength=2.6,
        columnspacing=2.0,
    )
    if italic:
        legend.get_texts()[-1].set_fontstyle("italic")

    as_of = max((p.as_of for p in places), default="")
    source = (
        f"Data: {home}'s table of international relations ({settings.display(settings.places)})"
        + (f", status as of {as_of}" if as_of else "")
        + f". {ATTRIBUTION}. Equal Earth projection."
    )
    fig.text(0.012, 0.035, source, fontsize=8.5, color=MUTED, va="center")
    names = ", ".join(p.label for p in places) if not many else f"Office: {home}"
    description = f"Map of {subtitle}. " + names + ". " + source
    return fig, title, description


@without_gc_pauses
def render_static(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Mapping[str, Any] | None = None,
) -> dict[str, bytes]:
    """The static map for print: ``{"partnerships.png": ..., "partnerships.svg": ...}``.

    `layers` as from :func:`geo.build_layers`. `basemap` is the country outlines as GeoJSON;
    when not given, they are read from the settings' basemap file. Both files are byte-identical
    for the same input.
    """
    import matplotlib

    if basemap is None:
        basemap = read_basemap(settings.basemap)
    with matplotlib.rc_context(RC):
        fig, title, description = _figure(layers, settings, basemap)
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
        # Raster parts (the lines and markers of a large table) at screen resolution: enough
        # for an image inside a vector file, and half the drawing of the PNG's.
        extra = {"dpi": RASTER_DPI} if _many(layers) else {}
        fig.savefig(
            svg,
            format="svg",
            metadata={"Date": None, "Title": title, "Description": description},
            **extra,
        )
    return {PNG_NAME: png.getvalue(), SVG_NAME: svg.getvalue()}


class StaticRender:
    """:func:`render_static` started early, in a second process where that pays off.

    A large table's print map takes seconds of drawing that nothing else waits for, so on a
    machine with two or more cores it is drawn in a forked process while the layers are encoded
    and the web maps rendered; :meth:`result` waits for its files. Small tables (and machines
    without ``fork`` or a second core) draw in this process, when :meth:`result` is called. If
    the second process fails, :meth:`result` draws here, so an error is raised as usual. Use as
    a context manager: leaving it stops a process whose result was not asked for.
    """

    def __init__(
        self,
        layers: Mapping[str, FeatureCollection],
        settings: Settings,
        basemap: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        # `basemap` may be a function that reads it: called by whichever process draws.
        self._args = (layers, settings, basemap)
        self._process: Any = None
        if not _many(layers) or (os.cpu_count() or 1) < 2:
            return
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._pipe, child = context.Pipe(duplex=False)
        self._process = context.Process(target=_render_into, args=(child, *self._args))
        self._process.daemon = True
        self._process.start()
        child.close()

    def result(self) -> dict[str, bytes]:
        """The files of :func:`render_static`."""
        files = None
        if self._process is not None:
            try:
                files = self._pipe.recv()
            except EOFError:  # the process died
                files = None
            self.close()
        return files if isinstance(files, dict) else _render(*self._args)

    def close(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._pipe.close()
            self._process = None

    def __enter__(self) -> StaticRender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _render(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None,
) -> dict[str, bytes]:
    return render_static(layers, settings, basemap() if callable(basemap) else basemap)


def _render_into(conn: Any, *args: Any) -> None:
    try:
        conn.send(_render(*args))
    except BaseException:  # the parent draws again and raises the error there
        conn.send(None)
    finally:
        conn.close()
