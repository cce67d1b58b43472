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
