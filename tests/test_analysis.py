"""geo.analysis: GeoDataFrames, office distances and bearings, summaries; its doctests."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Geod

import geo
import geo.analysis
from geo.errors import GeoError
from geo.schema import Kind, Place, Status

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def places() -> list[Place]:
    return geo.read_places(geo.read_settings(ROOT / "geo.toml"))


def make_place(
    id: str,
    kind: Kind,
    lon: float,
    lat: float,
    status: Status | None = Status.ACTIVE,
    **kw,
) -> Place:
    values = {
        "id": id,
        "kind": kind,
        "status": None if kind is Kind.OFFICE else status,
        "name_sv": id.title(),
        "name_en": id.title(),
        "name_local": id.title(),
        "country": "SE",
        "lon": lon,
        "lat": lat,
        "since": None,
        "since_note": None,
        "description_sv": "",
        "description_en": "",
        "geonames_id": 1,
        "geonames_note": None,
        "wikidata": None,
        "source": "test",
        "as_of": "2026-01-01",
    }
    values.update(kw)
    return Place(**values)


def test_distances_agree_with_pyproj_geodesic_to_one_metre(places):
    table = geo.office_distances(places)
    office = next(p for p in places if p.kind is Kind.OFFICE)
    others = [p for p in places if p.kind is not Kind.OFFICE]
    assert sorted(table.index) == sorted(p.id for p in others)
    geod = Geod(ellps="WGS84")
    for p in others:
        az, _, metres = geod.inv(office.lon, office.lat, p.lon, p.lat)
        assert abs(table.loc[p.id, "distance_km"] * 1000.0 - metres) < 1.0, p.id
        assert abs(table.loc[p.id, "bearing_deg"] - az % 360.0) < 1e-6, p.id


def test_distances_are_sorted_nearest_first_and_plausible(places):
    table = geo.office_distances(places)
    assert table["distance_km"].is_monotonic_increasing
    # Göteborg to Aarhus is about 200 km, to Gqeberha about 10,000 km.
    assert 150 < table.loc["aarhus", "distance_km"] < 250
    assert 9_500 < table.loc["nelson-mandela-bay", "distance_km"] < 11_000


@pytest.mark.parametrize(
    ("lon", "lat", "bearing", "compass"),
    [
        (0.0, 10.0, 0.0, "N"),
        (10.0, 0.0, 90.0, "E"),
        (0.0, -10.0, 180.0, "S"),
        (-10.0, 0.0, 270.0, "W"),
    ],
)
def test_bearings_point_the_right_way(lon, lat, bearing, compass):
    office = make_place("office", Kind.OFFICE, 0.0, 0.0)
    other = make_place("other", Kind.PARTNER_CITY, lon, lat)
    row = geo.office_distances([office, other]).loc["other"]
    assert row["bearing_deg"] == pytest.approx(bearing, abs=1e-9)
    assert row["compass"] == compass


@pytest.mark.parametrize(
    ("bearing", "expected"),
    [
        (0, "N"),
        (11.2, "N"),
        (11.3, "NNE"),
        (90, "E"),
        (202.5, "SSW"),
        (359.9, "N"),
        (-90, "W"),
    ],
)
def test_compass_point(bearing, expected):
    assert geo.compass_point(bearing) == expected


def test_distances_need_exactly_one_office():
    towns = [
        make_place("a", Kind.FRIENDSHIP_TOWN, 1, 1),
        make_place("b", Kind.PARTNER_CITY, 2, 2),
    ]
    with pytest.raises(GeoError, match=r"expected exactly one place of kind `office`, got 0"):
        geo.office_distances(towns)


def test_summary_counts_by_kind_and_status(places):
    table = geo.summary(places)
    counts = {
        (row.kind, None if pd.isna(row.status) else row.status): row.places
        for row in table.itertuples()
    }
    assert counts == {
        ("office", None): 1,
        ("partner_city", "active"): 1,
        ("partner_city", "dormant"): 9,
        ("friendship_town", "active"): 3,
    }
    dormant = table[(table.kind == "partner_city") & (table.status == "dormant")].iloc[0]
    # Rostock 1965 .. Lyon 2005; Kiel has no year; seven years carry a note of doubt.
    assert (dormant.first_since, dormant.last_since) == (1965, 2005)
    assert (dormant.since_unknown, dormant.since_uncertain) == (1, 7)


def test_start_years_mark_their_confidence():
    office = make_place("office", Kind.OFFICE, 0, 0)
    sure = make_place("sure", Kind.PARTNER_CITY, 1, 1, since=1990)
    doubtful = make_place("doubt", Kind.PARTNER_CITY, 2, 2, since=1980, since_note="Disputed.")
    unknown = make_place("unknown", Kind.FRIENDSHIP_TOWN, 3, 3)
    years = geo.start_years([unknown, sure, office, doubtful])
    assert years.index.tolist() == [
        "doubt",
        "sure",
        "unknown",
    ]  # oldest first, unknown last
    assert years["confidence"].tolist() == ["uncertain", "stated", "unknown"]
    assert pd.isna(years.loc["unknown", "since"])


def test_places_frame_is_a_geodataframe_in_wgs84(places):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas 3 warns of values outside a Categorical's order
        gdf = geo.places_frame(places)
    assert gdf.crs.to_epsg() == 4326
    assert sorted(gdf.index) == sorted(p.id for p in places)
    bergen = gdf.loc["bergen"]
    assert (bergen.geometry.x, bergen.geometry.y) == (5.32415, 60.39299)
    assert (bergen.kind, bergen.status, bergen.since) == (
        "friendship_town",
        "active",
        1946,
    )
    assert pd.isna(gdf.loc["stadsledningskontoret", "status"])
    assert pd.isna(gdf.loc["kiel", "since"])


def test_layer_frames_have_the_layers_rows_in_wgs84(places):
    layers = geo.build_layers(places)
    frames = geo.layer_frames(layers)
    assert set(frames) == {
        "office",
        "partner_cities",
        "friendship_towns",
        "connections",
        "all",
    }
    for name, frame in frames.items():
        assert frame.crs.to_epsg() == 4326, name
        assert frame.index.tolist() == [f["id"] for f in layers[name]["features"]], name
    assert frames["partner_cities"]["status"].value_counts().to_dict() == {
        "dormant": 9,
        "active": 1,
    }
    connections = frames["connections"]
    assert len(connections) == 13
    assert set(connections.geometry.geom_type) == {"LineString"}
    assert connections.loc["stadsledningskontoret--shanghai", "to_id"] == "shanghai"


def test_layer_frames_keep_an_empty_layer_empty():
    office = make_place("office", Kind.OFFICE, 11.97, 57.71)
    frames = geo.layer_frames(geo.build_layers([office]))
    assert len(frames["partner_cities"]) == 0
    assert frames["partner_cities"].crs.to_epsg() == 4326
    assert frames["office"].index.tolist() == ["office"]


def test_layer_frame_names_the_known_layers(places):
    layers = geo.build_layers(places)
    assert geo.layer_frame("office", layers).index.tolist() == ["stadsledningskontoret"]
    with pytest.raises(GeoError, match=r"unknown layer 'partners'; expected one of office, "):
        geo.layer_frame("partners", layers)


def test_functions_read_geo_toml_when_given_nothing(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert len(geo.places_frame()) == 14
    assert len(geo.layer_frames()["all"]) == 27
    assert len(geo.office_distances()) == 13


def test_doctests(monkeypatch, places):
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(
        geo.analysis,
        extraglobs={"geo": geo, "places": places},
        optionflags=doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted >= 15
    assert result.failed == 0


def test_importing_the_cli_loads_neither_the_pipeline_nor_numpy():
    """The command starts the print map's process before it imports the pipeline (and with it
    numpy and pyproj): that process imports matplotlib on the other core meanwhile."""
    code = (
        "import sys, geo.cli; "
        "print(sorted(m for m in ('geo.pipeline', 'numpy', 'pyproj') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr


def test_importing_the_cli_loads_no_pandas_geopandas_or_matplotlib():
    code = (
        "import sys, geo, geo.cli, geo.pipeline, geo.analysis, geo.printmap; "
        "print(sorted(m for m in ('pandas', 'geopandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert out.stdout.strip() == "[]"


def test_interactive_map_inline_is_self_contained():
    shown = geo.interactive_map(lang="sv")
    assert '<html lang="sv" ' in shown.html
    # all inlined: no script or style sheet to fetch (links to the data and the icon stay)
    assert "<script src=" not in shown.html and '<link rel="stylesheet"' not in shown.html
    frame = shown._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'title="Karta: internationella relationer \u2013 Göteborg"' in frame
    assert '"' not in frame.split('srcdoc="')[1].split('" title=')[0]  # the page is escaped


def test_interactive_map_inline_draws_every_place_in_a_browser(tmp_path, serve, open_page):
    (tmp_path / "notebook.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Notebook</title>"
        f"</head><body>{geo.interactive_map()._repr_html_()}</body></html>",
        encoding="utf-8",
    )
    with open_page(serve(tmp_path) + "notebook.html") as visit:
        frame = visit.page.frame_locator("iframe")
        frame.locator(".geo-map .geo-marker").nth(13).wait_for()
        assert frame.locator(".geo-map .geo-marker").count() == 14
        assert visit.blocked == []


def test_interactive_map_refuses_an_unknown_language():
    with pytest.raises(geo.GeoError, match="'fi' is not a language of the map"):
        geo.interactive_map(lang="fi")


def test_interactive_map_saved_is_a_working_page(tmp_path, serve, open_page):
    """Outside Jupyter the map is saved to a file that works on its own in a browser."""
    saved = geo.interactive_map(lang="en").save(tmp_path / "out" / "map.html")
    assert saved == tmp_path / "out" / "map.html"
    page = saved.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en" ' in page
    # nothing beside it is needed: no script or style sheet from a file
    assert "<script src=" not in page and 'rel="stylesheet"' not in page
    with open_page(serve(tmp_path / "out") + "map.html") as visit:
        visit.page.locator(".geo-map .geo-marker").nth(13).wait_for()
        assert visit.page.locator(".geo-map .geo-marker").count() == 14
        assert visit.page.locator(".geo-map .geo-marker").first.is_visible()
        assert visit.blocked == []


def test_interactive_map_outside_jupyter_says_how_to_save_it():
    out = subprocess.run(
        [sys.executable, "-c", "import geo; geo.interactive_map()"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    shown = subprocess.run(
        [sys.executable, "-c", "import geo; print(repr(geo.interactive_map()))"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert shown.stdout.startswith("<InlineMap 'Map: international relations")
    assert ".save(path) writes it>" in shown.stdout
