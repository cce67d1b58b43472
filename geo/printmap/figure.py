"""Stage 4b, render for print: the layers in, the static map as PNG and SVG bytes per language.

:func:`render_static` projects the layers once (:mod:`geo.printmap.scene`, Equal Earth centred on
the office's meridian) and lays out the page once: a world panel, and a detail panel when some
places lie near the office (:mod:`geo.printmap.panel`). Then, for each of the settings'
languages, it draws the page: the panels (:func:`draw_panels`), a title and a line that counts
the places, the panels with the places named in the page's language
(:mod:`geo.printmap.names`), a legend that says every symbol in words (:mod:`geo.printmap.legend`),
the data source, the basemap's credit and the projection. All words come from the ``[print]``
section of the text catalogue; every colour, shape and dash from :mod:`geo.style`.

matplotlib is imported only here and below (Agg canvas, ``Figure`` without pyplot, no network),
so ``geo validate`` does not pay for it. Output is deterministic: DejaVu Sans (shipped with
matplotlib), no dates in the metadata, a fixed salt for SVG ids. Returns bytes; writing is
:mod:`geo.io.write`'s job.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import processes, style
from geo.config import Settings
from geo.gc_pause import without_gc_pauses
from geo.io.basemap import read_basemap
from geo.layers import FeatureCollection
from geo.model import LAYER_OF_KIND
from geo.printmap.legend import draw_legend, legend_entries
from geo.printmap.names import draw_names
from geo.printmap.panel import INK, Panel, draw_panel, draw_sheet, limits, make_panel
from geo.printmap.png import encode_png
from geo.printmap.scene import Place, Scene, build_scene, central_lon
from geo.schema import Kind, Status
from geo.text import Texts, texts

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from geo.printmap.labels import Box

STEM = "partnerships"  # the files are partnerships-sv.png, partnerships-en.svg, ...
NEAR_KM = style.NEAR_KM  # places nearer the office than this also get the detail panel
FIG_SIZE = (12.0, 6.6)  # inches: fits an A4 page across
DPI = 150  # PNG: 1800 x 990 pixels; the SVG is vector
A4_PIXELS, PRINT_DPI = 3508, 300  # the print PNG: A4's 297 mm across at 300 dpi
SCREEN, PRINT = ("png", "svg"), ("a4.png", "pdf")  # what `save` makes: for the maps, for print
# Where things sit on the page (fractions of its width and height).
WORLD_RECT, DETAIL_RECT = (0.008, 0.19, 0.6, 0.66), (0.62, 0.19, 0.372, 0.66)
SINGLE_RECT = (0.008, 0.19, 0.984, 0.66)
LEGEND_TOP, LEGEND_BOTTOM = 0.175, 0.055
# Above this many places the map names only the office: thousands of labels cannot be read (nor
# placed: label placement compares every pair), the names are in the data and the web map. The
# lines and symbols of so many places are also drawn as an image (see panel.draw_sheet).
MAX_LABELS = 60
MUTED = "#555555"
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "svg.fonttype": "none",  # real <text> elements: searchable, and checked by the tests
    "text.parse_math": False,  # a `$` in a name is a dollar sign, not mathtext
    "svg.hashsalt": "geo-partnerships",  # ids derived from content, not random
    "savefig.facecolor": "white",
    "path.simplify": True,
    "lines.scale_dashes": False,  # dash patterns are given in points (see geo.printmap.look)
}


# Catalogue keys chosen by what is drawn (written out so every key can be found in the code).
STATUS_COUNTS = {
    ("active", True): "print.active_one",
    ("active", False): "print.active_other",
    ("dormant", True): "print.dormant_one",
    ("dormant", False): "print.dormant_other",
}
PANEL_HEADINGS = {"world": "print.world", "near": "print.near"}


def png_name(lang: str) -> str:
    """The PNG's file name for `lang` (``partnerships-sv.png``)."""
    return f"{STEM}-{lang}.png"


