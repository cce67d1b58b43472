"""The landing pages' schema.org Dataset (geo.publication.jsonld), called directly: every
property and class a schema.org term (rdflib's SDO namespace, from schema.org's vocabulary),
each value from the dataset, the publisher and the downloads (issue 26). The pages' JSON-LD as
extruct reads it is tested in test_landing.py."""

from __future__ import annotations

import json

import rdflib
import rdflib.namespace

from geo.publication.dataset import keywords
from geo.publication.jsonld import dataset_jsonld, organisation
from tests.publication import made


def sdo():
    """schema.org's vocabulary (closed: it knows its terms); not a module global, on which
    rdflib warns when pytest inspects it."""
    return rdflib.namespace.SDO


CITATION = "Kommunen (2021). The town's relations."


def doc(data=None, publisher=made.PUBLISHER, lang="en") -> dict:
    data = data or made.dataset()
    return dataset_jsonld(data, made.downloads(), publisher, lang, "en.html", CITATION)


def terms(value) -> set[str]:
    """Every key and every @type inside `value`, but JSON-LD's own keywords."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found |= {key} if not key.startswith("@") else set()
            found |= {item} if key == "@type" else set()
            found |= terms(item)
    elif isinstance(value, list):
        for item in value:
            found |= terms(item)
    return found


def test_every_property_and_class_is_a_schema_org_term():
    for document in (doc(), doc(publisher=made.PLAIN)):
        unknown = {t for t in terms(document) if t not in sdo()}
        assert unknown == set()


def test_the_dataset_as_schema_org_describes_it():
    d = doc(lang="sv")
    downloads = {x.path: x for x in made.downloads()}
    assert {k: v for k, v in d.items() if k not in ("distribution", "publisher", "creator")} == {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{made.BASE}catalog.rdf#dataset",  # the same resource as catalog.rdf's
        "name": "Kommunens relationer",
        "description": "Vänorter",
        "url": f"{made.BASE}en.html",
        "identifier": "0b7a4b7e-3e0c-5b53-9d1e-2f0c3c6e6a11",
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "isAccessibleForFree": True,
        "inLanguage": "sv",
        "keywords": keywords("sv"),
        "creditText": CITATION,
        "datePublished": "2020-01-01",
        "dateModified": "2021-02-03",
        "temporalCoverage": "1946/..",  # ISO 8601: from 1946, open-ended
        # schema.org's box: "south west north east", latitude first
        "spatialCoverage": {
            "@type": "Place",
            "geo": {"@type": "GeoShape", "box": "-33.9 -87.65 60.4 139.7"},
        },
    }
    assert d["publisher"] == d["creator"] == organisation(made.PUBLISHER)
    assert [x["contentUrl"] for x in d["distribution"]] == [made.BASE + p for p in made.DATA_FILES]
    for x in d["distribution"]:
        file = downloads[x["contentUrl"].removeprefix(made.BASE)]
        assert x == {
            "@type": "DataDownload",
            "name": file.title["sv"],
            "contentUrl": made.BASE + file.path,
            "encodingFormat": file.kind.mediatype,
            "contentSize": f"{file.bytes} B",
            "dateModified": file.last_change,
            "sha256": file.sha256,
        }


def test_without_a_start_year_or_an_extent_neither_is_claimed():
    d = doc(made.dataset(start_year=None, bbox=None))
    assert "temporalCoverage" not in d and "spatialCoverage" not in d
    assert doc(made.dataset(start_year=987))["temporalCoverage"] == "0987/.."


def test_the_publisher_as_a_schema_org_organization():
    assert organisation(made.PUBLISHER) == {
        "@type": "Organization",
        "name": "Kommunen",
        "url": "https://kommun.example.se/",
        "contactPoint": {
            "@type": "ContactPoint",
            "contactType": "open data",
            "email": "data@kommun.example.se",
            "name": "Öppna data",  # the contact's own name where the settings give one
        },
        "identifier": "212000-1355",
    }
    assert organisation(made.PLAIN) == {  # nothing claimed that the settings do not give
        "@type": "Organization",
        "name": "Kommunen",
        "contactPoint": {
            "@type": "ContactPoint",
            "contactType": "open data",
            "email": "data@kommun.example.se",
            "name": "Kommunen",
        },
    }


def test_rdflib_reads_the_classes_and_links_of_the_document():
    """As RDF (schema.org's context is its vocabulary), the dataset has its publisher, its
    area and one download per data file."""
    SDO = sdo()
    document = {**doc(), "@context": {"@vocab": str(SDO)}}
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    dataset = rdflib.URIRef(f"{made.BASE}catalog.rdf#dataset")
    assert (dataset, rdflib.RDF.type, SDO.Dataset) in graph
    assert (graph.value(dataset, SDO.publisher), rdflib.RDF.type, SDO.Organization) in graph
    place = graph.value(dataset, SDO.spatialCoverage)
    assert (graph.value(place, SDO.geo), rdflib.RDF.type, SDO.GeoShape) in graph
    downloads = list(graph.objects(dataset, SDO.distribution))
    assert len(downloads) == len(made.DATA_FILES)
    assert all((x, rdflib.RDF.type, SDO.DataDownload) in graph for x in downloads)
