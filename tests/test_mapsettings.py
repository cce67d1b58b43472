"""The ``[map]`` section (geo.mapsettings): a tile address Leaflet can fill, or a problem.

Reading the section from a whole file is tested in tests/test_config.py.
"""

import pytest

from geo.mapsettings import tiles_ok


@pytest.mark.parametrize(
    "tiles",
    [
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png",  # Leaflet's {s} and {r}
        "https://t.example/{y}/{x}/{z}",  # any order
    ],
)
def test_tile_templates_leaflet_fills(tiles):
    assert tiles_ok(tiles)


@pytest.mark.parametrize(
    "tiles",
    [
        "http://t.example/{z}/{x}/{y}.png",  # not https
        "https://t.example/{z}/{x}.png",  # no {y}
        "https://t.example/{z}/{x}/{y}.png?key={apikey}",  # a placeholder Leaflet cannot fill
        "https://t.example/{z}/{x}/{y}}.png",  # a stray brace
        "javascript:alert(1)//{z}/{x}/{y}",
        "/tiles/{z}/{x}/{y}.png",  # relative
    ],
)
def test_other_tile_addresses_are_refused(tiles):
    assert not tiles_ok(tiles)
