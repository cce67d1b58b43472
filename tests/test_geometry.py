"""Geodesic arcs, the antimeridian cut, rounding and bounds (geo.geometry)."""

from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

import geo.geometry
from geo.geometry import (
    MAX_VERTICES,
    PRECISION,
    SEGMENT_KM,
    bbox,
    distances,
    geodesic_arcs,
    parts,
    polygons,
    round_coord,
    split_antimeridian,
    to_latlon,
)

GEOD = Geod(ellps="WGS84")
GOTEBORG = [11.96645, 57.707395]
CHICAGO = [-87.65005, 41.85003]
HONOLULU = [-157.8583, 21.3069]
TOKYO = [139.69171, 35.6895]

lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-89.9, 89.9, allow_nan=False)


def test_to_latlon_swaps_the_order():
    assert to_latlon([11.9, 57.7]) == (57.7, 11.9)


@pytest.mark.parametrize(("value", "expected"), [(1.23456789, 1.234568), (-0.0000001, 0.0)])
def test_round_coord(value, expected):
    result = round_coord(value)
    assert result == expected
    assert math.copysign(1, result) == 1  # never -0.0


def test_arc_follows_the_geodesic_and_keeps_its_ends():
    (arc,) = geodesic_arcs([GOTEBORG], [CHICAGO])
    (line,) = (part.tolist() for part in arc.parts)
    assert line[0] == GOTEBORG and line[-1] == CHICAGO
    az, _, metres = GEOD.inv(*GOTEBORG, *CHICAGO)
    assert arc.distance_km == pytest.approx(metres / 1000, abs=1e-6)
    assert arc.bearing_deg == pytest.approx(az % 360)
    # every vertex lies on the great circle: distances add up along the line
    along = sum(GEOD.inv(*a, *b)[2] for a, b in itertools.pairwise(line))
    assert along == pytest.approx(metres, rel=1e-6)
    assert 30 < len(line) <= MAX_VERTICES  # smooth on a Web Mercator map
    # it bows north over the Atlantic, as a great circle from Sweden to Chicago does
    assert max(lat for _, lat in line) > 60


def test_arc_across_the_antimeridian_is_cut_into_two_parts():
    (arc,) = geodesic_arcs([HONOLULU], [TOKYO])
    assert arc.crosses_antimeridian
    west, east = (part.tolist() for part in arc.parts)
    assert west[0] == HONOLULU and east[-1] == TOKYO
    assert west[-1][0] == -180.0 and east[0][0] == 180.0
    assert west[-1][1] == east[0][1]  # the same crossing point on both sides
    for part in arc.parts:
        steps = [abs(b[0] - a[0]) for a, b in itertools.pairwise(part)]
        assert max(steps) < 180


def test_split_antimeridian_interpolates_the_crossing():
    import numpy as np

    parts = split_antimeridian(np.array([170.0, -170.0]), np.array([10.0, 20.0]))
    assert [p.tolist() for p in parts] == [
        [[170.0, 10.0], [180.0, 15.0]],
        [[-180.0, 15.0], [-170.0, 20.0]],
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ([0.0, 0.0], [-180.0, -1.0]),
        ([0.0, 0.0], [180.0, 1.0]),
        ([179.5, 0.0], [-179.5, 0.0]),
    ],
)
def test_lines_ending_on_the_antimeridian(start, end):
    (arc,) = geodesic_arcs([start], [end])
    for part in arc.parts:
        assert len(part) >= 2
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in part)


def test_coincident_ends_still_make_a_line():
    (arc,) = geodesic_arcs([GOTEBORG], [GOTEBORG])
    assert [part.tolist() for part in arc.parts] == [[GOTEBORG, GOTEBORG]]


def test_arcs_are_read_only_arrays_with_no_object_per_vertex():
    import numpy as np

    arcs = geodesic_arcs([GOTEBORG] * 3, [CHICAGO, TOKYO, HONOLULU])
    for arc in arcs:
        for part in arc.parts:
            assert isinstance(part, np.ndarray) and part.dtype == np.float64
            assert part.ndim == 2 and part.shape[1] == 2 and len(part) >= 2
            assert not part.flags.writeable  # the layers' lines are never changed in place
    # the lines that do not cross 180° are views of one buffer, not a copy each
    plain = [arc.parts[0] for arc in arcs if not arc.crosses_antimeridian]
    assert len(plain) >= 2 and all(p.base is not None for p in plain)
    assert len({id(p.base) for p in plain}) == 1


