"""Stage 6a, downloads: validated places and built layers in, download files as bytes out.

- :func:`build_csv`: the places as CSV, one row per place, the source table's columns (so the
  header is the documented one), UTF-8 without BOM, CRLF line ends (RFC 4180). Numeric columns
  (``lon``, ``lat``, ``since``, ``geonames_id``) are written as plain numbers; every *text* cell
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with a
  single quote ``'`` so that no spreadsheet runs it as a formula (OWASP's CSV injection advice).
  A negative longitude is a number, not a formula, and stays as it is.
- :func:`build_geopackage`: every layer in one GeoPackage, written through GDAL (pyogrio) into a
  private scratch file (GDAL needs a seekable file; :func:`geo.io.write.bytes_through_file`) and
  returned as bytes, with its timestamps pinned to the data's date.
- :func:`build_flatgeobuf`: one layer (``all``: places and lines together) as FlatGeobuf,
  through GDAL likewise, with its spatial index.
- :func:`build_checksums`: a ``SHA256SUMS`` file in the format ``sha256sum --check`` reads.

The GeoParquet file is :mod:`geo.publication.columnar`'s, the spreadsheet
:mod:`geo.publication.spreadsheet`'s.

No file is written here (that is :mod:`geo.io.write`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from geo.frames import geodataframe
from geo.geometry import round_coord
from geo.io import sha256
from geo.model import LAYERS
from geo.schema import GEOMETRY_COLUMNS, Place, Schema, filled_languages, schema

FeatureCollection = dict[str, Any]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GPKG_LAYERS: tuple[str, ...] = LAYERS  # `all` mixes points and lines: the four layers are enough


def neutralise(text: str) -> str:
    """Prefix a quote to a text cell a spreadsheet would read as a formula; else return it."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(name: str, kind: str, value: Any) -> str:
    """One CSV cell: numbers as numbers (coordinates with 6 decimals), text neutralised."""
    if value is None:
        return ""
    if name in GEOMETRY_COLUMNS:
        return repr(round_coord(value))
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        return repr(float(value))
    return neutralise(str(value.value if isinstance(value, Enum) else value))


def place_row(place: Place, of: Schema) -> list[str]:
    """One CSV row per the schema `of`: numbers as numbers, text neutralised, empty where empty."""
    return [cell(c.name, c.type, getattr(place, c.name)) for c in of.columns]


def build_csv(places: Iterable[Place], of: Schema | None = None) -> bytes:
    """The places as CSV bytes, sorted by id, header first: the columns of `of` (the project's
    schema; by default that of the languages the places fill)."""
    places = sorted(places, key=lambda p: p.id)
    of = of if of is not None else schema(filled_languages(places))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(of.names)
    for place in places:
        writer.writerow(place_row(place, of))
    return out.getvalue().encode("utf-8")


def build_geopackage(layers: Mapping[str, FeatureCollection], as_of: str) -> bytes:
    """Every layer as a table of one GeoPackage (EPSG:4326), as bytes.

    GeoPackage stores a "last change" timestamp per table; GDAL's ``OGR_CURRENT_DATE`` pins it
    to `as_of` (the data's date) so that the same layers give the same bytes. Lines keep their
    own type (a layer of geometry type *Unknown*) rather than being promoted to multi-lines.
    GDAL needs a seekable file: :func:`geo.io.write.bytes_through_file` lends it a private
    scratch file and gives back its bytes.
    """
    import pyogrio

    from geo.io.write import bytes_through_file

    def write(path: Path) -> None:
        for i, name in enumerate(GPKG_LAYERS):
            fc = layers[name]
            points = all(f["geometry"]["type"] == "Point" for f in fc["features"])
            pyogrio.write_dataframe(
                geodataframe(fc),
                path,
                layer=name,
                driver="GPKG",
                append=i > 0,
                promote_to_multi=False,
                geometry_type="Point" if points else "Unknown",
            )

    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{as_of}T00:00:00Z"})
    try:
        return bytes_through_file(write, suffix=".gpkg")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def build_flatgeobuf(layer: FeatureCollection) -> bytes:
    """One layer as a FlatGeobuf file (EPSG:4326, with a packed Hilbert R-tree index), as bytes.

    The layer may mix points and lines (geometry type *Unknown*: each feature keeps its own
    type). FlatGeobuf stores no timestamp, so the same layer gives the same bytes; the index
    orders the features by place on the map, not as the GeoJSON does (match them by ``id``).
    """
    import pyogrio

    from geo.io.write import bytes_through_file

    def write(path: Path) -> None:
        pyogrio.write_dataframe(
            geodataframe(layer),
            path,
            driver="FlatGeobuf",
            promote_to_multi=False,
            geometry_type="Unknown",
            SPATIAL_INDEX="YES",
        )

    return bytes_through_file(write, suffix=".fgb")


def build_checksums(files: Mapping[str, bytes]) -> bytes:
    """``SHA256SUMS``: ``<hex>  <path>`` per file, sorted by path (``sha256sum -c`` format)."""
    lines = [f"{sha256(files[name])}  {name}\n" for name in sorted(files)]
    return "".join(lines).encode("utf-8")
