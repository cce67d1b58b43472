"""The landing pages: the interactive map first (embedded, and a button to its page), the print
map for print, every download of the registry grouped by use with its explanation and size,
checksums and dates folded away; how to cite, both languages; schema.org JSON-LD that extruct
reads; escaped; axe-core finds no violations (WCAG 2.2 AA too) in headless Chromium; and at 320
px as at 1280 px nothing is wider than the window and no file name or date breaks."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import extruct
import pytest

from geo.config import Publisher
from geo.publication import assemble, landing
from geo.publication.dataset import Dataset
from geo.publication.formats import FORMATS
from geo.text import texts
from tests.browser import AXE_TAGS, describe_violations, run_axe
from tests.publishing import BASE_URL, edited_table, publish

LANGS = ("sv", "en")

# A text that looks like a file name or an ISO date: a person reads each as one thing.
UNBREAKABLE = (
    r"[\w.-]+\.(?:geojson|csv|xlsx|gpkg|fgb|parquet|json|rdf|atom|md|png|svg|pdf)\b"
    r"|\d{4}-\d{2}-\d{2}"
)

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
def test_page_offers_every_download_by_use(folder, page, lang):
    html = (folder / page).read_text(encoding="utf-8")
    assert html.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
    assert re.search(r"<title>[^<]+</title>", html)
    assert html.count("<h1>") == 1
    package = json.loads((folder / "datapackage.json").read_text())
    files = json.loads((folder / "changes.json").read_text())["files"]
    t = texts(lang)
    groups = {use: html.index(f"<h3>{t(key)}</h3>") for use, key in landing.HEADINGS.items()}
    groups["print"] = html.index(f"<h3>{t('landing.print')}</h3>")
    for fmt in FORMATS:
        item = re.search(
            rf'<li id="download-{fmt.name}">.*?</li>\s*(?=<li id=|</ul>\s*(?:</div>|<h))',
            html[groups[fmt.use] :],
            re.S,
        )
        assert item, fmt.label
        text = item.group(0).replace("<wbr>", "")
        assert f">{fmt.label}<" in text
        assert t(fmt.note) in text  # its one-line explanation
        for part in fmt.parts():
            if fmt.per_language and part != lang:
                continue
            path = fmt.path_of(part)
            assert f'href="{path}"' in text, path
            assert landing.size_text((folder / path).stat().st_size, lang) in text
            if fmt.use != "print":  # checksums and dates folded away, in <details>
                folded = text.split("<details>", 1)[1]
                assert files[path]["sha256"] in folded and files[path]["last_change"] in folded
                assert f"<code>{path}</code>" in folded
    assert len(package["resources"]) == sum(len(f.parts()) for f in FORMATS if f.data)
    assert html.index("<h3>") > html.index('<iframe class="map"')  # the map first
    assert groups["print"] < groups["spreadsheet"] < groups["gis"]
    assert 'href="ogcapi"' in html[groups["gis"] :]  # the service, for GIS
    assert f'href="maps/{lang}.html"' in html
    assert f'src="maps/{lang}-embed.html"' in html


@pytest.mark.parametrize("page", ["index.html", "en.html"])
def test_the_interactive_map_comes_first_with_a_button_to_its_page(folder, page):
    html = (folder / page).read_text(encoding="utf-8")
    lang = "sv" if page == "index.html" else "en"
    frame = re.search(r"<iframe ([^>]*)>", html)
    assert frame, "no embedded map"
    assert f'src="maps/{lang}-embed.html"' in frame.group(1)
    assert re.search(r'title="[^"]{15,}"', frame.group(1))
    assert "sandbox=" in frame.group(1)
    button = re.search(r'<a class="button" href="([^"]+)">', html)
    assert button and button.group(1) == f"maps/{lang}.html"
    assert html.index("<iframe") < html.index('class="button"') < html.index("<h3>")
    assert html.index("<iframe") == min(html.index(x) for x in ("<iframe", 'class="offers"'))


def test_preview_is_the_languages_print_map():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x07\x08\x00\x00\x03\xde" + b"\0" * 8
    both = {"partnerships-sv.png": png, "partnerships-en.png": png}
    assert assemble.preview(both, "sv") == landing.Preview("maps/partnerships-sv.png", 1800, 990)
    assert assemble.preview(both, "en").path == "maps/partnerships-en.png"
    assert assemble.preview({"partnerships-sv.png": png}, "en") is None
    assert assemble.preview({"partnerships-en.svg": b"<svg/>"}, "en") is None
    assert assemble.preview({"partnerships-en.png": b"not a png"}, "en") is None


def test_without_a_picture_the_maps_are_still_linked():
    data = dataset_of("T")
    publisher = Publisher(name="P", email="a@b.se")
    maps = landing.Maps(
        [landing.MapLink("maps/x-embed.html", True), landing.MapLink("maps/x.html", False)]
    )
    html = landing.render_landing("en", data, [], publisher, maps, None, languages=LANGS).decode()
    assert "<img" not in html
    assert 'src="maps/x-embed.html"' in html and 'class="button" href="maps/x.html"' in html


@pytest.mark.parametrize(("page", "lang"), [("index.html", "sv"), ("en.html", "en")])
def test_json_ld_is_a_schema_org_dataset_that_extruct_reads(folder, page, lang):
    html = (folder / page).read_text(encoding="utf-8")
    found = extruct.extract(html, base_url=BASE_URL + page, syntaxes=["json-ld"])["json-ld"]
    (doc,) = found
    package = json.loads((folder / "datapackage.json").read_text())
    catalog = (folder / "catalog.rdf").read_text(encoding="utf-8")
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "Dataset"
    assert doc["name"] and doc["description"] and doc["inLanguage"] == lang
    assert doc["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert doc["isAccessibleForFree"] is True
    assert f"<dcterms:identifier>{doc['identifier']}</dcterms:identifier>" in catalog
    assert doc["publisher"]["@type"] == "Organization"
    assert doc["publisher"]["name"] == "Göteborgs Stad"
    south, west, north, east = map(float, doc["spatialCoverage"]["geo"]["box"].split())
    bbox = json.loads((folder / "data/layers/all.geojson").read_text())["bbox"]
    assert (west, south, east, north) == tuple(bbox)
    assert doc["temporalCoverage"] == "1946/.."
    assert doc["dateModified"] == "2026-11-27"
    downloads = doc["distribution"]  # the data's downloads, not the print map
    assert [d["contentUrl"] for d in downloads] == [
        BASE_URL + r["path"] for r in package["resources"]
    ]
    for d, resource in zip(downloads, package["resources"], strict=True):
        assert d["@type"] == "DataDownload"
        assert d["encodingFormat"] == resource["mediatype"]
    assert "Göteborgs Stad (2026)" in doc["creditText"]


@pytest.mark.parametrize("page", ["index.html", "en.html"])
def test_cite_line_and_feed_link(folder, page):
    html = (folder / page).read_text(encoding="utf-8")
    cite = re.search(r'<p class="cite">(.*?)</p>', html, re.S)
    assert cite and "2026" in cite.group(1) and f'href="{BASE_URL}"' in cite.group(1)
    assert '<link rel="alternate" type="application/atom+xml" href="changes.atom"' in html
    assert 'href="changes.atom"' in html.split("<body>", 1)[1]


@pytest.mark.parametrize("page", ["index.html", "en.html"])
def test_every_link_points_at_a_file_in_the_folder(folder, page):
    parser = Links()
    parser.feed((folder / page).read_text(encoding="utf-8"))
    local = [h for h in parser.hrefs if not re.match(r"^[a-z]+:", h)]
    local = [h for h in local if not h.startswith("ogcapi")]  # the service, not a file
    assert len(local) >= 10
    for href in local:
        assert (folder / href).is_file(), href


def test_hostile_text_is_escaped(folder):
    html = (folder / "en.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def dataset_of(text: str) -> Dataset:
    return Dataset(
        name="x",
        identifier="00000000-0000-5000-8000-000000000000",
        title={"sv": text, "en": text},
        description={"sv": text, "en": text},
        base_url="https://x.se/",
        issued="2020-01-01",
        modified="2020-01-01",
        start_year=None,
        bbox=None,
    )


def test_render_escapes_settings_and_titles():
    publisher = Publisher(name=HOSTILE, email="a@b.se", contact_name=HOSTILE)
    html = landing.render_landing(
        "sv", dataset_of(HOSTILE), [], publisher, landing.Maps(), None, languages=LANGS
    ).decode()
    assert "<img src=x" not in html
    assert html.count("</script>") == 1  # the JSON-LD's own end tag only
    (doc,) = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    assert doc["name"] == HOSTILE and doc["publisher"]["name"] == HOSTILE  # intact as data


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
        frame = visit.page.frame_locator("iframe.map")
        frame.locator(".geo-map[data-geo-ready]").wait_for()  # the embedded map has loaded
        violations = run_axe(visit.page, (*AXE_TAGS, "wcag22a", "wcag22aa"))
        assert violations == [], describe_violations(violations)
        assert visit.blocked == []
        assert visit.dialogs == [] and visit.page_errors == [] and visit.console_errors == []
        offered = sum(1 for f in FORMATS if f.use != "print") + 1  # and the OGC API
        assert visit.page.locator("main > ul.offers > li").count() == offered
        assert visit.page.locator("h2").first.inner_text() in ("Karta", "Map")
        summary = visit.page.locator("details summary").first  # the checksums unfold, by key
        summary.focus()
        visit.page.keyboard.press("Enter")
        visit.page.locator("details[open] .sums code").first.wait_for(state="visible")


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


MEASURE = """(pattern) => {
    const tooWide = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.width && (box.left < -0.5 || box.right > innerWidth + 0.5)) {
            tooWide.push(el.tagName + ': ' + el.textContent.trim().slice(0, 40));
        }
    }
    const split = [], outside = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const re = new RegExp(pattern, 'g');
    for (let node; (node = walker.nextNode());) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.width && box.right > innerWidth + 0.5) outside.push(node.textContent.slice(0, 40));
        for (const m of node.textContent.matchAll(re)) {
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size > 1) split.push(m[0]);
        }
    }
    return {tooWide, outside, split,
            scroll: document.documentElement.scrollWidth, width: innerWidth};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("page", ["index.html", "en.html"])