def test_as_lists_turns_arrays_into_plain_lists_and_leaves_lists_alone():
    import numpy as np

    line = np.array([[1.5, 2.0], [3.0, -4.25]])
    assert geo.geometry.as_lists(line) == [[1.5, 2.0], [3.0, -4.25]]
    assert type(geo.geometry.as_lists(line)[0][0]) is float
    assert geo.geometry.as_lists([line, line[:1]]) == [[[1.5, 2.0], [3.0, -4.25]], [[1.5, 2.0]]]
    listed = [[1, 2], [3, 4]]
    assert geo.geometry.as_lists(listed) is listed


@settings(max_examples=200, deadline=None)
@given(lons, lats, lons, lats)
def test_any_arc_is_valid_geojson(lon1, lat1, lon2, lat2):
    (arc,) = geodesic_arcs([[lon1, lat1]], [[lon2, lat2]])
    for part in arc.parts:
        assert len(part) >= 2
        for lon, lat in part:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert round(lon, PRECISION) == lon and round(lat, PRECISION) == lat
        assert all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(part))


def test_distances_are_vectorised_and_match_pyproj():
    km, bearing = distances(
        [GOTEBORG[0]] * 2,
        [GOTEBORG[1]] * 2,
        [CHICAGO[0], TOKYO[0]],
        [CHICAGO[1], TOKYO[1]],
    )
    for i, end in enumerate([CHICAGO, TOKYO]):
        az, _, metres = GEOD.inv(*GOTEBORG, *end)
        assert km[i] * 1000 == pytest.approx(metres, abs=1e-3)
        assert bearing[i] == pytest.approx(az % 360)


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.mark.parametrize(
    ("geometries", "expected"),
    [
        ([point(1, 2)], [1, 2, 1, 2]),
        ([point(-87.6, 41.8), point(12.0, 57.7)], [-87.6, 41.8, 12.0, 57.7]),
        # the narrower box wins: 151° across the Pacific rather than 209° across Europe
        ([point(-87.6, 41.8), point(121.4, 31.2)], [121.4, 31.2, -87.6, 41.8]),
        # a line through Europe covers the longitudes between its ends, so no crossing
        (
            [
                {
                    "type": "LineString",
                    "coordinates": [[-87.6, 41.8], [12.0, 57.7], [121.4, 31.2]],
                }
            ],
            [-87.6, 31.2, 121.4, 57.7],
        ),
        # RFC 7946 §5.2's own example: points around Fiji, the box crosses the antimeridian
        ([point(177, -20), point(-178, -16)], [177, -20, -178, -16]),
        (
            [
                {
                    "type": "MultiLineString",
                    "coordinates": [[[170, 10], [180, 15]], [[-180, 15], [-170, 20]]],
                }
            ],
            [170, 10, -170, 20],
        ),
        (
            [{"type": "LineString", "coordinates": [[-170, 0], [170, 1]]}],
            [-170, 0, 170, 1],
        ),
    ],
)
def test_bbox(geometries, expected):
    assert bbox(geometries) == expected


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, [[[1, 2]]]),
        ({"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]}, [[[1, 2], [3, 4]]]),
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, [[[0, 0], [1, 1]]]),
        (
            {
                "type": "MultiLineString",
                "coordinates": [[[170, 0], [180, 1]], [[-180, 1], [-170, 2]]],
            },
            [[[170, 0], [180, 1]], [[-180, 1], [-170, 2]]],
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]], [[0.1, 0.1]]]},
            [[[0, 0], [1, 0], [0, 0]], [[0.1, 0.1]]],
        ),
        (
            {
                "type": "MultiPolygon",
                "coordinates": [[[[0, 0], [1, 0], [0, 0]]], [[[5, 5], [6, 5], [5, 5]]]],
            },
            [[[0, 0], [1, 0], [0, 0]], [[5, 5], [6, 5], [5, 5]]],
        ),
    ],
)
def test_parts_are_the_runs_of_positions(geometry, expected):
    assert parts(geometry) == expected


def test_polygons_are_lists_of_rings():
    ring = [[0, 0], [1, 0], [0, 1], [0, 0]]
    assert polygons({"type": "Polygon", "coordinates": [ring]}) == [[ring]]
    assert polygons({"type": "MultiPolygon", "coordinates": [[ring], [ring]]}) == [[ring], [ring]]
    assert polygons({"type": "LineString", "coordinates": ring}) == []


