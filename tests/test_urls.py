"""Addresses (geo.urls): one judge of links, e-mail and tel: for settings and outputs."""

from __future__ import annotations

import pytest

from geo.urls import email_problem, tel_url, url_problem


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/",
        "/\\evil.example/",
        "https://x.example/a b",
        'https://x.example/"x',
        "https://x.example/<x>",
        "java\tscript:x",
        "https://",
    ],
)
def test_refused_links(url):
    assert url_problem(url, relative=True) is not None


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("https://goteborg.se/", False),
        ("http://localhost:8000/x", False),
        ("../data/layers/all.geojson", True),
        ("sv-embed.html", True),
        ("", True),
    ],
)
def test_accepted_links(url, relative):
    assert url_problem(url, relative) is None


def test_relative_links_only_where_allowed():
    assert url_problem("../data/", relative=False) == "is not an absolute URL"


@pytest.mark.parametrize("good", ["goteborg@goteborg.se", "a.b+c@sub.example.org"])
def test_real_addresses(good):
    assert email_problem(good) is None


@pytest.mark.parametrize(
    "bad", ["x", "x@y", "@example.se", "a b@example.se", "x@-a.se", "x@a..se", "x@ex\u00e4mple.se"]
)
def test_not_addresses(bad):
    assert email_problem(bad) is not None


@pytest.mark.parametrize(
    ("phone", "url"),
    [
        ("+46 31-365 00 00", "tel:+46313650000"),
        ("031 365 00 00", "tel:0313650000"),
        ('"><script>', "tel:"),
        ("+4\u0663 1", "tel:+41"),  # only ASCII digits
    ],
)
def test_tel_urls_keep_only_digits(phone, url):
    assert tel_url(phone) == url
