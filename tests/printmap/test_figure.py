"""geo.printmap: the static map for print (PNG and SVG), its label placement and geometry."""

from __future__ import annotations

import dataclasses
import doctest
import io
import json
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
import geo.io.basemap
import geo.printmap.figure
from geo import pipeline
from geo.config import Home, Settings
from geo.errors import SourceError
from geo.printmap.figure import (
    DPI,
    FIG_SIZE,
    MAX_LABELS,
    PNG_NAME,
    STATUS_STYLES,
    SVG_NAME,
    StaticRender,
    basemap_rings,
    line_parts,
    render_static,
    split_ring,
)
from geo.schema import Kind, Place, Status

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return geo.read_settings(ROOT / "geo.toml")


@pytest.fixture(scope="module")
def layers(settings):
    return geo.build_layers(geo.read_places(settings))


@pytest.fixture(scope="module")
def rendered(layers, settings) -> dict[str, bytes]:
    return render_static(layers, settings)


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        chunks.append((png[i + 4 : i + 8], png[i + 8 : i + 8 + length]))
        i += 12 + length
    return chunks


def test_render_gives_a_png_and_an_svg(rendered):
    assert set(rendered) == {PNG_NAME, SVG_NAME} == {"partnerships.png", "partnerships.svg"}


def test_png_decodes_with_the_right_size(rendered):
    image = Image.open(io.BytesIO(rendered[PNG_NAME]))
    image.load()
    assert image.format == "PNG"
    assert image.size == (round(FIG_SIZE[0] * DPI), round(FIG_SIZE[1] * DPI)) == (1800, 990)


def count_pixels(png: bytes, colour: str, tolerance: int = 3) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=1) <= tolerance).sum())


def test_png_shows_both_statuses(rendered):
    # Active: filled markers and solid lines in the active colour; dormant: the marker edges.
    assert count_pixels(rendered[PNG_NAME], STATUS_STYLES["active"].color) > 300
    assert count_pixels(rendered[PNG_NAME], STATUS_STYLES["dormant"].edge) > 300


def test_svg_names_every_place(rendered, layers):
    texts = svg_texts(rendered[SVG_NAME])
    names = [
        f["properties"]["name_en"]
        for name in ("office", "partner_cities", "friendship_towns")
        for f in layers[name]["features"]
    ]
    assert len(names) == 14
    for name in names:
        assert any(name in text for text in texts), name


def test_svg_has_title_legend_source_and_attribution(rendered):
    texts = svg_texts(rendered[SVG_NAME])
    assert "Gothenburg's international relations" in texts
    assert {
        "Active relation",
        "Dormant relation",
        "Office: City Executive Office",
    } <= set(texts)
    assert "Friendship town: name in italics" in texts
    footer = next(t for t in texts if t.startswith("Data:"))
    assert "data/places.csv" in footer
    assert "status as of 2026-11-27" in footer
    assert "Country outlines: Natural Earth" in footer


def test_no_dates_or_software_in_the_metadata(rendered):
    chunk_types = [kind for kind, _ in png_chunks(rendered[PNG_NAME])]
    assert b"tIME" not in chunk_types
    for kind, data in png_chunks(rendered[PNG_NAME]):
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            assert not data.startswith((b"Software", b"Creation Time")), data[:40]
    svg = rendered[SVG_NAME].decode("utf-8")
    assert "<dc:date>" not in svg


def test_renders_are_byte_identical_within_and_across_processes(
    rendered, layers, settings, tmp_path
):
    again = render_static(layers, settings)
    assert again[PNG_NAME] == rendered[PNG_NAME]
    assert again[SVG_NAME] == rendered[SVG_NAME]
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
    assert (tmp_path / PNG_NAME).read_bytes() == rendered[PNG_NAME]
    assert (tmp_path / SVG_NAME).read_bytes() == rendered[SVG_NAME]


