"""The editor's gate and answers (geo.editor.app), through its real HTTP server.

Requests are sent with http.client, which lets a test set any Host, Origin or fetch-metadata
header a browser or an attacker's page would send.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

OWN = "http://127.0.0.1:{port}"


def send(url, method="GET", path="", headers=None, body=None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    base = {"Host": parts.netloc}
    if method == "POST":
        base |= {"Origin": f"http://{parts.netloc}", "Content-Type": "application/json"}
    base |= headers or {}
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    connection.putrequest(method, parts.path + path, skip_host=True, skip_accept_encoding=True)
    for name, value in base.items():
        if value is not None:
            connection.putheader(name, value)
    connection.putheader("Content-Length", str(len(data or b"")))
    connection.endheaders(data)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


@pytest.fixture
def served(project, start):
    editor, url = start(project)
    return editor, url


def rows_of(editor):
    return [{"key": r["id"], "cells": r} for r in editor.load().rows]


def test_the_page_is_served_with_a_strict_policy(served):
    editor, url = served
    status, headers, body = send(url)
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert b"<script>" not in body  # no inline script: the policy would refuse it anyway
    assert editor.token in url


@pytest.mark.parametrize(
    "path, headers",
    [
        ("{wrong}", {}),  # another token
        ("..", {}),  # no token at all
        ("", {"Host": "evil.example:{port}"}),  # DNS rebinding: another name for 127.0.0.1
        ("", {"Host": "127.0.0.1"}),  # another port
        ("", {"Host": None}),
        ("", {"Sec-Fetch-Site": "cross-site"}),
        ("", {"Sec-Fetch-Site": "same-site"}),
        ("", {"Origin": "http://evil.example"}),
    ],
)
def test_reading_is_refused_without_the_token_or_from_another_site(served, path, headers):
    editor, url = served
    port = urlsplit(url).port
    headers = {k: v.format(port=port) if v else v for k, v in headers.items()}
    if path == "{wrong}":
        url = url.replace(editor.token, editor.token[:-2] + "xx")
        path = ""
    elif path == "..":
        url = url.replace(editor.token + "/", "")
        path = ""
    status, _, body = send(url, path=path, headers=headers)
    assert status == 403
    assert b"Refused" in body and b"Kiel" not in body


@pytest.mark.parametrize(
    "headers, status",
    [
        ({"Origin": None}, 403),  # a change must say where it comes from
        ({"Origin": "http://evil.example"}, 403),  # CSRF from another site
        ({"Origin": "http://localhost.evil.example:1"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415),  # what a form can send
        ({"Content-Type": "text/plain"}, 415),
    ],
)
def test_a_save_from_another_site_is_refused_and_nothing_written(served, headers, status):
    editor, url = served
    before = editor.path.read_bytes()
    rows = rows_of(editor)
    rows[1]["cells"]["status"] = "active"
    body = {"version": editor.load().version, "rows": rows}
    got, _, _ = send(url, "POST", "api/save", headers, body)
    assert got == status
    assert editor.path.read_bytes() == before


def test_a_save_from_the_page_is_written(served):
    editor, url = served
    doc = editor.load()
    rows = rows_of(editor)
    (kiel,) = [r for r in rows if r["key"] == "kiel"]
    kiel["cells"]["status"] = "active"
    status, _, body = send(url, "POST", "api/save", body={"version": doc.version, "rows": rows})
    assert status == 200, body
    assert json.loads(body)["version"] != doc.version
    assert b"kiel,partner_city,active," in editor.path.read_bytes()


def test_other_methods_and_malformed_requests_are_refused(served):
    _, url = served
    assert send(url, "PUT")[0] == 405
    assert send(url, "POST", "api/check", body=b"{not json")[0] == 400
    assert send(url, "POST", "api/check", body={"rows": [{"cells": {"id": 5}}]})[0] == 400
    assert send(url, "POST", "api/check", body={"rows": [{"cells": {"evil": "x"}}]})[0] == 400
    assert send(url, "GET", "static/../app.py")[0] == 404
    too_big = {"Content-Length": str(64 * 1024 * 1024)}
    assert send(url, "POST", "api/check", too_big, b"")[0] == 413


def test_the_search_finds_cities_as_geo_lookup_does(served):
    from geo import lookup

    _, url = served
    status, _, body = send(url, path="api/search?q=Gda%C5%84&kind=partner_city")
    found = json.loads(body)
    assert status == 200
    assert [c["geonames_id"] for c in found] == [
        c.geonames_id for c in lookup.search("Gdań", limit=8)
    ]
    gdansk = found[0]
    assert gdansk["row"]["geonames_id"] == "3099434"
    assert (gdansk["row"]["kind"], gdansk["row"]["country"]) == ("partner_city", "PL")
    assert send(url, path="api/search?q=Gda&kind=office%3Cx")[0] == 400


def test_the_preview_is_the_web_renderers_page_of_the_draft(served):
    editor, url = served
    rows = rows_of(editor)
    rows[1]["cells"]["name_sv"] = "Chicago <b>!</b>"
    status, _, body = send(url, "POST", "api/preview", body={"version": None, "rows": rows})
    answer = json.loads(body)
    assert (status, answer["shown"], answer["left_out"]) == (200, 14, 0)
    status, headers, page = send(url, path=answer["url"])
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert b"Chicago &lt;b&gt;!&lt;/b&gt;" in page
    asset = answer["url"].rsplit("/", 1)[0] + "/assets/leaflet.js"
    assert send(url, path=asset)[0] == 200