def svg_name(lang: str) -> str:
    """The SVG's file name for `lang` (``partnerships-sv.svg``)."""
    return f"{STEM}-{lang}.svg"


def is_large(layers: Mapping[str, FeatureCollection]) -> bool:
    """Whether the table is too large to name every place (see MAX_LABELS)."""
    count = sum(len(layers.get(n, {}).get("features", [])) for n in LAYER_OF_KIND.values())
    return count > MAX_LABELS


def layout(scene: Scene, large: bool) -> list[Panel]:
    """The panels of the page: the world, and the places near the office when there are some.

    The world panel is centred on the office. A large table's panels name only the office and
    are drawn as raster.
    """
    office = scene.office
    near = {p.id for p in scene.places if p.distance_km is not None and p.distance_km <= NEAR_KM}
    far = {p.id for p in scene.places if not p.is_office} - near
    own = {office.id} if office is not None else set()
    everything = np.concatenate([scene.xy(), *(line.xy for line in scene.lines)]).reshape(-1, 2)
    world = (
        limits(everything, 0.06, office.x if office is not None else None)
        if len(everything)
        else (-1.7e7, 1.7e7, -8e6, 8e6)
    )
    if not (near and far and office is not None):
        named = own if large else {p.id for p in scene.places}
        return [make_panel("single", SINGLE_RECT, world, named, FIG_SIZE, large=large)]
    detail = make_panel(
        "near", DETAIL_RECT, limits(scene.xy(near | own), 0.14), own if large else near | own,
        FIG_SIZE, large=large,
    )  # fmt: skip
    world_panel = make_panel(
        "world", WORLD_RECT, world, set() if large else far, FIG_SIZE, detail.view, large
    )
    return [world_panel, detail]


def subtitle(scene: Scene, t: Texts) -> str:
    """What the map shows, counted: "10 partner cities (1 active, 9 dormant) and ...", in words."""
    groups = []
    for kind in (Kind.PARTNER_CITY.value, Kind.FRIENDSHIP_TOWN.value):
        group = [p for p in scene.places if p.kind == kind]
        if not group:
            continue
        statuses = []
        for status in (s.value for s in Status):
            n = sum(p.status == status for p in group)
            if n:
                statuses.append(t(STATUS_COUNTS[status, n == 1], n=t.number(n)))
        noun = t.kind(kind) if len(group) == 1 else t(f"kind_plural.{kind}")
        groups.append(
            t("print.kind_count", n=t.number(len(group)), kind=noun, statuses=", ".join(statuses))
        )
    return t("print.subtitle_join").join(groups) + t("print.subtitle_end")


def meridian(t: Texts, lon: float) -> str:
    """The central meridian in words: 12° E, 158° W (rounded to a degree)."""
    degrees = round(abs(lon))
    return t("print.west" if lon < 0 and degrees else "print.east", deg=degrees)


def footer(scene: Scene, source: str, t: Texts, home: str) -> str:
    """Where the data come from (the table `source`), as of when, the basemap's credit and the
    projection."""
    as_of = max((p.as_of for p in scene.places), default="")
    return (
        t("print.source", home=home, path=credited(source))
        + (t("print.as_of", date=as_of) if as_of else "")
        + ". "
        + t("print.attribution", meridian=meridian(t, scene.lon_0))
    )


def credited(source: str) -> str:
    """The table as a published page names it: its path in the project (``data/places.csv``),
    or only its file's name when it lies elsewhere: never a folder of the machine that built
    the map (``/home/someone/places.xlsx`` is ``places.xlsx``)."""
    path = PurePath(source)
    return path.name if path.is_absolute() or ".." in path.parts else source


