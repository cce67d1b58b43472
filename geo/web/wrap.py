"""Stage 4, render maps: longitudes around the home city, so that any home city sits in the middle.

The layers keep RFC 7946 longitudes (-180..180, lines cut at the antimeridian). The web map shows
the world centred on the home city's longitude instead: every place is moved by a whole turn
(±360°) to lie within 180° of home, and every connection is joined into one continuous line from
the office to its place. Only the map's own copy moves; the layers never change. Pure functions
over ``[lon, lat]`` positions (GeoJSON order).
"""

from __future__ import annotations

from collections.abc import Sequence

Position = Sequence[float]


def near(lon: float, centre: float) -> float:
    """`lon` moved by whole turns to lie within 180° of `centre` (east of it on a tie)."""
    shifted = lon + 360.0 * round((centre - lon) / 360.0)
    if shifted - centre <= -180.0:
        shifted += 360.0
    elif shifted - centre > 180.0:
        shifted -= 360.0
    return shifted + 0.0


def place(position: Position, centre: float) -> list[float]:
    """A point ``[lon, lat]`` moved next to the home longitude `centre`."""
    return [near(position[0], centre), position[1]]


def line(parts: Sequence[Sequence[Position]], centre: float, end: Position) -> list[list[float]]:
    """The parts of a connection (cut at 180°) as one continuous line ``[[lon, lat], ...]``.

    Each point is unwrapped against the one before (no step over 180°), the point repeated at
    the cut is dropped, and the whole line is moved by whole turns so that its last point is
    `end`'s position next to `centre` (the line meets the marker of its place).
    """
    out: list[list[float]] = []
    for part in parts:
        for lon, lat in part:
            if out:
                lon = near(lon, out[-1][0])
                if abs(lon - out[-1][0]) < 1e-9 and abs(lat - out[-1][1]) < 1e-9:
                    continue
            out.append([lon, lat])
    if not out:
        return out
    target = near(end[0], centre)
    turns = round((target - out[-1][0]) / 360.0)
    if turns:
        out = [[lon + 360.0 * turns, lat] for lon, lat in out]
    return out
