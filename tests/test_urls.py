"""Addresses (geo.urls): one judge of links, e-mail and tel: for settings and outputs."""

from __future__ import annotations

import pytest

from geo.errors import SettingsError
from geo.urls import check_base_url, email_problem, tel_url, url_problem


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


# --- what each refusal says, and the limits of an address (issue 26) -----------------------------
# The limits from RFC 5321 and RFC 1035: an address of at most 254 characters, a domain label of
# at most 63, no label starting or ending with a hyphen; a top-level domain of letters, at least
# two; nothing before the @ but the atext of RFC 5322 and dots, never leading or doubled.
BAD_TEXT = "holds a space, quote, bracket, backslash or invisible character"


@pytest.mark.parametrize(
    ("url", "relative", "problem"),
    [
        ("https://x.example/a b", True, BAD_TEXT),
        ("https://x.example/\u200b", True, BAD_TEXT),  # printable? no: a format character
        ("https://x.example/\x7f", True, BAD_TEXT),
        ("https://x.example/\u00a0", True, BAD_TEXT),  # a space that is not " "
        ("https://[x.example/", True, "is not a URL"),
        ("javascript:alert(1)", True, "has the scheme `javascript:`"),
        ("https:///path", True, "has the scheme `https:`"),  # no host
        ("//evil.example/", True, "names another host without a scheme"),
        ("../data/", False, "is not an absolute URL"),
        ("https://goteborg.se/", False, None),
        ("http://localhost:8000/x", False, None),
        ("../data/", True, None),
    ],
)
def test_what_a_refused_link_is_told(url, relative, problem):
    assert url_problem(url, relative) == problem


LOCAL = "has characters an address cannot have before the @"
FORM = "is not an address of the form name@example.se"
NO_DOMAIN = "has no domain such as example.se after the @"
MALFORMED = "has a malformed domain"
PUNYCODE = "has characters a domain cannot have (write the domain in punycode)"


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("x", FORM),
        ("x@", FORM),
        ("@example.se", FORM),
        ("a@b@example.se", LOCAL),  # the last @ splits: "a@b" is not a name
        ("a b@example.se", LOCAL),
        (".a@example.se", LOCAL),
        ("a..b@example.se", LOCAL),
        ("a.b@example.se", None),
        ("a.@example.se", None),  # a dot at the end of the name: tolerated
        ("x@y", NO_DOMAIN),
        ("x@example.s", NO_DOMAIN),
        ("x@example.s3", NO_DOMAIN),
        ("x@a.se", None),
        ("x@a..se", MALFORMED),
        ("x@-a.se", MALFORMED),
        ("x@a-.se", MALFORMED),
        ("x@a-b.se", None),
        ("x@ex\u00e4mple.se", PUNYCODE),
        ("x@ex_ample.se", PUNYCODE),
        ("x@xn--exmple-cua.se", None),
        ("x@" + "a" * 63 + ".se", None),
        ("x@" + "a" * 64 + ".se", MALFORMED),
        ("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".se", None),  # 254
        ("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".se", FORM),  # 255
        ("all!#$%&*+/=?^_~-chars@example.se", None),
    ],
)
def test_what_a_refused_address_is_told(address, problem):
    assert email_problem(address) == problem


def test_an_address_made_only_of_allowed_name_characters_is_still_checked_whole():
    """Every character of the name allowed is not enough: one bad one among them refuses it."""
    assert email_problem("abc\u00e5@example.se") == LOCAL


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.se/data", "https://example.se/data/"),
        ("https://example.se/data/", "https://example.se/data/"),
        ("http://example.se", "http://example.se/"),
    ],
)
def test_the_base_url_gets_its_slash(url, expected):
    assert check_base_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "data/",
            "--base-url: 'data/' is not an absolute URL; expected an absolute http(s) URL such as "
            "https://example.se/opendata/relations/. Every address in the metadata is made "
            "from it.",
        ),
        (
            "ftp://example.se/",
            "--base-url: 'ftp://example.se/' has the scheme `ftp:`; expected an absolute http(s) "
            "URL such as https://example.se/opendata/relations/. Every address in the metadata is "
            "made from it.",
        ),
        (
            "https://example.se/?a=1",
            "--base-url: 'https://example.se/?a=1' has a query or fragment; expected the folder's "
            "address only.",
        ),
        (
            "https://example.se/#top",
            "--base-url: 'https://example.se/#top' has a query or fragment; expected the folder's "
            "address only.",
        ),
        (
            "https://example.se/\x1b[31m",
            "--base-url: 'https://example.se/\\x1b[31m' holds a space, quote, bracket, backslash "
            "or invisible character; expected an absolute http(s) URL such as "
            "https://example.se/opendata/relations/. Every address in the metadata is made "
            "from it.",
        ),
    ],
)
def test_a_bad_base_url_says_what_is_wrong(url, message):
    with pytest.raises(SettingsError) as caught:
        check_base_url(url)
    assert str(caught.value) == message
    assert caught.value.exit_status == 2