def fit_width(text: Text, renderer: RendererBase, margin: float = 0.012) -> None:
    """Break a line of the page between words where it would run off the page's right side."""
    room = text.figure.bbox.width * (1.0 - 2 * margin)
    width = text.get_window_extent(renderer).width
    if width > room:
        words = text.get_text()
        text.set_text("\n".join(textwrap.wrap(words, max(20, int(len(words) * room / width)))))


def draw_panels(prepared: Prepared) -> Figure:
    """A new page with its panels drawn (land, lines, places, the detail box): what every
    language's page has alike."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIG_SIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    for panel, image in zip(prepared.panels, prepared.images, strict=True):
        draw_panel(fig.add_axes(panel.rect), prepared.scene, panel, image)
    return fig


@dataclass
class Page:
    """One language's page, drawn: the figure, its title and description, the names' boxes."""

    figure: Figure
    title: str
    description: str
    name_boxes: list[list[Box]]  # per panel, in pixels


def draw_page(prepared: Prepared, settings: Settings, lang: str) -> Page:
    """The page in `lang`: title, counts, panels with names, legend, source."""
    fig = draw_panels(prepared)
    scene, panels = prepared.scene, prepared.panels
    t = texts(lang)
    home = settings.home.name(lang)

    def name_of(place: Place) -> str:
        return home if place.is_office else place.name(lang)

    renderer = fig.canvas.get_renderer()
    title, counts = t("print.title", home=home), subtitle(scene, t)
    fig.text(0.012, 0.955, title, fontsize=17, fontweight="bold", color=INK, va="center")
    fit_width(fig.text(0.012, 0.905, counts, fontsize=10.5, color=MUTED, va="center"), renderer)
    boxes = []
    for panel, ax in zip(panels, fig.axes, strict=True):
        if panel.role != "single":
            heading = t(PANEL_HEADINGS[panel.role], home=home)
            ax.set_title(heading, loc="left", fontsize=10, color=MUTED)
        boxes.append(draw_names(ax, scene, panel, name_of, renderer))
    draw_legend(fig, legend_entries(scene, t), renderer, LEGEND_TOP, LEGEND_BOTTOM)
    source = footer(scene, prepared.source, t, home)
    fit_width(fig.text(0.012, 0.012, source, fontsize=8.5, color=MUTED, va="bottom"), renderer)
    named = set().union(*(panel.named for panel in panels))
    names = "; ".join(name_of(p) for p in scene.places if p.id in named)
    description = t("print.description", subtitle=counts, names=names, source=source)
    return Page(fig, title, description, boxes)


def _png(page: Page, meta: dict[str, str | None]) -> bytes:
    """The page's PNG: drawn by Agg, written by :mod:`geo.printmap.png`."""
    canvas = page.figure.canvas
    canvas.draw()
    return encode_png(np.asarray(canvas.buffer_rgba()), DPI, meta)


def _a4_png(page: Page, meta: dict[str, str | None]) -> bytes:
    """The page drawn whole A4_PIXELS wide, marked PRINT_DPI: printed at that resolution it is
    as wide as an A4 page across (the page keeps its shape)."""
    fig = page.figure
    dpi = fig.dpi
    fig.set_dpi((A4_PIXELS + 0.5) / FIG_SIZE[0])  # Agg truncates the width to whole pixels
    try:
        fig.canvas.draw()
        return encode_png(np.asarray(fig.canvas.buffer_rgba()), PRINT_DPI, meta)
    finally:
        fig.set_dpi(dpi)


