"""geo.printmap.clip: the world cut at the print map's edge, lon_0 ± 180."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.io.basemap
import geo.printmap.clip
from geo.printmap.clip import join_parts, line_pieces, outline_rings, split_ring, turn

CENTRES = [0.0, 11.96645, -157.8583, 178.0, 180.0, -180.0, 90.0]


def assert_no_step_across_the_map(ring: np.ndarray) -> None:
    """Steps of more than 180° in longitude only along a pole (a line in Equal Earth)."""
    big = np.abs(np.diff(ring[:, 0])) > 180.0
    assert (np.abs(ring[1:, 1][big]) == 90.0).all()


def ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


@pytest.mark.parametrize(
    ("lons", "lon_0", "expected"),
    [
        ([-157.86, 139.69, 178.0, 11.97], -157.86, [0.0, -62.45, -24.14, 169.83]),
        ([-2.0, 0.0, 179.0], 178.0, [-180.0, -178.0, 1.0]),  # on the edge: the side it came from
        ([180.0, -180.0], 0.0, [180.0, -180.0]),
    ],
)
def test_turn_measures_longitude_from_the_centre(lons, lon_0, expected):
    assert turn(np.array(lons), lon_0).round(2).tolist() == expected


@pytest.mark.parametrize(
    ("ring", "pieces", "area"),
    [
        # An island across the edge (Fiji): 20° x 5°, cut into two pieces.
        ([[170, 0], [-170, 0], [-170, 5], [170, 5], [170, 0]], 2, 100.0),
        # A coast round the south pole (Antarctica): closed along the pole, 360° x 20°.
        (
            [[-180, -70], [-90, -70], [0, -70], [90, -70], [180, -70], [-180, -70]],
            1,
            7200.0,
        ),
        # An ordinary ring stays as it is.
        ([[0, 0], [10, 0], [10, 10], [0, 0]], 1, 50.0),
    ],
)
def test_split_ring_keeps_rings_within_the_map(ring, pieces, area):
    out = split_ring(np.asarray(ring, float))
    assert len(out) == pieces
    for piece in out:
        assert piece[:, 0].min() >= -180.0 and piece[:, 0].max() <= 180.0
        assert_no_step_across_the_map(piece)
    assert sum(ring_area(p) for p in out) == pytest.approx(area)


@pytest.mark.parametrize("lon_0", CENTRES)
def test_no_country_crosses_the_maps_edge(basemap, lon_0):
    rings = outline_rings(basemap, lon_0)
    assert len(rings) > 177  # every country, some in several parts
    for ring in rings:
        assert ring[:, 0].min() >= -180.0 and ring[:, 0].max() <= 180.0
        assert_no_step_across_the_map(ring)
        assert np.ptp(ring[:, 0]) < 216.0  # Russia is the widest (~170°); nothing spans the map


@settings(max_examples=25, deadline=None)
@given(st.floats(-180.0, 180.0))
def test_cutting_at_any_edge_keeps_every_countrys_area(lon_0):
    basemap = geo.io.basemap.read_basemap(None)
    at_greenwich = sum(ring_area(r) for r in outline_rings(basemap, 0.0))
    assert sum(ring_area(r) for r in outline_rings(basemap, lon_0)) == pytest.approx(
        at_greenwich, rel=1e-9
    )


def pieces_of(basemap, name: str, lon_0: float) -> list[np.ndarray]:
    one = {"features": [f for f in basemap["features"] if f["properties"]["name"] == name]}
    return outline_rings(one, lon_0)


def test_a_map_about_178_east_cuts_britain_at_2_west(basemap):
    # Great Britain spans about 6° W to 2° E: the edge of a map about 178° E runs through it.
    pieces = pieces_of(basemap, "United Kingdom", 178.0)
    assert any(p[:, 0].max() == 180.0 and p[:, 0].min() > 170.0 for p in pieces)  # the west
    assert any(p[:, 0].min() == -180.0 and p[:, 0].max() < -170.0 for p in pieces)  # the east
    assert not pieces_of(basemap, "Fiji", 178.0)[0][:, 0].max() > 10.0  # Fiji whole, mid-map


def test_a_map_about_greenwich_cuts_fiji_not_britain(basemap):
    britain = next(f for f in basemap["features"] if f["properties"]["name"] == "United Kingdom")
    assert len(pieces_of(basemap, "United Kingdom", 0.0)) == len(britain["geometry"]["coordinates"])
    fiji = pieces_of(basemap, "Fiji", 0.0)
    assert {p[:, 0].max() == 180.0 for p in fiji} == {True, False}


def test_join_parts_makes_a_line_cut_at_180_whole_again():
    joined = join_parts([[[170, 10], [180, 12]], [[-180, 12], [-170, 14]]])
    assert joined.tolist() == [[170, 10], [180, 12], [190, 14]]


@pytest.mark.parametrize(
    ("parts", "lon_0", "expected"),
    [
        # Honolulu to Tokyo, cut at 180° in the layers: one piece on a map about Honolulu.
        ([[[-157.86, 21.3], [-180, 30]], [[180, 30], [139.69, 35.69]]], -157.86, 1),
        # The same line on a map about Greenwich: two pieces, one on each side.
        ([[[-157.86, 21.3], [-180, 30]], [[180, 30], [139.69, 35.69]]], 0.0, 2),
        # On a map about 178° E the edge is 2° W: London to Lisbon crosses it, to Lagos not.
        ([[[-0.13, 51.5], [-9.14, 38.72]]], 178.0, 2),
        ([[[-0.13, 51.5], [3.39, 6.45]]], 178.0, 1),
    ],
)
def test_line_pieces_cut_only_at_the_maps_edge(parts, lon_0, expected):
    pieces = line_pieces(parts, lon_0)
    assert len(pieces) == expected
    for piece in pieces:
        assert piece[:, 0].min() >= -180.0 and piece[:, 0].max() <= 180.0
        assert np.abs(np.diff(piece[:, 0])).max() < 180.0
    ends = np.concatenate(pieces)[[0, -1], 1]
    assert ends.tolist() == [parts[0][0][1], parts[-1][-1][1]]  # from the start to the end


def test_doctests():
    result = doctest.testmod(geo.printmap.clip, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5
    assert result.failed == 0


@pytest.mark.parametrize("lon_0", [11.97, -157.86, 178.0, -180.0, 0.0])
def test_many_lines_at_once_give_the_same_floats_as_one_by_one(lon_0):
    from benchmarks.synthetic import synthetic_rows
    from geo.geometry import geodesic_arcs, parts
    from geo.printmap.clip import line_pieces, many_line_pieces

    _, rows = synthetic_rows(400)
    start = [float(rows[0]["lon"]), float(rows[0]["lat"])]
    arcs = geodesic_arcs([start] * 400, [[float(r["lon"]), float(r["lat"])] for r in rows[1:]])
    lines = [arc.parts for arc in arcs]
    lines += [
        [[[10.0, 0.0], [10.0, 0.0], [-0.0, 1.0], [-0.0, 1.0]]],
        [[[179.0, 0.0], [-179.0, 1.0]]],
    ]
    lines += [parts({"type": "LineString", "coordinates": [[1.0, 2.0]]})]
    many = many_line_pieces(lines, lon_0)
    one = [line_pieces(line, lon_0) for line in lines]
    assert len(many) == len(one)
    for a, b in zip(many, one, strict=True):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert x.tobytes() == y.tobytes()  # the same floats, -0.0 included


# --- lines that start anywhere, outlines of every kind, rings round a pole (issue 26) -----------


@pytest.mark.parametrize("lon_0", [0.0, 170.0, -170.0, 11.97])
def test_many_lines_starting_anywhere_give_what_each_gives_alone(lon_0):
    """Not only lines from the office (which starts at lon_0): a line starting on the far side
    of the map must be turned onto it first, a line of one vertex kept, each line on its own."""
    from geo.printmap.clip import many_line_pieces

    lines = [
        [[[-170.0, 10.0], [-160.0, 12.0], [-150.0, 14.0]]],
        [[[179.5, -5.0], [178.0, -6.0]]],
        [[[10.0, 50.0]]],
        [[[0.0, 0.0], [90.0, 1.0], [170.0, 2.0], [175.0, 2.5], [179.0, 3.0]]],
        [[[-100.0, 40.0], [80.0, 41.0]]],  # a step of exactly 180
        [[[30.0, 60.0], [31.0, 60.0], [32.0, 60.0], [33.0, 60.0]]],
    ]
    many = many_line_pieces(lines, lon_0)
    one = [line_pieces(line, lon_0) for line in lines]
    assert [len(p) for p in many] == [len(p) for p in one]
    for a, b in zip(many, one, strict=True):
        for x, y in zip(a, b, strict=True):
            assert x.tobytes() == y.tobytes()
    for pieces in many:  # every vertex on the map
        for piece in pieces:
            assert (np.abs(piece[:, 0]) <= 180.0).all()


def test_outlines_of_polygons_and_multipolygons_only():
    square = [[[10.0, 10.0], [20.0, 10.0], [20.0, 20.0], [10.0, 20.0], [10.0, 10.0]]]
    basemap = {
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, 0.0]}},
            {"type": "Feature", "geometry": None},
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square}},
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [square, [[[-5.0, 0.0], [5.0, 0.0], [0.0, 5.0], [-5.0, 0.0]]]],
                },
            },
        ]
    }
    rings = outline_rings(basemap, 0.0)
    assert [ring.dtype for ring in rings] == [np.dtype(float)] * 3
    assert [ring_area(ring) for ring in rings] == [100.0, 100.0, 25.0]
    assert outline_rings({}, 0.0) == []


@pytest.mark.parametrize("lat", [-80.0, 80.0])
def test_a_ring_round_a_pole_is_closed_along_that_pole(lat):
    """A cap round a pole, 10° of latitude deep, crossing the map's edge: cut into pieces that
    cover the whole width from the ring to the pole (360 by 10 square degrees)."""
    pole = 90.0 if lat > 0 else -90.0
    ring = np.array([[170.0, lat], [-100.0, lat], [-10.0, lat], [80.0, lat], [170.0, lat]])
    pieces = split_ring(ring)
    assert sum(ring_area(p) for p in pieces) == pytest.approx(3600.0)
    for piece in pieces:
        assert (np.abs(piece[:, 0]) <= 180.0).all()
        assert {float(v) for v in piece[:, 1]} == {lat, pole}


def test_a_ring_touching_the_edge_from_inside_is_left_whole():
    """Sutherland-Hodgman: a vertex on the cutting line belongs to the kept side."""
    from geo.printmap.clip import clip_side

    ring = np.array([[170.0, 0.0], [180.0, 0.0], [180.0, 10.0], [170.0, 10.0]])
    assert clip_side(ring, 180.0, keep_left=True).tolist() == ring.tolist()
    mirrored = ring * [-1.0, 1.0]
    assert clip_side(mirrored, -180.0, keep_left=False).tolist() == mirrored.tolist()
