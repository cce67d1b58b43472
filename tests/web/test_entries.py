"""What the page says about each place: popups, table rows, the key, and what the script draws."""

from __future__ import annotations

import pytest

from geo.templating import environment
from geo.web import entries

HOSTILE = '<img src=x onerror="alert(1)">'


def popup_html(feature, lang="sv") -> str:
    module = environment().get_template("web/popup.html").module
    return str(module.popup(entries.popup(feature, lang), "Stäng"))


def feature(**props):
    base = {"id": "x", "kind": "partner_city", "status": "dormant", "country": "ZA",
            "since": 1990, "as_of": "2026-11-27"}  # fmt: skip
    return {"id": "x", "properties": base | props, "geometry": {"coordinates": [10.0, 50.0]}}


def test_popup_escapes_every_field():
    f = feature(name_sv=HOSTILE, name_local=HOSTILE, country=HOSTILE, since_note=HOSTILE,
                description_sv=HOSTILE, source=HOSTILE, as_of=HOSTILE)  # fmt: skip
    html = popup_html(f)
    assert "<img" not in html
    # name, country, since note, description, source, as of (the local name equals the name)
    assert html.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;") == 6


def test_popup_speaks_the_page_language_and_marks_english_text():
    f = feature(name_sv="Kapstaden", since_note="Single source.", source="city page")
    html = popup_html(f, "sv")
    assert "Sydafrika" in html and "ZA" not in html
    assert '<time datetime="2026-11-27">27 november 2026</time>' in html
    assert '<span class="geo-note" lang="en">Single source.</span>' in html
    assert '<span lang="en">city page</span>' in html
    assert 'lang="en"' not in popup_html(f, "en")


def test_unknown_year_and_phone_link():
    f = feature(since=None, phone='+46 31-365 00 00"><script>')
    html = popup_html(f, "en")
    assert "<dd>unknown</dd>" in html
    assert 'href="tel:+46313650000"' in html and "<script>" not in html


def test_table_puts_status_second_and_writes_country_names(layers):
    head = entries.table_head("en")
    assert head[:2] == ["Name", "Status"]
    rows = {r.name: r for r in entries.table_rows(layers, "sv")}
    assert rows["Nelson Mandela Bay"].country == "Sydafrika"
    assert rows["Nelson Mandela Bay"].status == "aktiv"
    assert rows["Kiel"].since == "okänt" and rows["Kiel"].note_lang == "en"
    assert len(rows) == 14


def test_key_has_a_row_per_kind_and_status_as_the_print_legend_and_a_toggle_per_layer(layers):
    from geo.printmap.legend import legend_entries
    from geo.printmap.scene import build_scene, central_lon
    from geo.text import texts
    from geo.web import key as web_key

    key = web_key.key(layers, "en")
    assert [s.text for s in key.statuses] == [
        "Office", "Partner city, active", "Partner city, dormant", "Friendship town, active",
    ]  # fmt: skip
    scene = build_scene(layers, {"type": "FeatureCollection", "features": []}, central_lon(layers))
    printed = legend_entries(scene, texts("en"))
    assert [(s.mark.key) for s in key.statuses] == [f"{e.kind}|{e.status or ''}" for e in printed]
    # each sample is the line as the map draws it
    from geo.web import symbols

    for item in key.statuses[1:]:
        kind, status = item.mark.key.split("|")
        line = symbols.line_style(kind, status)
        assert (item.stroke.width, item.stroke.opacity) == (line["weight"], line["opacity"])
    assert [(i.layer, i.count) for i in key.layers] == [
        ("office", 1), ("partner_cities", 10), ("friendship_towns", 3), ("connections", 13),
    ]  # fmt: skip


def test_places_are_unique_by_name_and_lie_near_home(layers):
    places = entries.place_data(layers, "en")
    assert len({p["label"] for p in places}) == len(places) == 14
    centre = entries.home_longitude(layers)
    assert all(abs(p["latlon"][1] - centre) <= 180 for p in places)
    chicago = next(p for p in places if p["id"] == "chicago")
    assert chicago["latlon"] == [41.85003, -87.65005] and chicago["label"].endswith("dormant")


def test_view_is_centred_on_the_home_longitude(layers):
    (south, west), (north, east) = entries.view_bounds(layers)
    centre = entries.home_longitude(layers)
    assert (west + east) / 2 == pytest.approx(centre)
    assert south == pytest.approx(-33.96109) and north == pytest.approx(60.45148)


def test_the_summary_counts_each_kind_by_status(layers):
    from geo.web import key as web_key

    assert web_key.summary(layers, "Gothenburg", "en") == (
        "Gothenburg: 10 partner cities (1 active, 9 dormant) and 3 friendship towns (3 active)."
    )
    assert web_key.summary(layers, "Göteborg", "sv") == (
        "Göteborg: 10 partnerstäder (1 aktiv, 9 vilande) och 3 vänorter (3 aktiva)."
    )


def test_near_places_are_those_the_print_map_puts_in_its_near_panel(layers):
    from geo import style

    places = {p["id"]: p for p in entries.place_data(layers, "en")}
    far = {i for i, p in places.items() if not p["near"]}
    assert far == {"chicago", "shanghai", "xian", "nelson-mandela-bay"}
    (south, west), (north, east) = entries.near_bounds(layers)
    for p in places.values():
        lat, lon = p["latlon"]
        assert (south <= lat <= north and west <= lon <= east) == p["near"]
    assert style.NEAR_KM == 2500.0
