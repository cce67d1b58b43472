"""The iframe snippet: title, lazy loading, referrer policy, a documented sandbox, data link."""

from __future__ import annotations

import re
from dataclasses import replace

from geo.web import snippet
from tests.web.conftest import with_map


def test_snippet_has_title_lazy_loading_referrer_policy_sandbox_and_data_link(maps):
    text = maps["embed-snippet.html"].decode("utf-8")
    assert text.count("<iframe ") == 2
    assert 'src="sv-embed.html"' in text and 'src="en-embed.html"' in text
    assert text.count('loading="lazy"') == 2 and text.count('class="geo-embed"') == 2
    assert text.count(f'referrerpolicy="{snippet.REFERRER_POLICY}"') == 2
    assert text.count(f'sandbox="{snippet.SANDBOX}"') == 2
    assert "allow-same-origin" not in text
    assert 'title="Map: international relations \u2013 Gothenburg"' in text
    assert text.count('href="../data/layers/all.geojson"') == 2
    assert "style=" not in text and '<link rel="stylesheet" href="embed.css">' in text
    assert "they work from a page in the maps folder only" in " ".join(text.split())
    css = maps["embed.css"].decode()
    assert "aspect-ratio:4/3" in css and "min-width:300px" in css and "min-height:225px" in css


def test_with_the_maps_url_every_link_is_absolute(settings):
    from urllib.parse import urlsplit

    base = "https://goteborg.se/opendata/international-relations/maps/"
    text = snippet.render_snippet(with_map(settings, url=base))
    links = re.findall(r'(?:href|src)="([^"]+)"', text)
    assert len(links) == 9 and all(urlsplit(link).scheme == "https" for link in links)
    assert (
        'href="https://goteborg.se/opendata/international-relations/data/layers/all.geojson"'
        in text
    )
    assert f'href="{base}embed.css"' in text and f'src="{base}sv-embed.html"' in text
    assert "maps folder only" not in text


def test_snippet_escapes_settings(settings):
    hostile = replace(settings.home, names={**settings.home.names, "en": '"><script>x</script>'})
    text = snippet.render_snippet(with_map(replace(settings, home=hostile), url="https://x/"))
    assert "<script>" not in text and 'src="https://x/en-embed.html"' in text


def test_large_tables_need_their_own_origin(settings):
    assert "allow-same-origin" in snippet.render_snippet(settings, large=True)
