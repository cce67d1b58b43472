"""The metadata quality score (geo.publication.quality) against the EU data portal's MQA
methodology, then the publication's: 405 of 405 when served where its base URL says, every
address answering over HTTP from a local server.

The expected points are the methodology's (data.europa.eu/mqa/methodology; the data provider
manual's "Metadata quality dashboard"), typed here from it, not read from the code: the
scorer is checked indicator by indicator on catalogues written by hand."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest
import rdflib
from click.testing import CliRunner

from geo.cli import cli
from geo.publication import quality
from tests.browser import serve as serve_folder
from tests.publishing import publish

# The methodology's table: dimension -> indicator -> points.
METHODOLOGY = {
    "findability": {"Keyword usage": 30, "Categories": 30, "Geo search": 20,
                    "Time-based search": 20},
    "accessibility": {"AccessURL accessibility": 50, "DownloadURL": 20,
                      "DownloadURL accessibility": 30},
    "interoperability": {"Format": 20, "Media type": 10,
                         "Format / Media type from vocabulary": 10, "Non-proprietary": 20,
                         "Machine readable": 20, "DCAT-AP compliance": 30},
    "reusability": {"License information": 20, "License vocabulary": 10,
                    "Access restrictions": 10, "Access restrictions vocabulary": 5,
                    "Contact point": 20, "Publisher": 10},
    "contextuality": {"Rights": 5, "File size": 5, "Date of issue": 5, "Modification date": 5},
}  # fmt: skip

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
CATALOG = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://x.se/c#d> a dcat:Dataset ;
  dcat:keyword "k" ; dcat:theme <{EU}data-theme/INTR> ; dct:spatial <https://sws.geonames.org/1/> ;
  dct:temporal <https://x.se/c#t> ; dct:accessRights <{EU}access-right/PUBLIC> ;
  dcat:contactPoint <https://x.se/c#cp> ; dct:publisher <https://x.se/c#p> ;
  dct:issued "2020-01-01" ; dct:modified "2020-01-02" ;
  dcat:distribution <https://x.se/c#csv> .
<https://x.se/c#csv> a dcat:Distribution ;
  dcat:accessURL <https://x.se/a.csv> ; dcat:downloadURL <https://x.se/a.csv> ;
  dct:format <{EU}file-type/CSV> ; dcat:mediaType <{IANA}text/csv> ;
  dct:license <http://creativecommons.org/publicdomain/zero/1.0/> ;
  dct:rights <https://x.se/c#r> ; dcat:byteSize 10 .
"""
D, CSV = rdflib.URIRef("https://x.se/c#d"), rdflib.URIRef("https://x.se/c#csv")
DCAT, DCT = rdflib.Namespace("http://www.w3.org/ns/dcat#"), rdflib.DCTERMS


def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=CATALOG, format="turtle")


def score(g: rdflib.Graph, url_ok=lambda url: True, conforms=True) -> quality.Score:
    return quality.score_dataset(g, D, url_ok, conforms)


def test_indicators_are_the_methodologys():
    table = {d: {} for d in METHODOLOGY}
    for indicator in quality.INDICATORS:
        table[indicator.dimension][indicator.name] = indicator.points
    assert table == METHODOLOGY
    assert quality.MAXIMUM == 405
    assert [sum(METHODOLOGY[d].values()) for d in quality.DIMENSIONS] == [100, 100, 110, 75, 20]


def test_a_complete_record_scores_405():
    s = score(graph())
    assert s.total == 405 and s.rating == "excellent" and s.missed() == []


# What taking one statement away costs: (subject, property) -> the indicators that fall.
REMOVALS = [
    (D, DCAT.keyword, {"Keyword usage": 30}),
    (D, DCAT.theme, {"Categories": 30}),
    (D, DCT.spatial, {"Geo search": 20}),
    (D, DCT.temporal, {"Time-based search": 20}),
    (CSV, DCAT.downloadURL, {"DownloadURL": 20, "DownloadURL accessibility": 30}),
    (CSV, DCT.format, {"Format": 20, "Format / Media type from vocabulary": 10,
                       "Non-proprietary": 20, "Machine readable": 20}),
    (CSV, DCAT.mediaType, {"Media type": 10, "Format / Media type from vocabulary": 10}),
    (CSV, DCT.license, {"License information": 20, "License vocabulary": 10}),
    (D, DCT.accessRights, {"Access restrictions": 10, "Access restrictions vocabulary": 5}),
    (D, DCAT.contactPoint, {"Contact point": 20}),
    (D, DCT.publisher, {"Publisher": 10}),
    (CSV, DCT.rights, {"Rights": 5}),
    (CSV, DCAT.byteSize, {"File size": 5}),
    (D, DCT.issued, {"Date of issue": 5}),
    (D, DCT.modified, {"Modification date": 5}),
]  # fmt: skip


