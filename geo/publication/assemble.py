"""Stage 6, assemble the publication: a build, the maps and the previous publication in, every
file of the new folder (path -> bytes) out.

The folder a web team deploys as it is::

    index.html, en.html      landing pages (the first language's is index.html)
    data/layers/<layer>.geojson  every layer and all.geojson, the bytes `geo build` makes
    data/places.csv          the places as CSV (formula-safe text cells)
    data/places.xlsx         the places as a spreadsheet (typed cells, no formulas)
    data/layers.gpkg         every layer in one GeoPackage
    data/all.fgb             every feature as FlatGeobuf (the bytes of all.geojson's features)
    data/all.parquet         every feature as GeoParquet 1.1
    maps/...                 the maps `geo build` renders (they link ../data/layers/)
    datapackage.json         Frictionless Data Package
    catalog.rdf              DCAT-AP 3.0.1 / DCAT-AP-SE 3.0.1 catalog (RDF/XML)
    changes.json             every change-log entry and each file's last change (machine-readable)
    CHANGELOG.md             the same, for people
    changes.atom             the same as an Atom feed
    SHA256SUMS               checksum of every other file

Pure: reading the earlier publication is :mod:`geo.publication.published`, writing the folder
:func:`geo.io.write.write_folder`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.config import Publisher, Settings
from geo.io import sha256
from geo.model import ALL, LAYERS, landing_page
from geo.printmap.figure import png_name
from geo.publication import changes, columnar, datapackage, dcat, downloads, feed, landing
from geo.publication import spreadsheet as xlsx
from geo.publication.dataset import Download, by_language, dataset
from geo.publication.published import (
    ALL_PATH,
    CHANGES,
    LAYERS_DIR,
    SUMS,
    Published,
    is_publication,
    read_published,
)
from geo.schema import Place
from geo.text import texts

__all__ = ["ALL_PATH", "Build", "assemble", "is_publication", "read_published"]

CSV_PATH = "data/places.csv"
XLSX_PATH = "data/places.xlsx"
GPKG_PATH = "data/layers.gpkg"
FGB_PATH = "data/all.fgb"
PARQUET_PATH = "data/all.parquet"
MAPS = "maps"
CHANGELOG = "CHANGELOG.md"
DATAPACKAGE = "datapackage.json"


@dataclass(frozen=True)
class Build:
    """What the publication is made from: a build's places, layers, encoded layers and maps."""

    places: tuple[Place, ...]
    layers: Mapping[str, Any]
    layer_bytes: Mapping[str, bytes]  # by layer name, as `geo build` encoded them
    maps: Mapping[str, bytes]  # by path inside the maps folder


def maps_from_build(files: Mapping[Path, bytes], maps_dir: Path) -> dict[str, bytes]:
    """The map files a build made (path -> bytes), by their path inside the maps folder.

    The build's own hidden files (render stamps, see :mod:`geo.io.stamps`) are not published.
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


def preview(maps: Mapping[str, bytes], lang: str) -> landing.Preview | None:
    """The print map to show as the map's picture: the language's PNG if the build made one,
    else None (the page then links the maps without a picture)."""
    name = png_name(lang)
    size = landing.png_size(maps.get(name, b""))
    return landing.Preview(f"{MAPS}/{name}", *size) if size else None


def _dump(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


# What is offered for download, in the order people see it: path, Frictionless format, title
# and description. The whole dataset in each format first, then the GeoJSON layers one by one.
def _offered(settings: Settings) -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    def t(key: str) -> dict[str, str]:
        return by_language(settings, key)

    def layer(name: str) -> tuple[str, str, dict[str, str], dict[str, str]]:
        path = f"{LAYERS_DIR}/{name}.geojson"
        return (path, "geojson", t(f"layer_title.{name}"), t("download.geojson_note"))

    return [
        layer(ALL),
        (CSV_PATH, "csv", t("download.csv_title"), t("download.csv_note")),
        (XLSX_PATH, "xlsx", t("download.xlsx_title"), t("download.xlsx_note")),
        (GPKG_PATH, "gpkg", t("download.gpkg_title"), t("download.gpkg_note")),
        (FGB_PATH, "fgb", t("download.fgb_title"), t("download.fgb_note")),
        (PARQUET_PATH, "geoparquet", t("download.parquet_title"), t("download.parquet_note")),
        *(layer(n) for n in LAYERS),
    ]


def _log_entries(previous: Published | None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The earlier change log's well-formed entries and file records."""
    log = previous.log if previous else {}
    entries = log.get("entries")
    entries = (
        [e for e in entries if isinstance(e, dict) and isinstance(e.get("date"), str)]
        if (isinstance(entries, list))
        else []
    )
    files = log.get("files")
    return entries, files if isinstance(files, dict) else {}


