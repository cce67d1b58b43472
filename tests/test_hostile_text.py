"""Random Unicode text that the text rules allow, through every output format (hypothesis).

Each example puts generated text (hostile snippets and any printable character the rules of
data/README.md allow) into a place's names, description and source and into the publisher's
settings, publishes, and reads every output back with an independent parser: the HTML pages
parse (html5lib's WHATWG parser, as rdflib ships it) with exactly the elements and parse errors
of the same page made from plain text; the SVG print map and catalog.rdf are well-formed XML and
the catalog still carries the text; every JSON file parses and the layers hold the text
unchanged; the CSV gives it back (with the documented formula quote); CHANGELOG.md, read by a
CommonMark parser, holds no markup from the data; and `geo diff` shows the terminal no raw
control, escape or bidirectional character. Few examples, so that `make test` stays quick.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta
from pathlib import Path

import html5rdf
import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from geo import pipeline, textrules
from geo.cli import cli
from geo.config import read_settings
from tests.publishing import BASE_URL
from tests.support import make_project, shipped_rows, to_csv

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"'><svg onload=alert(1)>",
    "]]><!--",
    "{{ 7*7 }}{% raw %}",
    "`code` *em* [link](javascript:alert(1)) <b>",
    "# heading | table | ~~x~~ &amp; &#x41;",
    '=HYPERLINK("http://x")',
    "\u202ereversed\u202c \u2066iso\u2069",
    "\\u0041 \\n \\",
    "Åbo 西安 🙂\u200d🙂 עִבְרִית",
    "-1+1",
]
TERMINAL_BAD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def allowed(multiline: bool) -> st.SearchStrategy[str]:
    """Text the rules of geo.textrules allow, without surrounding space (the reader strips it)."""
    chars = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
    if multiline:
        chars = st.one_of(chars, st.sampled_from("\n\t\r\u2028"))
    random_text = st.text(chars, min_size=1, max_size=30)
    text = st.builds(lambda h, r: f"{h} {r}", st.sampled_from(HOSTILE), random_text)
    return text.map(str.strip).filter(
        lambda t: (
            bool(t)
            and textrules.first_bad(t, multiline) is None
            and textrules.first_bidi(t) is None
            and textrules.visible(t)
            and len(t) <= 150
        )
    )


def _parse_html(data: bytes) -> tuple[Counter, Counter, str]:
    parser = html5rdf.HTMLParser()
    root = parser.parse(data.decode("utf-8"))
    tags = Counter(el.tag for el in root.iter())
    errors = Counter(code for _, code, _ in parser.errors)
    text = "".join(root.itertext())
    return tags, errors, text


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Baseline:
    """A project published from the shipped table, and the same change made with plain text."""

    def __init__(self, base: Path, plain: dict[str, bytes]) -> None:
        self.base, self.plain = base, plain

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return f"Baseline({self.base})"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    pipeline.publish(make_project(base), BASE_URL)
    plain = tmp_path_factory.mktemp("plain")
    shutil.copytree(base, plain, symlinks=True, dirs_exist_ok=True)
    (plain / "data" / "places.csv").write_bytes(_table("Plain", "Plain text.", "Plain text."))
    pipeline.publish(read_settings(plain / "geo.toml"), BASE_URL)
    return Baseline(base, _files(plain / "public"))


def _table(name: str, description: str, source: str) -> bytes:
    header, rows = shipped_rows()
    chicago = next(r for r in rows if r["id"] == "chicago")
    chicago.update(name_en=name, name_sv=name, name_local=name)
    chicago.update(description_en=description, source=source)
    return to_csv(header, rows)


def _no_constants(name):
    raise ValueError(name)


@settings(
    max_examples=4,
    deadline=timedelta(seconds=60),  # a publish takes 2-3 s; the first pays the imports
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=allowed(False), description=allowed(True), publisher=allowed(False))
def test_random_text_through_every_output(project, tmp_path_factory, name, description, publisher):
    plain = project.plain
    base = tmp_path_factory.mktemp("example")
    shutil.copytree(project.base, base, symlinks=True, dirs_exist_ok=True)
    old_table = (base / "data" / "places.csv").read_bytes()
    (base / "data" / "places.csv").write_bytes(_table(name, description, description))
    settings = read_settings(base / "geo.toml")
    settings = dataclasses.replace(
        settings, publisher=dataclasses.replace(settings.publisher, name=publisher)
    )
    pipeline.publish(settings, BASE_URL)
    files = _files(base / "public")

    for path, data in files.items():
        if path.endswith(".html"):  # the same elements and parse errors as from plain text
            tags, errors, _ = _parse_html(data)
            plain_tags, plain_errors, _ = _parse_html(plain[path])
            assert tags == plain_tags, path
            assert errors == plain_errors, path
        elif path.endswith((".svg", ".rdf")):
            ET.fromstring(data)  # well-formed XML, or ParseError
        elif path.endswith((".json", ".geojson")):
            json.loads(data, parse_constant=_no_constants)

    features = json.loads(files["data/layers/all.geojson"])["features"]
    chicago = next(f for f in features if f["properties"].get("id", f.get("id")) == "chicago")
    assert chicago["properties"]["name_en"] == name
    assert chicago["properties"]["description_en"] == description

    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["data/places.csv"].decode()))}
    for cell, value in (
        (rows["chicago"]["name_en"], name),
        (rows["chicago"]["source"], description),
    ):
        quoted = value[:1] in ("=", "+", "-", "@", "\t", "\r")
        assert cell == ("'" + value if quoted else value)

    graph = rdflib.Graph().parse(data=files["catalog.rdf"], format="xml")
    assert rdflib.Literal(publisher) in set(graph.objects()) or any(
        str(o) == publisher for o in graph.objects()
    )

    tokens = MarkdownIt().parse(files["CHANGELOG.md"].decode())
    kinds = {child.type for t in tokens if t.children for child in t.children}
    assert kinds <= {"text", "code_inline", "softbreak"}, kinds  # no link, html, emphasis
    assert {t.type for t in tokens} <= {
        "heading_open", "heading_close", "paragraph_open", "paragraph_close", "inline",
        "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close",
    }  # fmt: skip
    shown = "".join(c.content for t in tokens if t.children for c in t.children)
    assert " ".join(name.split()) in shown

    (base / "old.csv").write_bytes(old_table)
    result = CliRunner().invoke(
        cli, ["diff", str(base / "old.csv"), str(base / "data" / "places.csv"),
              "--config", str(base / "geo.toml")]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "~ chicago: name_en:" in result.output
    assert not TERMINAL_BAD.search(result.output), ascii(result.output)