@pytest.mark.parametrize(("subject", "prop", "lost"), REMOVALS, ids=lambda x: str(x)[-12:])
def test_each_indicator_costs_its_points(subject, prop, lost):
    g = graph()
    g.remove((subject, prop, None))
    s = score(g)
    assert {i.name: i.points - s.points[i.name] for i in quality.INDICATORS if s.points[i.name]
            < i.points} == lost  # fmt: skip
    assert s.total == 405 - sum(lost.values())


def test_addresses_that_do_not_answer_and_a_record_that_does_not_conform():
    s = score(graph(), url_ok=lambda url: False, conforms=False)
    assert s.dimension("accessibility") == 20  # the download URL is there, answering or not
    assert s.points["DCAT-AP compliance"] == 0 and s.dimension("interoperability") == 80


@pytest.mark.parametrize(
    ("value", "known"),
    [
        (f"{EU}licence/CC0", True),
        ("http://creativecommons.org/publicdomain/zero/1.0/", True),  # the table's exact match
        ("https://creativecommons.org/publicdomain/zero/1.0/", False),  # not as the table has it
        ("https://x.se/our-own-licence", False),
    ],
)
def test_licence_vocabulary(value, known):
    g = graph()
    g.set((CSV, DCT.license, rdflib.URIRef(value)))
    assert score(g).points["License vocabulary"] == (10 if known else 0)


def test_access_rights_and_format_vocabularies():
    g = graph()
    g.set((D, DCT.accessRights, rdflib.URIRef("https://x.se/rights")))
    g.set((CSV, DCT.format, rdflib.URIRef(f"{EU}file-type/XLSX")))
    g.set((CSV, DCAT.mediaType, rdflib.Literal("text/csv")))
    s = score(g)
    assert s.points["Access restrictions"] == 10 and s.points["Access restrictions vocabulary"] == 0
    assert s.points["Non-proprietary"] == 0 and s.points["Machine readable"] == 20  # XLSX
    assert s.points["Format / Media type from vocabulary"] == 0  # a literal, not IANA's IRI


def test_distributions_count_by_share_and_interoperability_by_the_best():
    g = graph()
    xlsx = rdflib.URIRef("https://x.se/c#xlsx")
    g.add((D, DCAT.distribution, xlsx))
    g.add((xlsx, DCAT.accessURL, rdflib.URIRef("https://x.se/a.xlsx")))
    g.add((xlsx, DCT.format, rdflib.URIRef(f"{EU}file-type/XLSX")))  # proprietary, no licence
    s = score(g, url_ok=lambda url: url.endswith(".csv"))
    assert s.points["License information"] == 10  # one of two distributions
    assert s.points["AccessURL accessibility"] == 25 and s.points["DownloadURL"] == 10
    assert s.dimension("interoperability") == 110  # the CSV, the best, counts


@pytest.mark.parametrize(
    ("total", "rating"),
    [(405, "excellent"), (351, "excellent"), (350, "good"), (221, "good"), (220, "sufficient"),
     (121, "sufficient"), (120, "bad"), (0, "bad")],
)  # fmt: skip
def test_ratings(total, rating):
    s = quality.Score("d", {"x": float(total)})
    assert s.rating == rating


def answers(url: str) -> bool:
    """Whether `url` answers 200 to a GET, as the portal's checker asks it."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def test_the_publication_served_where_its_base_url_says_scores_405(tmp_path):
    out = tmp_path / "public"
    with serve_folder(tmp_path) as root:  # the folder's parent: the link is made by publish
        base = f"{root}public/"
        publish(tmp_path, out, base_url=base)
        catalog = (out / "catalog.rdf").read_bytes()
        (s,) = quality.score_catalog(catalog, answers, quality.conforms_to_dcat_ap(catalog))
        assert {d: s.dimension(d) for d in quality.DIMENSIONS} == {
            "findability": 100,
            "accessibility": 100,
            "interoperability": 110,
            "reusability": 75,
            "contextuality": 20,
        }
        assert s.total == 405 and s.rating == "excellent"
        # A download that does not answer costs its share of the accessibility points.
        gone = out / "data" / "places.csv"
        shutil.move(gone, tmp_path / "away.csv")
        (less,) = quality.score_catalog(catalog, answers, True)
        assert 90 < less.dimension("accessibility") < 100


def test_geo_publish_prints_the_score_by_dimension(tmp_path):
    result = CliRunner().invoke(
        cli, ["publish", "--base-url", "https://data.example.se/r/", "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Metadata quality (data.europa.eu's MQA, on catalog.rdf): 405 of 405 points (excellent): "
        "findability 100/100, accessibility 100/100, interoperability 110/110, reusability 75/75, "
        "contextuality 20/20."
    ) in result.output
