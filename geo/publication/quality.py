"""The European data portal's metadata quality score (MQA), computed on ``catalog.rdf``.

data.europa.eu scores the metadata it harvests by its Metadata Quality Assessment methodology
(data.europa.eu/mqa/methodology; the data provider manual, "Metadata quality dashboard"): five
dimensions derived from the FAIR principles, 23 indicators, 405 points at most. Each
:class:`Indicator` below is one row of the methodology, with its points and what it is computed
on. The methodology's rules of aggregation: a dataset's indicator is met or not; a
distribution's counts for the share of the dataset's distributions that meet it; and for
interoperability, where distributions are taken to hold the same content in several formats,
only the distribution with the most points counts. Ratings: excellent from 351 points, good
from 221, sufficient from 121, bad below.

Two indicators need the world: whether an address answers (``url_ok``, told by the caller:
``geo publish`` checks that each address names a file of the publication under its base URL;
the tests ask a real server over HTTP), and DCAT-AP compliance (``conforms``: ``geo publish``
runs pyshacl with the EU's DCAT-AP 3.0.1 shapes, :func:`conforms_to_dcat_ap`). The controlled
vocabularies are the EU Publications Office's authority tables (file types, licences, access
rights) and IANA's media types; their non-proprietary and machine-readable formats are the
portal's lists. Only the entries this project can publish or meet are listed here: a value not
listed scores as not in the vocabulary (extend the lists from their sources). Pure but for the
two callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import rdflib
from rdflib import RDF, URIRef
from rdflib.namespace import DCAT, DCTERMS

EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE, LICENCE, ACCESS_RIGHT = f"{EU}file-type/", f"{EU}licence/", f"{EU}access-right/"
IANA = "https://www.iana.org/assignments/media-types/"
SHAPES = "shapes/dcat-ap-3.0.1-shacl.ttl"  # package data of geo.publication

# fmt: off
# EU file types (authority table "file-type") this scorer knows, and the portal's lists of
# non-proprietary and machine-readable ones among them.
FILE_TYPES = frozenset((
    "CSV", "TSV", "TXT", "JSON", "JSON_LD", "GEOJSON", "GPKG", "KML",
    "KMZ", "GML", "SHP", "XML", "RDF_XML", "RDF_TURTLE", "HTML", "ZIP",
    "XLS", "XLSX", "ODS", "PARQUET", "PDF", "PNG", "JPEG", "SVG",
    "ATOM",
))
NON_PROPRIETARY = frozenset((
    "CSV", "TSV", "TXT", "JSON", "JSON_LD", "GEOJSON", "GPKG", "KML",
    "KMZ", "XML", "RDF_XML", "RDF_TURTLE", "HTML", "ZIP", "ODS", "PNG",
))
MACHINE_READABLE = frozenset((
    "CSV", "TSV", "JSON", "JSON_LD", "GEOJSON", "GPKG", "KML", "KMZ",
    "GML", "SHP", "XML", "RDF_XML", "RDF_TURTLE", "XLS", "XLSX", "ODS",
))
# fmt: on
MEDIA_TYPES = frozenset(
    [
        "text/csv",
        "text/tab-separated-values",
        "text/html",
        "application/json",
        "application/ld+json",
        "application/geo+json",
        "application/geopackage+sqlite3",
        "application/vnd.google-earth.kml+xml",
        "application/xml",
        "application/rdf+xml",
        "application/zip",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.apache.parquet",
        "application/pdf",
        "image/png",
        "image/svg+xml",
    ]
)
# The licence table's concepts, and the licences' own addresses it matches them with exactly.
LICENCES = frozenset(["CC0", "CC_BY_4_0", "CC_BYSA_4_0", "ODC_PDDL", "ODC_BY", "ODC_BL"])
LICENCE_MATCHES = {
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0",
    "http://creativecommons.org/licenses/by/4.0/": "CC_BY_4_0",
    "http://creativecommons.org/licenses/by-sa/4.0/": "CC_BYSA_4_0",
}
ACCESS_RIGHTS = frozenset(["PUBLIC", "RESTRICTED", "NON_PUBLIC"])
RATINGS = ((351, "excellent"), (221, "good"), (121, "sufficient"), (0, "bad"))
DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")
DATASET, DISTRIBUTION, BEST = "dataset", "distribution", "best distribution"


@dataclass(frozen=True)
class Indicator:
    """One indicator of the methodology: its dimension, name, points and what it is on."""

    dimension: str
    name: str
    points: int
    on: str  # DATASET, DISTRIBUTION (the share that meet it) or BEST (the best one)
    property: str  # what it reads, as the methodology names it


INDICATORS: tuple[Indicator, ...] = (
    Indicator("findability", "Keyword usage", 30, DATASET, "dcat:keyword"),
    Indicator("findability", "Categories", 30, DATASET, "dcat:theme"),
    Indicator("findability", "Geo search", 20, DATASET, "dct:spatial"),
    Indicator("findability", "Time-based search", 20, DATASET, "dct:temporal"),
    Indicator("accessibility", "AccessURL accessibility", 50, DISTRIBUTION, "dcat:accessURL"),
    Indicator("accessibility", "DownloadURL", 20, DISTRIBUTION, "dcat:downloadURL"),
    Indicator("accessibility", "DownloadURL accessibility", 30, DISTRIBUTION, "dcat:downloadURL"),
    Indicator("interoperability", "Format", 20, BEST, "dct:format"),
    Indicator("interoperability", "Media type", 10, BEST, "dcat:mediaType"),
    Indicator(
        "interoperability",
        "Format / Media type from vocabulary",
        10,
        BEST,
        "dct:format, dcat:mediaType",
    ),
    Indicator("interoperability", "Non-proprietary", 20, BEST, "dct:format"),
    Indicator("interoperability", "Machine readable", 20, BEST, "dct:format"),
    Indicator("interoperability", "DCAT-AP compliance", 30, DATASET, "the whole record"),
    Indicator("reusability", "License information", 20, DISTRIBUTION, "dct:license"),
    Indicator("reusability", "License vocabulary", 10, DISTRIBUTION, "dct:license"),
    Indicator("reusability", "Access restrictions", 10, DATASET, "dct:accessRights"),
    Indicator("reusability", "Access restrictions vocabulary", 5, DATASET, "dct:accessRights"),
    Indicator("reusability", "Contact point", 20, DATASET, "dcat:contactPoint"),
    Indicator("reusability", "Publisher", 10, DATASET, "dct:publisher"),
    Indicator("contextuality", "Rights", 5, DISTRIBUTION, "dct:rights"),
    Indicator("contextuality", "File size", 5, DISTRIBUTION, "dcat:byteSize"),
    Indicator("contextuality", "Date of issue", 5, DATASET, "dct:issued"),
    Indicator("contextuality", "Modification date", 5, DATASET, "dct:modified"),
)
MAXIMUM = sum(i.points for i in INDICATORS)  # 405


@dataclass(frozen=True)
class Score:
    """A dataset's points, by indicator name (each a share of the indicator's points)."""

    dataset: str
    points: dict[str, float] = field(default_factory=dict)

    def dimension(self, name: str) -> float:
        return sum(self.points[i.name] for i in INDICATORS if i.dimension == name)

    @property
    def total(self) -> float:
        return sum(self.points.values())

    @property
    def rating(self) -> str:
        return next(word for floor, word in RATINGS if round(self.total) >= floor)

    def missed(self) -> list[str]:
        """The indicators not fully met, with the points each lost."""
        return [
            f"{i.name} ({i.points - self.points[i.name]:g} of {i.points})"
            for i in INDICATORS
            if self.points[i.name] < i.points
        ]

    def summary(self) -> str:
        """One line: total, rating and each dimension, as ``geo publish`` prints it."""
        parts = [
            f"{d} {self.dimension(d):g}/{sum(i.points for i in INDICATORS if i.dimension == d)}"
            for d in DIMENSIONS
        ]
        return f"{self.total:g} of {MAXIMUM} points ({self.rating}): " + ", ".join(parts)


def _code(iri: object, prefix: str) -> str | None:
    text = str(iri) if isinstance(iri, URIRef) else ""
    return text.removeprefix(prefix) if text.startswith(prefix) else None


def _format_points(g: rdflib.Graph, dist: URIRef) -> dict[str, float]:
    """The interoperability indicators of one distribution (but DCAT-AP compliance)."""
    fmt = g.value(dist, DCTERMS.format)
    media = g.value(dist, DCAT.mediaType)
    code = _code(fmt, FILE_TYPE)
    media_type = _code(media, IANA)
    from_vocabulary = code in FILE_TYPES and media_type in MEDIA_TYPES
    return {
        "Format": 20.0 if fmt is not None else 0.0,
        "Media type": 10.0 if media is not None else 0.0,
        "Format / Media type from vocabulary": 10.0 if from_vocabulary else 0.0,
        "Non-proprietary": 20.0 if code in NON_PROPRIETARY else 0.0,
        "Machine readable": 20.0 if code in MACHINE_READABLE else 0.0,
    }


def _licence_known(iri: object) -> bool:
    code = _code(iri, LICENCE)
    if code is None and isinstance(iri, URIRef):
        code = LICENCE_MATCHES.get(str(iri))
    return code in LICENCES


def _share(distributions: list[URIRef], meets: Callable[[URIRef], bool]) -> float:
    return sum(map(meets, distributions)) / len(distributions) if distributions else 0.0


def score_dataset(
    g: rdflib.Graph,
    dataset: URIRef,
    url_ok: Callable[[str], bool],
    conforms: bool,
) -> Score:
    """The MQA score of `dataset` in `g`; `conforms`: the record is DCAT-AP compliant."""
    dists = sorted(o for o in g.objects(dataset, DCAT.distribution) if isinstance(o, URIRef))

    def has(node: URIRef, prop: URIRef) -> bool:
        return g.value(node, prop) is not None

    def answers(prop: URIRef) -> Callable[[URIRef], bool]:
        return lambda d: any(url_ok(str(u)) for u in g.objects(d, prop))

    rights = g.value(dataset, DCTERMS.accessRights)
    met: dict[str, float] = {
        "Keyword usage": has(dataset, DCAT.keyword),
        "Categories": has(dataset, DCAT.theme),
        "Geo search": has(dataset, DCTERMS.spatial),
        "Time-based search": has(dataset, DCTERMS.temporal),
        "AccessURL accessibility": _share(dists, answers(DCAT.accessURL)),
        "DownloadURL": _share(dists, lambda d: has(d, DCAT.downloadURL)),
        "DownloadURL accessibility": _share(dists, answers(DCAT.downloadURL)),
        "DCAT-AP compliance": conforms,
        "License information": _share(dists, lambda d: has(d, DCTERMS.license)),
        "License vocabulary": _share(dists, lambda d: _licence_known(g.value(d, DCTERMS.license))),
        "Access restrictions": rights is not None,
        "Access restrictions vocabulary": _code(rights, ACCESS_RIGHT) in ACCESS_RIGHTS,
        "Contact point": has(dataset, DCAT.contactPoint),
        "Publisher": has(dataset, DCTERMS.publisher),
        "Rights": _share(dists, lambda d: has(d, DCTERMS.rights)),
        "File size": _share(dists, lambda d: has(d, DCAT.byteSize)),
        "Date of issue": has(dataset, DCTERMS.issued),
        "Modification date": has(dataset, DCTERMS.modified),
    }
    points = {i.name: i.points * float(met[i.name]) for i in INDICATORS if i.name in met}
    best = max(
        (_format_points(g, d) for d in dists),
        key=lambda p: sum(p.values()),
        default={i.name: 0.0 for i in INDICATORS if i.on == BEST},
    )
    return Score(str(dataset), points | best)


def score_catalog(catalog: bytes, url_ok: Callable[[str], bool], conforms: bool) -> list[Score]:
    """The score of every dataset of a catalogue in RDF/XML, in the order of their IRIs."""
    g = rdflib.Graph().parse(data=catalog, format="xml")
    datasets = sorted(s for s in g.subjects(RDF.type, DCAT.Dataset) if isinstance(s, URIRef))
    return [score_dataset(g, d, url_ok, conforms) for d in datasets]


@cache
def _shapes() -> rdflib.Graph:
    data = resources.files("geo.publication").joinpath(SHAPES).read_bytes()
    return rdflib.Graph().parse(data=data, format="turtle")


def conforms_to_dcat_ap(catalog: bytes) -> bool:
    """Whether the catalogue has no violation of the EU's DCAT-AP 3.0.1 shapes (pyshacl)."""
    import pyshacl

    g = rdflib.Graph().parse(data=catalog, format="xml")
    conforms, _, _ = pyshacl.validate(g, shacl_graph=_shapes(), allow_warnings=True)
    return bool(conforms)


def served_from(base_url: str, paths: Iterable[str]) -> Callable[[str], bool]:
    """Whether an address names one of `paths` (or the folder, its index.html) under
    `base_url`: what answers once the folder is served there."""
    names = set(paths)
    return lambda url: (
        url.startswith(base_url)
        and (url.removeprefix(base_url) in names or (url == base_url and "index.html" in names))
    )
