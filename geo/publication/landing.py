"""Stage 6d, landing page: the dataset, its downloads and its last change in, HTML bytes out.

One page per language of the publication (the main one ``index.html``, the others ``en.html``
...), each linking the others.
The map comes first (the print map as a picture that opens the interactive map, then links to
the map page and its embeddable version), then every download with its format, size, last
change and SHA-256, then how to cite the data, the metadata files and the latest change. The
page carries the dataset as schema.org JSON-LD (:mod:`geo.publication.jsonld`) and links the
Atom feed of changes. It reads at 320 px as at 1280 px: downloads are a list, not a wide
table; file names, dates and words never break inside (paths may break after a ``/``, the
checksum between groups of eight). Accessible as the map is: ``lang``, a ``<title>``, one
``h1`` and ordered headings, contrast well above 4.5:1, zoom not blocked, no script. Every
string from the data or the settings is escaped (the page is a Jinja template,
``templates/landing.html``). Deterministic: no clock, no random ids. No I/O.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.config import Publisher
from geo.model import landing_page
from geo.publication.dataset import CC0_URL, FORMATS, Dataset, Download
from geo.publication.feed import FEED
from geo.publication.jsonld import dataset_jsonld
from geo.templating import render
from geo.text import in_language, texts

FORMAT_LABELS = {name: f.label for name, f in FORMATS.items()}


@dataclass(frozen=True)
class MapLink:
    """A page of the map, by path inside the folder."""

    path: str
    embed: bool


@dataclass(frozen=True)
class Preview:
    """The picture of the map (a PNG of the print map), by path, with its size in pixels."""

    path: str
    width: int
    height: int


@dataclass(frozen=True)
class Maps:
    """What the landing page shows of the maps: the pages (map page first) and a picture."""

    links: Sequence[MapLink] = field(default_factory=list)
    preview: Preview | None = None

    @property
    def page(self) -> MapLink | None:
        """The map page the picture opens: the first that is not for embedding."""
        return next((m for m in self.links if not m.embed), self.links[0] if self.links else None)

    @property
    def ordered(self) -> list[MapLink]:
        """The map pages, the one for people before the one for embedding."""
        return sorted(self.links, key=lambda m: m.embed)


def png_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's width and height from its header, or None if `data` is not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return (width, height) if width and height else None


def size_text(n: int, lang: str) -> str:
    """Human size: bytes below 1 kB, else kB or MB with one decimal, written in `lang`'s locale
    (Babel: ``12,3 kB`` in Swedish and German)."""
    if n < 1000:
        return f"{n} B"
    value, unit = (n / 1000, "kB") if n < 1_000_000 else (n / 1_000_000, "MB")
    return f"{texts(lang).decimal(f'{value:.1f}')} {unit}"


def groups(text: str, size: int = 8) -> list[str]:
    """`text` in pieces of `size` characters (a checksum, shown with break points between)."""
    return [text[i : i + size] for i in range(0, len(text), size)]


def path_parts(path: str) -> list[str]:
    """A path in pieces that end after each ``/`` (the only places it may break)."""
    return re.findall(r"[^/]*/|[^/]+$", path)


def citation(data: Dataset, publisher: Publisher, lang: str) -> str:
    """How to cite the data, in `lang`: publisher, year, title, version date and address."""
    return texts(lang)(
        "landing.cite",
        publisher=publisher.name,
        year=data.modified[:4],
        title=data.title[lang],
        date=data.modified,
        url=data.base_url,
    )


def render_landing(
    lang: str,
    data: Dataset,
    downloads: Sequence[Download],
    publisher: Publisher,
    maps: Maps,
    latest: Mapping[str, Any] | None,
    *,
    languages: Sequence[str],
) -> bytes:
    """The landing page in `lang`, one of the publication's page `languages`, as UTF-8 HTML."""
    t = texts(lang)
    cite = citation(data, publisher, lang)
    others = [
        {"lang": o, "page": landing_page(o, languages), "text": texts(o).link()}
        for o in languages
        if o != lang
    ]
    page = render(
        "publication/landing.html",
        t=t,
        lang=lang,
        others=others,
        title=f"{data.title[lang]}: {t('landing.title_suffix')}",
        data=data,
        downloads=downloads,
        publisher=publisher,
        maps=maps,
        latest=latest,
        cc0=CC0_URL,
        feed=FEED,
        citation=cite.partition(data.base_url),  # (before, the address, after): a link
        jsonld=dataset_jsonld(
            data, downloads, publisher, lang, landing_page(lang, languages), cite
        ),
        place_name=lambda s: in_language(s, "name", lang),
        format_label=lambda f: FORMAT_LABELS.get(f, f),
        size=lambda n: size_text(n, lang),
        groups=groups,
        path_parts=path_parts,
    )
    return page.encode("utf-8")
