"""geo.printmap.labels: where each label of the static map goes."""

from __future__ import annotations

import doctest

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
    assert CANDIDATES[k] == direction


def test_placement_is_deterministic():
    anchors = [(10 * i, 5 * (i % 3)) for i in range(12)]
    sizes = [(25 + i, 8) for i in range(12)]
    args = (anchors, sizes, [], (-20, -20, 160, 60), 4)
    assert place_labels(*args) == place_labels(*args)


def test_doctests():
    result = doctest.testmod(geo.printmap.labels)
    assert result.attempted >= 1
    assert result.failed == 0