def test_build_writes_the_maps_with_the_layers_and_rewrites_nothing_the_second_time(
    settings, tmp_path
):
    out = dataclasses.replace(settings, layers_dir=tmp_path / "layers", maps_dir=tmp_path / "maps")
    first = pipeline.build(out)
    png, svg = tmp_path / "maps" / PNG_NAME, tmp_path / "maps" / SVG_NAME
    assert png in first.changed and svg in first.changed
    assert (tmp_path / "layers" / "all.geojson") in first.changed
    before = png.read_bytes(), svg.read_bytes()
    second = pipeline.build(out)
    assert second.changed == []  # same table, same bytes: nothing is rewritten
    assert (png.read_bytes(), svg.read_bytes()) == before


def test_a_missing_basemap_is_a_source_error(layers, settings, tmp_path):
    elsewhere = dataclasses.replace(settings, basemap=tmp_path / "missing.geojson")
    with pytest.raises(SourceError, match=r"cannot read the basemap .*remove the setting to use"):
        render_static(layers, elsewhere)


def test_a_broken_basemap_is_a_source_error(tmp_path):
    broken = tmp_path / "countries.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(SourceError, match=r"countries.geojson: the basemap is not valid JSON"):
        geo.io.basemap.read_basemap(broken)


def make_place(id: str, kind: Kind, lon: float, lat: float, name: str) -> Place:
    return Place(
        id=id,
        kind=kind,
        status=None if kind is Kind.OFFICE else Status.ACTIVE,
        name_sv=name,
        name_en=name,
        name_local=name,
        country="JP",
        lon=lon,
        lat=lat,
        since=None,
        since_note=None,
        description_sv="",
        description_en="",
        geonames_id=1,
        geonames_note=None,
        wikidata=None,
        source="test",
        as_of="2026-01-01",
    )


def test_a_line_across_the_antimeridian_is_drawn_in_parts(tmp_path):
    places = [
        make_place("tokyo-office", Kind.OFFICE, 139.69, 35.69, "Tokyo Office"),
        make_place("san-francisco", Kind.PARTNER_CITY, -122.42, 37.77, "San Francisco"),
        make_place("seoul", Kind.FRIENDSHIP_TOWN, 126.98, 37.57, "Seoul"),
    ]
    layers = geo.build_layers(places)
    crossing = next(
        f for f in layers["connections"]["features"] if f["properties"]["to_id"] == "san-francisco"
    )
    assert crossing["geometry"]["type"] == "MultiLineString"
    parts = line_parts(crossing["geometry"])
    assert len(parts) == 2
    for part in parts:
        assert np.abs(np.diff(part[:, 0])).max() < 180.0  # no step across the world
    assert {parts[0][-1, 0], parts[1][0, 0]} == {180.0, -180.0}
    settings = Settings(
        home=Home("Tokio", "Tokyo", "JP", 1850147),
        places=tmp_path / "places.csv",
        layers_dir=tmp_path / "layers",
        maps_dir=tmp_path / "maps",
        root=ROOT,
    )
    texts = svg_texts(render_static(layers, settings)[SVG_NAME])
    assert {"San Francisco", "Seoul", "Tokyo"} <= set(texts)


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, [[[0, 0], [1, 1]]]),
        (
            {
                "type": "MultiLineString",
                "coordinates": [[[170, 0], [180, 1]], [[-180, 1], [-170, 2]]],
            },
            [[[170, 0], [180, 1]], [[-180, 1], [-170, 2]]],
        ),
    ],
)
def test_line_parts(geometry, expected):
    assert [p.tolist() for p in line_parts(geometry)] == expected


def test_line_parts_refuse_other_geometries():
    with pytest.raises(ValueError, match="expected a LineString or MultiLineString, got Point"):
        line_parts({"type": "Point", "coordinates": [0, 0]})


def assert_no_step_across_the_map(ring: np.ndarray) -> None:
    """Steps of more than 180° in longitude only along a pole (a line in Equal Earth)."""
    big = np.abs(np.diff(ring[:, 0])) > 180.0
    assert (np.abs(ring[1:, 1][big]) == 90.0).all()


def ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


