"""datapackage.json: passes Frictionless, and its Table Schema is the schema's columns."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from enum import StrEnum
from pathlib import Path

import pytest
import rdflib
from frictionless import Package, Resource, Schema

from geo.publication.datapackage import TEXT_NOTE, build_datapackage, field_of, table_schema
from geo.publication.dataset import keywords
from geo.publication.formats import FORMATS
from geo.schema import Column, Need
from geo.schema import Schema as Columns
from tests.publication import made

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


# --- the writer called directly, against the Table Schema and Data Package specs (issue 26) ---


class Status(StrEnum):
    ACTIVE = "active"
    DORMANT = "dormant"


# One column of each kind of rule. `since` is an integer with a pattern and a length, which
# Table Schema states for strings only, and a minimum of 0 (false, but a bound all the same).
COLUMNS = (
    Column("id", "string", Need.ALWAYS, "stable identifier", "kiel", "an id",
           pattern="[a-z]+", max_length=100, unique=True),
    Column("status", "string", Need.RELATION, "whether alive", "active", "a status",
           enum=Status, pattern="[a-z]+", max_length=7),
    Column("lon", "number", Need.ALWAYS, "longitude", "1.5", "a longitude",
           minimum=-180, maximum=180),
    Column("since", "integer", Need.OPTIONAL, "the year", "1999", "a year",
           pattern="[0-9]{4}", minimum=0, max_length=4),
    Column("as_of", "date", Need.ALWAYS, "when checked", "2026-01-01", "a date"),
    Column("note", "string", Need.OPTIONAL, "a note", "", "a note"),
)  # fmt: skip
TINY = Columns(("en",), COLUMNS)
# Each field as Table Schema (https://specs.frictionlessdata.io/table-schema/) spells it.
FIELDS = [
    {
        "name": "id",
        "type": "string",
        "constraints": {"required": True, "unique": True, "pattern": "[a-z]+", "maxLength": 100},
        "description": "stable identifier.",  # ids never start with a formula's character
    },
    {
        "name": "status",
        "type": "string",
        "constraints": {"enum": ["active", "dormant"]},  # the enum says it all
        "description": "whether alive." + TEXT_NOTE,
    },
    {
        "name": "lon",
        "type": "number",
        "constraints": {"required": True, "minimum": -180, "maximum": 180},
        "description": "longitude.",
    },
    {
        "name": "since",
        "type": "integer",
        "constraints": {"minimum": 0},
        "description": "the year.",
    },
    {
        "name": "as_of",
        "type": "date",
        "format": "default",
        "constraints": {"required": True},
        "description": "when checked.",
    },
    {"name": "note", "type": "string", "description": "a note." + TEXT_NOTE},
]


def unquoted(field: dict) -> dict:
    return {**field, "description": field["description"].replace(TEXT_NOTE, "")}


def test_each_rule_is_a_table_schema_constraint():
    assert "formula injection" in TEXT_NOTE and TEXT_NOTE.startswith(" ")
    assert [field_of(c) for c in COLUMNS] == FIELDS  # quoted by default: the CSV's
    assert [field_of(c, quoted=False) for c in COLUMNS] == [unquoted(f) for f in FIELDS]
    schema = Schema.from_descriptor(table_schema(TINY))  # frictionless reads each rule
    by_name = {f.name: f for f in schema.fields}
    assert by_name["id"].constraints == FIELDS[0]["constraints"]
    assert by_name["since"].constraints == {"minimum": 0}
    assert by_name["as_of"].format == "default"
    assert schema.primary_key == ["id"] and schema.missing_values == [""]


def test_table_schema_is_the_csv_s_unless_told_otherwise():
    expected = {"fields": FIELDS, "primaryKey": ["id"], "missingValues": [""]}
    assert table_schema(TINY) == expected
    assert table_schema(TINY, quoted=False) == {**expected, "fields": list(map(unquoted, FIELDS))}


def test_frictionless_checks_rows_against_each_constraint(tmp_path):
    """The constraints work: frictionless refuses a row that breaks each, and takes the rest."""
    rows = [
        "id,status,lon,since,as_of,note",
        "kiel,active,10.1,0,2026-01-01,",  # the boundaries: since 0
        "lyon,,-180,,2026-01-02,x",  # empty cells are missing values
        "Bad,active,1,1999,2026-01-01,",  # pattern
        "rome,zombie,1,1999,2026-01-01,",  # enum
        "oslo,active,181,1999,2026-01-01,",  # maximum
        "bonn,active,1,-1,2026-01-01,",  # minimum
        "kiel,active,1,1999,2026-01-01,",  # unique
        "riga,active,,1999,2026-01-01,",  # required
        f"{'a' * 101},active,1,1999,2026-01-01,",  # maxLength
    ]
    (tmp_path / "t.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    schema = Schema.from_descriptor(table_schema(TINY))
    report = Resource(path="t.csv", basepath=str(tmp_path), schema=schema).validate()
    bad = sorted({row for (row,) in report.flatten(["rowNumber"])})
    assert bad == list(range(4, 11))


def package_of(downloads=None, of=TINY) -> dict:
    return build_datapackage(made.dataset(), downloads or made.downloads(), made.PLAIN, of)


def test_package_as_the_data_package_spec_names_it():
    """Every property, by the Data Package spec's names, with values from the dataset, the
    publisher and each download; the print map is not a resource."""
    doc = package_of()
    fields = {"name", "path", "title", "description", "format", "mediatype", "bytes", "hash"}
    assert {k: v for k, v in doc.items() if k != "resources"} == {
        "profile": "data-package",
        "name": "kommun-international-relations",
        "id": "0b7a4b7e-3e0c-5b53-9d1e-2f0c3c6e6a11",
        "title": "The town's relations",  # English, whatever the page languages
        "description": "Twin towns",
        "homepage": made.BASE,
        "keywords": [*keywords("en"), *keywords("sv")],
        "licenses": [
            {
                "name": "CC0-1.0",  # the SPDX id, as the spec asks
                "path": "https://creativecommons.org/publicdomain/zero/1.0/",
                "title": "CC0 1.0 Universal",
            }
        ],
        "sources": [
            {
                "title": "The curated table (data/places.csv); each row names its sources in "
                "the `source` column"
            },
            {
                "title": "GeoNames reference points, by geonames_id",
                "path": "https://www.geonames.org/",
            },
        ],
        "contributors": [
            {"title": "Kommunen", "role": "publisher", "email": "data@kommun.example.se"}
        ],
    }
    resources = {r["path"]: r for r in doc["resources"]}
    assert list(resources) == made.DATA_FILES
    for i, d in enumerate(made.downloads()):
        if d.path not in resources:
            continue
        r = resources[d.path]
        assert {k: r[k] for k in fields} == {
            "name": d.path.rsplit("/", 1)[1].replace(".", "-"),
            "path": d.path,
            "title": f"Title {d.kind.name}",
            "description": f"About {d.kind.name}",
            "format": d.kind.name,
            "mediatype": d.kind.mediatype,
            "bytes": 1000 + i,
            "hash": "sha256:" + f"{i:x}" * 64,
        }
    # Text formats say their encoding; the tables carry their schema, the CSV its dialect.
    assert {p for p, r in resources.items() if "encoding" in r} == {
        "data/places.csv",
        "data/layers/all.geojson",
    }
    assert all(
        resources[p]["encoding"] == "utf-8" for p in ("data/places.csv", "data/layers/all.geojson")
    )
    tables = {p: r for p, r in resources.items() if "schema" in r}
    assert set(tables) == {"data/places.csv", "data/places.xlsx"}
    assert {r["profile"] for r in tables.values()} == {"tabular-data-resource"}
    assert all("profile" not in r for p, r in resources.items() if p not in tables)
    assert tables["data/places.csv"]["schema"] == table_schema(TINY)
    assert tables["data/places.xlsx"]["schema"] == table_schema(TINY, quoted=False)
    assert [p for p, r in resources.items() if "dialect" in r] == ["data/places.csv"]
    assert resources["data/places.csv"]["dialect"] == {
        "delimiter": ",",
        "lineTerminator": "\r\n",
        "header": True,
    }
    package = Package.from_descriptor(doc)  # and frictionless reads it so
    csv = package.get_resource("places-csv")
    assert csv.dialect.header is True and csv.schema.primary_key == ["id"]
    assert package.licenses[0]["name"] == "CC0-1.0"


def test_the_keywords_are_english_first_then_each_other_language():
    doc = build_datapackage(
        made.dataset(title={"sv": "T", "en": "T", "de": "T"}), [], made.PLAIN, TINY
    )
    assert doc["keywords"] == [*keywords("en"), *keywords("de"), *keywords("sv")]
    assert doc["resources"] == []
