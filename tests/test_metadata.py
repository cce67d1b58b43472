"""Metadata: datapackage.json passes Frictionless; catalog.rdf parses as RDF/XML and meets the
DCAT-AP-SE 3.0.1 shapes (pyshacl, zero violations), with absolute IRIs and working downloads."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pyshacl
import pytest
import rdflib
from frictionless import Resource, Schema
from rdflib import BNode, Literal, URIRef

from geo import metadata
from geo.config import Publisher
from geo.errors import SettingsError
from geo.folder import check_base_url
from tests.publication import BASE_URL, publish

SHAPES = Path(__file__).parent / "data" / "dcat-ap-se-3.0.1-shapes.ttl"
# Open namespaces: rdflib's closed ones warn when pytest inspects the module's globals.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("meta")
    publish(tmp, tmp / "public")
    return tmp / "public"


@pytest.fixture(scope="module")
def graph(folder) -> rdflib.Graph:
    return rdflib.Graph().parse(folder / "catalog.rdf", format="xml")


@pytest.fixture(scope="module")
def package(folder) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


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
    assert len(report["tasks"]) == 7  # one per download, each checked


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


# --- catalog.rdf -------------------------------------------------------------------------------


def test_catalog_conforms_to_the_dcat_ap_se_shapes(graph):
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    _, results, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    severity = rdflib.URIRef("http://www.w3.org/ns/shacl#resultSeverity")
    violation = rdflib.URIRef("http://www.w3.org/ns/shacl#Violation")
    assert list(results.subjects(severity, violation)) == [], text


def test_shapes_catch_a_missing_mandatory_property(graph):
    broken = rdflib.Graph()
    for triple in graph:
        if triple[1] != DCTERMS.publisher:
            broken.add(triple)
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = pyshacl.validate(broken, shacl_graph=shapes, inference="none")
    assert not conforms
    assert "Violation" in text


def test_every_iri_is_absolute_and_no_blank_nodes(graph):
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode), triple
            if isinstance(term, URIRef):
                parts = urlsplit(str(term))
                assert parts.scheme in ("http", "https", "mailto", "tel"), term
                if parts.scheme.startswith("http"):
                    assert parts.netloc, term


def test_our_resources_are_named_under_the_base_url(graph):
    for cls in (
        DCAT.Catalog,
        DCAT.Dataset,
        DCAT.Distribution,
        FOAF.Agent,
        VCARD.Organization,
    ):
        subjects = list(graph.subjects(RDF.type, cls))
        assert subjects, cls
        for subject in subjects:
            assert isinstance(subject, URIRef)
            assert str(subject).startswith(BASE_URL + "catalog.rdf#"), subject


def test_every_download_url_is_a_file_in_the_folder(graph, folder, package):
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == len(package["resources"])
    for dist in distributions:
        url = str(graph.value(dist, DCAT.downloadURL))
        assert url == str(graph.value(dist, DCAT.accessURL))
        assert url.startswith(BASE_URL)
        file = folder / url.removeprefix(BASE_URL)
        assert file.is_file(), url
        checksum = graph.value(dist, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == metadata_sha(file)
        assert int(graph.value(dist, DCAT.byteSize)) == file.stat().st_size
        assert graph.value(dist, DCTERMS.license) == URIRef(metadata.CC0_IRI)


def metadata_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publisher_licence_contact_keywords_dates(graph):
    catalog = graph.value(None, RDF.type, DCAT.Catalog)
    dataset = graph.value(None, RDF.type, DCAT.Dataset)
    assert graph.value(catalog, DCTERMS.license) == URIRef(
        "http://creativecommons.org/publicdomain/zero/1.0/"
    )
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Göteborgs Stad")
    assert graph.value(publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority"
    )
    contact = graph.value(dataset, DCAT.contactPoint)
    assert graph.value(contact, VCARD.fn)
    assert str(graph.value(contact, VCARD.hasEmail)).startswith("mailto:")
    languages = {k.language for k in graph.objects(dataset, DCAT.keyword)}
    assert languages == {"sv", "en"}
    assert {str(t) for t in graph.objects(dataset, DCAT.theme)} == set(metadata.THEMES)
    for prop in (DCTERMS.issued, DCTERMS.modified):
        value = graph.value(dataset, prop)
        assert value.datatype == XSD.date
        assert str(value) == "2026-11-27"  # the data's as_of, not today
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "1946"
    assert graph.value(graph.value(dataset, DCTERMS.spatial), DCAT.bbox) is not None


def test_another_publisher_publishes_under_its_own_name_and_address(tmp_path):
    data = metadata.Dataset(
        name="x",
        title={"sv": "T <&>", "en": "T"},
        description={"sv": "D", "en": "D"},
        base_url="https://kommun.example.no/data/",
        issued="2020-01-01",
        modified="2021-02-03",
        start_year=None,
        bbox=None,
    )
    publisher = Publisher(name='Bergen "kommune" <&>', email="post@example.no")
    download = metadata.Download(
        "data/a.csv",
        "csv",
        "text/csv",
        {"sv": "A", "en": "A"},
        {"sv": "A", "en": "A"},
        1,
        "0" * 64,
        "2021-02-03",
    )
    graph = rdflib.Graph().parse(
        data=metadata.render_catalog(data, [download], publisher), format="xml"
    )
    agent = graph.value(None, RDF.type, FOAF.Agent)
    assert graph.value(agent, FOAF.name) == Literal('Bergen "kommune" <&>')
    catalog = graph.value(None, RDF.type, DCAT.Catalog)
    assert str(catalog) == "https://kommun.example.no/data/catalog.rdf#catalog"
    dist = graph.value(None, RDF.type, DCAT.Distribution)
    assert str(graph.value(dist, DCAT.downloadURL)) == "https://kommun.example.no/data/data/a.csv"


def test_tel_iri():
    assert metadata.tel_iri("+46 31-365 00 00") == "tel:+46313650000"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.se/data", "https://x.se/data/"),
        ("https://x.se/data/", "https://x.se/data/"),
        ("http://localhost:8000/", "http://localhost:8000/"),
    ],
)
def test_base_url_gets_its_slash(url, expected):
    assert check_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["x.se/data", "javascript:alert(1)", 'https://x.se/a"b', "https://x.se/#top", ""],
)
def test_bad_base_url(url):
    with pytest.raises(SettingsError, match="--base-url"):
        check_base_url(url)


def test_publisher_dataclass_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Publisher(name="a", email="b").name = "c"  # type: ignore[misc]