@pytest.mark.parametrize("width", [320, 360, 1280])
def test_nothing_overflows_and_no_name_or_date_breaks(
    folder, serve, open_page, page, width, tmp_path
):
    base = serve(folder)
    with open_page(base + page, viewport=(width, 800)) as visit:
        # Unfolded: the file names, dates and checksums are measured too.
        visit.page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
        found = visit.page.evaluate(MEASURE, UNBREAKABLE)
        visit.page.screenshot(path=tmp_path / f"{page}-{width}.png", full_page=True)
        assert found["scroll"] == found["width"], found
        assert found["tooWide"] == [] and found["outside"] == []
        assert found["split"] == []
        # The measure sees what it should: names and dates are there to be measured.
        texts = visit.page.locator("body").inner_text()
        assert len(re.findall(UNBREAKABLE, texts)) > 20


@pytest.mark.browser
def test_the_measure_catches_a_broken_name_and_a_wide_element(folder, serve, open_page):
    base = serve(folder)
    with open_page(base + "en.html", viewport=(320, 800)) as visit:
        # What the old page did: break file names anywhere (and make them long enough to).
        visit.page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
        visit.page.add_style_tag(content=".sums code{font-size:2em;word-break:break-all}")
        found = visit.page.evaluate(MEASURE, UNBREAKABLE)
        assert "friendship_towns.geojson" in found["split"]
        assert found["tooWide"] == []
        visit.page.add_style_tag(content="h1{width:400px}")
        found = visit.page.evaluate(MEASURE, UNBREAKABLE)
        assert any(w.startswith("H1") for w in found["tooWide"])
        assert found["scroll"] > found["width"]