def save(page: Page, lang: str, kinds: Sequence[str] = SCREEN) -> dict[str, bytes]:
    """The page as PNG and SVG bytes (`kinds` :data:`SCREEN`), or as an A4 PNG at 300 dpi and
    a PDF (:data:`PRINT`), without dates or software versions."""
    meta = {"Title": page.title, "Description": page.description}
    files, svg, pdf = {}, io.BytesIO(), io.BytesIO()
    if "png" in kinds:
        files[png_name(lang)] = _png(page, {"Software": None, **meta})
    if "svg" in kinds:
        page.figure.savefig(svg, format="svg", metadata={"Date": None, "Language": lang, **meta})
        files[svg_name(lang)] = svg.getvalue()
    if "a4.png" in kinds:
        files[f"{STEM}-{lang}-a4.png"] = _a4_png(page, {"Software": None, **meta})
    if "pdf" in kinds:
        info = {"Title": page.title, "Subject": page.description, "CreationDate": None}
        page.figure.savefig(pdf, format="pdf", metadata=info)
        files[f"{STEM}-{lang}.pdf"] = pdf.getvalue()
    return files


@dataclass(frozen=True)
class Prepared:
    """What every language's page shares: the scene, the panels and their raster images, and
    the table the map credits."""

    scene: Scene
    panels: list[Panel]
    images: list[np.ndarray | None]
    source: str  # the table, as the footer names it


def prepare_static(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Mapping[str, Any] | None = None,
    source: str | None = None,
) -> Prepared:
    """The work every page shares: the layers projected, the page laid out, a large table's
    lines and symbols drawn as images (see :func:`render_static`). `source` names the table in
    the footer (default: the settings' table)."""
    import matplotlib

    if basemap is None:
        basemap = read_basemap(settings.basemap)
    large = is_large(layers)
    scene = build_scene(layers, basemap, central_lon(layers))
    panels = layout(scene, large)
    with matplotlib.rc_context(RC):
        images = draw_sheet(scene, panels, FIG_SIZE, DPI)
    table = source if source is not None else settings.display(settings.places)
    return Prepared(scene, panels, images, table)


def render_language(
    prepared: Prepared, settings: Settings, lang: str, kinds: Sequence[str] = SCREEN
) -> dict[str, bytes]:
    """One language's files of `kinds`, by file name (see :func:`render_static`). The page is
    emptied once saved, so that it is freed now and not by the cyclic collector (paused:
    geo.gc_pause)."""
    import matplotlib

    with matplotlib.rc_context(RC):
        page = draw_page(prepared, settings, lang)
        files = save(page, lang, kinds)
        page.figure.clear()
        return files


@without_gc_pauses
def render_static(
    layers: Mapping[str, FeatureCollection],
    settings: Settings,
    basemap: Mapping[str, Any] | None = None,
    langs: Sequence[str] | None = None,
    source: str | None = None,
    kinds: Sequence[str] = SCREEN,
) -> dict[str, bytes]:
    """The static map for print, by file name: ``partnerships-sv.png``, ``-sv.svg``, ``-en...``
    (`kinds` :data:`PRINT`: ``partnerships-sv-a4.png``, ``partnerships-sv.pdf``, ...).

    `layers` as from :func:`geo.build_layers` (or as the pipeline holds them, lines as arrays).
    `basemap` is the country outlines as GeoJSON; when not given, they are read from the
    settings' basemap file. `langs` chooses the languages (the settings' by default); `source`
    names the table in the footer (default: the settings' table). Every file is byte-identical
    for the same input.
    """
    prepared = prepare_static(layers, settings, basemap, source)
    first, *later = settings.languages if langs is None else langs
    if not later:
        return render_language(prepared, settings, first, kinds=kinds)
    # The later languages are drawn in a process forked now (it inherits the prepared scene and
    # matplotlib, imported): on two cores both pages are drawn at once.
    draw_later = partial(render_languages, prepared, settings, later, kinds)
    with processes.forked("drawing the print map", draw_later) as drawing:
        files = render_language(prepared, settings, first, kinds=kinds)
        return files | drawing.result()


def render_languages(
    prepared: Prepared, settings: Settings, langs: Sequence[str], kinds: Sequence[str]
) -> dict[str, bytes]:
    """:func:`render_language` for each of `langs`."""
    files: dict[str, bytes] = {}
    for lang in langs:
        files |= render_language(prepared, settings, lang, kinds=kinds)
    return files
