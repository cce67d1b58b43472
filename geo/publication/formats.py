"""The download formats: one record each, in one registry that every output reads.

A :class:`Format` says where its files go in the folder, which writer makes their bytes, its
media type, its IRI in the EU file-type authority, whom it is for (the landing pages group the
downloads by use) and the catalogue keys of its title and one-line explanation. The
publication writes the files from it, and ``catalog.rdf``, ``datapackage.json``, the landing
pages, ``SHA256SUMS``, the command's help and the table in ``docs/publishing.md`` (``make
docs``) describe them from it; the tests go through it rather than count.

To add a format: add its record to :data:`FORMATS` and its writer (a function of
:class:`Sources` and the file's part, giving bytes), and its title and explanation to each text
catalogue (the keys the record names).

Pure, no I/O: a writer makes bytes, :mod:`geo.io.write` writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from geo.config import DEFAULT_LANGUAGES
from geo.model import ALL, LAYERS

if TYPE_CHECKING:
    from geo.config import Settings
    from geo.schema import Place

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MAPS = "maps"
# The landing pages' groups, in their order: who a download is for.
USES: tuple[str, ...] = ("spreadsheet", "gis", "print")


@dataclass(frozen=True)
class Sources:
    """What the writers make the files from: a build and the publication's settings."""

    places: tuple[Place, ...]
    layers: Mapping[str, Any]  # FeatureCollections by layer name
    layer_bytes: Mapping[str, bytes]  # the encoded layers, as `geo build` writes them
    maps: Mapping[str, bytes]  # the build's maps, by path inside the maps folder
    settings: Settings
    date: str  # the data's date, YYYY-MM-DD: files that store a time store this one
    creator: str  # the publisher's name (a workbook's creator)

    @cached_property
    def prints(self) -> dict[str, bytes]:
        """The print map for print (A4 PNG at 300 dpi, PDF), every language, drawn once."""
        from geo.printmap.figure import PRINT, render_static

        return render_static(self.layers, self.settings, kinds=PRINT)


Writer = Callable[[Sources, str], "bytes | None"]  # (sources, the file's part) -> its bytes


