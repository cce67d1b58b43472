"""Stage 6c, ``catalog.rdf``: a DCAT-AP 3.0.1 and DCAT-AP-SE 3.0.1 catalog in RDF/XML, for the
Swedish data portal and the European one that harvests it.

Catalog, dataset (with its stable ``dcterms:identifier``), one distribution per download,
publisher, contact point, themes, keywords, spatial and temporal coverage, dates and the CC0
licence IRI exactly as the profile spells it. Every text is given in each language of the
publication (its page languages and English), tagged with it. Every resource we name gets an
absolute IRI under the base URL (``<base>catalog.rdf#dataset`` ...): no blank nodes for
them. The publisher is named as the Swedish portal knows organisations,
``http://dataportal.se/organisation/SE<organisation number>``, when the settings give the number.
Every resource the catalog only refers to (the licence, formats, media types, languages, themes,
...) is stated to be of the class DCAT-AP expects of it, since the EU's SHACL shapes check
classes without inference; formats are IRIs of the EU file-type authority, media types IANA's.
The XML is built with ElementTree, which escapes every text and attribute. Dates come from the
data (``as_of``), never from the clock. Pure: bytes out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from geo.config import Publisher
from geo.publication.dataset import CC0_IRI, Dataset, Download, keywords
from geo.text import texts
from geo.urls import tel_url

CATALOG_FILE = "catalog.rdf"
EU = "http://publications.europa.eu/resource/authority/"
THEMES = (f"{EU}data-theme/INTR", f"{EU}data-theme/GOVE")
WGS84_IRI = "http://www.opengis.net/def/crs/EPSG/0/4326"
AVAILABILITY = f"{EU}planned-availability/STABLE"
ACCESS_RIGHTS = f"{EU}access-right/PUBLIC"
SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
PORTAL_ORGANISATION = "http://dataportal.se/organisation/SE"  # + the organisation number

# The labels the vocabularies give their concepts (DCAT-AP's shapes ask each skos:Concept we
# name for a skos:prefLabel, and the theme scheme for a title): the EU data themes in the
# languages we publish (from the catalogues), the planned availability and the ADMS publisher
# types in English.
THEME_LABELS: dict[str, str] = {
    f"{EU}data-theme": "dataset.theme_scheme",
    f"{EU}data-theme/INTR": "dataset.theme_intr",
    f"{EU}data-theme/GOVE": "dataset.theme_gove",
}
LABELS: dict[str, dict[str, str]] = {
    AVAILABILITY: {"en": "stable"},
    "http://purl.org/adms/publishertype/LocalAuthority": {"en": "Local Authority"},
    "http://purl.org/adms/publishertype/NationalAuthority": {"en": "National authority"},
    "http://purl.org/adms/publishertype/RegionalAuthority": {"en": "Regional authority"},
    "http://purl.org/adms/publishertype/PublicBody": {"en": "Public body"},
}
LABEL_PROPERTY = {"skos:Concept": "skos:prefLabel", "skos:ConceptScheme": "dcterms:title"}


NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
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
    """One RDF resource as an RDF/XML element: typed node with an absolute IRI.

    `refs` collects the resources it refers to with :meth:`ref`, each with its class.
    """

    def __init__(
        self, parent: ET.Element, rdf_type: str, iri: str, refs: dict[str, str] | None = None
    ) -> None:
        self.element = ET.SubElement(parent, _q(rdf_type), {_q("rdf:about"): iri})
        self.refs = refs if refs is not None else {}

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

    def ref(self, prop: str, iri: str, rdf_type: str) -> None:
        """Link a resource described elsewhere (or nowhere) and record its class."""
        self.link(prop, iri)
        self.refs.setdefault(iri, rdf_type)

    def child(self, prop: str, rdf_type: str, iri: str) -> _Node:
        holder = ET.SubElement(self.element, _q(prop))
        return _Node(holder, rdf_type, iri, self.refs)


def publisher_iri(publisher: Publisher, base: str) -> str:
    """The publisher's IRI: the Swedish portal's for its organisation number, else ours."""
    if publisher.organisation_number:
        return f"{PORTAL_ORGANISATION}{publisher.organisation_number}"
    return f"{base}{CATALOG_FILE}#publisher"


def render_catalog(data: Dataset, downloads: Sequence[Download], publisher: Publisher) -> bytes:
    """``catalog.rdf``: the DCAT-AP(-SE) catalog, deterministic RDF/XML in UTF-8, in the
    languages of `data` (its titles'; the first is the main one, which the publisher's
    description is in)."""
    langs = tuple(data.title)
    base = data.base_url
    iri = f"{base}{CATALOG_FILE}#"
    agent_iri = publisher_iri(publisher, base)
    root = ET.Element(_q("rdf:RDF"))
    refs: dict[str, str] = {}

    catalog = _Node(root, "dcat:Catalog", f"{iri}catalog", refs)
    catalog.texts(
        "dcterms:title",
        {lang: texts(lang)("dataset.catalog_title", title=data.title[lang]) for lang in langs},
    )
    catalog.texts("dcterms:description", data.description)
    catalog.link("dcterms:publisher", agent_iri)
    catalog.ref("dcterms:license", CC0_IRI, "dcterms:LicenseDocument")
    _dates(catalog, data.issued, data.modified)
    catalog.ref("foaf:homepage", base, "foaf:Document")
    for language in _language_iris(langs):
        catalog.ref("dcterms:language", language, "dcterms:LinguisticSystem")
    catalog.ref("dcat:themeTaxonomy", f"{EU}data-theme", "skos:ConceptScheme")
    catalog.link("dcterms:spatial", f"{iri}spatial-coverage")
    catalog.link("dcat:dataset", f"{iri}dataset")

    _agent(root, publisher, agent_iri, refs, langs[0])
    _contact(root, publisher, iri)
    _dataset(root, data, downloads, agent_iri, refs)

    location = _Node(root, "dcterms:Location", f"{iri}spatial-coverage")
    if data.bbox is not None:
        w, s, e, n = data.bbox
        ring = f"{w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}"
        location.text("dcat:bbox", f"POLYGON(({ring}))", datatype=WKT)

    for d in downloads:
        _distribution(root, d, base, iri, refs)

    # The class of every resource the catalog refers to but does not describe, and the label
    # its vocabulary gives it where DCAT-AP asks for one.
    for ref_iri, rdf_type in sorted(refs.items()):
        node = _Node(root, rdf_type, ref_iri)
        if rdf_type in LABEL_PROPERTY:
            key = THEME_LABELS.get(ref_iri)
            labels = {lang: texts(lang)(key) for lang in langs} if key else LABELS.get(ref_iri)
            labels = labels or {"en": ref_iri.rstrip("/").rsplit("/", 1)[-1]}
            node.texts(LABEL_PROPERTY[rdf_type], labels)

    ET.indent(root, space="  ")
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return (declaration + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _dates(node: _Node, issued: str, modified: str) -> None:
    node.text("dcterms:issued", issued, datatype=f"{XSD}date")
    node.text("dcterms:modified", modified, datatype=f"{XSD}date")


def _language_iris(langs: Sequence[str]) -> list[str]:
    """The EU language authority's IRIs of `langs` (``language/SWE``)."""
    return [f"{EU}language/{texts(lang)('language.authority')}" for lang in langs]


