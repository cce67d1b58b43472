"""Longitudes around the home city: places within 180° of it, connections continuous."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.geometry import geodesic_arcs
from geo.web import wrap

lons = st.floats(min_value=-180, max_value=180, allow_nan=False)


@given(lons, lons)
def test_a_place_lies_within_half_a_turn_of_home(lon, centre):
    moved = wrap.near(lon, centre)
    assert -180 < moved - centre <= 180
    assert (moved - lon) % 360 == pytest.approx(0, abs=1e-9) or abs(
        (moved - lon) % 360 - 360
    ) < 1e-9


@pytest.mark.parametrize(
    ("home", "far"),
    [((-157.8583, 21.3069), (139.69171, 35.6895)), ((178.0, -18.0), (-149.5, -17.5)),
     ((11.97, 57.71), (121.46, 31.22)), ((178.0, -18.0), (11.97, 57.71))],
)  # fmt: skip
def test_a_connection_across_180_is_one_continuous_line_ending_at_its_place(home, far):
    (arc,) = geodesic_arcs([home], [far])
    line = wrap.line(arc.parts, home[0], far)
    steps = [abs(b[0] - a[0]) for a, b in itertools.pairwise(line)]
    assert max(steps) < 30  # no jump across the map
    assert line[0][0] == pytest.approx(home[0])
    assert line[-1][0] == pytest.approx(wrap.near(far[0], home[0]))
    assert line[-1][1] == pytest.approx(far[1])
