"""Stage 6a, downloads: validated places and built layers in, download files as bytes out.

- :func:`build_csv`: the places as CSV, one row per place, the source table's columns (so the
  header is the documented one), UTF-8 without BOM, CRLF line ends (RFC 4180). Numeric columns
  (``lon``, ``lat``, ``since``, ``geonames_id``) are written as plain numbers; every *text* cell
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with a
  single quote ``'`` so that no spreadsheet runs it as a formula (OWASP's CSV injection advice).
  A negative longitude is a number, not a formula, and stays as it is.
- :func:`build_geopackage`: every layer in one GeoPackage, written through GDAL (pyogrio) into a
  private scratch file (GDAL needs a seekable file; :func:`geo.publish.bytes_through_file`) and
  returned as bytes, with its timestamps pinned to the data's date.
- :func:`build_checksums`: a ``SHA256SUMS`` file in the format ``sha256sum --check`` reads.

No file is written here (that is :mod:`geo.publish`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from geo.geometry import round_coord
from geo.layers import FeatureCollection
from geo.model import LAYERS, Place
from geo.sources import COLUMN_NAMES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_COLUMNS: frozenset[str] = frozenset({"lon", "lat", "since", "geonames_id"})
GPKG_LAYERS: tuple[str, ...] = LAYERS  # `all` mixes points and lines: the four layers are enough


def neutralise(text: str) -> str:
    """Prefix a quote to a text cell a spreadsheet would read as a formula; else return it."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _number(value: float) -> str:
    return repr(round_coord(value))


def place_row(place: Place) -> list[str]:
    """One CSV row: numbers as numbers, text neutralised, empty where the table is empty."""
    row = []
    for name in COLUMN_NAMES:
        value = getattr(place, name)
        if value is None:
            row.append("")
        elif name in ("lon", "lat"):
            row.append(_number(value))
        elif name in NUMERIC_COLUMNS:
            row.append(str(int(value)))
        else:
            row.append(neutralise(str(value.value if hasattr(value, "value") else value)))
    return row


def build_csv(places: Iterable[Place]) -> bytes:
    """The places as CSV bytes, sorted by id, header first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMN_NAMES)
    for place in sorted(places, key=lambda p: p.id):
        writer.writerow(place_row(place))
    return out.getvalue().encode("utf-8")


def _frame(fc: FeatureCollection) -> Any:
    import geopandas as gpd

    features = fc["features"]
    if not features:
        return gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326")
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    columns = ["id", *[c for c in features[0]["properties"] if c != "id"]]
    frame = frame[[*columns, "geometry"]]
    for column in columns:
        values = [f["properties"][column] for f in features]
        whole = all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values)
        if whole and any(v is not None for v in values):
            frame[column] = frame[column].astype("Int64")  # nullable: `since` may be empty
    return frame


def build_geopackage(layers: Mapping[str, FeatureCollection], as_of: str) -> bytes:
    """Every layer as a table of one GeoPackage (EPSG:4326), as bytes.

    GeoPackage stores a "last change" timestamp per table; GDAL's ``OGR_CURRENT_DATE`` pins it
    to `as_of` (the data's date) so that the same layers give the same bytes. Lines keep their
    own type (a layer of geometry type *Unknown*) rather than being promoted to multi-lines.
    GDAL needs a seekable file: :func:`geo.publish.bytes_through_file` lends it a private
    scratch file and gives back its bytes.
    """
    import pyogrio

    from geo.publish import bytes_through_file

    def write(path: Path) -> None:
        for i, name in enumerate(GPKG_LAYERS):
            fc = layers[name]
            points = all(f["geometry"]["type"] == "Point" for f in fc["features"])
            pyogrio.write_dataframe(
                _frame(fc),
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


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def build_checksums(files: Mapping[str, bytes]) -> bytes:
    """``SHA256SUMS``: ``<hex>  <path>`` per file, sorted by path (``sha256sum -c`` format)."""
    lines = [f"{sha256(files[name])}  {name}\n" for name in sorted(files)]
    return "".join(lines).encode("utf-8")


def parse_checksums(text: str) -> dict[str, str]:
    """Path -> hex digest from a ``SHA256SUMS`` text (the inverse of :func:`build_checksums`)."""
    sums = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name.lstrip("*")] = digest
    return sums
