"""The schema (geo.schema): every column declared once, and everything else made from it.

The proof that it is the only declaration: a copy of the package whose geo/schema.py gains one
column, and whose catalogues give it a label, and nothing else, validates, builds and publishes
that column, typed, in the layers, the CSV, datapackage.json, the analysts' frame and the docs'
table. A table's name and description columns are those of its languages, English required.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.schema import BY_NAME, EVERY, Need, Place, schema
from geo.text import FALLBACK, languages
from tests.support import ROOT, SCHEMA, make_project, shipped_rows, to_csv

NEW_COLUMN = """    Column("population", "integer", Need.OPTIONAL,
           "number of inhabitants", "250000", "a number of inhabitants", minimum=0),
)  # fmt: skip
"""
NEW_LABELS = {"sv": "Invånare", "en": "Population", "de": "Einwohner"}  # others: the English one


def test_place_has_a_typed_field_per_column_of_every_language():
    fields = {f.name: f for f in dataclasses.fields(Place)}
    assert list(fields) == [*EVERY.names, "line"]
    assert {f"name_{lang}" for lang in languages()} <= set(fields)
    assert fields["since"].default is None and fields["id"].default is dataclasses.MISSING
    assert fields["name_de"].default is None and fields["name_en"].default is dataclasses.MISSING


@pytest.mark.parametrize("lang", languages())
def test_every_column_has_a_label_in_every_language_and_a_meaning(lang):
    for column in EVERY.columns:
        assert column.label(lang) and column.meaning and column.example


def test_the_default_table_is_the_one_goteborg_has():
    header = (ROOT / "data" / "places.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(SCHEMA.names)


def test_a_table_has_a_name_and_a_description_per_language_english_required():
    german = schema(["de", "en"])
    assert german.languages == ("de", "en") and schema(["en", "de"]) == german
    assert "name_de" in german.names and "name_sv" not in german.names
    assert {"name_en", "description_en"} <= set(german.header_required)
    assert "name_de" not in german.header_required  # may be left out: English is shown
    assert schema(["fi"] if "fi" in languages() else ["de"]).languages[-1] == "en"
    assert german.by_name["name_de"].label("de") == "Name (Deutsch)"
    assert SCHEMA.by_name["name_sv"].label("en") == "Name in Swedish"
    assert SCHEMA.by_name["description_sv"].label("sv") == "Beskrivning"
    assert SCHEMA.by_name["description_en"].label("sv") == "Beskrivning (engelska)"


def test_only_columns_no_row_needs_may_be_left_out():
    required = SCHEMA.header_required
    assert "since" not in required and "wikidata" not in required
    assert "visiting_address" in required  # the office needs it
    assert all(BY_NAME[n].need is not Need.OPTIONAL for n in required)


@pytest.fixture(scope="module")
def patched_package(tmp_path_factory) -> Path:
    """A copy of geo/ whose schema declares one more column; nothing else is edited."""
    root = tmp_path_factory.mktemp("pkg")
    shutil.copytree(ROOT / "geo", root / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    schema = root / "geo" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    head, sep, tail = text.partition("DECLARED: tuple[Column | Callable[[str], Column], ...] = (")
    body, close, rest = tail.partition(")  # fmt: skip\n")
    assert sep and close, "the DECLARED declaration moved; update this test"
    schema.write_text(head + sep + body + NEW_COLUMN + rest, encoding="utf-8")
    for lang in languages():  # its label, one line in each catalogue
        catalogue = root / "geo" / "text" / f"{lang}.toml"
        text = catalogue.read_text(encoding="utf-8")
        label = f'population = "{NEW_LABELS.get(lang, NEW_LABELS[FALLBACK])}"\n'
        catalogue.write_text(text.replace("\n[column]\n", f"\n[column]\n{label}"), "utf-8")
    return root


def run(package: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package)}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_column_added_to_the_schema_alone_appears_everywhere(patched_package, tmp_path):
    header, rows = shipped_rows()
    for row in rows:
        row["population"] = "" if row["kind"] == "office" else "250000"
    rows[2]["population"] = "many"  # kiel: not a whole number
    make_project(tmp_path, to_csv([*header, "population"], rows))
    found = run(patched_package, tmp_path, "-c", "import geo.schema; print(geo.schema.__file__)")
    assert found.stdout.strip() == str(patched_package / "geo" / "schema.py"), found.stderr

    bad = run(patched_package, tmp_path, "-m", "geo", "validate")
    assert bad.returncode == 1
    assert "data/places.csv:4 (kiel): `population` 'many' is not a whole number" in bad.stderr
    rows[2]["population"] = "-5"
    (tmp_path / "data" / "places.csv").write_bytes(to_csv([*header, "population"], rows))
    assert "[field/out-of-range]" in run(patched_package, tmp_path, "-m", "geo", "validate").stderr

    rows[2]["population"] = "246243"
    (tmp_path / "data" / "places.csv").write_bytes(to_csv([*header, "population"], rows))
    out = tmp_path / "public"
    done = run(patched_package, tmp_path, "-m", "geo", "publish", "--out", str(out))
    assert done.returncode == 0, done.stderr

    layer = json.loads((out / "data/layers/partner_cities.geojson").read_bytes())
    kiel = next(f for f in layer["features"] if f["id"] == "kiel")
    assert kiel["properties"]["population"] == 246243  # a JSON number, not text
    table = list(csv.DictReader(io.StringIO((out / "data/places.csv").read_text("utf-8"))))
    assert next(r for r in table if r["id"] == "kiel")["population"] == "246243"
    package = json.loads((out / "datapackage.json").read_bytes())
    fields = next(r for r in package["resources"] if r["path"] == "data/places.csv")["schema"]
    field = next(f for f in fields["fields"] if f["name"] == "population")
    assert field["type"] == "integer" and field["constraints"] == {"minimum": 0}

    script = (
        "import geo, geo.docs\n"
        "print(geo.docs.markdown_columns(geo.read_settings().schema))\n"
        "print(geo.places_frame()['population'].dtype)\n"
    )
    shown = run(patched_package, tmp_path, "-c", script)
    assert shown.returncode == 0, shown.stderr
    assert "| `population` | integer | no; the column may be left out |" in shown.stdout
    assert shown.stdout.strip().endswith("Int64")
