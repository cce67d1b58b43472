"""Languages are data: the German proof, end to end, through the real command.

`geo init DIR --home Kiel --languages de,en` in a folder outside the repository, the office's row
completed and three partner cities appended with `geo lookup --row`, one of them without a
German name and two without a German description; then `geo build` and `geo publish`. The maps,
the print map, the landing pages, the metadata and the downloads come out in German and English,
and nothing in Swedish; what the table lacks in German is shown in English, marked as English.
Read back with independent tools: an HTML parser, rdflib and the EU's SHACL shapes, openpyxl.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib

from tests.publication.test_dcat import SEMIC_SHAPES, shacl
from tests.support import ROOT

DCT = rdflib.Namespace("http://purl.org/dc/terms/")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
PARTNERS = ("Göteborg", "Tallinn", "Stralsund")


def geo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def edit_rows(table: Path, edit) -> None:
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    header = list(rows[0])
    edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    table.write_text(out.getvalue(), encoding="utf-8")


def complete(rows: list[dict[str, str]]) -> None:
    rows[0].update(
        name_de="Referat für Internationales",
        name_en="International Office",
        name_local="Referat für Internationales",
        description_de="Das Referat koordiniert die internationalen Beziehungen der Stadt.",
        description_en="The office coordinates the city's international relations.",
        visiting_address="Fleethörn 9, 24103 Kiel",
        postal_address="24099 Kiel",
    )
    for row in rows[1:]:
        row.update(status="active", description_en=f"Partner city: {row['name_en']}.")
    rows[1]["description_de"] = "Partnerstadt seit 1965."
    rows[2]["name_de"] = ""  # Tallinn: no German name; shown in English


@pytest.fixture(scope="module")
def kiel(tmp_path_factory) -> Path:
    """The German project, built and published (a folder outside the repository)."""
    folder = tmp_path_factory.mktemp("kiel") / "kiel"
    assert not folder.resolve().is_relative_to(ROOT.resolve())
    made = geo("init", str(folder), "--home", "Kiel", "--languages", "de,en", cwd=folder.parent)
    assert made.returncode == 0, made.stderr
    table = folder / "data" / "places.csv"
    for name in PARTNERS:
        row = geo("lookup", name, "--row", "partner_city", cwd=folder)
        assert row.returncode == 0, row.stderr
        with table.open("a", encoding="utf-8") as fp:
            fp.write(row.stdout)
    edit_rows(table, complete)
    settings = folder / "geo.toml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("# [publisher]\n# name =", "[publisher]\nname =")
    text = text.replace('# email = ""', 'email = "opendata@kiel.example"')
    settings.write_text(text, encoding="utf-8")
    for step in (["validate"], ["build"], ["publish", "--base-url", "https://kiel.example/"]):
        done = geo(*step, cwd=folder)
        assert done.returncode == 0, (step, done.stderr)
    return folder


def test_init_makes_a_german_project(kiel):
    settings = tomllib.loads((kiel / "geo.toml").read_text(encoding="utf-8"))
    assert settings["output"]["languages"] == ["de", "en"]
    assert settings["home"] == {
        "name_de": "Kiel",
        "name_en": "Kiel",
        "country": "DE",
        "geonames_id": 2891122,
        "office_radius_km": 10,
    }
    header = (kiel / "data" / "places.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "name_de" in header and "description_de" in header and "_sv" not in header
    assert "`name_de`" in (kiel / "README.md").read_text(encoding="utf-8")


def test_what_the_table_lacks_in_german_is_noted(kiel):
    done = geo("validate", cwd=kiel)
    assert done.returncode == 0
    lines = (done.stdout + done.stderr).splitlines()
    notes = [line for line in lines if "[field/shown-in-english]" in line]
    assert len(notes) == 3  # Tallinn's name; Tallinn's and Stralsund's descriptions
    assert any("(tallinn)" in n and "`name_de` is empty" in n for n in notes)


def test_the_build_writes_german_and_english_maps_and_nothing_swedish(kiel):
    names = sorted(p.name for p in (kiel / "maps").iterdir() if p.is_file() and p.name[0] != ".")
    assert names == [
        "de-embed.html", "de.html", "embed-snippet.html", "embed.css", "en-embed.html", "en.html",
        "partnerships-de.png", "partnerships-de.svg", "partnerships-en.png",
        "partnerships-en.svg",
    ]  # fmt: skip
    properties = json.loads((kiel / "data/layers/all.geojson").read_bytes())["features"][0]
    assert "name_de" in properties["properties"] and "name_sv" not in properties["properties"]


class Marked(HTMLParser):
    """The text of elements by the `lang` in force where it stands, and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.by_lang: dict[str, list[str]] = {}
        self.links: list[dict[str, str | None]] = []
        self.html_lang = ""
        self.code = 0  # inside a script or style: data, not text

    def handle_starttag(self, tag, attrs):
        self.code += tag in ("script", "style")
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang") or ""
        if tag == "a":
            self.links.append(found)
        void = tag in ("meta", "link", "br", "input", "img", "wbr")
        if not void:
            self.stack.append(found.get("lang") or (self.stack[-1] if self.stack else ""))

    def handle_endtag(self, tag):
        self.code -= tag in ("script", "style")
        if self.stack and tag not in ("meta", "link", "br", "input", "img", "wbr"):
            self.stack.pop()

    def handle_data(self, data):
        if data.strip() and self.stack and not self.code:
            self.by_lang.setdefault(self.stack[-1], []).append(data.strip())


