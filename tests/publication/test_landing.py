"""The landing pages: every download with format, size, licence, SHA-256 and last change, the map
linked, both languages; escaped; and axe-core finds nothing in headless Chromium."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from geo.config import Publisher
from geo.publication import landing
from geo.publication.dataset import Dataset
from tests.browser import describe_violations, run_axe
from tests.publishing import edited_table, publish

HOSTILE = "<img src=x onerror=alert(1)>\"'&amp;</script>"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("landing")
    out = tmp / "public"
    publish(tmp, out)
    # A second publication whose change names a place with a hostile name.
    cell = '"' + HOSTILE.replace('"', '""') + '"'
    hostile = edited_table(
        tmp,
        "hostile.csv",
        {r"^(chicago,partner_city,dormant,Chicago),Chicago,": rf"\1,{cell},"},
    )
    publish(tmp, out, hostile)
    return out


@pytest.mark.parametrize(("page", "lang"), [("index.html", "sv"), ("en.html", "en")])
def test_page_lists_every_download(folder, page, lang):
    html = (folder / page).read_text(encoding="utf-8")
    assert html.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
    assert re.search(r"<title>[^<]+</title>", html)
    assert html.count("<h1>") == 1
    package = json.loads((folder / "datapackage.json").read_text())
    files = json.loads((folder / "changes.json").read_text())["files"]
    for resource in package["resources"]:
        row = re.search(
            rf'<tr>\s*<th scope="row"><a href="{resource["path"]}">.*?</tr>', html, re.S
        )
        assert row, resource["path"]
        text = row.group(0)
        assert resource["hash"].removeprefix("sha256:") in text
        assert landing.size_text(resource["bytes"], lang) in text
        assert "CC0 1.0" in text
        assert files[resource["path"]]["last_change"] in text
        assert landing.FORMAT_LABELS[resource["format"]] in text
    assert f'href="maps/{lang}.html"' in html
    assert f'href="maps/{lang}-embed.html"' in html


@pytest.mark.parametrize("page", ["index.html", "en.html"])
def test_every_link_points_at_a_file_in_the_folder(folder, page):
    parser = Links()
    parser.feed((folder / page).read_text(encoding="utf-8"))
    local = [h for h in parser.hrefs if not re.match(r"^[a-z]+:", h)]
    assert len(local) >= 10
    for href in local:
        assert (folder / href).is_file(), href


def test_hostile_text_is_escaped(folder):
    html = (folder / "en.html").read_text(encoding="utf-8")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_render_escapes_settings_and_titles():
    data = Dataset(
        name="x",
        title={"sv": HOSTILE, "en": HOSTILE},
        description={"sv": HOSTILE, "en": HOSTILE},
        base_url="https://x.se/",
        issued="2020-01-01",
        modified="2020-01-01",
        start_year=None,
        bbox=None,
    )
    publisher = Publisher(name=HOSTILE, email="a@b.se", contact_name=HOSTILE)
    html = landing.render_landing("sv", data, [], publisher, [], None).decode()
    assert "<img" not in html and "</script>" not in html


@pytest.mark.parametrize(
    ("n", "lang", "text"),
    [
        (999, "sv", "999 B"),
        (4237, "sv", "4,2 kB"),
        (4237, "en", "4.2 kB"),
        (180224, "en", "180.2 kB"),
        (2_500_000, "sv", "2,5 MB"),
    ],
)
def test_size_text(n, lang, text):
    assert landing.size_text(n, lang) == text


@pytest.mark.browser
@pytest.mark.parametrize("page", ["index.html", "en.html"])
@pytest.mark.parametrize("viewport", [(1280, 800), (360, 740)])
def test_axe_finds_no_violations(folder, serve, open_page, page, viewport):
    base = serve(folder)
    with open_page(base + page, viewport=viewport) as visit:
        violations = run_axe(visit.page)
        assert violations == [], describe_violations(violations)
        assert visit.blocked == []
        assert visit.dialogs == [] and visit.page_errors == [] and visit.console_errors == []
        rows = visit.page.locator("tbody tr")
        assert rows.count() == 7
        header = visit.page.locator("thead th").all_inner_texts()
        assert len(header) == 6


@pytest.mark.browser
def test_language_link_and_download_link_work(folder, serve, open_page):
    base = serve(folder)
    with open_page(base + "index.html") as visit:
        visit.page.get_by_role("link", name="In English").click()
        visit.page.wait_for_url("**/en.html")
        assert visit.page.locator("html").get_attribute("lang") == "en"
        response = visit.page.request.get(base + "data/places.csv")
        assert response.ok
        assert response.body() == (folder / "data" / "places.csv").read_bytes()