@pytest.mark.parametrize("geometry", [{"type": "GeometryCollection", "geometries": []}, {}])
def test_parts_refuse_what_has_no_coordinates(geometry):
    with pytest.raises(ValueError, match="expected a GeoJSON geometry with coordinates"):
        parts(geometry)


def test_doctests():
    result = doctest.testmod(geo.geometry, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 2
    assert result.failed == 0


def test_many_vertices_are_computed_in_two_processes_with_the_same_numbers(monkeypatch):
    """From PARALLEL_VERTICES on, the second half of the vertices is computed in a forked
    process: the same arrays, bit for bit, as in one process."""
    import numpy as np

    from tests.support import record_forks

    rng = np.random.default_rng(14)
    n = 3000
    ends = np.column_stack((rng.uniform(-180, 180, n), rng.uniform(-89, 89, n))).tolist()
    starts = [[11.97, 57.71]] * n
    forks = record_forks(monkeypatch)
    monkeypatch.setattr(geo.geometry, "PARALLEL_VERTICES", 10**12)
    alone = geo.geometry.geodesic_arcs(starts, ends)
    assert forks == []
    monkeypatch.setattr(geo.geometry, "PARALLEL_VERTICES", 1000)
    shared = geo.geometry.geodesic_arcs(starts, ends)
    assert forks == ["computing the geodesic lines"]
    assert len(alone) == len(shared) == n
    for one, two in zip(alone, shared, strict=True):
        assert [p.tobytes() for p in one.parts] == [p.tobytes() for p in two.parts]
        assert repr(one) == repr(two)  # length, bearing, box


# --- bearings: degrees clockwise from north, 0 <= b < 360 (issue 26) ----------------------------
# From (0, 0) along the equator or the prime meridian the bearing is known without computing.
CARDINAL = [((0.0, 10.0), 0.0), ((10.0, 0.0), 90.0), ((0.0, -10.0), 180.0), ((-10.0, 0.0), 270.0)]


@pytest.mark.parametrize(("end", "bearing"), CARDINAL)
def test_bearings_of_the_four_cardinal_directions(end, bearing):
    _, bearings = distances([0.0], [0.0], [end[0]], [end[1]])
    assert bearings[0] == pytest.approx(bearing, abs=1e-9)
    (arc,) = geodesic_arcs([[0.0, 0.0]], [list(end)])
    assert arc.bearing_deg == pytest.approx(bearing, abs=1e-9)
    assert 0 <= arc.bearing_deg < 360


# --- the antimeridian cut, case by case (issue 26) ----------------------------------------------
# The crossing latitude is interpolated linearly along the step, the short way round.
EAST_OF_GREENWICH = round(10.0 * 179.5 / 179.7, 6)  # 0.5 -> -179.8: 179.5° of 179.7° to 180
JUST_PAST_180 = round(10.0 * 0.2 / 179.7, 6)  # 179.8 -> -0.5: 0.2° of 179.7° to 180


@pytest.mark.parametrize(
    ("lons", "lats", "expected"),
    [
        # the jump between the second and the third of four vertices, crossed at latitude 15
        (
            [160.0, 170.0, -170.0, -160.0],
            [0.0, 10.0, 20.0, 30.0],
            [
                [[160.0, 0.0], [170.0, 10.0], [180.0, 15.0]],
                [[-180.0, 15.0], [-170.0, 20.0], [-160.0, 30.0]],
            ],
        ),
        # from half a degree east of Greenwich, east across 180° (179.7° that way, not 180.3°)
        (
            [0.5, -179.8],
            [0.0, 10.0],
            [
                [[0.5, 0.0], [180.0, EAST_OF_GREENWICH]],
                [[-180.0, EAST_OF_GREENWICH], [-179.8, 10.0]],
            ],
        ),
        # a step of 180.3° one way is 179.7° the other: across 180°
        (
            [179.8, -0.5],
            [0.0, 10.0],
            [[[179.8, 0.0], [180.0, JUST_PAST_180]], [[-180.0, JUST_PAST_180], [-0.5, 10.0]]],
        ),
        # both ends of the step on the antimeridian: cut at the first
        (
            [170.0, 180.0, -180.0, -170.0],
            [0.0, 1.0, 2.0, 3.0],
            [[[170.0, 0.0], [180.0, 1.0]], [[-180.0, 1.0], [-180.0, 2.0], [-170.0, 3.0]]],
        ),
        # a line ending on the antimeridian: its second part is that one vertex, twice
        (
            [179.5, -180.0],
            [0.0, 1.0],
            [[[179.5, 0.0], [180.0, 1.0]], [[-180.0, 1.0], [-180.0, 1.0]]],
        ),
        # a step of exactly 180° (over a pole) crosses no antimeridian
        (
            [0.0, 0.0, 180.0, 180.0],
            [80.0, 89.0, 89.0, 80.0],
            [[[0.0, 80.0], [0.0, 89.0], [180.0, 89.0], [180.0, 80.0]]],
        ),
    ],
    ids=["jump-inside", "east-of-greenwich", "180.3", "both-on-180", "ends-on-180", "pole"],
)
def test_split_antimeridian_cases(lons, lats, expected):
    import numpy as np

    parts = split_antimeridian(np.array(lons), np.array(lats))
    assert [p.tolist() for p in parts] == expected


# --- merging boxes: the complement of the widest stretch of longitude none covers (RFC 7946 §5.2)
@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        ([[0, 0, 10, 10], [20, -5, 30, 5]], [0, -5, 30, 10]),
        ([[12, 57, 12, 57], [20, -5, 30, 5]], [12, -5, 30, 57]),  # a point's box
        ([[12, 57, 12, 57]], [12, 57, 12, 57]),
        ([[0, 0, 100, 1], [10, 5, 20, 5]], [0, 0, 100, 5]),  # one inside the other's longitudes
        # Fiji's box (crossing 180°) and one just west of it: the box still crosses
        ([[177, -20, -178, -16], [170, -10, 175, -5]], [170, -20, -178, -5]),
        # Fiji's and one around Greenwich: the stretch left uncovered is 168° wide over the
        # Americas (-178 to -10), wider than the 167° over Asia (10 to 177)
        ([[177, -20, -178, -16], [-10, 50, 10, 60]], [-10, -20, -178, 60]),
        # the widest stretch uncovered is the second gap, from 170 east to -160: across 180°
        (
            [[-170, 0, -170, 0], [-160, 1, -160, 1], [170, 2, 170, 2]],
            [170, 0, -160, 2],
        ),
        # the stretch over the Pacific is half a degree wider: the box crosses 180°
        ([[-90, 0, -90, 0], [90.5, 0, 90.5, 0]], [90.5, 0, -90, 0]),
        # two stretches equally wide: the box that does not cross 180°
        ([[-90, 0, -90, 0], [90, 0, 90, 0]], [-90, 0, 90, 0]),
        # together they cover every longitude: the whole circle, -180 to 180
        ([[170, 0, -170, 10], [-170, -10, 170, 5]], [-180, -10, 180, 10]),
    ],
    ids=[
        "two",
        "point",
        "one-point",
        "nested",
        "fiji-and-near",
        "fiji-and-greenwich",
        "second-gap",
        "just-wider",
        "tie",
        "whole-circle",
    ],
)
def test_merge_bboxes(boxes, expected):
    assert geo.geometry.merge_bboxes(boxes) == expected


