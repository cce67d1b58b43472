"""GeoDataFrames from FeatureCollections: the one conversion, for analysts and for the GeoPackage.

geopandas is imported inside :func:`geodataframe`, so importing this module costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd

CRS = "EPSG:4326"


def geodataframe(fc: dict[str, Any]) -> gpd.GeoDataFrame:
    """A FeatureCollection as a GeoDataFrame in EPSG:4326, one row per feature, in order.

    Columns are ``id`` and every property of any feature, in the order first met (so a
    collection of places and lines, ``all``, keeps the lines' properties too; a feature without
    a property has a null there), then the geometry. A column of whole numbers and nulls
    (``since``) is a nullable ``Int64``, one of true/false and nulls a nullable ``boolean``.
    """
    import geopandas as gpd

    features = fc.get("features") or []
    if not features:
        return gpd.GeoDataFrame({"id": []}, geometry=[], crs=CRS)
    frame = gpd.GeoDataFrame.from_features(features, crs=CRS)
    frame["id"] = [str(f.get("id", f["properties"].get("id"))) for f in features]
    names = dict.fromkeys(c for f in features for c in f["properties"] if c != "id")
    columns = ["id", *names]
    frame = frame[[*columns, "geometry"]]
    for column in columns:
        values = [f["properties"].get(column) for f in features]
        given = [v for v in values if v is not None]
        if not given:
            continue
        if all(isinstance(v, bool) for v in given):
            frame[column] = frame[column].astype("boolean")
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in given):
            frame[column] = frame[column].astype("Int64")
    return frame
