"""catalog.rdf: parses as RDF/XML and meets both the EU's DCAT-AP 3.0.1 shapes (SEMIC) and the
DCAT-AP-SE 3.0.1 shapes (pyshacl, zero violations), with absolute IRIs, working downloads, a
stable dataset identifier and the publisher as the Swedish portal knows it."""

from __future__ import annotations

import dataclasses
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pyshacl
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from geo.config import Publisher
from geo.errors import SettingsError
from geo.publication import dcat
from geo.publication.dataset import CC0_IRI, Dataset, Download, keywords
from geo.publication.formats import BY_NAME
from geo.text import texts
from geo.urls import check_base_url, tel_url
from tests.publication import made
from tests.publishing import BASE_URL, edited_table, publish

DATA = Path(__file__).parent.parent / "data"
SHAPES = DATA / "dcat-ap-se-3.0.1-shapes.ttl"
SEMIC_SHAPES = DATA.parent.parent / "geo" / "publication" / "shapes" / "dcat-ap-3.0.1-shacl.ttl"
# Open namespaces: rdflib's closed ones warn when pytest inspects the module's globals.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
ORG_CLASSIFICATION = URIRef("https://www.w3.org/ns/org#classification")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"


def shacl(graph: rdflib.Graph, shapes_path: Path) -> dict[str, list[tuple]]:
    """pyshacl's results by severity: (focus node, path, message) of each."""
    shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    _, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    found: dict[str, list[tuple]] = {}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        found.setdefault(severity, []).append(
            (
                str(results.value(result, SH.focusNode)),
                results.value(result, SH.resultPath),
                str(results.value(result, SH.resultMessage)),
            )
        )
    return found


# --- catalog.rdf -------------------------------------------------------------------------------


@pytest.mark.parametrize("shapes", [SEMIC_SHAPES, SHAPES], ids=["semic-dcat-ap", "dcat-ap-se"])
def test_catalog_has_no_violation_of_either_set_of_shapes(graph, shapes):
    found = shacl(graph, shapes)
    assert found.get("Violation", []) == []
    assert found.get("Info", []) == []


