"""Symbols and line styles come from geo.style: kind by colour and shape, status by fill/dash."""

from __future__ import annotations

from geo import style
from geo.schema import Kind, Status
from geo.templating import environment
from geo.web import symbols


def svg(mark: symbols.Mark) -> str:
    return str(environment().get_template("web/symbols.html").module.symbol(mark))


def test_status_is_shown_by_fill_and_dash_and_kind_by_colour_and_shape():
    active = svg(symbols.mark("partner_city", "active"))
    dormant = svg(symbols.mark("partner_city", "dormant"))
    town = svg(symbols.mark("friendship_town", "active"))
    office = svg(symbols.mark("office", None))
    assert "stroke-dasharray" in dormant and "stroke-dasharray" not in active
    colour = style.SYMBOLS[Kind.PARTNER_CITY].colour
    assert f'fill="{style.HOLLOW_FILL}"' in dormant and f'fill="{colour}"' in active
    assert "<circle" in active and "<path" in town and "<rect" in office
    assert len({active, dormant, town, office}) == 4
    assert 'aria-hidden="true"' in active


def test_every_colour_of_the_web_map_is_from_geo_style():
    allowed = {v for v in vars(style).values() if isinstance(v, str) and v.startswith("#")}
    allowed |= {s.colour for s in style.SYMBOLS.values()}
    for mark in symbols.all_marks():
        for value in (mark.fill, mark.stroke, mark.edge, mark.ring):
            assert value is None or value in allowed
    assert set(symbols.colours().values()) <= allowed


def test_dormant_lines_are_dashed_as_the_style_says():
    line = symbols.line_style("partner_city", "dormant")
    width = style.LINE_WIDTH[Status.DORMANT]
    assert line["dashArray"] == " ".join(f"{v * width:g}" for v in style.LINE_DASH[Status.DORMANT])
    assert "dashArray" not in symbols.line_style("friendship_town", "active")
    assert line["color"] == style.SYMBOLS[Kind.PARTNER_CITY].colour


def test_lines_have_a_hierarchy_active_over_dormant():
    active = symbols.line_style("partner_city", "active")
    dormant = symbols.line_style("partner_city", "dormant")
    assert active["weight"] > dormant["weight"] and active["opacity"] > dormant["opacity"]
    assert symbols.line_rank("active") > symbols.line_rank("dormant")  # drawn later, on top
