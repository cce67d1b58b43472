"""One page: language, title, links to the data and the landing page, data only as JSON."""

from __future__ import annotations

import json
import re

import pytest

from geo.web import page


def data_of(text: str) -> dict:
    return json.loads(
        text.split('<script type="application/json" id="geo-data">')[1].split("</")[0]
    )


@pytest.mark.parametrize(
    ("name", "lang", "title", "landing"),
    [
        ("sv.html", "sv", "Internationella relationer \u2013 Göteborg", "../index.html"),
        ("en-embed.html", "en", "International relations \u2013 Gothenburg", "../en.html"),
    ],
)
def test_page_has_lang_title_links_and_no_zoom_blocking(maps, name, lang, title, landing):
    text = maps[name].decode("utf-8")
    assert f'<html lang="{lang}" ' in text and f"<title>{title}</title>" in text
    assert "user-scalable" not in text and "maximum-scale" not in text
    assert (
        '<link rel="alternate" type="application/geo+json" href="../data/layers/all.geojson"'
        in text
    )
    assert (f'href="{landing}"' in text) == ("embed" not in name)  # the embed links the table
    assert 'class="geo-skip" href="#geo-after-map"' in text and 'id="geo-after-map"' in text


def test_embed_pages_link_to_the_table_rather_than_hold_it(maps):
    embed, full = maps["sv-embed.html"].decode(), maps["sv.html"].decode()
    assert "<table" not in embed and "<header>" not in embed
    assert 'href="sv.html#geo-table" target="_top"' in embed
    assert "<table" in full and "<h1>" in full and 'id="geo-table"' in full


def test_data_reach_the_script_only_as_json(maps):
    text = maps["en.html"].decode("utf-8")
    data = data_of(text)
    assert len(data["places"]) == 14 and len(data["lines"]) == 13
    script = text.rsplit("<script>", 1)[1].split("</script>")[0]
    assert "Chicago" not in script and "Stadsledningskontoret" not in script  # no data in code
    assert data["names"]["map"] in script and re.search(r'id="map_\d{3}"', text)


def test_inline_text_cannot_end_its_element():
    assert str(page.inline_text("a = '</script>';", "script")) == "a = '<\\/script>';"
    with pytest.raises(ValueError):
        page.inline_text("a{} </style><script>", "style")
    with pytest.raises(ValueError):
        page.inline_text("x <!-- y", "script")


def test_hostile_settings_are_escaped(layers, settings):
    from dataclasses import replace

    from geo.web import render

    hostile = '"><script>alert(1)</script>{{ 7*7 }}'
    home = replace(settings.home, names={**settings.home.names, "sv": hostile})
    options = replace(settings.map, data_url="x.geojson?a=1&b=\"'")
    text = render.render_maps(layers, replace(settings, home=home, map=options))["sv.html"]
    html = text.decode("utf-8")
    assert "<script>alert(1)" not in html and "{{ 7*7 }}" in html.split("<title>")[1]
    assert 'href="x.geojson?a=1&amp;b=&#34;&#39;"' in html
