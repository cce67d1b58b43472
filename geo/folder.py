"""Stage 6, assemble the publication: a build, the maps and the previous publication in, every
file of the new folder (path -> bytes) out.

The folder a web team deploys as it is::

    index.html, en.html      landing pages (Swedish, English)
    data/layers/<layer>.geojson  every layer and all.geojson, the bytes `geo build` makes
    data/places.csv          the places as CSV (formula-safe text cells)
    data/layers.gpkg         every layer in one GeoPackage
    maps/...                 the maps `geo build` renders (they link ../data/layers/)
    datapackage.json         Frictionless Data Package
    catalog.rdf              DCAT-AP-SE 3.0.1 catalog (RDF/XML)
    changes.json             every change-log entry and each file's last change (machine-readable)
    CHANGELOG.md             the same, for people
    SHA256SUMS               checksum of every other file

:func:`read_published` reads an earlier publication; everything else is pure. Writing is
:func:`geo.publish.write_folder`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geo import changes, downloads, landing, metadata
from geo.config import Publisher, Settings
from geo.errors import PublishError, SettingsError
from geo.layers import FeatureCollection, dumps_layers
from geo.model import ALL, LAYERS, Place

DATA = "data"
LAYERS_DIR = f"{DATA}/layers"  # as in the repository: the maps link ../data/layers/all.geojson
ALL_PATH = f"{LAYERS_DIR}/{ALL}.geojson"
CSV_PATH = f"{DATA}/places.csv"
GPKG_PATH = f"{DATA}/layers.gpkg"
MAPS = "maps"
SUMS = "SHA256SUMS"
CHANGES = "changes.json"
CHANGELOG = "CHANGELOG.md"
DATAPACKAGE = "datapackage.json"

LAYER_TITLES = {
    "office": {"sv": "Kontoret", "en": "The office"},
    "partner_cities": {"sv": "Partnerstäder", "en": "Partner cities"},
    "friendship_towns": {"sv": "Vänorter", "en": "Friendship towns"},
    "connections": {"sv": "Förbindelser från kontoret", "en": "Connections from the office"},
    ALL: {"sv": "Alla lager", "en": "All layers"},
}
GEOJSON_NOTE = {
    "sv": "GeoJSON (RFC 7946), WGS 84, 6 decimaler.",
    "en": "GeoJSON (RFC 7946), WGS 84, 6 decimals.",
}
BASE_URL_BAD = re.compile(r"[\s<>\"'{}|\\^`]")


@dataclass(frozen=True)
class Published:
    """What an earlier publication holds that the next one builds on."""

    records: dict[str, changes.Record]
    log: dict[str, Any] = field(default_factory=dict)  # changes.json
    sums: dict[str, str] = field(default_factory=dict)  # SHA256SUMS


def check_base_url(url: str) -> str:
    """An absolute http(s) URL without query or fragment, ending with ``/``; else SettingsError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or BASE_URL_BAD.search(url):
        raise SettingsError(
            f"--base-url: {url!r} is not usable; expected an absolute http(s) URL such as "
            "https://example.se/opendata/relations/. Every address in the metadata is made from it."
        )
    if parts.query or parts.fragment:
        raise SettingsError(
            f"--base-url: {url!r} has a query or fragment; expected the folder's address only."
        )
    return url if url.endswith("/") else url + "/"


def is_publication(folder: Path) -> bool:
    """Whether `folder` holds a publication made by ``geo publish`` (it has SHA256SUMS)."""
    return (folder / SUMS).is_file() and (folder / ALL_PATH).is_file()


