"""geo.printmap.look: geo.style in points, marker codes and dash tuples."""

from __future__ import annotations

import pytest

from geo import style
from geo.printmap.look import line_look, place_look
from geo.schema import Kind, Status

# Matplotlib's own marker codes for the shapes geo.style names (matplotlib.markers docs).
MATPLOTLIB_MARKERS = {"square": "s", "circle": "o", "triangle": "^"}
PLACES = [(Kind.OFFICE, None), *((k, s) for k in Kind if k is not Kind.OFFICE for s in Status)]


@pytest.mark.parametrize(("kind", "status"), PLACES)
def test_a_place_has_its_kinds_colour_and_shape(kind, status):
    look = place_look(kind, status)
    assert look.colour == style.SYMBOLS[kind].colour
    assert look.marker == MATPLOTLIB_MARKERS[style.SYMBOLS[kind].shape]


@pytest.mark.parametrize(("kind", "status"), PLACES)
def test_dormant_places_are_hollow_with_a_dashed_outline_and_the_rest_filled(kind, status):
    look = place_look(kind, status)
    if status is Status.DORMANT:
        assert (look.face, look.stroke) == (style.HOLLOW_FILL, style.SYMBOLS[kind].colour)
        on, off = look.dash
        assert (on / look.stroke_width, off / look.stroke_width) == pytest.approx(
            style.OUTLINE_DASH
        )
        assert len(look.scatter_layers()) == 1
    else:
        assert (look.face, look.stroke, look.dash) == (style.SYMBOLS[kind].colour, style.HALO, None)
        edge, top = look.scatter_layers()  # a dark edge beneath the white outline
        assert edge["edgecolors"] == style.EDGE and edge["linewidths"] > top["linewidths"]


@pytest.mark.parametrize("relation", [Kind.PARTNER_CITY, Kind.FRIENDSHIP_TOWN])
@pytest.mark.parametrize("status", list(Status))
def test_a_line_has_its_kinds_colour_and_its_status_dash_in_line_widths(relation, status):
    look = line_look(relation, status)
    assert look.colour == style.SYMBOLS[relation].colour
    assert look.alpha == style.LINE_OPACITY[status]
    assert look.width == pytest.approx(style.LINE_WIDTH[status] * 0.75)  # CSS: 1px = 0.75pt
    expected = style.LINE_DASH[status]
    if expected is None:
        assert look.dash is None and look.linestyle == "solid"
    else:
        assert tuple(d / look.width for d in look.dash) == pytest.approx(expected)


def test_a_smaller_look_keeps_its_proportions():
    full, half = place_look("partner_city", "dormant"), place_look("partner_city", "dormant", 0.5)
    assert half.size == pytest.approx(full.size / 2)
    assert half.dash == pytest.approx(tuple(d / 2 for d in full.dash))
    line, thin = (
        line_look("friendship_town", "dormant"),
        line_look("friendship_town", "dormant", 0.5),
    )
    assert thin.width == pytest.approx(line.width / 2)
    assert tuple(d / thin.width for d in thin.dash) == pytest.approx(
        style.LINE_DASH[Status.DORMANT]
    )


def test_shapes_are_sized_like_the_web_maps():
    # web map symbols: square 18 px, circle 20 px, triangle 22 px wide
    sizes = {k: place_look(k, "active" if k != Kind.OFFICE else None).size for k in Kind}
    assert sizes[Kind.OFFICE] < sizes[Kind.PARTNER_CITY] < sizes[Kind.FRIENDSHIP_TOWN]


def test_an_active_line_reads_stronger_than_a_dormant_one():
    active, dormant = line_look("partner_city", "active"), line_look("partner_city", "dormant")
    assert active.width > dormant.width and active.alpha > dormant.alpha
    assert active.dash is None and dormant.dash is not None