def _agent(
    root: ET.Element, publisher: Publisher, agent_iri: str, refs: dict[str, str], main: str
) -> None:
    agent = _Node(root, "foaf:Agent", agent_iri, refs)
    agent.text("foaf:name", publisher.name)
    agent.ref("dcterms:type", publisher.type, "skos:Concept")
    if publisher.description:
        agent.text("dcterms:description", publisher.description, main)  # the main language
    if publisher.identifier:
        agent.text("dcterms:identifier", publisher.identifier)
    if publisher.homepage:
        agent.ref("foaf:homepage", publisher.homepage, "foaf:Document")


def _contact(root: ET.Element, publisher: Publisher, iri: str) -> None:
    contact = _Node(root, "vcard:Organization", f"{iri}contact-point")
    contact.link("rdf:type", f"{NS['vcard']}Kind")  # DCAT-AP's class; Organization is one
    contact.text("vcard:fn", publisher.contact_name or publisher.name)
    contact.link("vcard:hasEmail", f"mailto:{publisher.email}")
    if publisher.phone:
        phone = contact.child("vcard:hasTelephone", "vcard:Voice", f"{iri}contact-point-telephone")
        phone.link("vcard:hasValue", tel_url(publisher.phone))


def _dataset(
    root: ET.Element,
    data: Dataset,
    downloads: Sequence[Download],
    agent_iri: str,
    refs: dict[str, str],
) -> None:
    iri = f"{data.base_url}{CATALOG_FILE}#"
    ds = _Node(root, "dcat:Dataset", f"{iri}dataset", refs)
    ds.text("dcterms:identifier", data.identifier)
    ds.texts("dcterms:title", data.title)
    ds.texts("dcterms:description", data.description)
    ds.link("dcterms:publisher", agent_iri)
    ds.link("dcat:contactPoint", f"{iri}contact-point")
    for lang in sorted(data.title):
        for keyword in keywords(lang):
            ds.text("dcat:keyword", keyword, lang)
    for theme in THEMES:
        ds.ref("dcat:theme", theme, "skos:Concept")
    _dates(ds, data.issued, data.modified)
    ds.ref("dcterms:conformsTo", WGS84_IRI, "dcterms:Standard")
    ds.ref("dcterms:accessRights", ACCESS_RIGHTS, "dcterms:RightsStatement")
    for language in _language_iris(tuple(data.title)):
        ds.ref("dcterms:language", language, "dcterms:LinguisticSystem")
    ds.ref("dcat:landingPage", data.base_url, "foaf:Document")
    ds.link("dcterms:spatial", f"{iri}spatial-coverage")
    period = ds.child("dcterms:temporal", "dcterms:PeriodOfTime", f"{iri}temporal-coverage")
    if data.start_year is not None:
        period.text("dcat:startDate", f"{data.start_year:04d}", datatype=f"{XSD}gYear")
    period.text("dcat:endDate", data.modified, datatype=f"{XSD}date")
    for d in downloads:
        ds.link("dcat:distribution", f"{iri}distribution-{d.name}")


