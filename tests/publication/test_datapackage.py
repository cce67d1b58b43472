"""datapackage.json: passes Frictionless, and its Table Schema is the schema's columns."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from frictionless import Resource, Schema

from geo.publication.formats import FORMATS

SHAPES = Path(__file__).parents[1] / "data" / "dcat-ap-se-3.0.1-shapes.ttl"
# Open namespaces: rdflib's closed ones warn when pytest inspects the module's globals.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def frictionless_validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
    )


# --- datapackage.json --------------------------------------------------------------------------


def test_frictionless_validate_passes(folder):
    done = frictionless_validate(folder / "datapackage.json")
    assert done.returncode == 0, done.stdout[-3000:]
    report = json.loads(done.stdout)
    assert report["valid"] is True
    data = [fmt.path_of(p) for fmt in FORMATS if fmt.data for p in fmt.parts()]
    assert [task["place"] for task in report["tasks"]] == data  # every download, each checked
    rows = {t["place"]: t["stats"].get("rows") for t in report["tasks"]}
    assert rows["data/places.csv"] == rows["data/places.xlsx"] == 14  # both tables, typed


def test_frictionless_catches_a_changed_file(folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    csv = copy / "data" / "places.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Chicago", b"Chicagx", 1))
    done = frictionless_validate(copy / "datapackage.json")
    assert done.returncode != 0
    assert "hash-count" in done.stdout or "hash" in done.stdout


def test_package_has_cc0_sources_and_a_resource_per_download(package, folder):
    assert package["licenses"] == [
        {
            "name": "CC0-1.0",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
            "title": "CC0 1.0 Universal",
        }
    ]
    assert package["sources"] and all(s["title"] for s in package["sources"])
    paths = [r["path"] for r in package["resources"]]
    assert sorted(paths) == sorted(
        p.relative_to(folder).as_posix() for p in (folder / "data").rglob("*") if p.is_file()
    )
    for resource in package["resources"]:
        data = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"].startswith("sha256:")
    geojson = next(r for r in package["resources"] if r["path"] == "data/layers/all.geojson")
    assert (geojson["format"], geojson["mediatype"]) == (
        "geojson",
        "application/geo+json",
    )


def test_every_format_is_described(package):
    by_format = {r["format"]: r for r in package["resources"]}
    assert set(by_format) == {"geojson", "csv", "xlsx", "gpkg", "fgb", "geoparquet"}
    assert by_format["xlsx"]["mediatype"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert by_format["geoparquet"]["mediatype"] == "application/vnd.apache.parquet"
    assert by_format["fgb"]["mediatype"] == "application/vnd.flatgeobuf"
    xlsx = by_format["xlsx"]["schema"]
    assert [f["name"] for f in xlsx["fields"]] == [
        f["name"] for f in by_format["csv"]["schema"]["fields"]
    ]
    assert "formula injection" not in json.dumps(xlsx)  # no quote is added in the spreadsheet
    assert package["id"] == package["id"].lower() and len(package["id"]) == 36


def test_frictionless_catches_a_changed_parquet_and_spreadsheet(folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    for name in ("data/all.parquet", "data/places.xlsx", "data/layers/office.fgb"):
        path = copy / name
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))
    done = frictionless_validate(copy / "datapackage.json")
    report = json.loads(done.stdout)
    invalid = {t["place"] for t in report["tasks"] if not t["valid"]}
    assert {"data/all.parquet", "data/layers/office.fgb"} <= invalid
    assert "data/places.xlsx" in invalid


def test_table_schema_types_keys_and_constraints(package):
    csv = next(r for r in package["resources"] if r["format"] == "csv")
    schema = csv["schema"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert schema["primaryKey"] == ["id"]
    assert fields["id"]["constraints"]["unique"] is True
    assert fields["kind"]["constraints"]["enum"] == [
        "office",
        "partner_city",
        "friendship_town",
    ]
    assert fields["status"]["constraints"]["enum"] == ["active", "dormant"]
    assert fields["lon"]["type"] == "number"
    assert (
        fields["lon"]["constraints"]["minimum"],
        fields["lon"]["constraints"]["maximum"],
    ) == (
        -180,
        180,
    )
    assert (
        fields["lat"]["constraints"]["minimum"],
        fields["lat"]["constraints"]["maximum"],
    ) == (
        -90,
        90,
    )
    assert fields["as_of"]["type"] == "date"
    assert "formula injection" in fields["name_sv"]["description"]
    assert all(f.get("description") for f in schema["fields"])


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (b",dormant,", b",zombie,", "constraint-error"),  # status outside the enum
        (b"-87.65005,", b"-187.65005,", "constraint-error"),  # lon out of range
        (b"\r\nkiel,", b"\r\nchicago,", "primary-key"),  # duplicate id
    ],
)
def test_table_schema_rejects_bad_rows(package, folder, tmp_path, old, new, error):
    csv = next(r for r in package["resources"] if r["format"] == "csv")
    data = (folder / csv["path"]).read_bytes()
    assert old in data
    (tmp_path / "places.csv").write_bytes(data.replace(old, new, 1))
    schema = Schema.from_descriptor(csv["schema"])
    resource = Resource(path="places.csv", basepath=str(tmp_path), schema=schema, format="csv")
    report = resource.validate()
    assert not report.valid
    assert error in {row[0] for row in report.flatten(["type"])}
