"""Third-party files from their packages, and the compact basemap."""

from __future__ import annotations

import pytest

from geo.web import assets


@pytest.mark.parametrize(
    "ring",
    [
        [[11.97, 57.71], [10.21, 56.16], [-87.65, 41.85], [11.97, 57.71]],
        [[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, -90.0]],
        [[0.001, 0.004], [0.0, 0.0]],
    ],
)
def test_basemap_ring_round_trips(ring):
    decoded = assets.decode_ring(assets.encode_ring(ring))
    expected = [(round(lat, 2), round(lon, 2)) for lon, lat in ring]
    deduped = [p for i, p in enumerate(expected) if i == 0 or p != expected[i - 1]]
    assert [c for p in decoded for c in p] == pytest.approx([c for p in deduped for c in p])


def test_basemap_ring_is_googles_encoded_polyline():
    """The example of Google's "Encoded Polyline Algorithm Format" page (precision 5), and its
    single-value example: -179.9832104 is ``"`~oia@"``."""
    points = [[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]]
    assert assets.encode_ring(points, 5) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert assets.encode_ring([[-179.9832104, 0.0]], 5) == "?`~oia@"  # lat 0, then the lon
    assert assets.encode_ring([], 5) == ""


def test_gesture_handling_is_the_packaged_release_file():
    import xstatic.pkg.leaflet_gesturehandling as package

    asset = assets.gesture_asset()
    assert asset.path == "assets/leaflet-gesture-handling.js"
    assert package.VERSION == assets.GESTURE_VERSION
    assert b'addInitHook("addHandler","gestureHandling"' in asset.data
    assert b'sv:{touch:"Anv' in asset.data  # it has Swedish text too (ours is given to it)


def square(west: float, south: float, size: float = 1.0) -> dict:
    ring = [[west, south], [west + size, south], [west + size, south + size],
            [west, south + size], [west, south]]  # fmt: skip
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_the_basemap_is_the_land_and_each_border_once():
    """Two countries side by side and an island: the land is two polygons (the countries' union
    and the island), its rings go round the coast only, and the border between the two
    countries is one line, drawn once, not two rings' edges."""
    import shapely

    fc = {"features": [square(0, 0), square(1, 0), square(5, 5, 0.5)]}
    land, borders = assets.land_and_borders(fc, 1)
    shapes = sorted((shapely.Polygon(p[0], p[1:]) for p in land), key=lambda g: g.area)
    assert [g.area for g in shapes] == [0.25, 2.0]
    assert shapes[1].equals(shapely.box(0, 0, 2, 1))  # no edge at x = 1 in the land's rings
    assert len(borders) == 1
    assert shapely.LineString(borders[0]).equals(shapely.LineString([(1, 0), (1, 1)]))


def test_the_basemap_keeps_holes_and_snaps_to_its_grid():
    """A country with a country inside it (Lesotho in South Africa): the land has no hole, the
    enclave's outline is a border; points are on the 0.1 degree grid, the page's precision."""
    outer = [[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]]
    inner = [[1.04, 1.04], [1.96, 1.04], [1.96, 1.96], [1.04, 1.96], [1.04, 1.04]]
    ring = {"type": "Polygon", "coordinates": [outer, inner]}
    enclave = {"type": "Polygon", "coordinates": [inner]}
    fc = {"features": [{"geometry": ring}, {"geometry": enclave}]}
    land, borders = assets.land_and_borders(fc, 1)
    assert len(land) == 1 and len(land[0]) == 1  # one polygon, no hole
    assert len(borders) == 1
    corners = [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0)]
    assert sorted({tuple(p) for p in borders[0]}) == corners


def test_the_basemap_script_carries_land_and_borders_the_page_can_decode():
    import json

    import shapely

    fc = {"features": [square(10, 50), square(11, 50), {"geometry": {"type": "Point"}}]}
    text = assets.basemap_script(fc).decode("ascii")
    assert text.startswith("var geoBasemap=") and "geo.basemapLoaded(geoBasemap)" in text
    payload = json.loads(text[len("var geoBasemap=") : text.index(";\n")])
    assert payload["precision"] == assets.BASEMAP_PRECISION == 1
    (polygon,) = payload["land"]
    (coast,) = polygon
    points = assets.decode_ring(coast, 1)  # (lat, lon)
    assert shapely.Polygon([(lon, lat) for lat, lon in points]).equals(shapely.box(10, 50, 12, 51))
    (border,) = payload["borders"]
    assert sorted(assets.decode_ring(border, 1)) == [(50.0, 11.0), (51.0, 11.0)]
