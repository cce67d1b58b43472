"""Stage 6a, downloads: one layer in, a GeoParquet 1.1 file as bytes out.

GeoParquet is Parquet with a ``geo`` key in the file's metadata that names the geometry column,
its encoding (WKB), its geometry types, its CRS (PROJJSON of EPSG:4326) and its bounding box;
version 1.1 adds a *covering* bbox column per row that lets readers skip row groups by area.
geopandas writes it through pyarrow. Parquet stores no timestamp; the writer's name and version
(``created_by``, geopandas' ``creator``) are the only things besides the data, so the same layer
and the same pinned libraries give the same bytes. No file is written here.
"""

from __future__ import annotations

import io
from typing import Any

from geo.frames import geodataframe

GEOPARQUET_VERSION = "1.1.0"


def build_geoparquet(layer: dict[str, Any]) -> bytes:
    """`layer` (a FeatureCollection; ``all`` mixes points and lines) as GeoParquet 1.1 bytes.

    Rows keep the GeoJSON's order; the DataFrame index is not written (``id`` is a column),
    and each row has a ``bbox`` covering column (xmin, ymin, xmax, ymax).
    """
    out = io.BytesIO()
    geodataframe(layer).to_parquet(
        out,
        index=False,
        schema_version=GEOPARQUET_VERSION,
        write_covering_bbox=True,
    )
    return out.getvalue()
