"""Stage 6d, landing page: the dataset, its downloads and its last change in, HTML bytes out.

One page per language, Swedish (``index.html``) and English (``en.html``), each linking the other.
They list every download in a table with header cells (file, format, size, licence, SHA-256,
last change), link the maps and the metadata, and show the latest change. Accessible as the map
is: ``lang``, a ``<title>``, one ``h1`` and ordered headings, a captioned table with ``th``
scopes, contrast well above 4.5:1, zoom not blocked, no script. Every string from the data or
the settings is HTML-escaped (the page is a Jinja template, ``templates/landing.html``).
Deterministic: no clock, no random ids. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.config import Publisher
from geo.publication.dataset import CC0_URL, Dataset, Download
from geo.templating import render
from geo.text import texts

PAGES = {"sv": "index.html", "en": "en.html"}
FORMAT_LABELS = {"geojson": "GeoJSON", "csv": "CSV", "gpkg": "GeoPackage"}


@dataclass(frozen=True)
class MapLink:
    """A page of the map, by path inside the folder."""

    path: str
    embed: bool


def size_text(n: int, lang: str) -> str:
    """Human size: bytes below 1 kB, else kB or MB with one decimal (decimal comma in sv)."""
    if n < 1000:
        text = f"{n} B"
    elif n < 1_000_000:
        text = f"{n / 1000:.1f} kB"
    else:
        text = f"{n / 1_000_000:.1f} MB"
    return text.replace(".", ",") if lang == "sv" else text


def render_landing(
    lang: str,
    data: Dataset,
    downloads: Sequence[Download],
    publisher: Publisher,
    maps: Sequence[MapLink],
    latest: Mapping[str, Any] | None,
) -> bytes:
    """The landing page in `lang` (``sv`` or ``en``) as UTF-8 HTML."""
    t = texts(lang)
    page = render(
        "publication/landing.html",
        t=t,
        lang=lang,
        other=t.other,
        other_page=PAGES[t.other],
        title=f"{data.title[lang]}: {t('landing.title_suffix')}",
        data=data,
        downloads=downloads,
        publisher=publisher,
        maps=maps,
        latest=latest,
        cc0=CC0_URL,
        format_label=lambda f: FORMAT_LABELS.get(f, f),
        size=lambda n: size_text(n, lang),
    )
    return page.encode("utf-8")
