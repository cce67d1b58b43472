"""geo.printmap.labels: where each label of the static map goes."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import geo.printmap.labels
from geo.printmap.labels import CANDIDATES, candidate_box, place_labels


def boxes_overlap(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def test_labels_of_a_tight_cluster_do_not_overlap():
    anchors = [(100, 100), (104, 100), (100, 104), (104, 104)]
    sizes = [(30, 8)] * 4
    markers = [(x - 2, y - 2, x + 2, y + 2) for x, y in anchors]
    choices = place_labels(anchors, sizes, markers, (0, 0, 300, 300), gap=4)
    boxes = [candidate_box(a, s, 4, k) for a, s, k in zip(anchors, sizes, choices, strict=True)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not boxes_overlap(a, b)
        for j, marker in enumerate(markers):
            assert not boxes_overlap(a, marker), (i, j)


@pytest.mark.parametrize(
    ("anchor", "direction"),
    [((295, 150), (-1, 0)), ((5, 150), (1, 0)), ((150, 150), (1, 0))],
)
def test_a_label_stays_inside_the_panel(anchor, direction):
    (k,) = place_labels([anchor], [(40, 8)], [], (0, 0, 300, 300), gap=4)
    assert CANDIDATES[k][:2] == direction


def test_placement_is_deterministic():
    anchors = [(10 * i, 5 * (i % 3)) for i in range(12)]
    sizes = [(25 + i, 8) for i in range(12)]
    args = (anchors, sizes, [], (-20, -20, 160, 60), 4)
    assert place_labels(*args) == place_labels(*args)


def test_doctests():
    result = doctest.testmod(geo.printmap.labels)
    assert result.attempted >= 1
    assert result.failed == 0


def test_a_long_name_by_the_side_between_neighbours_runs_right_above_its_marker():
    # A marker 10 px from the panel's left side; neighbours below right and far above right:
    # right and the diagonals touch them, left and centred spill out of the panel.
    neighbours = [(60, 90, 70, 100), (92, 106, 100, 116)]
    (k,) = place_labels([(10, 100)], [(80, 8)], neighbours, (0, 0, 300, 300), gap=4)
    assert CANDIDATES[k] == (0, 1, "left")
    box = candidate_box((10, 100), (80, 8), 4, k)
    assert all(not boxes_overlap(box, n) for n in neighbours)
    assert box[0] == 10  # it starts above the marker


def test_labels_keep_their_spacing_where_they_can():
    # Two markers on a row, 36 px apart, labels 30 px wide: both to the right leaves 6 px
    # between the labels; asked for 8, the placement moves one of them.
    anchors, sizes, bounds = [(100, 100), (136, 100)], [(30, 8), (30, 8)], (0, 0, 300, 300)
    assert place_labels(anchors, sizes, [], bounds, gap=3) == [0, 0]
    choices = place_labels(anchors, sizes, [], bounds, gap=3, spacing=8)
    a, b = (candidate_box(p, s, 3, k) for p, s, k in zip(anchors, sizes, choices, strict=True))
    grown = [(x0 - 4, y0 - 4, x1 + 4, y1 + 4) for x0, y0, x1, y1 in (a, b)]
    assert not boxes_overlap(*grown)


def test_the_overlap_with_thousands_of_symbols_is_the_sum_of_each_one_by_one():
    from geo.printmap.labels import _overlap, _overlaps

    rng = np.random.default_rng(7)
    corners = rng.uniform(0, 100, (5000, 2))
    blocks = np.column_stack([corners, corners + rng.uniform(0.1, 9, (5000, 2))])
    for box in [(40.0, 40.0, 61.3, 47.9), (0.0, 0.0, 1e-3, 1e-3), (200.0, 0.0, 210.0, 5.0)]:
        one_by_one = sum(_overlap(box, tuple(b)) for b in blocks.tolist())
        assert _overlaps(box, blocks) == one_by_one  # the same float, not merely close
    assert _overlaps((0, 0, 1, 1), np.empty((0, 4))) == 0