@dataclass(frozen=True)
class Format:
    """One download format, as the folder, the metadata and the landing pages know it."""

    name: str  # the registry's key and the Frictionless format: geojson, csv, gpkg ...
    label: str  # for people: GeoJSON, GeoPackage ...
    path: str  # inside the folder; {layer} or {lang} where it is one file per layer or language
    write: Writer
    mediatype: str  # the media type, IANA-registered where `registered`
    file_type: str  # dcterms:format: the EU file-type IRI where there is one
    use: str  # one of USES: the landing pages' group
    title: str  # catalogue key of its title ({layer}, {language}, {format} filled in)
    note: str  # catalogue key of its one-line explanation
    registered: bool = True  # IANA registers `mediatype` (then also dcat:mediaType)
    layers: tuple[str, ...] = ()  # one file per layer: these ({layer} in `path`)
    per_language: bool = False  # one file per page language ({lang} in `path`)
    data: bool = True  # the dataset itself (a distribution in catalog.rdf and the data package)
    table: str | None = None  # a table the Table Schema describes: "quoted" text cells or "typed"

    def parts(self, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> tuple[str, ...]:
        """The parts it is written in: its layers, the page `languages`, or one file ("")."""
        if self.layers:
            return self.layers
        return languages if self.per_language else ("",)

    def path_of(self, part: str) -> str:
        return self.path.format(layer=part, lang=part)


# --- writers: each a function of the sources and the part --------------------------------------


def _geojson(s: Sources, layer: str) -> bytes:
    return s.layer_bytes[layer]


def _csv(s: Sources, _: str) -> bytes:
    from geo.publication.downloads import build_csv

    return build_csv(s.places, s.settings.schema)


def _xlsx(s: Sources, _: str) -> bytes:
    from geo.publication.spreadsheet import build_xlsx
    from geo.text import texts

    main = s.settings.languages[0]  # the workbook's title is in the main language
    title = texts(main)("dataset.title", home=s.settings.home.name(main))
    return build_xlsx(s.places, s.date, title, s.creator, s.settings.schema)


def _gpkg(s: Sources, _: str) -> bytes:
    from geo.publication.downloads import build_geopackage

    return build_geopackage(s.layers, s.date)


def _fgb(s: Sources, layer: str) -> bytes:
    from geo.publication.downloads import build_flatgeobuf

    return build_flatgeobuf(s.layers[layer], layer)


def _parquet(s: Sources, _: str) -> bytes:
    from geo.publication.columnar import build_geoparquet

    return build_geoparquet(s.layers[ALL])


def _svg(s: Sources, lang: str) -> bytes | None:
    from geo.printmap.figure import svg_name

    return s.maps.get(svg_name(lang))  # the build's own (None where it drew no print map)


def _printed(s: Sources, lang: str, suffix: str) -> bytes | None:
    from geo.printmap.figure import svg_name

    if svg_name(lang) not in s.maps:  # no print map in this build: none for print either
        return None
    return s.prints[svg_name(lang).removesuffix(".svg") + suffix]


# FlatGeobuf has neither an IANA media type nor, as far as we could verify, an entry in the EU
# file-type authority: its media type is the one the FlatGeobuf project and STAC use, its format
# IRI the specification's home page (docs/publishing.md, "What the portals see"). GeoParquet is
# "geoparquet", not "parquet": frictionless-py reads a "parquet" resource as a table and then
# checks neither its size nor its SHA-256; as "geoparquet" it checks both.
FORMATS: tuple[Format, ...] = (
    Format(
        "xlsx",
        "Excel (XLSX)",
        "data/places.xlsx",
        _xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{FILE_TYPE}XLSX",
        "spreadsheet",
        "download.xlsx_title",
        "download.xlsx_note",
        table="typed",
    ),
    Format(
        "csv",
        "CSV",
        "data/places.csv",
        _csv,
        "text/csv",
        f"{FILE_TYPE}CSV",
        "spreadsheet",
        "download.csv_title",
        "download.csv_note",
        table="quoted",
    ),
    Format(
        "gpkg",
        "GeoPackage",
        "data/layers.gpkg",
        _gpkg,
        "application/geopackage+sqlite3",
        f"{FILE_TYPE}GPKG",
        "gis",
        "download.gpkg_title",
        "download.gpkg_note",
    ),
    Format(
        "geojson",
        "GeoJSON",
        "data/layers/{layer}.geojson",
        _geojson,
        "application/geo+json",
        f"{FILE_TYPE}GEOJSON",
        "gis",
        "download.layer",
        "download.geojson_note",
        layers=(ALL, *LAYERS),
    ),
    Format(
        "fgb",
        "FlatGeobuf",
        "data/layers/{layer}.fgb",
        _fgb,
        "application/vnd.flatgeobuf",
        "https://flatgeobuf.org/",
        "gis",
        "download.layer",
        "download.fgb_note",
        registered=False,
        layers=LAYERS,
    ),
    Format(
        "geoparquet",
        "GeoParquet",
        "data/all.parquet",
        _parquet,
        "application/vnd.apache.parquet",
        f"{FILE_TYPE}PARQUET",
        "gis",
        "download.parquet_title",
        "download.parquet_note",
    ),
    Format(
        "svg",
        "SVG",
        f"{MAPS}/partnerships-{{lang}}.svg",
        _svg,
        "image/svg+xml",
        f"{FILE_TYPE}SVG",
        "print",
        "download.print",
        "download.svg_note",
        per_language=True,
        data=False,
    ),
    Format(
        "png",
        "PNG",
        f"{MAPS}/partnerships-{{lang}}-a4.png",
        lambda s, lang: _printed(s, lang, "-a4.png"),
        "image/png",
        f"{FILE_TYPE}PNG",
        "print",
        "download.print",
        "download.png_note",
        per_language=True,
        data=False,
    ),
    Format(
        "pdf",
        "PDF",
        f"{MAPS}/partnerships-{{lang}}.pdf",
        lambda s, lang: _printed(s, lang, ".pdf"),
        "application/pdf",
        f"{FILE_TYPE}PDF",
        "print",
        "download.print",
        "download.pdf_note",
        per_language=True,
        data=False,
    ),
)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}


def files(sources: Sources) -> Iterator[tuple[Format, str, str, bytes]]:
    """Every download: its format, part, path and bytes, in the registry's order (a writer that
    has nothing for a part, such as a print map the build did not draw, gives no file)."""
    for fmt in FORMATS:
        for part in fmt.parts(sources.settings.languages):
            data = fmt.write(sources, part)
            if data is not None:
                yield fmt, part, fmt.path_of(part), data


def downloads_named() -> str:
    """The downloads in words, for the command's help: the data's formats, then the print's."""
    data = ", ".join(f.label for f in FORMATS if f.data)
    return f"{data}; the print map as " + ", ".join(f.label for f in FORMATS if not f.data)


def markdown_formats() -> str:
    """The downloads as a Markdown table, for docs/publishing.md (``make docs``)."""
    from geo.text import texts

    t = texts("en")
    rows = [
        "| files | format | media type | `dcterms:format` | for | what |",
        "|---|---|---|---|---|---|",
    ]
    for fmt in FORMATS:
        paths = ", ".join(f"`{fmt.path_of(p)}`" for p in fmt.parts())
        kind = (
            fmt.file_type.removeprefix(FILE_TYPE)
            if fmt.file_type.startswith(FILE_TYPE)
            else (fmt.file_type)
        )
        media = f"`{fmt.mediatype}`" + ("" if fmt.registered else " (not IANA's)")
        rows.append(f"| {paths} | {fmt.label} | {media} | {kind} | {fmt.use} | {t(fmt.note)} |")
    return "\n".join(rows) + "\n"