def read_published(folder: Path) -> Published:
    """Read an earlier publication; PublishError if `folder` is not one."""
    if not is_publication(folder):
        raise PublishError(
            f"{folder}: not a publication; expected a folder made by `geo publish` "
            f"(with {SUMS} and {ALL_PATH})."
        )
    try:
        collection = json.loads((folder / ALL_PATH).read_text(encoding="utf-8"))
        log_path = folder / CHANGES
        log = json.loads(log_path.read_text(encoding="utf-8")) if log_path.is_file() else {}
        sums = downloads.parse_checksums((folder / SUMS).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishError(
            f"{folder}: the earlier publication cannot be read ({exc}); expected the files "
            "`geo publish` writes. Publish into an empty folder instead."
        ) from exc
    return Published(changes.records_from_features(collection.get("features", [])), log, sums)


def maps_from_build(files: Mapping[Path, bytes], maps_dir: Path) -> dict[str, bytes]:
    """The map files a build made (path -> bytes), by their path inside the maps folder.

    The build's render stamps (hidden files, see :mod:`geo.stamps`) are not published.
    """
    return {
        path.relative_to(maps_dir).as_posix(): data
        for path, data in sorted(files.items())
        if path.is_relative_to(maps_dir) and not path.name.startswith(".")
    }


def map_links(maps: Mapping[str, bytes], lang: str) -> list[landing.MapLink]:
    """The map pages (HTML at the top of maps/) for `lang`; all of them if none names it."""
    pages = sorted(p for p in maps if "/" not in p and p.endswith(".html"))
    named = [p for p in pages if re.search(rf"(^|[._-]){lang}([._-]|$)", p.removesuffix(".html"))]
    return [landing.MapLink(f"{MAPS}/{p}", "embed" in p) for p in (named or pages)]


def _download(
    path: str,
    fmt: str,
    mediatype: str,
    title: dict[str, str],
    description: dict[str, str],
    data: bytes,
    last_change: str,
) -> metadata.Download:
    return metadata.Download(
        path, fmt, mediatype, title, description, len(data), downloads.sha256(data), last_change
    )


def _dump(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def assemble(
    settings: Settings,
    places: tuple[Place, ...],
    layers: Mapping[str, FeatureCollection],
    base_url: str,
    previous: Published | None,
    maps: Mapping[str, bytes],
) -> dict[str, bytes]:
    """Every file of the publication, by path inside the folder."""
    publisher: Publisher | None = settings.publisher
    if publisher is None:
        raise SettingsError(
            "settings: missing section `[publisher]`; expected name, email (and base_url, "
            "phone, homepage). See docs/publishing.md."
        )
    base_url = check_base_url(base_url)
    records = changes.records_from_places(places)
    date = changes.data_date(records) or "1970-01-01"

    # The downloads, bytes first: everything after describes them.
    layer_bytes = dumps_layers(layers)
    files: dict[str, bytes] = {f"{LAYERS_DIR}/{n}.geojson": layer_bytes[n] for n in (*LAYERS, ALL)}
    files[CSV_PATH] = downloads.build_csv(places)
    files[GPKG_PATH] = downloads.build_geopackage(layers, date)

    # The change log: an entry when the places differ from the previous publication's.
    log = dict(previous.log) if previous else {}
    entries = list(log.get("entries", []))
    if previous is None or not entries:
        entries = [changes.entry(changes.diff({}, records), date, first=True)]
    else:
        found = changes.diff(previous.records, records)
        if not found.empty:
            entries.insert(0, changes.entry(found, date))
    old_files = log.get("files", {})
    file_log = {}
    for path in sorted(files):
        digest = downloads.sha256(files[path])
        kept = old_files.get(path, {})
        same = kept.get("sha256") == digest and previous and previous.sums.get(path) == digest
        file_log[path] = {"sha256": digest, "last_change": kept["last_change"] if same else date}
    issued = min(e["date"] for e in entries)
    modified = max(e["date"] for e in entries)

    offered = []
    for name in (ALL, *LAYERS):
        path = f"{LAYERS_DIR}/{name}.geojson"
        offered.append(
            _download(
                path,
                "geojson",
                "application/geo+json",
                LAYER_TITLES[name],
                GEOJSON_NOTE,
                files[path],
                file_log[path]["last_change"],
            )
        )
    offered.append(
        _download(
            CSV_PATH,
            "csv",
            "text/csv",
            {"sv": "Platser (tabell)", "en": "Places (table)"},
            {
                "sv": "En rad per plats, kolumnerna lon och lat i WGS 84; UTF-8.",
                "en": "One row per place, lon and lat columns in WGS 84; UTF-8.",
            },
            files[CSV_PATH],
            file_log[CSV_PATH]["last_change"],
        )
    )
    offered.append(
        _download(
            GPKG_PATH,
            "gpkg",
            "application/geopackage+sqlite3",
            {"sv": "Alla lager (GeoPackage)", "en": "All layers (GeoPackage)"},
            {
                "sv": "Kontoret, partnerstäderna, vänorterna och förbindelserna som tabeller i en "
                "GeoPackage (EPSG:4326).",
                "en": "The office, partner cities, friendship towns and connections as tables "
                "of one GeoPackage (EPSG:4326).",
            },
            files[GPKG_PATH],
            file_log[GPKG_PATH]["last_change"],
        )
    )

    years = [p.since for p in places if p.since is not None]
    all_fc = layers[ALL]
    data = metadata.dataset(
        settings,
        base_url,
        issued,
        modified,
        start_year=min(years) if years else None,
        bbox=all_fc.get("bbox"),
    )
    files[DATAPACKAGE] = _dump(metadata.build_datapackage(data, offered, publisher))
    files[metadata.CATALOG_FILE] = metadata.render_catalog(data, offered, publisher)
    files[CHANGES] = _dump(
        {"issued": issued, "modified": modified, "files": file_log, "entries": entries}
    )
    files[CHANGELOG] = changes.render_changelog(entries, f"{data.title['en']}: change log").encode()
    for rel, blob in maps.items():
        files[f"{MAPS}/{rel}"] = blob
    for lang, page in landing.PAGES.items():
        files[page] = landing.render_landing(
            lang, data, offered, publisher, map_links(maps, lang), entries[0]
        )
    files[SUMS] = downloads.build_checksums(files)
    return files