def marked(path: Path) -> Marked:
    parser = Marked()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("page", ["de.html", "de-embed.html"])
def test_the_german_map_is_german_and_marks_english_fallbacks(kiel, page):
    found = marked(kiel / "maps" / page)
    assert found.html_lang == "de"
    german = found.by_lang["de"]
    assert "Internationale Beziehungen \u2013 Kiel" in german
    assert "Partnerstadt" in german and "Partnerstadt seit 1965." in german
    english = found.by_lang["en"]
    assert "Tallinn" in english  # the name the table has in English only, marked
    assert "Partner city: Stralsund." in english  # a description, likewise
    assert "Partner city: Stralsund." not in german
    html = (kiel / "maps" / page).read_text(encoding="utf-8")
    if page == "de.html":  # (the embed links to the full page's table)
        row = '<th scope="row" lang="en"><a href="#tallinn" data-place="tallinn">Tallinn</a></th>'
        assert row in html  # its name; name_local is not
    assert 'tabindex="-1" lang="en">Tallinn</h2>' in html  # marked: it is in no language
    assert "Estland" in german  # country names from CLDR, in German


def test_the_maps_link_each_other_in_their_own_words(kiel):
    de = [a for a in marked(kiel / "maps" / "de.html").links if a.get("hreflang")]
    assert de == [{"href": "en.html", "hreflang": "en", "lang": "en"}]
    en = marked(kiel / "maps" / "en.html")
    assert en.html_lang == "en" and "In English" not in en.by_lang.get("en", [])
    assert "Auf Deutsch" in en.by_lang["de"]
    assert "../index.html" in {a.get("href") for a in marked(kiel / "maps/de.html").links}


def test_the_print_map_is_drawn_in_german(kiel):
    svg = (kiel / "maps" / "partnerships-de.svg").read_text(encoding="utf-8")
    assert "Internationale Beziehungen von Kiel" in svg
    assert "3 Partnerstädte (3 aktiv)" in svg and "Länderg" in svg
    english = (kiel / "maps" / "partnerships-en.svg").read_text(encoding="utf-8")
    assert "Kiel&#39;s international relations" in english or "Kiel's international" in english
    assert "Partnerst" not in english
    assert (kiel / "maps" / "partnerships-de.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_landing_pages_are_german_and_english(kiel):
    public = kiel / "public"
    index, en = marked(public / "index.html"), marked(public / "en.html")
    assert (index.html_lang, en.html_lang) == ("de", "en")
    assert "Internationale Beziehungen von Kiel" in index.by_lang["de"]
    assert "International relations of Kiel" in en.by_lang["en"]
    assert {"href": "en.html", "lang": "en", "hreflang": "en"} in index.links
    assert {"href": "index.html", "lang": "de", "hreflang": "de"} in en.links
    assert not (public / "sv.html").exists()


def test_the_catalogue_speaks_german_and_english_and_conforms(kiel):
    graph = rdflib.Graph().parse(kiel / "public" / "catalog.rdf", format="xml")
    dataset = next(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    titles = {t.language: str(t) for t in graph.objects(dataset, DCT.title)}
    assert titles == {
        "de": "Internationale Beziehungen von Kiel",
        "en": "International relations of Kiel",
    }
    keywords = {k.language for k in graph.objects(dataset, DCAT.keyword)}
    assert keywords == {"de", "en"}
    languages = {str(o).rsplit("/", 1)[1] for o in graph.objects(dataset, DCT.language)}
    assert languages == {"DEU", "ENG"}
    assert not shacl(graph, SEMIC_SHAPES).get("Violation")


def test_the_downloads_carry_the_german_columns(kiel):
    from openpyxl import load_workbook

    public = kiel / "public"
    rows = list(csv.DictReader(io.StringIO((public / "data/places.csv").read_text("utf-8"))))
    tallinn = next(r for r in rows if r["id"] == "tallinn")
    assert tallinn["name_de"] == "" and tallinn["name_en"] == "Tallinn"
    sheet = load_workbook(public / "data/places.xlsx", read_only=True)["columns"]
    head, *described = list(sheet.iter_rows(values_only=True))
    assert head == ("column", "type", "label_de", "label_en", "meaning")
    labels = {row[0]: row[2] for row in described}
    assert labels["name_de"] == "Name (Deutsch)" and labels["since"] == "Seit"
    package = json.loads((public / "datapackage.json").read_bytes())
    assert package["title"] == "International relations of Kiel"
    assert "Partnerstädte" in package["keywords"] and "partner cities" in package["keywords"]
