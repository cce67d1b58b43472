"""geo.printmap.figure: the page in Swedish and English, as PNG and SVG, as a reader sees it."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import geo
import geo.printmap.figure
from geo import pipeline, style
from geo.errors import SourceError
from geo.printmap import png_name, render_static, svg_name
from geo.printmap.figure import DPI, FIG_SIZE, Prepared, draw_page, layout
from geo.printmap.panel import draw_sheet
from geo.printmap.scene import build_scene, central_lon
from geo.schema import Kind, Status
from tests.printmap.sample import ROOT
from tests.printmap.svg import groups, line_extents, marks, placed, svg_texts

FILES = {"partnerships-sv.png", "partnerships-sv.svg", "partnerships-en.png", "partnerships-en.svg"}
SHAPES = {"square": "square", "circle": "circle", "triangle": "triangle-up"}  # style -> SVG


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        chunks.append((png[i + 4 : i + 8], png[i + 8 : i + 8 + length]))
        i += 12 + length
    return chunks


def test_render_gives_a_png_and_an_svg_in_each_language(rendered):
    assert set(rendered) == FILES
    assert {png_name("sv"), svg_name("en")} <= FILES
    for lang in ("sv", "en"):
        image = Image.open(io.BytesIO(rendered[png_name(lang)]))
        image.load()
        assert image.format == "PNG"
        assert image.size == (round(FIG_SIZE[0] * DPI), round(FIG_SIZE[1] * DPI)) == (1800, 990)


# --- one visual language: what the SVG draws is what geo/style.py says -------------------------


def assert_place_drawn_as_style_says(svg: bytes, gid: str, kind: str, status: str | None) -> None:
    symbol, hollow = style.SYMBOLS[Kind(kind)], style.is_hollow(status)
    drawn = marks(svg, gid)
    assert drawn, gid
    for mark in drawn:
        assert mark.shape == SHAPES[symbol.shape], gid
        if hollow:
            assert mark.style["fill"] == style.HOLLOW_FILL.lower()
            assert mark.style["stroke"] == symbol.colour.lower()
            assert mark.dashes == pytest.approx(style.OUTLINE_DASH), gid
        else:
            assert mark.style["fill"] == symbol.colour.lower()
            assert mark.style["stroke"] == style.HALO.lower()
            assert mark.dashes is None
    if not hollow:  # the thin dark edge round the white outline
        edges = marks(svg, f"{gid}-edge")
        assert edges and {m.style["stroke"] for m in edges} == {style.EDGE.lower()}
        assert min(m.width for m in edges) > max(m.width for m in drawn)


def assert_line_drawn_as_style_says(svg: bytes, gid: str, relation: str, status: str) -> None:
    drawn = marks(svg, gid)
    assert drawn, gid
    expected = style.LINE_DASH[Status(status)]
    for mark in drawn:
        assert mark.style["stroke"] == style.SYMBOLS[Kind(relation)].colour.lower()
        opacity = style.LINE_OPACITY[Status(status)]
        assert float(mark.style.get("stroke-opacity", 1)) == pytest.approx(opacity)
        assert mark.width == pytest.approx(style.LINE_WIDTH[Status(status)] * 0.75)  # CSS px in pt
        assert mark.dashes == (pytest.approx(expected) if expected else None), gid


def drawn_ids(svg: bytes, prefix: str) -> set[tuple[str, str]]:
    return {
        tuple(gid.removeprefix(prefix).split("-"))  # type: ignore[misc]
        for gid in groups(svg)
        if gid.startswith(prefix) and not gid.endswith("-edge")
    }


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_map_and_its_legend_draw_exactly_what_geo_style_says(rendered, lang):
    svg = rendered[svg_name(lang)]
    places = drawn_ids(svg, "place-")
    assert places == {
        ("office", "none"),
        ("partner_city", "active"),
        ("partner_city", "dormant"),
        ("friendship_town", "active"),
    }
    for prefix in ("place-", "legend-place-"):
        for kind, status in places:
            gid = f"{prefix}{kind}-{status}"
            assert_place_drawn_as_style_says(svg, gid, kind, None if status == "none" else status)
    lines = drawn_ids(svg, "line-")
    assert lines == {(k, s) for k, s in places if k != "office"}
    for prefix in ("line-", "legend-line-"):
        for relation, status in lines:
            assert_line_drawn_as_style_says(svg, f"{prefix}{relation}-{status}", relation, status)
    # the legend explains every symbol and line on the map, and only those
    assert drawn_ids(svg, "legend-place-") == places
    assert drawn_ids(svg, "legend-line-") == lines


def count_pixels(png: bytes, colour: str, tolerance: int = 3) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=1) <= tolerance).sum())


def test_the_png_shows_the_kinds_colours_and_not_the_old_status_colours(rendered):
    png = rendered[png_name("en")]
    assert count_pixels(png, style.SYMBOLS[Kind.PARTNER_CITY].colour) > 500
    assert count_pixels(png, style.SYMBOLS[Kind.FRIENDSHIP_TOWN].colour) > 300
    assert count_pixels(png, "#009E73") == 0  # the bluish green that once meant "active"


# --- words: every text from the catalogue, in the page's language -----------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "sv",
            {
                "Internationella relationer för Göteborg",
                "10 partnerstäder (1 aktiv, 9 vilande) och 3 vänorter (3 aktiva), med geodetiska "
                "linjer (kortaste vägen) till kontoret",
                "Världen",
                "Nära Göteborg (rutan på världskartan)",
                "Kontor: Stadsledningskontoret",
                "Göteborg",
                "Åbo",
                "Data: tabellen över internationella relationer för Göteborg (data/places.csv), "
                "status per 2026-11-27. Kartunderlag: Natural Earth. Projektion: Equal Earth, "
                "centrerad på 12° Ö.",
            },
        ),
        (
            "en",
            {
                "Gothenburg's international relations",
                "10 partner cities (1 active, 9 dormant) and 3 friendship towns (3 active), "
                "joined to the office by geodesic lines (the shortest way)",
                "The world",
                "Near Gothenburg (the box on the world map)",
                "Office: City Executive Office",
                "Gothenburg",
                "Turku",
                "Data: Gothenburg's table of international relations (data/places.csv), status "
                "as of 2026-11-27. Country outlines: Natural Earth. Projection: Equal Earth, "
                "centred on 12° E.",
            },
        ),
    ],
)
def test_the_page_speaks_one_language(rendered, lang, expected):
    texts = svg_texts(rendered[svg_name(lang)])
    assert expected <= set(texts)
    other = {"sv": ("Office", "Partner city", "The world", "Turku"),
             "en": ("Kontor", "Partnerstad", "Världen", "Åbo")}[lang]  # fmt: skip
    assert not [t for t in texts if any(word in t for word in other)]


def test_no_dates_or_software_in_the_metadata_and_the_language_named(rendered):
    for lang in ("sv", "en"):
        chunks = png_chunks(rendered[png_name(lang)])
        assert b"tIME" not in [kind for kind, _ in chunks]
        text = b"".join(data for kind, data in chunks if kind in (b"tEXt", b"iTXt", b"zTXt"))
        assert b"Software" not in text and b"Creation Time" not in text
        assert b"Title" in text and b"Description" in text  # what a screen reader can offer
        svg = ET.fromstring(rendered[svg_name(lang)])
        dc = "{http://purl.org/dc/elements/1.1/}"
        assert next(svg.iter(f"{dc}language")).text == lang
        assert not list(svg.iter(f"{dc}date"))


def test_renders_are_byte_identical_within_and_across_processes(
    rendered, layers, settings, tmp_path
):
    assert render_static(layers, settings) == rendered
    code = (
        "import sys, geo; from pathlib import Path; from geo.printmap import render_static\n"
        "s = geo.read_settings(sys.argv[1]); out = render_static(geo.build_layers("
        "geo.read_places(s)), s)\n"
        "for name, data in out.items(): (Path(sys.argv[2]) / name).write_bytes(data)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "geo.toml"), str(tmp_path)],
        check=True,
        env=env,
        cwd=tmp_path,
    )
    for name, data in rendered.items():
        assert (tmp_path / name).read_bytes() == data, name


def test_the_later_languages_are_drawn_in_a_process_of_their_own_with_the_same_bytes(
    rendered, layers, settings, basemap, monkeypatch
):
    """The first language is drawn here, the others in one process forked once the scene is
    prepared; where fork is missing, all here: the same files either way."""
    from geo import processes
    from tests.support import record_forks

    forks = record_forks(monkeypatch)
    assert render_static(layers, settings, basemap) == rendered
    assert forks == ["drawing the print map"]
    assert render_static(layers, settings, basemap, langs=["en"]) == {
        n: d for n, d in rendered.items() if "-en." in n
    }
    assert forks == ["drawing the print map"]  # one language: no process
    monkeypatch.setattr(processes, "can_fork", lambda: False)
    assert render_static(layers, settings, basemap) == rendered


def test_a_page_is_emptied_once_saved(layers, settings, basemap):
    """Emptied, a page is freed at once (the cyclic collector is paused while the map is
    drawn). The files are the same."""
    from matplotlib.figure import Figure

    prepared = geo.printmap.figure.prepare_static(layers, settings, basemap)
    cleared = []
    original = Figure.clear
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            Figure, "clear", lambda fig, *a, **k: cleared.append(bool(fig.axes)) or original(fig)
        )  # (a new Figure clears itself too: empty)
        files = geo.printmap.figure.render_language(prepared, settings, "en")
    assert cleared.count(True) == 1
    assert files == render_static(layers, settings, basemap, langs=["en"])


def test_build_writes_the_four_maps_and_rewrites_nothing_the_second_time(settings, tmp_path):
    import dataclasses

    out = dataclasses.replace(settings, layers_dir=tmp_path / "layers", maps_dir=tmp_path / "maps")
    first = pipeline.build(out)
    maps = {tmp_path / "maps" / name for name in FILES}
    assert maps <= set(first.changed)
    assert not (tmp_path / "maps" / "partnerships.png").exists()
    before = {path: path.read_bytes() for path in maps}
    second = pipeline.build(out)
    assert second.changed == [] and second.reused == ("interactive", "print")
    assert {path: path.read_bytes() for path in maps} == before


# --- any home city: centred on the office, lines whole, nothing off the page ------------------


@pytest.mark.parametrize("which", ["pacific", "east"])
def test_the_office_is_in_the_middle_and_no_line_crosses_the_map(which, pacific, east):
    settings, chosen = {"pacific": pacific, "east": east}[which]
    svg = render_static(chosen, settings, langs=["en"])[svg_name("en")]
    offices = placed(svg, "place-office-none")
    world = max((rect for _, _, rect in offices), key=lambda r: r[1] - r[0])
    x, _, _ = next(o for o in offices if o[2] == world)
    assert world[0] + (world[1] - world[0]) / 3 < x < world[1] - (world[1] - world[0]) / 3
    lines = line_extents(svg)
    assert len(lines) >= len(chosen["connections"]["features"])
    for left, right, (x0, x1, _, _) in lines:
        assert not (left <= x0 + 1 and right >= x1 - 1), (left, right)  # not edge to edge


@pytest.mark.parametrize("which", ["gothenburg", "pacific", "east"])
def test_the_world_panel_is_centred_on_the_office(which, layers, pacific, east, basemap):
    chosen = {"gothenburg": layers, "pacific": pacific[1], "east": east[1]}[which]
    scene = build_scene(chosen, basemap, central_lon(chosen))
    world = max(layout(scene, large=False), key=lambda panel: panel.rect[2])
    x0, x1, _, _ = world.view
    assert (scene.office.x - x0) / (x1 - x0) == pytest.approx(0.5)


def page_texts_inside(settings, layers, basemap, lang, source="data/places.csv") -> None:
    scene = build_scene(layers, basemap, central_lon(layers))
    panels = layout(scene, large=False)
    sheet = draw_sheet(scene, panels, FIG_SIZE, DPI)
    page = draw_page(Prepared(scene, panels, sheet, source), settings, lang)
    fig = page.figure
    renderer = fig.canvas.get_renderer()
    from matplotlib.text import Text

    # The page's texts and every axes' texts and titles (the panels' headings are left titles).
    texts = [*fig.texts]
    texts += [a for ax in fig.axes for a in ax.get_children() if isinstance(a, Text)]
    texts = [text for text in texts if text.get_text()]
    headings = {ax.get_title(loc="left") for ax in fig.axes} - {""}
    assert headings <= {text.get_text() for text in texts}
    assert len(texts) > 10
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, text.get_text()
        assert box.y0 >= 0 and box.y1 <= fig.bbox.height, text.get_text()


@pytest.mark.parametrize("which", ["gothenburg-sv", "gothenburg-en", "pacific-sv", "east-en"])
def test_nothing_runs_off_the_page(which, settings, layers, pacific, east, basemap):
    name, lang = which.split("-")
    chosen = {"gothenburg": (settings, layers), "pacific": pacific, "east": east}[name]
    page_texts_inside(*chosen, basemap, lang)


def test_a_long_source_path_is_broken_between_words_not_cut(settings, layers, basemap, tmp_path):

    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 6) / "places.csv"
    page_texts_inside(settings, layers, basemap, "sv", settings.display(deep))


@pytest.mark.parametrize("name", ["Chicago $\\frac$ x", "Town $5 and $6", "a_b^c {x}", "<b>&amp;"])
def test_names_are_plain_text_not_mathtext(layers, settings, name):
    import copy
    from xml.sax.saxutils import escape

    changed = copy.deepcopy(dict(layers))
    for fc in changed.values():
        for feature in fc["features"]:
            if feature["id"] == "chicago" or feature["properties"].get("to_id") == "chicago":
                feature["properties"]["name_en"] = name
    svg = render_static(changed, settings, langs=["en"])[svg_name("en")].decode("utf-8")
    assert escape(name) in svg


@pytest.mark.parametrize(
    ("style_", "weight"),
    [("normal", "normal"), ("italic", "normal"), ("normal", "bold")],
)
def test_the_fonts_are_the_ones_matplotlib_ships(style_, weight):
    # A system copy of DejaVu Sans (other version, other hinting) would change the bytes.
    import matplotlib
    from matplotlib import font_manager

    with matplotlib.rc_context(geo.printmap.figure.RC):
        props = font_manager.FontProperties(family="DejaVu Sans", style=style_, weight=weight)
        path = Path(font_manager.findfont(props, fallback_to_default=False))
    assert Path(matplotlib.get_data_path()) in path.parents


def test_a_missing_basemap_is_a_source_error(layers, settings, tmp_path):
    import dataclasses

    elsewhere = dataclasses.replace(settings, basemap=tmp_path / "missing.geojson")
    with pytest.raises(SourceError, match=r"cannot read the basemap .*remove the setting to use"):
        render_static(layers, elsewhere)


# --- a large table --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from benchmarks.synthetic import synthetic_table
    from tests.support import make_project

    settings = make_project(tmp_path_factory.mktemp("many"), synthetic_table(80))
    return settings, geo.build_layers(geo.read_places(settings))


def test_a_large_table_names_only_the_office_and_draws_its_lines_as_an_image(many):
    settings, layers = many
    out = render_static(layers, settings)
    assert set(out) == FILES
    for lang in ("sv", "en"):
        svg = out[svg_name(lang)]
        texts = svg_texts(svg)
        assert settings.home.name(lang) in texts
        names = {f["properties"]["name_en"] for f in layers["partner_cities"]["features"]}
        assert not names & set(texts)
        assert b"<image" in svg
        assert not drawn_ids(svg, "line-")  # no vector lines: they are in the image
        assert drawn_ids(svg, "legend-line-") == {("partner_city", "active"),
            ("partner_city", "dormant"), ("friendship_town", "active")}  # fmt: skip
