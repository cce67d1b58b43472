"""The publication's shared description: the dataset (titles, dates, extent, identifier), the
formats offered and each download.

:func:`dataset` makes the dataset's names and texts from the home city's names and the text
catalogue, and its identifier (:func:`dataset_identifier`, a UUID that stays the same from one
publication to the next); :data:`FORMATS` says once, per format, what the catalog, the data
package, the JSON-LD and the landing pages call it; :class:`Download` is one offered file as
they describe it. Pure data, no I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.config import Settings
from geo.text import FALLBACK, texts
from geo.textrules import slugify

CC0_IRI = "http://creativecommons.org/publicdomain/zero/1.0/"  # as DCAT-AP-SE compares it
CC0_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class Format:
    """One download format, as each kind of metadata names it."""

    label: str  # for people: GeoJSON, GeoPackage ...
    mediatype: str  # the media type (IANA-registered where `registered`)
    file_type: str  # dcterms:format: an IRI of the EU file-type authority where it has one
    registered: bool = True  # whether IANA registers `mediatype` (dcat:mediaType only then)


# By Frictionless format name (the file's extension). FlatGeobuf has neither an IANA media type
# nor, as far as we could verify, an entry in the EU file-type authority: its media type is the
# one the FlatGeobuf project and STAC use, its format IRI the specification's home page (see
# docs/publishing.md, "What the portals see").
FORMATS: dict[str, Format] = {
    "geojson": Format("GeoJSON", "application/geo+json", f"{FILE_TYPE}GEOJSON"),
    "csv": Format("CSV", "text/csv", f"{FILE_TYPE}CSV"),
    "xlsx": Format(
        "Excel (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{FILE_TYPE}XLSX",
    ),
    "gpkg": Format("GeoPackage", "application/geopackage+sqlite3", f"{FILE_TYPE}GPKG"),
    "fgb": Format(
        "FlatGeobuf", "application/vnd.flatgeobuf", "https://flatgeobuf.org/", registered=False
    ),
    # "geoparquet", not "parquet": frictionless-py reads a "parquet" resource as a table and
    # then checks neither its size nor its SHA-256; as "geoparquet" it checks both.
    "geoparquet": Format("GeoParquet", "application/vnd.apache.parquet", f"{FILE_TYPE}PARQUET"),
}


@dataclass(frozen=True)
class Download:
    """One file offered for download, with what the metadata and the landing page say of it."""

    path: str  # inside the folder, e.g. ``data/places.csv``
    format: str  # Frictionless format, a key of FORMATS: geojson, csv, gpkg ...
    title: dict[str, str]  # by language: the page languages and English
    description: dict[str, str]
    bytes: int
    sha256: str
    last_change: str  # YYYY-MM-DD: the data's date when this file last changed

    @property
    def name(self) -> str:
        """A Frictionless resource name: lower-case, ``-`` for anything else."""
        return slugify(self.path.rsplit("/", 1)[-1])

    @property
    def kind(self) -> Format:
        """What each kind of metadata calls this file's format."""
        return FORMATS[self.format]

    @property
    def mediatype(self) -> str:
        return self.kind.mediatype


@dataclass(frozen=True)
class Dataset:
    """What the metadata says about the dataset as a whole."""

    name: str  # slug, e.g. gothenburg-international-relations
    identifier: str  # a UUID, the same in every publication (dataset_identifier)
    title: dict[str, str]  # by language: the page languages and English (metadata_languages)
    description: dict[str, str]
    base_url: str  # absolute, ends with /
    issued: str
    modified: str
    start_year: int | None  # temporal coverage: the earliest `since`
    bbox: Sequence[float] | None  # [west, south, east, north] of the places


def dataset_identifier(base_url: str, name: str) -> str:
    """The dataset's identifier: a name-based UUID (version 5) of its address and name.

    The same base URL and dataset name always give the same UUID, however the data change, so
    a portal recognises the dataset from one harvest to the next (``dcterms:identifier``).
    """
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}#{name}"))


def dataset_name(settings: Settings) -> str:
    """The dataset's name (a slug), made from the home city's English name."""
    return f"{slugify(settings.home.name(FALLBACK))}-international-relations"


def metadata_languages(settings: Settings) -> tuple[str, ...]:
    """The languages of the metadata's texts: the page languages, the main one first, and
    English, which every portal reads (the data package and the feed are in English)."""
    return tuple(dict.fromkeys((*settings.languages, FALLBACK)))


def by_language(settings: Settings, key: str, **values: object) -> dict[str, str]:
    """The catalogue's text `key` in each of :func:`metadata_languages`."""
    return {lang: texts(lang)(key, **values) for lang in metadata_languages(settings)}


def dataset(settings: Settings, base_url: str, issued: str, modified: str, **kw: Any) -> Dataset:
    """The dataset's names and texts, made from the home city's names in the settings."""
    home = settings.home
    langs = metadata_languages(settings)
    name = dataset_name(settings)
    return Dataset(
        name=name,
        identifier=dataset_identifier(base_url, name),
        title={lang: texts(lang)("dataset.title", home=home.name(lang)) for lang in langs},
        description={
            lang: texts(lang)("dataset.description", home=home.name(lang)) for lang in langs
        },
        base_url=base_url,
        issued=issued,
        modified=modified,
        **kw,
    )


def keywords(lang: str) -> list[str]:
    """The dataset's keywords in `lang`."""
    return [k.strip() for k in texts(lang)("dataset.keywords").split(";")]
