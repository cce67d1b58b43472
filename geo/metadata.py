"""Stage 6c, metadata: downloads and places in, ``datapackage.json`` and ``catalog.rdf`` out.

- :func:`build_datapackage`: a Frictionless Data Package (a dict): CC0, sources, one resource per
  download with format, media type, size and SHA-256, and a Table Schema for the CSV (types,
  required fields, the unique ``id`` as primary key, allowed values of ``kind`` and ``status``,
  ranges of ``lon`` and ``lat``).
- :func:`render_catalog`: a DCAT-AP-SE 3.0.1 catalog in RDF/XML (bytes) for the Swedish data
  portal's harvester: catalog, dataset, one distribution per download, publisher, contact point,
  themes, keywords in Swedish and English, spatial and temporal coverage, dates and the CC0
  licence IRI exactly as the profile spells it. Every resource we name gets an absolute IRI
  under the base URL (``<base>catalog.rdf#dataset`` ...): no blank nodes for them. The XML is
  built with ElementTree, which escapes every text and attribute.

Dates come from the data (``as_of``), never from the clock. No I/O.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from geo.config import Publisher, Settings
from geo.model import Kind, Status
from geo.sources import COLUMNS

CC0_IRI = "http://creativecommons.org/publicdomain/zero/1.0/"  # as DCAT-AP-SE compares it
CC0_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
CATALOG_FILE = "catalog.rdf"
EU = "http://publications.europa.eu/resource/authority/"
THEMES = (f"{EU}data-theme/INTR", f"{EU}data-theme/GOVE")
LANGUAGES = (f"{EU}language/SWE", f"{EU}language/ENG")
WGS84_IRI = "http://www.opengis.net/def/crs/EPSG/0/4326"
KEYWORDS = {
    "sv": ("internationella relationer", "partnerstäder", "vänorter", "vänortssamarbete"),
    "en": ("international relations", "partner cities", "twin towns", "friendship towns"),
}

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
IANA = "https://www.iana.org/assignments/media-types/"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Download:
    """One file offered for download, with what the metadata and the landing page say of it."""

    path: str  # inside the folder, e.g. ``data/places.csv``
    format: str  # Frictionless format: geojson, csv, gpkg
    mediatype: str
    title: dict[str, str]  # by language: sv, en
    description: dict[str, str]
    bytes: int
    sha256: str
    last_change: str  # YYYY-MM-DD: the data's date when this file last changed

    @property
    def name(self) -> str:
        """A Frictionless resource name: lower-case, ``-`` for anything else."""
        return re.sub(r"[^a-z0-9]+", "-", self.path.rsplit("/", 1)[-1].lower()).strip("-")


@dataclass(frozen=True)
class Dataset:
    """What the metadata says about the dataset as a whole."""

    name: str  # slug, e.g. gothenburg-international-relations
    title: dict[str, str]
    description: dict[str, str]
    base_url: str  # absolute, ends with /
    issued: str
    modified: str
    start_year: int | None  # temporal coverage: the earliest `since`
    bbox: Sequence[float] | None  # [west, south, east, north] of the places


def dataset(settings: Settings, base_url: str, issued: str, modified: str, **kw: Any) -> Dataset:
    """The dataset's names and texts, made from the home city's names in the settings."""
    home = settings.home
    slug = re.sub(r"[^a-z0-9]+", "-", home.name_en.lower()).strip("-")
    return Dataset(
        name=f"{slug}-international-relations",
        title={
            "sv": f"Internationella relationer för {home.name_sv}",
            "en": f"International relations of {home.name_en}",
        },
        description={
            "sv": f"Platserna som {home.name_sv} har internationella relationer med: kontoret som "
            "samordnar dem, partnerstäder och vänorter, med status (aktiv eller vilande), "
            "startår, beskrivning, källor och koordinater (WGS 84).",
            "en": f"The places {home.name_en} has international relations with: the office that "
            "coordinates them, partner cities and friendship towns, with status (active or "
            "dormant), start year, description, sources and coordinates (WGS 84).",
        },
        base_url=base_url,
        issued=issued,
        modified=modified,
        **kw,
    )


# --- Frictionless Data Package -------------------------------------------------------------

TEXT_NOTE = (
    " Text cells that would start with =, +, -, @, a tab or a carriage return are prefixed "
    "with a single quote (') against spreadsheet formula injection."
)
FIELD_TYPES: dict[str, dict[str, Any]] = {
    "id": {
        "type": "string",
        "constraints": {"required": True, "unique": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
    },
    "kind": {"type": "string", "constraints": {"required": True, "enum": [k.value for k in Kind]}},
    "status": {"type": "string", "constraints": {"enum": [s.value for s in Status]}},
    "country": {"type": "string", "constraints": {"required": True, "pattern": "[A-Z]{2}"}},
    "lon": {"type": "number", "constraints": {"required": True, "minimum": -180, "maximum": 180}},
    "lat": {"type": "number", "constraints": {"required": True, "minimum": -90, "maximum": 90}},
    "since": {"type": "integer", "constraints": {"minimum": 1900}},
    "geonames_id": {"type": "integer", "constraints": {"required": True, "minimum": 1}},
    "wikidata": {"type": "string", "constraints": {"pattern": "Q[1-9][0-9]*"}},
    "as_of": {"type": "date", "format": "default", "constraints": {"required": True}},
}
REQUIRED_TEXT = ("name_sv", "name_en", "name_local", "description_sv", "description_en", "source")


def table_schema() -> dict[str, Any]:
    """The CSV's Table Schema: one field per column, in the CSV's order."""
    fields = []
    for column in COLUMNS:
        spec = dict(FIELD_TYPES.get(column.name, {"type": "string"}))
        if column.name in REQUIRED_TEXT:
            spec["constraints"] = {"required": True}
        note = TEXT_NOTE if spec["type"] == "string" and column.name != "id" else ""
        fields.append({"name": column.name, **spec, "description": column.meaning + "." + note})
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def build_datapackage(
    data: Dataset, downloads: Iterable[Download], publisher: Publisher
) -> dict[str, Any]:
    """The ``datapackage.json`` document (a dict; serialise with sorted keys)."""
    resources = []
    for d in downloads:
        resource: dict[str, Any] = {
            "name": d.name,
            "path": d.path,
            "title": d.title["en"],
            "description": d.description["en"],
            "format": d.format,
            "mediatype": d.mediatype,
            "bytes": d.bytes,
            "hash": f"sha256:{d.sha256}",
        }
        if d.format in ("csv", "geojson"):
            resource["encoding"] = "utf-8"
        if d.format == "csv":
            resource["profile"] = "tabular-data-resource"
            resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
            resource["schema"] = table_schema()
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": data.name,
        "title": data.title["en"],
        "description": data.description["en"],
        "homepage": data.base_url,
        "keywords": [*KEYWORDS["en"], *KEYWORDS["sv"]],
        "licenses": [{"name": "CC0-1.0", "path": CC0_URL, "title": "CC0 1.0 Universal"}],
        "sources": [
            {
                "title": "The curated table (data/places.csv); each row names its sources "
                "in the `source` column",
            },
            {
                "title": "GeoNames reference points, by geonames_id",
                "path": "https://www.geonames.org/",
            },
        ],
        "contributors": [{"title": publisher.name, "role": "publisher", "email": publisher.email}],
        "resources": resources,
    }


# --- DCAT-AP-SE catalog (RDF/XML) --------------------------------------------------------------


def _q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


class _Node:
    """One RDF resource as an RDF/XML element: typed node with an absolute IRI."""

    def __init__(self, parent: ET.Element, rdf_type: str, iri: str) -> None:
        self.element = ET.SubElement(parent, _q(rdf_type), {_q("rdf:about"): iri})

    def text(
        self, prop: str, value: str, lang: str | None = None, datatype: str | None = None
    ) -> None:
        attrs = {}
        if lang:
            attrs[XML_LANG] = lang
        if datatype:
            attrs[_q("rdf:datatype")] = datatype
        ET.SubElement(self.element, _q(prop), attrs).text = value

    def texts(self, prop: str, by_lang: dict[str, str]) -> None:
        for lang in sorted(by_lang):
            self.text(prop, by_lang[lang], lang)

    def link(self, prop: str, iri: str) -> None:
        ET.SubElement(self.element, _q(prop), {_q("rdf:resource"): iri})

    def child(self, prop: str, rdf_type: str, iri: str) -> _Node:
        holder = ET.SubElement(self.element, _q(prop))
        return _Node(holder, rdf_type, iri)


def tel_iri(phone: str) -> str:
    """A ``tel:`` IRI from a phone number as people write it (``+46 31-365 00 00``)."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def render_catalog(data: Dataset, downloads: Sequence[Download], publisher: Publisher) -> bytes:
    """``catalog.rdf``: the DCAT-AP-SE catalog, deterministic RDF/XML in UTF-8."""
    base = data.base_url
    iri = f"{base}{CATALOG_FILE}#"
    date = f"{XSD}date"
    root = ET.Element(_q("rdf:RDF"))

    catalog = _Node(root, "dcat:Catalog", f"{iri}catalog")
    catalog.texts(
        "dcterms:title",
        {k: f"Katalog: {v}" if k == "sv" else f"Catalogue: {v}" for k, v in data.title.items()},
    )
    catalog.texts("dcterms:description", data.description)
    catalog.link("dcterms:publisher", f"{iri}publisher")
    catalog.link("dcterms:license", CC0_IRI)
    catalog.text("dcterms:issued", data.issued, datatype=date)
    catalog.text("dcterms:modified", data.modified, datatype=date)
    catalog.link("foaf:homepage", base)
    for language in LANGUAGES:
        catalog.link("dcterms:language", language)
    catalog.link("dcat:themeTaxonomy", f"{EU}data-theme")
    catalog.link("dcterms:spatial", f"{iri}spatial-coverage")
    catalog.link("dcat:dataset", f"{iri}dataset")

    agent = _Node(root, "foaf:Agent", f"{iri}publisher")
    agent.text("foaf:name", publisher.name)
    agent.link("dcterms:type", publisher.type)
    if publisher.description:
        agent.text("dcterms:description", publisher.description, "sv")
    if publisher.identifier:
        agent.text("dcterms:identifier", publisher.identifier)
    if publisher.homepage:
        agent.link("foaf:homepage", publisher.homepage)

    contact = _Node(root, "vcard:Organization", f"{iri}contact-point")
    contact.text("vcard:fn", publisher.contact_name or publisher.name)
    contact.link("vcard:hasEmail", f"mailto:{publisher.email}")
    if publisher.phone:
        phone = contact.child("vcard:hasTelephone", "vcard:Voice", f"{iri}contact-point-telephone")
        phone.link("vcard:hasValue", tel_iri(publisher.phone))

    ds = _Node(root, "dcat:Dataset", f"{iri}dataset")
    ds.texts("dcterms:title", data.title)
    ds.texts("dcterms:description", data.description)
    ds.link("dcterms:publisher", f"{iri}publisher")
    ds.link("dcat:contactPoint", f"{iri}contact-point")
    for lang in sorted(KEYWORDS):
        for keyword in KEYWORDS[lang]:
            ds.text("dcat:keyword", keyword, lang)
    for theme in THEMES:
        ds.link("dcat:theme", theme)
    ds.text("dcterms:issued", data.issued, datatype=date)
    ds.text("dcterms:modified", data.modified, datatype=date)
    ds.link("dcterms:conformsTo", WGS84_IRI)
    ds.link("dcterms:accessRights", f"{EU}access-right/PUBLIC")
    for language in LANGUAGES:
        ds.link("dcterms:language", language)
    ds.link("dcat:landingPage", base)
    ds.link("dcterms:spatial", f"{iri}spatial-coverage")
    period = ds.child("dcterms:temporal", "dcterms:PeriodOfTime", f"{iri}temporal-coverage")
    if data.start_year is not None:
        period.text("dcat:startDate", f"{data.start_year:04d}", datatype=f"{XSD}gYear")
    period.text("dcat:endDate", data.modified, datatype=date)
    for d in downloads:
        ds.link("dcat:distribution", f"{iri}distribution-{d.name}")

    location = _Node(root, "dcterms:Location", f"{iri}spatial-coverage")
    if data.bbox is not None:
        w, s, e, n = data.bbox
        ring = f"{w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}"
        location.text("dcat:bbox", f"POLYGON(({ring}))", datatype=WKT)

    for d in downloads:
        dist = _Node(root, "dcat:Distribution", f"{iri}distribution-{d.name}")
        dist.texts("dcterms:title", d.title)
        dist.texts("dcterms:description", d.description)
        dist.link("dcat:accessURL", base + d.path)
        dist.link("dcat:downloadURL", base + d.path)
        dist.text("dcterms:format", d.mediatype)
        dist.link("dcat:mediaType", f"{IANA}{d.mediatype}")
        dist.link("dcterms:license", CC0_IRI)
        dist.link("dcatap:availability", f"{EU}planned-availability/STABLE")
        dist.text("dcat:byteSize", str(d.bytes), datatype=f"{XSD}nonNegativeInteger")
        dist.text("dcterms:modified", d.last_change, datatype=date)
        checksum = dist.child("spdx:checksum", "spdx:Checksum", f"{iri}checksum-{d.name}")
        checksum.link("spdx:algorithm", "http://spdx.org/rdf/terms#checksumAlgorithm_sha256")
        checksum.text("spdx:checksumValue", d.sha256, datatype=f"{XSD}hexBinary")

    ET.indent(root, space="  ")
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return (declaration + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
