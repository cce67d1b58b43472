"""The map renderer without a browser: escaping, options, symbols, assets and golden pages."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

import geo
from geo.web import assets, render

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "maps"  # rewritten only by pytest --update-golden
LAYER_NAMES = ("office", "partner_cities", "friendship_towns", "connections", "all")


@pytest.fixture(scope="module")
def settings() -> geo.Settings:
    return geo.read_settings(ROOT / "geo.toml")


@pytest.fixture(scope="module")
def layers() -> dict:
    return {
        n: json.loads((ROOT / "data/layers" / f"{n}.geojson").read_bytes()) for n in LAYER_NAMES
    }


@pytest.fixture(scope="module")
def maps(layers, settings) -> dict[str, bytes]:
    return render.render_maps(layers, settings)


def with_map(settings, **values) -> geo.Settings:
    return replace(settings, map=replace(settings.map, **values))


def test_files_of_the_maps_folder(maps):
    assert sorted(maps) == [
        "assets/basemap.js",
        "assets/leaflet.css",
        "assets/leaflet.js",
        "embed-snippet.html",
        "en-embed.html",
        "en.html",
        "sv-embed.html",
        "sv.html",
    ]


def test_two_renders_are_byte_identical(layers, settings, maps):
    assert render.render_maps(copy.deepcopy(layers), settings) == maps


@pytest.mark.parametrize("page", ["sv.html", "sv-embed.html", "en.html", "en-embed.html"])
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


@pytest.mark.parametrize("page", ["sv.html", "sv-embed.html", "en.html", "en-embed.html"])
def test_committed_maps_are_up_to_date(maps, page):
    assert (ROOT / "maps" / page).read_bytes() == maps[page], (
        f"maps/{page} is out of date with the layers and the renderer: run `make build` and commit"
    )


@pytest.mark.parametrize(
    ("page", "lang", "title"),
    [
        ("sv.html", "sv", "Internationella relationer \u2013 Göteborg"),
        ("en-embed.html", "en", "International relations \u2013 Gothenburg"),
    ],
)
def test_page_has_lang_title_and_no_zoom_blocking(maps, page, lang, title):
    text = maps[page].decode("utf-8")
    assert f'<html lang="{lang}">' in text
    assert f"<title>{title}</title>" in text
    assert "user-scalable" not in text and "maximum-scale" not in text


@pytest.mark.parametrize("page", ["sv.html", "en.html", "sv-embed.html", "en-embed.html"])
def test_default_page_loads_nothing_from_another_host(maps, page):
    text = maps[page].decode("utf-8")
    for needle in (
        "cdn.",
        "jquery",
        "bootstrap",
        "font-awesome",
        "fontawesome",
        "http://",
    ):
        assert needle not in text.lower()
    assert 'src="assets/leaflet.js"' in text and 'href="assets/leaflet.css"' in text
    assert "uuid" not in text


def test_inline_mode_is_one_self_contained_file(layers, settings):
    files = render.render_maps(layers, with_map(settings, assets="inline"))
    assert not [name for name in files if name.startswith("assets/")]
    text = files["sv.html"].decode("utf-8")
    assert "<script src=" not in text and "<link " not in text
    assert "var geoBasemap=" in text and "Leaflet 1.9.3" in text


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


def test_tiles_option_uses_the_template_and_attribution(layers, settings):
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    files = render.render_maps(
        layers, with_map(settings, tiles=url, tiles_attribution="© Example <b>maps</b>")
    )
    text = files["sv.html"].decode("utf-8")
    assert json.dumps(url) in text
    assert "geo.outlines(map_" not in text and "assets/basemap.js" not in files
    assert "<b>maps" not in text


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!--",
        "a\u2028b\u2029c",
        "&amp; ]]>",
        "`${x}`",
        "{{ 7*7 }} {% raw %} {# c #}",
    ],
)
def test_script_json_cannot_close_the_script_element(text):
    encoded = render.script_json({"v": text})
    for bad in ("<", ">", "&", "\u2028", "\u2029", "{{", "{%", "{#"):
        assert bad not in encoded
    assert json.loads(encoded) == {"v": text}


def test_popup_escapes_every_field():
    hostile = '<img src=x onerror="alert(1)">'
    props = {
        "id": "x",
        "kind": "partner_city",
        "status": "dormant",
        "name_sv": hostile,
        "name_local": hostile,
        "country": hostile,
        "since": 1990,
        "since_note": hostile,
        "description_sv": hostile,
        "source": hostile,
        "as_of": hostile,
    }
    popup = render.popup_html(props, "sv")
    assert "<img" not in popup
    # name, country, since note, description, source, as of (the local name equals the name)
    assert popup.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") == 6


@pytest.mark.parametrize(
    ("phone", "url"),
    [
        ("+46 31-365 00 00", "tel:+46313650000"),
        ("031 365 00 00", "tel:0313650000"),
        ('"><script>', "tel:"),
    ],
)
def test_tel_url_keeps_only_digits(phone, url):
    assert render.tel_url(phone) == url


def test_status_is_shown_by_shape_fill_and_dash():
    active = render.symbol_svg("partner_city", "active")
    dormant = render.symbol_svg("partner_city", "dormant")
    town = render.symbol_svg("friendship_town", "active")
    office = render.symbol_svg("office", None)
    assert "stroke-dasharray" in dormant and "stroke-dasharray" not in active
    assert 'fill="#ffffff"' in dormant and 'fill="#0072B2"' in active
    assert "<circle" in active and "<path" in town and "<rect" in office
    assert len({active, dormant, town, office}) == 4


@pytest.mark.parametrize(
    "ring",
    [
        [[11.97, 57.71], [10.21, 56.16], [-87.65, 41.85], [11.97, 57.71]],
        [[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, -90.0]],
        [[0.001, 0.004], [0.0, 0.0]],
    ],
)
def test_basemap_ring_round_trips(ring):
    decoded = assets.decode_ring(assets.encode_ring(ring))
    expected = [(round(lat, 2), round(lon, 2)) for lon, lat in ring]
    deduped = [p for i, p in enumerate(expected) if i == 0 or p != expected[i - 1]]
    assert [c for p in decoded for c in p] == pytest.approx([c for p in deduped for c in p])


def test_basemap_is_compact(maps):
    source = (ROOT / "geo/basemap/countries-110m.geojson").stat().st_size
    assert len(maps["assets/basemap.js"]) < source / 3


def test_snippet_has_title_lazy_loading_ratio_and_data_link(maps):
    text = maps["embed-snippet.html"].decode("utf-8")
    assert text.count("<iframe ") == 2
    assert 'src="sv-embed.html"' in text and 'src="en-embed.html"' in text
    assert text.count('loading="lazy"') == 2 and text.count("aspect-ratio:4/3") == 2
    assert 'title="Map: international relations \u2013 Gothenburg"' in text
    assert text.count('href="../data/layers/all.geojson"') == 4


def test_tile_attribution_is_escaped_once_and_given_once(layers, settings):
    files = render.render_maps(
        layers,
        with_map(
            settings, tiles="https://t.example.org/{z}/{x}/{y}.png", tiles_attribution="© A & B"
        ),
    )
    text = files["en.html"].decode("utf-8")
    assert text.count("A \\u0026amp; B") == 1  # HTML-escaped once, inside a JSON string
    assert "amp;amp;" not in text


def test_the_legend_has_a_line_entry_per_relation_and_status(maps):
    text = maps["en.html"].decode("utf-8")
    legend = text.split('class="geo-legend"')[1].split("</ul>")[0]
    for words in (
        "connection, active (solid line) (partner city)",
        "connection, dormant (dashed line) (partner city)",
        "connection, active (solid line) (friendship town)",
    ):
        assert words in legend
    assert "connection, dormant (dashed line) (friendship town)" not in legend  # none exists


@pytest.fixture(scope="module")
def large_layers(tmp_path_factory) -> dict:
    from benchmarks.synthetic import synthetic_table
    from tests.support import make_project

    project = make_project(tmp_path_factory.mktemp("large"), synthetic_table(render.LARGE_TABLE))
    return geo.build_layers(geo.read_places(project))


def test_a_large_table_is_fetched_not_written_into_the_page(large_layers, settings):
    files = render.render_maps(large_layers, settings)
    text = files["sv.html"].decode("utf-8")
    assert render.is_large(large_layers)
    assert "geoLarge.load(" in text and '"base":"../data/layers/"' in text
    assert "geo.places(" not in text and "geo.lines(" not in text
    assert files["assets/leaflet.markercluster.js"] == assets.markercluster_assets()[0].data
    custom = render.render_maps(large_layers, with_map(settings, layers_url="/data/"))
    assert '"base":"/data/"' in custom["en.html"].decode("utf-8")


def test_large_maps_load_markercluster_in_every_asset_mode(large_layers, settings):
    inline = render.render_maps(large_layers, with_map(settings, assets="inline"))
    text = inline["sv.html"].decode("utf-8")
    assert "L.MarkerClusterGroup" in text and "<script src=" not in text
    cdn = render.render_maps(large_layers, with_map(settings, assets="cdn"))
    text = cdn["sv.html"].decode("utf-8")
    # Leaflet from the CDN first, then the plugin from assets/ (no integrity hash is claimed).
    assert text.index(assets.LEAFLET_CDN) < text.index('src="assets/leaflet.markercluster.js"')
    assert "assets/leaflet.markercluster.js" in cdn
