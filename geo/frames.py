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

    Columns are ``id`` and the features' properties in the first feature's order, then the
    geometry; a column of whole numbers and nulls (``since``) is a nullable ``Int64``.
    """
    import geopandas as gpd

    features = fc.get("features") or []
    if not features:
        return gpd.GeoDataFrame({"id": []}, geometry=[], crs=CRS)
    frame = gpd.GeoDataFrame.from_features(features, crs=CRS)
    frame["id"] = [str(f.get("id", f["properties"].get("id"))) for f in features]
    columns = ["id", *[c for c in features[0]["properties"] if c != "id"]]
    frame = frame[[*columns, "geometry"]]
    for column in columns:
        values = [f["properties"].get(column) for f in features]
        whole = all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values)
        if whole and any(v is not None for v in values):
            frame[column] = frame[column].astype("Int64")
    return frame
