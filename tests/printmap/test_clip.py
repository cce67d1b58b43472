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
        if ring[:, 1].max() < -60.0:  # Antarctica, the land round the pole, spans the map
            continue
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


# --- the mutation benchmark's survivors (issue 26, second round) -------------------------------


def test_a_line_crossing_the_edge_is_cut_where_the_straight_segment_meets_it():
    """The cut lies on the segment between the vertices either side (linear in degrees, as the
    map draws it): from (170, 4) to (190, 24) the edge at 180 is halfway, at latitude 14."""
    pieces = line_pieces([[[170.0, 4.0], [-170.0, 24.0]]], 0.0)
    assert [p.tolist() for p in pieces] == [
        [[170.0, 4.0], [180.0, 14.0]],
        [[-180.0, 14.0], [-170.0, 24.0]],
    ]


@pytest.mark.parametrize("east", [True, False])
def test_a_line_across_the_edge_and_back_is_three_pieces_on_the_map(east):
    """Out across the edge and back again (eastward first, or westward): the middle piece lies
    on the other side of the map, from edge to edge, and the last comes back to where it was."""
    sign = 1.0 if east else -1.0
    line = [[[sign * 170.0, 0.0], [sign * -170.0, 10.0], [sign * 170.0, 20.0]]]
    pieces = [p.tolist() for p in line_pieces(line, 0.0)]
    expected = [
        [[170.0, 0.0], [180.0, 5.0]],
        [[-180.0, 5.0], [-170.0, 10.0], [-180.0, 15.0]],
        [[180.0, 15.0], [170.0, 20.0]],
    ]
    assert pieces == [[[sign * x, y] for x, y in piece] for piece in expected]


def test_a_vertex_just_past_the_edge_is_on_the_other_side():
    """180.5° east of the centre is 179.5° west: a piece of its own, on the map."""
    pieces = line_pieces([[[170.0, 0.0], [180.0, 0.0]], [[-180.0, 0.0], [-179.5, 1.0]]], 0.0)
    assert [p.tolist() for p in pieces] == [
        [[170.0, 0.0], [180.0, 0.0]],
        [[-180.0, 0.0], [-179.5, 1.0]],
    ]


def test_many_lines_of_integers_and_edge_cases_give_what_each_gives_alone():
    """Coordinates as JSON gives them (integers); a line starting where the one before ends
    (its first vertex is not a repeat); a latitude of -0.0 kept; a step between 180 and 181
    (the short way round); vertices just past the edge or on it after the turn."""
    from geo.printmap.clip import many_line_pieces

    cases = [
        (0.0, [[[[10, 50], [20, 51]]], [[[20, 51], [30, 52]]]]),  # integers only
        (0.0, [[[[-0.0, 5.0], [10.0, 6.0]]], [[[1.0, -0.0], [2.0, -0.0]]]]),
        (-20.0, [[[[160.0, 0.0], [170.0, 1.0]]], [[[100.0, 0.0], [110.0, -0.0]]]]),
        (-10.0, [[[[165.0, 0.0], [170.5, 1.0]]]]),
        (5.0, [[[[-170.0, 0.0], [10.5, 1.0]]], [[[0.0, 0.0], [10.0, 0.0]]], [[[10.0, 0.0]]]]),
    ]
    for lon_0, lines in cases:
        many = many_line_pieces(lines, lon_0)
        one = [line_pieces(line, lon_0) for line in lines]
        assert [len(p) for p in many] == [len(p) for p in one], lon_0
        for a, b in zip(many, one, strict=True):
            for x, y in zip(a, b, strict=True):
                assert x.dtype == y.dtype == np.dtype(float)
                assert x.tobytes() == y.tobytes(), (lon_0, x.tolist(), y.tolist())
    # What each should be, known without the code: the second line keeps its first vertex.
    _, second = many_line_pieces(cases[0][1], 0.0)
    assert [p.tolist() for p in second] == [[[20.0, 51.0], [30.0, 52.0]]]
    # 10.5 from -170 is 180.5 east, the short way is 179.5 west: across the edge.
    assert len(many_line_pieces(cases[-1][1], 5.0)[0]) == 2


def test_a_step_just_over_180_is_the_short_way_across_the_edge():
    """A band from 90.2° E westward across the edge to 90° W (179.8° wide, not 180.2°): two
    pieces, 90° and 89.8° wide."""
    ring = np.array([[-90.0, 0.0], [90.2, 0.0], [90.2, 10.0], [-90.0, 10.0], [-90.0, 0.0]])
    pieces = split_ring(ring)
    assert len(pieces) == 2
    assert sorted(round(ring_area(p), 6) for p in pieces) == [898.0, 900.0]


@pytest.mark.parametrize(
    "ring",
    [
        # round the south pole, the first step exactly 180 (eastward, as the ring goes)
        [[-90.0, -70.0], [90.0, -70.0], [180.0, -70.0], [-90.0, -70.0]],
        # the last step exactly 180
        [[0.0, -70.0], [90.0, -70.0], [-180.0, -70.0], [0.0, -70.0]],
    ],
)
def test_a_ring_round_a_pole_with_a_step_of_exactly_180(ring):
    pieces = split_ring(np.array(ring))
    assert sum(ring_area(p) for p in pieces) == pytest.approx(360.0 * 20.0)
    for piece in pieces:
        assert {float(v) for v in piece[:, 1]} == {-70.0, -90.0}


@pytest.mark.parametrize("lat", [-80.0, 0.5, 80.0])
def test_the_pieces_of_a_ring_round_a_pole_are_valid_polygons(lat):
    """Checked by shapely (GEOS): no spike, no self-intersection; closed along the nearer pole
    (a ring just north of the equator too)."""
    from shapely.geometry import Polygon

    ring = np.array([[170.0, lat], [-100.0, lat], [-10.0, lat], [80.0, lat], [170.0, lat]])
    pieces = split_ring(ring)
    for piece in pieces:
        polygon = Polygon(piece)
        assert polygon.is_valid, piece.tolist()
        assert polygon.bounds[1 if lat > 0 else 3] == lat
        assert polygon.bounds[3 if lat > 0 else 1] == (90.0 if lat > 0 else -90.0)
    assert sum(Polygon(p).area for p in pieces) == pytest.approx(360.0 * (90.0 - abs(lat)))


@pytest.mark.parametrize("keep_left", [True, False])
def test_a_vertex_on_the_cutting_line_is_kept_once(keep_left):
    """A triangle touching the line from the kept side: its vertex on the line is kept as it
    is, not doubled (Sutherland-Hodgman with the line counted inside)."""
    from geo.printmap.clip import clip_side

    sign = 1.0 if keep_left else -1.0
    triangle = np.array([[170.0, 0.0], [180.0, 5.0], [170.0, 10.0]]) * [sign, 1.0]
    assert clip_side(triangle, sign * 180.0, keep_left).tolist() == triangle.tolist()


def test_a_ring_with_a_step_of_exactly_180_is_returned_as_given():
    """Half the world between two vertices is not more than half: nothing crosses the edge, so
    the ring comes back with the same floats (not rebuilt from its steps)."""
    ring = np.array(
        [[-32.673, -23.021], [147.327, -23.021], [-28.731, -21.693], [-32.673, -23.021]]
    )
    (out,) = split_ring(ring)
    assert out.tobytes() == ring.tobytes()
