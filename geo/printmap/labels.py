"""Label placement for the static map (part of the render stage): pure geometry in pixels.

Takes the markers' positions, the labels' sizes and what to keep clear of; gives, for each
label, which of twelve positions around its marker it takes. No matplotlib, no I/O:
:mod:`geo.printmap` measures the texts and places them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

Box = tuple[float, float, float, float]  # left, bottom, right, top (pixels, y up)
# Label positions around a marker, in order of preference: right, left, above, below, the
# diagonals, then above and below running right or left from the marker (for a long name near
# a panel's side or a neighbour). (dx, dy) is the direction from the marker to the label; the
# third value is which side of the label is nearest the marker: its horizontal alignment.
CANDIDATES: tuple[tuple[int, int, str], ...] = (
    (1, 0, "left"),
    (-1, 0, "right"),
    (0, 1, "center"),
    (0, -1, "center"),
    (1, 1, "left"),
    (-1, 1, "right"),
    (1, -1, "left"),
    (-1, -1, "right"),
    (0, 1, "left"),
    (0, 1, "right"),
    (0, -1, "left"),
    (0, -1, "right"),
)
DIAGONAL = 0.8  # a diagonal label starts closer along each axis, to sit as near as the others


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _overlaps(box: Box, blocks: np.ndarray) -> float:
    """The sum of :func:`_overlap` of `box` with each row of `blocks`, the same float as
    Python's ``sum`` of them (added one by one, in order), for thousands of symbols at once."""
    if not len(blocks):
        return 0
    w = np.minimum(box[2], blocks[:, 2]) - np.maximum(box[0], blocks[:, 0])
    h = np.minimum(box[3], blocks[:, 3]) - np.maximum(box[1], blocks[:, 1])
    return float(np.cumsum(np.where((w > 0) & (h > 0), w * h, 0.0))[-1])


def _outside(box: Box, bounds: Box) -> float:
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area - _overlap(box, bounds)


def _grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def offset(k: int, gap: float) -> tuple[float, float]:
    """Where a label in direction ``CANDIDATES[k]`` starts, from its marker: `gap` straight
    out, or :data:`DIAGONAL` times `gap` along each axis on a diagonal.

    >>> offset(0, 10.0), offset(5, 10.0)
    ((10.0, 0.0), (-8.0, 8.0))
    """
    dx, dy, _ = CANDIDATES[k]
    scale = gap * (DIAGONAL if dx and dy else 1.0)
    return dx * scale, dy * scale


def alignment(k: int) -> tuple[str, str]:
    """The label's horizontal and vertical alignment at its offset, as matplotlib names them.

    >>> alignment(0), alignment(3), alignment(9)
    (('left', 'center'), ('center', 'top'), ('right', 'bottom'))
    """
    _, dy, ha = CANDIDATES[k]
    return ha, "bottom" if dy > 0 else "top" if dy < 0 else "center"


def candidate_box(anchor: Sequence[float], size: Sequence[float], gap: float, k: int) -> Box:
    """The box of a label of `size` (w, h) put in direction ``CANDIDATES[k]`` of `anchor`."""
    ox, oy = offset(k, gap)
    x, y = anchor[0] + ox, anchor[1] + oy
    w, h = size
    ha, va = alignment(k)
    left = {"left": x, "right": x - w, "center": x - w / 2}[ha]
    bottom = {"bottom": y, "top": y - h, "center": y - h / 2}[va]
    return (left, bottom, left + w, bottom + h)


def place_labels(
    anchors: Sequence[Sequence[float]],
    sizes: Sequence[Sequence[float]],
    obstacles: Iterable[Box],
    bounds: Box,
    gap: float,
    passes: int = 3,
    spacing: float = 0.0,
) -> list[int]:
    """Choose where each label goes: an index into :data:`CANDIDATES` per label.

    Each label takes one of twelve positions around its marker: the one that overlaps least
    with the other labels and the `obstacles` (the markers), and spills least outside `bounds`
    (the panel); among equals, the first in :data:`CANDIDATES`. Labels are first placed one
    by one in the order given, then each is placed again knowing where all the others went,
    for a few `passes` or until nothing moves. Two labels closer than `spacing` count as
    overlapping (so that two names never read as one). All in pixels; deterministic. With a dozen
    labels this is enough: a force-directed library (adjustText) would move labels away from
    their markers, add leader lines and a dependency, and is not needed here.

    Two markers side by side: the left one's label goes left, clear of the right one.

    >>> markers = [(-1, -1, 1, 1), (3, -1, 5, 1)]
    >>> place_labels([(0, 0), (4, 0)], [(10, 4), (10, 4)], markers, (-50, -50, 50, 50), gap=2)
    [1, 0]
    """
    blocks = np.asarray(list(obstacles), float).reshape(-1, 4)
    options = [
        [candidate_box(anchor, size, gap, k) for k in range(len(CANDIDATES))]
        for anchor, size in zip(anchors, sizes, strict=True)
    ]
    fixed = [
        [_overlaps(box, blocks) + 4.0 * _outside(box, bounds) for box in boxes] for boxes in options
    ]
    padded = [[_grow(box, spacing / 2) for box in boxes] for boxes in options]
    choices: list[int | None] = [None] * len(options)

    def best(i: int) -> int:
        others = [padded[j][k] for j, k in enumerate(choices) if j != i and k is not None]
        costs = [
            fixed[i][k] + sum(_overlap(box, other) for other in others)
            for k, box in enumerate(padded[i])
        ]
        return min(range(len(costs)), key=lambda k: (round(costs[k], 6), k))

    for i in range(len(options)):
        choices[i] = best(i)
    for _ in range(passes):
        moved = False
        for i in range(len(options)):
            k = best(i)
            moved |= k != choices[i]
            choices[i] = k
        if not moved:
            break
    return [int(k) for k in choices if k is not None]
