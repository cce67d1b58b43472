"""geo.printmap.scene: the layers and outlines projected about the office's meridian."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

from geo.printmap.scene import PROJECT_AT_ONCE, build_scene, central_lon, equal_earth, project_many
from geo.schema import Kind

# Equal Earth (EPSG:8857) reaches x = ±17,243,959 m at the equator (Šavrič et al. 2018).
HALF_WIDTH = Transformer.from_crs("EPSG:4326", "EPSG:8857", always_xy=True).transform(180, 0)[0]


def test_equal_earth_is_pyprojs_to_the_nanometre():
    """The projection written out with numpy against PROJ's EPSG:8857, every half degree from
    pole to pole and edge to edge, and at the published half width."""
    lon, lat = np.meshgrid(np.linspace(-180, 180, 721), np.linspace(-90, 90, 361))
    lon, lat = lon.ravel(), lat.ravel()
    proj = Transformer.from_crs("EPSG:4326", "EPSG:8857", always_xy=True)
    expected_x, expected_y = proj.transform(lon, lat)
    x, y = equal_earth(lon, lat)
    assert np.abs(x - expected_x).max() < 1e-6 and np.abs(y - expected_y).max() < 1e-6
    assert equal_earth(np.array([180.0]), np.array([0.0]))[0][0] == pytest.approx(17_243_959, abs=1)


def test_many_vertices_are_projected_a_block_at_a_time_alike():
    rng = np.random.default_rng(3)
    lonlat = np.column_stack([rng.uniform(-180, 180, 70_000), rng.uniform(-90, 90, 70_000)])
    assert len(lonlat) > PROJECT_AT_ONCE
    x, y = equal_earth(lonlat[:, 0], lonlat[:, 1])
    (projected,) = project_many([lonlat.copy()])
    assert np.array_equal(projected, np.column_stack([x, y]))


def test_the_centre_is_the_offices_longitude(layers, pacific):
    assert central_lon(layers) == 11.96645
    assert central_lon(pacific[1]) == -157.8583
    assert central_lon({}, fallback=5.0) == 5.0


@pytest.mark.parametrize("which", ["gothenburg", "pacific", "east"])
def test_the_office_is_on_the_central_meridian_and_every_line_is_whole(
    which, layers, pacific, east, basemap
):
    chosen = {"gothenburg": layers, "pacific": pacific[1], "east": east[1]}[which]
    scene = build_scene(chosen, basemap, central_lon(chosen))
    assert scene.office is not None and scene.office.x == pytest.approx(0.0, abs=1e-6)
    connections = chosen["connections"]["features"]
    assert len(scene.lines) == len(connections)  # one piece per line: none is cut
    for line in scene.lines:
        assert np.abs(np.diff(line.xy[:, 0])).max() < HALF_WIDTH / 2  # no jump across the map
        assert line.xy[0] == pytest.approx([0.0, scene.office.y])  # every line leaves the office


def test_the_pacific_lines_leave_honolulu_both_ways(pacific, basemap):
    scene = build_scene(pacific[1], basemap, central_lon(pacific[1]))
    far_end = {p.id: p.x for p in scene.places}
    assert far_end["tokyo"] < 0 and far_end["manila"] < 0 and far_end["suva"] < 0  # west
    assert far_end["los-angeles"] > 0  # east


def test_no_ring_spans_the_map(east, basemap):
    scene = build_scene(east[1], basemap, central_lon(east[1]))
    for ring in scene.rings:
        assert np.ptp(ring[:, 0]) < 1.2 * HALF_WIDTH  # the widest (Russia) is about 0.7


def test_places_carry_both_names(layers, basemap):
    scene = build_scene(layers, basemap, central_lon(layers))
    turku = next(p for p in scene.places if p.id == "turku")
    assert (turku.name("sv"), turku.name("en")) == ("Åbo", "Turku")
    office = scene.office
    assert office.kind == Kind.OFFICE.value and office.distance_km is None
    assert next(p for p in scene.places if p.id == "chicago").distance_km > 6000