def assemble(
    settings: Settings,
    build: Build,
    base_url: str,
    previous: Published | None,
    found: changes.Changes,
    publisher: Publisher,
) -> dict[str, bytes]:
    """Every file of the publication, by path inside the folder.

    `found` is what changed since `previous` (computed once, by the caller, for its report).
    `base_url` and `publisher` are checked by the caller (:func:`geo.urls.check_base_url`,
    :meth:`geo.config.Settings.checked_publisher`), once, before the build.
    """
    records = changes.records_from_places(build.places, settings.schema)
    date = changes.data_date(records) or "1970-01-01"

    # The downloads, bytes first: everything after describes them.
    files = {f"{LAYERS_DIR}/{n}.geojson": build.layer_bytes[n] for n in (*LAYERS, ALL)}
    of = settings.schema
    files[CSV_PATH] = downloads.build_csv(build.places, of)
    files[GPKG_PATH] = downloads.build_geopackage(build.layers, date)
    files[FGB_PATH] = downloads.build_flatgeobuf(build.layers[ALL])
    files[PARQUET_PATH] = columnar.build_geoparquet(build.layers[ALL])
    main = settings.languages[0]  # the workbook's title is in the main language
    title = texts(main)("dataset.title", home=settings.home.name(main))
    files[XLSX_PATH] = xlsx.build_xlsx(build.places, date, title, publisher.name, of)

    # The change log: an entry when the places differ from the previous publication's.
    entries, old_files = _log_entries(previous)
    if previous is None or not entries:
        entries = [changes.entry(found, date, first=True)]
    elif not found.empty:
        entries.insert(0, changes.entry(found, date))
    file_log = {}
    for path in sorted(files):
        digest = sha256(files[path])
        kept = old_files.get(path)
        kept = kept if isinstance(kept, dict) and isinstance(kept.get("last_change"), str) else {}
        same = kept.get("sha256") == digest and previous and previous.sums.get(path) == digest
        file_log[path] = {"sha256": digest, "last_change": kept["last_change"] if same else date}
    issued = min(e["date"] for e in entries)
    modified = max(e["date"] for e in entries)

    offered = [
        Download(
            path,
            fmt,
            title,
            note,
            len(files[path]),
            sha256(files[path]),
            file_log[path]["last_change"],
        )
        for path, fmt, title, note in _offered(settings)
    ]
    years = [p.since for p in build.places if p.since is not None]
    data = dataset(
        settings,
        base_url,
        issued,
        modified,
        start_year=min(years) if years else None,
        bbox=build.layers[ALL].get("bbox"),
    )
    files[DATAPACKAGE] = _dump(datapackage.build_datapackage(data, offered, publisher, of))
    files[dcat.CATALOG_FILE] = dcat.render_catalog(data, offered, publisher)
    files[CHANGES] = _dump(
        {"issued": issued, "modified": modified, "files": file_log, "entries": entries}
    )
    files[CHANGELOG] = changes.render_changelog(entries, f"{data.title['en']}: change log").encode()
    files[feed.FEED] = feed.render_feed(data, entries, publisher)
    for rel, blob in build.maps.items():
        files[f"{MAPS}/{rel}"] = blob
    for lang in settings.languages:
        maps = landing.Maps(map_links(build.maps, lang), preview(build.maps, lang))
        files[landing_page(lang, settings.languages)] = landing.render_landing(
            lang, data, offered, publisher, maps, entries[0], languages=settings.languages
        )
    files[SUMS] = downloads.build_checksums(files)
    return files