def _distribution(root: ET.Element, d: Download, base: str, iri: str, refs: dict[str, str]) -> None:
    dist = _Node(root, "dcat:Distribution", f"{iri}distribution-{d.name}", refs)
    dist.texts("dcterms:title", d.title)
    dist.texts("dcterms:description", d.description)
    dist.link("dcat:accessURL", base + d.path)
    dist.link("dcat:downloadURL", base + d.path)
    dist.ref("dcterms:format", d.kind.file_type, "dcterms:MediaTypeOrExtent")
    if d.kind.registered:  # dcat:mediaType is for IANA's registered types only
        dist.ref("dcat:mediaType", f"{IANA}{d.mediatype}", "dcterms:MediaType")
    dist.ref("dcterms:license", CC0_IRI, "dcterms:LicenseDocument")
    dist.ref("dcatap:availability", AVAILABILITY, "skos:Concept")
    dist.text("dcat:byteSize", str(d.bytes), datatype=f"{XSD}nonNegativeInteger")
    dist.text("dcterms:modified", d.last_change, datatype=f"{XSD}date")
    checksum = dist.child("spdx:checksum", "spdx:Checksum", f"{iri}checksum-{d.name}")
    checksum.ref("spdx:algorithm", SHA256, "spdx:ChecksumAlgorithm")
    checksum.text("spdx:checksumValue", d.sha256, datatype=f"{XSD}hexBinary")