def test_lines_computed_in_two_processes_are_the_lines_of_one(monkeypatch):
    """Each half of the vertices once (issue 26): a few lines from Göteborg, none crossing
    180°, forked from 2 vertices on, are the same arcs as computed in one process."""
    from tests.support import record_forks

    ends = [[-30.0, 70.0], [40.0, 10.0], [60.0, -20.0]]  # the first west and north of the last
    monkeypatch.setattr(geo.geometry, "PARALLEL_VERTICES", 10**12)
    alone = geo.geometry.geodesic_arcs([GOTEBORG] * 3, ends)
    forks = record_forks(monkeypatch)
    monkeypatch.setattr(geo.geometry, "PARALLEL_VERTICES", 2)
    shared = geo.geometry.geodesic_arcs([GOTEBORG] * 3, ends)
    assert forks == ["computing the geodesic lines"]
    assert [repr(a) for a in shared] == [repr(a) for a in alone]
    assert [a.bbox for a in shared] == [
        [min(GOTEBORG[0], e[0]), a.bbox[1], max(GOTEBORG[0], e[0]), a.bbox[3]]
        for a, e in zip(alone, ends, strict=True)
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((11.97, 57.71), (-87.65, 41.85)),  # Göteborg to Chicago, 6,709 km
        ((0.0, 0.0), (0.001, 0.0)),  # 0.1 km: its two ends
        ((-90.0, 0.0), (89.99, 0.01)),  # nearly antipodal: the cap
        ((11.97, 57.71), (11.97, 57.71)),  # no length: still a line of two positions
        ((0.0, 0.0), tuple(round(v, 6) for v in GEOD.fwd(0.0, 0.0, 45.0, 6_003_000.0)[:2])),
        ((11.97, 57.71), (11.97, 70.0)),  # along a meridian: every longitude the same
        ((0.0, 0.0), (30.0, 0.0)),  # along the equator: every latitude the same
    ],
    ids=["long", "short", "antipodal", "none", "just-past-a-step", "meridian", "equator"],
)
def test_a_line_has_a_vertex_every_segment_and_its_two_ends(start, end):
    """One vertex per SEGMENT_KM of the line's length (pyproj's Geod as the reference) and its
    two ends, at most MAX_VERTICES; at least two, as RFC 7946 (3.1.4) asks of a LineString."""
    distance_km = GEOD.inv(*start, *end)[2] / 1000.0
    (arc,) = geodesic_arcs([start], [end])
    (part,) = arc.parts
    expected = min(max(math.ceil(distance_km / SEGMENT_KM) + 1, 2), MAX_VERTICES)
    assert len(part) == expected, (distance_km, len(part))
    assert tuple(part[0]) == start and tuple(part[-1]) == end
    assert not part.flags.writeable  # read-only, as documented (the line of no length too)
    steps = GEOD.inv(part[:-1, 0], part[:-1, 1], part[1:, 0], part[1:, 1])[2] / 1000.0
    assert max(steps) - min(steps) < 0.001  # evenly spaced, to the metre
    assert max(steps) <= max(SEGMENT_KM, distance_km / (MAX_VERTICES - 1)) + 0.001  # (the cap)


