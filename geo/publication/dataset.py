"""The publication's shared description: the dataset (titles, dates, extent) and each download.

:func:`dataset` makes the dataset's names and texts from the home city's names and the text
catalogue; :class:`Download` is one offered file as the metadata and the landing pages describe
it. Pure data, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.config import Settings
from geo.text import LANGUAGES, texts
from geo.textrules import slugify

CC0_IRI = "http://creativecommons.org/publicdomain/zero/1.0/"  # as DCAT-AP-SE compares it
CC0_URL = "https://creativecommons.org/publicdomain/zero/1.0/"


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
        return slugify(self.path.rsplit("/", 1)[-1])


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
    names = {"sv": home.name_sv, "en": home.name_en}
    return Dataset(
        name=f"{slugify(home.name_en)}-international-relations",
        title={lang: texts(lang)("dataset.title", home=names[lang]) for lang in LANGUAGES},
        description={
            lang: texts(lang)("dataset.description", home=names[lang]) for lang in LANGUAGES
        },
        base_url=base_url,
        issued=issued,
        modified=modified,
        **kw,
    )


def keywords(lang: str) -> list[str]:
    """The dataset's keywords in `lang`."""
    return [k.strip() for k in texts(lang)("dataset.keywords").split(";")]
