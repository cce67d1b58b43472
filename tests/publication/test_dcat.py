"""catalog.rdf: parses as RDF/XML and meets the DCAT-AP-SE 3.0.1 shapes (pyshacl, zero
violations), with absolute IRIs and working downloads."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pyshacl
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from geo.config import Publisher
from geo.errors import SettingsError
from geo.publication import dcat
from geo.publication.dataset import CC0_IRI, Dataset, Download
from geo.urls import check_base_url, tel_url
from tests.publishing import BASE_URL

SHAPES = Path(__file__).parent.parent / "data" / "dcat-ap-se-3.0.1-shapes.ttl"
# Open namespaces: rdflib's closed ones warn when pytest inspects the module's globals.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


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
        assert graph.value(dist, DCTERMS.license) == URIRef(CC0_IRI)


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
    assert {str(t) for t in graph.objects(dataset, DCAT.theme)} == set(dcat.THEMES)
    for prop in (DCTERMS.issued, DCTERMS.modified):
        value = graph.value(dataset, prop)
        assert value.datatype == XSD.date
        assert str(value) == "2026-11-27"  # the data's as_of, not today
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "1946"
    assert graph.value(graph.value(dataset, DCTERMS.spatial), DCAT.bbox) is not None


def test_another_publisher_publishes_under_its_own_name_and_address(tmp_path):
    data = Dataset(
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
    download = Download(
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
        data=dcat.render_catalog(data, [download], publisher), format="xml"
    )
    agent = graph.value(None, RDF.type, FOAF.Agent)
    assert graph.value(agent, FOAF.name) == Literal('Bergen "kommune" <&>')
    catalog = graph.value(None, RDF.type, DCAT.Catalog)
    assert str(catalog) == "https://kommun.example.no/data/catalog.rdf#catalog"
    dist = graph.value(None, RDF.type, DCAT.Distribution)
    assert str(graph.value(dist, DCAT.downloadURL)) == "https://kommun.example.no/data/data/a.csv"


def test_tel_url_of_the_contact_point():
    assert tel_url("+46 31-365 00 00") == "tel:+46313650000"


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
