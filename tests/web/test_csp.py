"""The Content-Security-Policy: hashes of the inline scripts and styles, hosts per asset mode."""

from __future__ import annotations

import base64
import hashlib
import html
import re

import pytest

from geo.web import csp, render
from tests.web.conftest import with_map

INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def policy_of(page: str) -> dict[str, list[str]]:
    content = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert content, "no CSP meta"
    value = html.unescape(content.group(1))
    return {d.split()[0]: d.split()[1:] for d in value.split("; ")}


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("mode", ["local", "inline", "cdn"])
def test_every_inline_script_and_style_is_allowed_by_its_hash_and_nothing_else(
    layers, settings, mode
):
    files = render.render_maps(layers, with_map(settings, assets=mode))
    for name in ("sv.html", "en-embed.html"):
        page = files[name].decode("utf-8")
        policy = policy_of(page)
        for kind, text in INLINE.findall(page):
            assert sha(text) in policy[f"{kind}-src"], f"{mode} {name}: {kind} not allowed"
        hashes = [s for s in policy["script-src"] if s.startswith("'sha256-")]
        assert len(hashes) == len([k for k, _ in INLINE.findall(page) if k == "script"])
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in " ".join(v for values in policy.values() for v in values)
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["connect-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:"]
        markup = re.sub(r"<script[^>]*>.*?</script>", "", page.split("<body", 1)[1], flags=re.S)
        assert not re.search(r"<[^>]*\sstyle=", markup)  # no style attribute to allow
        if mode == "cdn":
            assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/" in policy["script-src"]
        else:
            assert not [s for s in policy["script-src"] if s.startswith("https:")]


def test_tiles_add_their_host_to_images_only(layers, settings):
    tiled = with_map(
        settings, tiles="https://{s}.tiles.example.org/{z}/{x}/{y}.png", tiles_attribution="x"
    )
    policy = policy_of(render.render_maps(layers, tiled)["sv.html"].decode("utf-8"))
    assert policy["img-src"] == ["'self'", "data:", "https://*.tiles.example.org"]
    assert not [s for s in policy["script-src"] if "example" in s]


def test_the_header_adds_frame_ancestors():
    policy = csp.Policy(scripts=["a"])
    header = csp.header_policy(policy, "'self' https://goteborg.se")
    assert header.startswith(policy.meta()) and header.endswith(
        "frame-ancestors 'self' https://goteborg.se"
    )
