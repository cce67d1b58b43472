"""Stage 6c, ``catalog.rdf``: a DCAT-AP-SE 3.0.1 catalog in RDF/XML for the Swedish data portal.

Catalog, dataset, one distribution per download, publisher, contact point, themes, keywords in
Swedish and English, spatial and temporal coverage, dates and the CC0 licence IRI exactly as the
profile spells it. Every resource we name gets an absolute IRI under the base URL
(``<base>catalog.rdf#dataset`` ...): no blank nodes for them. The XML is built with ElementTree,
which escapes every text and attribute. Dates come from the data (``as_of``), never from the
clock. Pure: bytes out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from geo.config import Publisher
from geo.publication.dataset import CC0_IRI, Dataset, Download, keywords
from geo.text import LANGUAGES, texts
from geo.urls import tel_url

CATALOG_FILE = "catalog.rdf"
EU = "http://publications.europa.eu/resource/authority/"
THEMES = (f"{EU}data-theme/INTR", f"{EU}data-theme/GOVE")
LANGUAGE_IRIS = (f"{EU}language/SWE", f"{EU}language/ENG")
WGS84_IRI = "http://www.opengis.net/def/crs/EPSG/0/4326"


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


def render_catalog(data: Dataset, downloads: Sequence[Download], publisher: Publisher) -> bytes:
    """``catalog.rdf``: the DCAT-AP-SE catalog, deterministic RDF/XML in UTF-8."""
    base = data.base_url
    iri = f"{base}{CATALOG_FILE}#"
    date = f"{XSD}date"
    root = ET.Element(_q("rdf:RDF"))

    catalog = _Node(root, "dcat:Catalog", f"{iri}catalog")
    catalog.texts(
        "dcterms:title",
        {lang: texts(lang)("dataset.catalog_title", title=data.title[lang]) for lang in LANGUAGES},
    )
    catalog.texts("dcterms:description", data.description)
    catalog.link("dcterms:publisher", f"{iri}publisher")
    catalog.link("dcterms:license", CC0_IRI)
    catalog.text("dcterms:issued", data.issued, datatype=date)
    catalog.text("dcterms:modified", data.modified, datatype=date)
    catalog.link("foaf:homepage", base)
    for language in LANGUAGE_IRIS:
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
        phone.link("vcard:hasValue", tel_url(publisher.phone))

    ds = _Node(root, "dcat:Dataset", f"{iri}dataset")
    ds.texts("dcterms:title", data.title)
    ds.texts("dcterms:description", data.description)
    ds.link("dcterms:publisher", f"{iri}publisher")
    ds.link("dcat:contactPoint", f"{iri}contact-point")
    for lang in sorted(LANGUAGES):
        for keyword in keywords(lang):
            ds.text("dcat:keyword", keyword, lang)
    for theme in THEMES:
        ds.link("dcat:theme", theme)
    ds.text("dcterms:issued", data.issued, datatype=date)
    ds.text("dcterms:modified", data.modified, datatype=date)
    ds.link("dcterms:conformsTo", WGS84_IRI)
    ds.link("dcterms:accessRights", f"{EU}access-right/PUBLIC")
    for language in LANGUAGE_IRIS:
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
