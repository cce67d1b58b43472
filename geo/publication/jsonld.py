"""Stage 6d, the landing pages' structured data: a schema.org ``Dataset`` as JSON-LD.

Search engines (Google's dataset search among them) read it from the page: names, description,
licence, publisher, the area (a bounding box) and the years covered, the dates, the stable
identifier, and one ``DataDownload`` per file with its URL and media type. A dict out; the
template puts it in ``<script type="application/ld+json">`` through the environment's
``tojson`` filter, which escapes it for that place. Pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo.config import Publisher
from geo.publication.dataset import CC0_URL, Dataset, Download, keywords
from geo.publication.dcat import CATALOG_FILE


def _box(bbox: Sequence[float]) -> str:
    """schema.org's box: the south-west and north-east corners, latitude first."""
    west, south, east, north = bbox
    return f"{south} {west} {north} {east}"


def organisation(publisher: Publisher) -> dict[str, Any]:
    """The publisher as a schema.org Organization."""
    org: dict[str, Any] = {"@type": "Organization", "name": publisher.name}
    if publisher.homepage:
        org["url"] = publisher.homepage
    org["contactPoint"] = {
        "@type": "ContactPoint",
        "contactType": "open data",
        "email": publisher.email,
        "name": publisher.contact_name or publisher.name,
    }
    if publisher.identifier:
        org["identifier"] = publisher.identifier
    return org


def dataset_jsonld(
    data: Dataset,
    downloads: Sequence[Download],
    publisher: Publisher,
    lang: str,
    page: str,
    citation: str,
) -> dict[str, Any]:
    """The schema.org Dataset of the landing page `page` (in `lang`)."""
    base = data.base_url
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{base}{CATALOG_FILE}#dataset",
        "name": data.title[lang],
        "description": data.description[lang],
        "url": base + page,
        "identifier": data.identifier,
        "license": CC0_URL,
        "isAccessibleForFree": True,
        "inLanguage": lang,
        "keywords": keywords(lang),
        "publisher": organisation(publisher),
        "creator": organisation(publisher),
        "creditText": citation,
        "datePublished": data.issued,
        "dateModified": data.modified,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.title[lang],
                "contentUrl": base + d.path,
                "encodingFormat": d.mediatype,
                "contentSize": f"{d.bytes} B",
                "dateModified": d.last_change,
                "sha256": d.sha256,
            }
            for d in downloads
            if d.kind.data
        ],
    }
    if data.start_year is not None:
        doc["temporalCoverage"] = f"{data.start_year:04d}/.."
    if data.bbox is not None:
        doc["spatialCoverage"] = {
            "@type": "Place",
            "geo": {"@type": "GeoShape", "box": _box(data.bbox)},
        }
    return doc