def test_no_coordinate_is_written_as_negative_zero():
    """A coordinate that rounds to zero from below is 0.0, not -0.0 (which JSON writes as
    "-0.0"): the same point has one spelling."""
    (arc,) = geodesic_arcs([(-1e-7, -1e-7)], [(10.0, 10.0)])
    first = arc.parts[0][0]
    assert tuple(first) == (0.0, 0.0)
    assert math.copysign(1.0, first[0]) == 1.0 and math.copysign(1.0, first[1]) == 1.0


def test_lines_computed_together_are_the_lines_computed_one_by_one():
    """One array for every line's vertices: no line may depend on another's (here a vertex of
    the equator line and of the meridian line falls on the first line's start, 0° and 0°, and
    a line cut at the antimeridian, Tokyo to San Francisco, comes before another)."""
    starts = [(0.0, 0.0), (-10.0, 0.0), (5.0, -10.0), (139.7, 35.7), (11.97, 57.71)]
    ends = [(0.001, 0.0), (10.0, 0.0), (5.0, 10.0), (-122.4, 37.8), (-87.65, 41.85)]
    together = geodesic_arcs(starts, ends)
    for arc, start, end in zip(together, starts, ends, strict=True):
        (alone,) = geodesic_arcs([start], [end])
        assert [p.tolist() for p in arc.parts] == [p.tolist() for p in alone.parts]
    assert [0.0, 0.0] in together[1].parts[0].tolist()  # (the case: a vertex at 0°, 0°)
    assert len(together[3].parts) == 2  # (and a line cut in two)
    assert not any(p.flags.writeable for arc in together for p in arc.parts)  # as documented


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ((10.0, 80.0), (-170.0, 80.0), 1),  # over the pole: 180° between two vertices, no cut
        ((10.0, 89.9), (-170.5, 89.9), 2),  # beside it, over the antimeridian: 180.5°, cut
    ],
    ids=["over-the-pole", "beside-the-pole"],
)
def test_a_line_near_a_pole_is_cut_only_where_it_crosses_the_antimeridian(start, end, count):
    """RFC 7946 3.1.9: a line is cut where it crosses the antimeridian, and no part of it then
    steps more than 180° of longitude (a line over a pole does not cross it)."""
    (arc,) = geodesic_arcs([start], [end])
    assert len(arc.parts) == count
    for part in arc.parts:
        assert len(part) < 2 or max(abs(np.diff(part[:, 0]))) <= 180.0


@pytest.mark.parametrize(
    "geometry",
    [{"type": "Point"}, {"type": "Circle", "coordinates": [0.0, 0.0]}, {}],
    ids=["no-coordinates", "unknown-type", "empty"],
)
def test_parts_refuses_what_is_not_a_geometry_with_coordinates(geometry):
    with pytest.raises(ValueError, match=r"^parts: expected a GeoJSON geometry with coordinates"):
        parts(geometry)