def test_the_one_warning_left_is_the_documented_one(graph):
    # DCAT-AP-SE recommends org:classification on the publisher, spelt with an https namespace
    # that is not W3C ORG's; docs/publishing.md explains why we leave it (no vocabulary named).
    warnings = shacl(graph, SHAPES).get("Warning", [])
    assert [path for _, path, _ in warnings] == [ORG_CLASSIFICATION]
    assert shacl(graph, SEMIC_SHAPES).get("Warning", []) == []
    docs = (Path(__file__).parents[2] / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert "org#classification" in docs


@pytest.mark.parametrize(
    "drop",
    [
        (None, RDF.type, DCTERMS.LicenseDocument),  # the class of the CC0 licence
        (None, RDF.type, DCTERMS.MediaType),  # the class of the media types
        (None, RDF.type, SPDX.ChecksumAlgorithm),
    ],
)
def test_semic_shapes_catch_an_untyped_reference(graph, drop):
    broken = rdflib.Graph()
    for triple in graph:
        if not (triple[1] == drop[1] and triple[2] == drop[2]):
            broken.add(triple)
    assert len(broken) < len(graph)
    assert shacl(broken, SEMIC_SHAPES).get("Violation")


def test_semic_shapes_catch_a_format_given_as_text(graph):
    broken = rdflib.Graph()
    for s, p, o in graph:
        broken.add((s, p, Literal("application/geo+json") if p == DCTERMS["format"] else o))
    messages = [m for _, path, m in shacl(broken, SEMIC_SHAPES)["Violation"]]
    assert any("BlankNodeOrIRI" in m for m in messages)


def test_formats_are_eu_file_types_and_media_types_iana(graph, package):
    formats = {}
    for dist in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(graph.value(dist, DCAT.downloadURL))
        formats[url.rsplit(".", 1)[-1]] = (
            str(graph.value(dist, DCTERMS["format"])),
            graph.value(dist, DCAT.mediaType),
        )
    assert formats["geojson"] == (f"{FILE_TYPE}GEOJSON", URIRef(f"{IANA}application/geo+json"))
    assert formats["csv"] == (f"{FILE_TYPE}CSV", URIRef(f"{IANA}text/csv"))
    assert formats["gpkg"][0] == f"{FILE_TYPE}GPKG"
    assert formats["parquet"] == (
        f"{FILE_TYPE}PARQUET",
        URIRef(f"{IANA}application/vnd.apache.parquet"),
    )
    assert formats["xlsx"][0] == f"{FILE_TYPE}XLSX"
    # FlatGeobuf: no EU file type and no IANA registration (docs/publishing.md)
    assert formats["fgb"] == ("https://flatgeobuf.org/", None)
    assert len(formats) == 6


def test_dataset_identifier_is_the_uuid5_of_base_url_and_name(graph):
    dataset = graph.value(None, RDF.type, DCAT.Dataset)
    expected = uuid.uuid5(
        uuid.NAMESPACE_URL, f"{BASE_URL}#gothenburg-international-relations"
    )  # RFC 4122 name-based UUID, computed here independently of geo
    assert str(graph.value(dataset, DCTERMS.identifier)) == str(expected)


def test_identifier_stays_when_the_data_change_and_is_printed(tmp_path, graph):
    changed = edited_table(
        tmp_path,
        "changed.csv",
        {r"^chicago,partner_city,dormant": "chicago,partner_city,active"},
        drop=("kiel",),
    )
    report = publish(tmp_path, tmp_path / "out", changed)
    again = rdflib.Graph().parse(tmp_path / "out" / "catalog.rdf", format="xml")
    ident = again.value(again.value(None, RDF.type, DCAT.Dataset), DCTERMS.identifier)
    assert ident == graph.value(graph.value(None, RDF.type, DCAT.Dataset), DCTERMS.identifier)
    assert report.identifier == str(ident)
    other = publish(tmp_path, tmp_path / "other", base_url="https://x.example.se/data/")
    assert other.identifier != report.identifier  # another address is another dataset


def test_publisher_is_named_as_the_swedish_portal_knows_it(graph):
    dataset = graph.value(None, RDF.type, DCAT.Dataset)
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert publisher == URIRef("http://dataportal.se/organisation/SE2120001355")
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert str(graph.value(publisher, DCTERMS.identifier)) == "212000-1355"
    catalog = graph.value(None, RDF.type, DCAT.Catalog)
    assert graph.value(catalog, DCTERMS.publisher) == publisher


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
        identifier=str(uuid.uuid4()),
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
        BY_NAME["csv"],
        "",
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
    assert str(agent) == "https://kommun.example.no/data/catalog.rdf#publisher"  # no org number
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


ACTIVE_LATER = r"chicago,partner_city,active\g<1>2027-02-01"


def test_a_second_publication_on_another_date_is_modified_then(tmp_path):
    """Issue 26: issued is the date of the first publication, modified that of the latest
    (DCAT-AP: dcterms:modified, "the most recent date on which the resource was changed");
    the data's date is its latest `as_of`. Tested with two publications on different dates, so
    a catalogue that wrote `issued` where `modified` belongs cannot pass."""
    out = tmp_path / "out"
    publish(tmp_path, out)  # the shipped table: as_of 2026-11-27
    later = edited_table(
        tmp_path,
        "later.csv",
        {r"^chicago,partner_city,dormant(.*)2026-11-27": ACTIVE_LATER},
    )
    publish(tmp_path, out, later)
    graph = rdflib.Graph().parse(out / "catalog.rdf", format="xml")
    catalog = graph.value(None, RDF.type, DCAT.Catalog)
    dataset = graph.value(None, RDF.type, DCAT.Dataset)
    for node in (catalog, dataset):
        assert graph.value(node, DCTERMS.issued) == Literal("2026-11-27", datatype=XSD.date)
        assert graph.value(node, DCTERMS.modified) == Literal("2027-02-01", datatype=XSD.date)
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.endDate)) == "2027-02-01"
    modified = {
        str(graph.value(d, DCAT.downloadURL)).rsplit("/", 1)[-1]: str(
            graph.value(d, DCTERMS.modified)
        )
        for d in graph.objects(dataset, DCAT.distribution)
    }
    assert modified["places.csv"] == "2027-02-01"  # its bytes changed (chicago is active)
    assert set(modified.values()) <= {"2026-11-27", "2027-02-01"}


# --- the writer called directly: every triple, as DCAT-AP names it (issue 26) -----------------

