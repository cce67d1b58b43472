"""render_maps: the files of the maps folder, deterministic, in every asset mode, golden pages."""

from __future__ import annotations

import copy
import json

import pytest

from geo.web import assets, render
from tests.web.conftest import ROOT, with_map

# The map pages' golden files are the publication's (tests/test_golden.py): one copy of each page.
GOLDEN = ROOT / "tests" / "golden" / "publication" / "maps"  # rewritten by pytest --update-golden
PAGES = ["sv.html", "sv-embed.html", "en.html", "en-embed.html"]


def test_files_of_the_maps_folder(maps):
    assert sorted(maps) == [
        "assets/basemap.js",
        "assets/leaflet-gesture-handling.js",
        "assets/leaflet.css",
        "assets/leaflet.js",
        "assets/outlines-50m.js",
        "embed-snippet.html",
        "embed.css",
        "en-embed.html",
        "en.html",
        "sv-embed.html",
        "sv.html",
    ]


def test_two_renders_are_byte_identical(layers, settings, maps):
    assert render.render_maps(copy.deepcopy(layers), settings) == maps


@pytest.mark.golden
@pytest.mark.parametrize("page", PAGES)
def test_pages_match_golden_files(maps, page, update_golden):
    golden = GOLDEN / page
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(maps[page])
    assert golden.exists(), "no golden file; run pytest --update-golden and review the diff"
    assert maps[page] == golden.read_bytes(), (
        f"{page} differs from {golden}; if the change is intended, run pytest --update-golden, "
        "review the diff and commit it"
    )


@pytest.mark.golden
@pytest.mark.parametrize(
    "page",
    [*PAGES, "assets/basemap.js", "assets/outlines-50m.js", "embed-snippet.html", "embed.css"],
)
def test_committed_maps_are_up_to_date(maps, page):
    assert (ROOT / "maps" / page).read_bytes() == maps[page], (
        f"maps/{page} is out of date with the layers and the renderer: run `make build` and commit"
    )


@pytest.mark.parametrize("page", PAGES)
def test_default_page_loads_nothing_from_another_host(maps, page):
    text = maps[page].decode("utf-8").lower()
    for needle in ("cdn.", "jquery", "bootstrap", "font-awesome", "fontawesome", "http://"):
        assert needle not in text
    assert 'src="assets/leaflet.js"' in text and 'href="assets/leaflet.css"' in text
    # loaded by the page script after the first view, from beside the page
    assert '"gesture": "assets/leaflet-gesture-handling.js"' in text
    assert '"url": "assets/outlines-50m.js"' in text
    assert "uuid" not in text


def test_inline_mode_is_one_self_contained_file(layers, settings):
    files = render.render_maps(layers, with_map(settings, assets="inline"))
    assert not [name for name in files if name.startswith("assets/")]
    text = files["sv.html"].decode("utf-8")
    assert "<script src=" not in text and '<link rel="stylesheet"' not in text
    assert "var geoBasemap=" in text and "Leaflet 1.9.3" in text and "gestureHandling" in text


def test_cdn_mode_pins_version_and_integrity(layers, settings):
    files = render.render_maps(layers, with_map(settings, assets="cdn"))
    text = files["en.html"].decode("utf-8")
    js, css = assets.leaflet_assets()
    assert (
        f'src="{assets.LEAFLET_CDN}leaflet.js" integrity="{js.integrity}"' in text
        and assets.LEAFLET_CDN == "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
    )
    assert f'integrity="{css.integrity}" crossorigin="anonymous"' in text
    assert "assets/leaflet.js" not in files
    assert "assets/leaflet-gesture-handling.js" in files  # the plugin is always served here


def test_tiles_replace_the_basemap(layers, settings):
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    files = render.render_maps(
        layers, with_map(settings, tiles=url, tiles_attribution="© Example <b>maps</b>")
    )
    text = files["sv.html"].decode("utf-8")
    assert "assets/basemap.js" not in files and "basemap.js" not in text
    data = json.loads(text.split('id="geo-data">')[1].split("</script>")[0])
    assert data["tiles"] == {"url": url, "attribution": "© Example <b>maps</b>"}
    assert data["view"]["maxZoom"] == 18
    assert "<b>maps" not in text  # plain text in JSON, escaped by the script when shown


def test_basemap_is_compact(maps):
    source = (ROOT / "geo/basemap/countries-110m.geojson").stat().st_size
    assert len(maps["assets/basemap.js"]) < source / 3


def test_a_large_table_is_fetched_not_written_into_the_page(large_layers, settings):
    files = render.render_maps(large_layers, settings)
    text = files["sv.html"].decode("utf-8")
    assert render.is_large(large_layers)
    data = json.loads(text.split('id="geo-data">')[1].split("</script>")[0])
    assert data["large"]["base"] == "../data/layers/"
    assert "places" not in data and "lines" not in data
    assert files["assets/leaflet.markercluster.js"] == assets.markercluster_assets()[0].data
    custom = render.render_maps(large_layers, with_map(settings, layers_url="/data/"))
    assert '"base": "/data/"' in custom["en.html"].decode("utf-8")


def test_large_maps_load_markercluster_in_every_asset_mode(large_layers, settings):
    inline = render.render_maps(large_layers, with_map(settings, assets="inline"))
    text = inline["sv.html"].decode("utf-8")
    assert "L.MarkerClusterGroup" in text and "<script src=" not in text
    cdn = render.render_maps(large_layers, with_map(settings, assets="cdn"))
    text = cdn["sv.html"].decode("utf-8")
    # Leaflet from the CDN first, then the plugin from assets/ (no integrity hash is claimed).
    assert text.index(assets.LEAFLET_CDN) < text.index('src="assets/leaflet.markercluster.js"')
    assert "assets/leaflet.markercluster.js" in cdn