@pytest.mark.parametrize(
    ("ring", "pieces", "area"),
    [
        # An island across the antimeridian (Fiji): 20° x 5°, cut into two pieces.
        ([[170, 0], [-170, 0], [-170, 5], [170, 5], [170, 0]], 2, 100.0),
        # A coast round the south pole (Antarctica): closed along the pole, 360° x 20°.
        (
            [[-180, -70], [-90, -70], [0, -70], [90, -70], [180, -70], [-180, -70]],
            1,
            7200.0,
        ),
        # An ordinary ring stays as it is.
        ([[0, 0], [10, 0], [10, 10], [0, 0]], 1, 50.0),
    ],
)
def test_split_ring_keeps_rings_within_the_map(ring, pieces, area):
    out = split_ring(np.asarray(ring, float))
    assert len(out) == pieces
    for piece in out:
        assert piece[:, 0].min() >= -180.0 and piece[:, 0].max() <= 180.0
        assert_no_step_across_the_map(piece)
    assert sum(ring_area(p) for p in out) == pytest.approx(area)


def test_the_basemap_has_no_ring_across_the_map():
    basemap = geo.io.basemap.read_basemap(None)
    rings = basemap_rings(basemap)
    assert len(rings) > 177  # every country, some in several parts
    for ring in rings:
        assert_no_step_across_the_map(ring)


def test_doctests():
    result = doctest.testmod(geo.printmap.figure, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 2
    assert result.failed == 0


@pytest.mark.parametrize(
    ("style", "weight"),
    [("normal", "normal"), ("italic", "normal"), ("normal", "bold")],
)
def test_the_fonts_are_the_ones_matplotlib_ships(style, weight):
    # A system copy of DejaVu Sans (other version, other hinting) would change the bytes.
    import matplotlib
    from matplotlib import font_manager

    with matplotlib.rc_context(geo.printmap.figure.RC):
        props = font_manager.FontProperties(family="DejaVu Sans", style=style, weight=weight)
        path = Path(font_manager.findfont(props, fallback_to_default=False))
    assert Path(matplotlib.get_data_path()) in path.parents


@pytest.mark.parametrize("name", ["Chicago $\\frac$ x", "Town $5 and $6", "a_b^c {x}", "<b>&amp;"])
def test_names_are_plain_text_not_mathtext(layers, settings, name):
    import copy

    changed = copy.deepcopy(dict(layers))
    for fc in changed.values():
        for feature in fc["features"]:
            if feature["id"] == "chicago" or feature["properties"].get("to_id") == "chicago":
                feature["properties"]["name_en"] = name
    svg = render_static(changed, settings)["partnerships.svg"].decode("utf-8")
    from xml.sax.saxutils import escape

    assert escape(name) in svg


@pytest.mark.parametrize(
    "feature",
    [
        "not a feature",
        {"type": "Feature", "geometry": None},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[["a", "b"]]]}},
        {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [[[1, 2]]]}},
    ],
)
def test_a_malformed_basemap_feature_is_a_source_error(tmp_path, feature):
    path = tmp_path / "countries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(SourceError, match="feature 0 of the basemap is not a Polygon"):
        geo.io.basemap.read_basemap(path)


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from benchmarks.synthetic import synthetic_table
    from tests.support import make_project

    settings = make_project(tmp_path_factory.mktemp("many"), synthetic_table(MAX_LABELS + 20))
    return settings, geo.build_layers(geo.read_places(settings))


def test_a_large_table_names_only_the_office_and_draws_its_lines_as_an_image(many):
    settings, layers = many
    out = render_static(layers, settings)
    texts = svg_texts(out[SVG_NAME])
    assert settings.home.name_en in texts
    names = {f["properties"]["name_en"] for f in layers["partner_cities"]["features"]}
    assert not names & set(texts)
    assert b"<image" in out[SVG_NAME]


def test_static_render_in_a_second_process_gives_the_same_files(many, monkeypatch):
    settings, layers = many
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with StaticRender(layers, settings) as static:
        assert static._process is not None  # drawn in a forked process
        files = static.result()
    assert files == render_static(layers, settings)


def test_static_render_of_a_small_table_stays_in_this_process(layers, settings, rendered):
    with StaticRender(layers, settings) as static:
        assert static._process is None
        assert static.result() == rendered


def test_leaving_a_static_render_unasked_stops_its_process(many, monkeypatch):
    settings, layers = many
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with StaticRender(layers, settings) as static:
        process = static._process
    assert process is not None and not process.is_alive()