EU = "http://publications.europa.eu/resource/authority/"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
RDFS = rdflib.Namespace("http://www.w3.org/2000/01/rdf-schema#")
DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
ORGANISATION = URIRef("http://dataportal.se/organisation/SE2120001355")
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"


def made_catalog(data=None, downloads=None, publisher=made.PUBLISHER) -> rdflib.Graph:
    data = data or made.dataset()
    xml = dcat.render_catalog(data, made.downloads() if downloads is None else downloads, publisher)
    return rdflib.Graph().parse(data=xml, format="xml")


def expected_catalog() -> rdflib.Graph:
    """The catalog of tests.publication.made, triple by triple, written out from DCAT-AP 3.0.1,
    DCAT-AP-SE and the EU vocabularies (their labels of the themes and languages)."""
    at = f"{made.BASE}catalog.rdf#"
    catalog, dataset, agent = URIRef(f"{at}catalog"), URIRef(f"{at}dataset"), ORGANISATION
    contact, phone = URIRef(f"{at}contact-point"), URIRef(f"{at}contact-point-telephone")
    area, period, rights = (
        URIRef(f"{at}{n}") for n in ("spatial-coverage", "temporal-coverage", "rights")
    )
    home, cc0 = URIRef(made.BASE), URIRef(CC0_IRI)
    languages = [URIRef(f"{EU}language/SWE"), URIRef(f"{EU}language/ENG")]
    themes = {f"{EU}data-theme/INTR": ("Internationella frågor", "International issues"),
              f"{EU}data-theme/GOVE": ("Regeringen och den offentliga sektorn",
                                       "Government and public sector")}  # fmt: skip
    stable = URIRef(f"{EU}planned-availability/STABLE")

    def date(value):
        return Literal(value, datatype=XSD.date)

    def both(sv, en):
        return [Literal(sv, lang="sv"), Literal(en, lang="en")]

    t = [
        (catalog, RDF.type, DCAT.Catalog),
        *((catalog, DCTERMS.title, x) for x in both("Katalog: Kommunens relationer",
                                                    "Catalogue: The town's relations")),
        *((catalog, DCTERMS.description, x) for x in both("Vänorter", "Twin towns")),
        (catalog, DCTERMS.publisher, agent),
        (catalog, DCTERMS.license, cc0),
        (catalog, DCTERMS.issued, date("2020-01-01")),
        (catalog, DCTERMS.modified, date("2021-02-03")),
        (catalog, FOAF.homepage, home),
        *((catalog, DCTERMS.language, x) for x in languages),
        (catalog, DCAT.themeTaxonomy, URIRef(f"{EU}data-theme")),
        (catalog, DCTERMS.spatial, area),
        (catalog, DCAT.dataset, dataset),
        (agent, RDF.type, FOAF.Agent),
        (agent, FOAF.name, Literal("Kommunen")),
        (agent, DCTERMS.type, URIRef(f"{PUBLISHER_TYPE}LocalAuthority")),
        (agent, DCTERMS.description, Literal("Kommunen i korthet", lang="sv")),  # the main one
        (agent, DCTERMS.identifier, Literal("212000-1355")),
        (agent, FOAF.homepage, URIRef("https://kommun.example.se/")),
        (contact, RDF.type, VCARD.Organization),
        (contact, RDF.type, VCARD.Kind),
        (contact, VCARD.fn, Literal("Öppna data")),
        (contact, VCARD.hasEmail, URIRef("mailto:data@kommun.example.se")),
        (contact, VCARD.hasTelephone, phone),
        (phone, RDF.type, VCARD.Voice),
        (phone, VCARD.hasValue, URIRef("tel:+46313650000")),
        (dataset, RDF.type, DCAT.Dataset),
        (dataset, DCTERMS.identifier, Literal("0b7a4b7e-3e0c-5b53-9d1e-2f0c3c6e6a11")),
        *((dataset, DCTERMS.title, x)
          for x in both("Kommunens relationer", "The town's relations")),
        *((dataset, DCTERMS.description, x) for x in both("Vänorter", "Twin towns")),
        (dataset, DCTERMS.publisher, agent),
        (dataset, DCAT.contactPoint, contact),
        *((dataset, DCAT.keyword, Literal(k, lang=la))
          for la in ("sv", "en") for k in keywords(la)),
        *((dataset, DCAT.theme, URIRef(x)) for x in themes),
        (dataset, DCTERMS.issued, date("2020-01-01")),
        (dataset, DCTERMS.modified, date("2021-02-03")),
        (dataset, DCTERMS.conformsTo, URIRef("http://www.opengis.net/def/crs/EPSG/0/4326")),
        (dataset, DCTERMS.accessRights, URIRef(f"{EU}access-right/PUBLIC")),
        *((dataset, DCTERMS.language, x) for x in languages),
        (dataset, DCAT.landingPage, home),
        (dataset, DCTERMS.spatial, area),
        (dataset, DCTERMS.spatial, URIRef("https://sws.geonames.org/2711537/")),
        (dataset, DCTERMS.temporal, period),
        (period, RDF.type, DCTERMS.PeriodOfTime),
        (period, DCAT.startDate, Literal("1946", datatype=XSD.gYear)),
        (period, DCAT.endDate, date("2021-02-03")),
        (area, RDF.type, DCTERMS.Location),
        (area, DCAT.bbox, Literal("POLYGON((-87.65 -33.9, 139.7 -33.9, 139.7 60.4, "
                                  "-87.65 60.4, -87.65 -33.9))", datatype=WKT)),
        (rights, RDF.type, DCTERMS.RightsStatement),
        *((rights, RDFS.label, Literal(texts(la)("dataset.rights"), lang=la))
          for la in ("sv", "en")),
        (cc0, RDF.type, DCTERMS.LicenseDocument),
        (cc0, SKOS.exactMatch, URIRef(f"{EU}licence/CC0")),
        # what the catalog names, each of the class DCAT-AP expects, a concept with its label
        (URIRef(f"{EU}licence/CC0"), RDF.type, DCTERMS.LicenseDocument),
        (home, RDF.type, FOAF.Document),
        (URIRef("https://kommun.example.se/"), RDF.type, FOAF.Document),
        *((x, RDF.type, DCTERMS.LinguisticSystem) for x in languages),
        (URIRef(f"{EU}data-theme"), RDF.type, SKOS.ConceptScheme),
        *((URIRef(f"{EU}data-theme"), DCTERMS.title, x) for x in both("Datatema", "Data theme")),
        *((URIRef(x), RDF.type, SKOS.Concept) for x in themes),
        *((URIRef(x), SKOS.prefLabel, y) for x, names in themes.items() for y in both(*names)),
        (URIRef(f"{PUBLISHER_TYPE}LocalAuthority"), RDF.type, SKOS.Concept),
        (URIRef(f"{PUBLISHER_TYPE}LocalAuthority"), SKOS.prefLabel,
         Literal("Local Authority", lang="en")),
        (URIRef("http://www.opengis.net/def/crs/EPSG/0/4326"), RDF.type, DCTERMS.Standard),
        (URIRef(f"{EU}access-right/PUBLIC"), RDF.type, DCTERMS.RightsStatement),
        (URIRef("https://sws.geonames.org/2711537/"), RDF.type, DCTERMS.Location),
        (stable, RDF.type, SKOS.Concept),
        (stable, SKOS.prefLabel, Literal("stable", lang="en")),
        (SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm),
    ]  # fmt: skip
    for i, d in enumerate(made.downloads()):
        if not d.kind.data:
            continue
        name = d.path.rsplit("/", 1)[1].replace(".", "-")
        dist, checksum = URIRef(f"{at}distribution-{name}"), URIRef(f"{at}checksum-{name}")
        fmt = d.kind.name
        t += [
            (dataset, DCAT.distribution, dist),
            (dist, RDF.type, DCAT.Distribution),
            *((dist, DCTERMS.title, x) for x in both(f"Titel {fmt}", f"Title {fmt}")),
            *((dist, DCTERMS.description, x) for x in both(f"Om {fmt}", f"About {fmt}")),
            (dist, DCAT.accessURL, URIRef(made.BASE + d.path)),
            (dist, DCAT.downloadURL, URIRef(made.BASE + d.path)),
            (dist, DCTERMS["format"], URIRef(d.kind.file_type)),
            (URIRef(d.kind.file_type), RDF.type, DCTERMS.MediaTypeOrExtent),
            (dist, DCTERMS.license, cc0),
            (dist, DCTERMS.rights, rights),
            (dist, DCATAP.availability, stable),
            (dist, DCAT.byteSize, Literal(str(1000 + i), datatype=XSD.nonNegativeInteger)),
            (dist, DCTERMS.issued, date(f"2020-01-{i + 1:02d}")),
            (dist, DCTERMS.modified, date(f"2021-02-{i + 1:02d}")),
            (dist, SPDX.checksum, checksum),
            (checksum, RDF.type, SPDX.Checksum),
            (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            (checksum, SPDX.checksumValue, Literal(f"{i:x}" * 64, datatype=XSD.hexBinary)),
        ]
        if d.kind.registered:  # dcat:mediaType: IANA's registered types only
            media = URIRef(f"{IANA}{d.kind.mediatype}")
            t += [(dist, DCAT.mediaType, media), (media, RDF.type, DCTERMS.MediaType)]
    graph = rdflib.Graph()
    for triple in t:
        graph.add(triple)
    return graph


def test_the_catalog_says_exactly_what_dcat_ap_asks_of_each_resource():
    got, expected = made_catalog(), expected_catalog()
    missing, extra = set(expected) - set(got), set(got) - set(expected)
    assert (sorted(missing), sorted(extra)) == ([], [])


def test_the_made_catalog_meets_both_sets_of_shapes():
    for shapes in (SEMIC_SHAPES, SHAPES):
        assert shacl(made_catalog(), shapes).get("Violation", []) == []


def test_what_the_settings_and_data_leave_out_the_catalog_does_not_claim():
    plain = made.dataset(start_year=None, bbox=None, home_iri=None)
    first = made.downloads()[1]  # the CSV, first published now: issued is its last change
    graph = made_catalog(plain, [dataclasses.replace(first, issued="")], made.PLAIN)
    agent = URIRef(f"{made.BASE}catalog.rdf#publisher")  # no organisation number: ours
    assert (agent, RDF.type, FOAF.Agent) in graph
    assert set(graph.predicate_objects(agent)) == {
        (RDF.type, FOAF.Agent),
        (FOAF.name, Literal("Kommunen")),
        (DCTERMS.type, URIRef(f"{PUBLISHER_TYPE}LocalAuthority")),
    }
    contact = URIRef(f"{made.BASE}catalog.rdf#contact-point")
    assert graph.value(contact, VCARD.fn) == Literal("Kommunen")  # the name stands in
    assert graph.value(contact, VCARD.hasTelephone) is None
    dataset = graph.value(None, RDF.type, DCAT.Dataset)
    period = graph.value(dataset, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) is None
    assert graph.value(period, DCAT.endDate) == Literal("2021-02-03", datatype=XSD.date)
    assert list(graph.objects(dataset, DCTERMS.spatial)) == [
        URIRef(f"{made.BASE}catalog.rdf#spatial-coverage")
    ]
    assert graph.value(None, DCAT.bbox) is None
    dist = graph.value(dataset, DCAT.distribution)
    assert graph.value(dist, DCTERMS.issued) == Literal("2021-02-02", datatype=XSD.date)
    assert shacl(graph, SEMIC_SHAPES).get("Violation", []) == []


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("NationalAuthority", "National authority"),
        ("Company", "Company"),
        ("Academia/", "Academia"),
        ("Typ-X", "Typ-X"),  # as it is, whatever it ends with
    ],
)
def test_a_publisher_type_is_a_concept_with_a_label(kind, label):
    """ADMS's labels where we know them; else the IRI's last segment, which SHACL's
    prefLabel asks for."""
    publisher = dataclasses.replace(made.PLAIN, type=f"{PUBLISHER_TYPE}{kind}")
    graph = made_catalog(publisher=publisher)
    concept = URIRef(f"{PUBLISHER_TYPE}{kind}")
    assert (concept, RDF.type, SKOS.Concept) in graph
    assert list(graph.objects(concept, SKOS.prefLabel)) == [Literal(label, lang="en")]


def test_the_catalog_is_indented_utf8_xml():
    xml = dcat.render_catalog(made.dataset(), made.downloads(), made.PUBLISHER)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF ')
    assert xml.endswith(b"</rdf:RDF>\n")
    assert b"\n  <dcat:Catalog " in xml and "Öppna data".encode() in xml
