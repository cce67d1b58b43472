"""geo.printmap.names: the names on the map, in the page's language, clear of each other."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from geo.printmap.figure import DPI, Prepared, draw_page, layout
from geo.printmap.names import SPACING_PT, symbol_boxes
from geo.printmap.panel import draw_sheet
from geo.printmap.scene import build_scene, central_lon


def overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def grow(box, by: float):
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def page_of(settings, layers, basemap, lang):
    scene = build_scene(layers, basemap, central_lon(layers))
    panels = layout(scene, large=False)
    prepared = Prepared(scene, panels, draw_sheet(scene, panels, (12, 6.6), DPI), "places.csv")
    return scene, panels, draw_page(prepared, settings, lang)


@pytest.fixture(params=["gothenburg-sv", "gothenburg-en", "pacific-en", "east-sv"])
def page(request, settings, layers, pacific, east, basemap):
    which, lang = request.param.split("-")
    chosen = {"gothenburg": (settings, layers), "pacific": pacific, "east": east}[which]
    return page_of(*chosen, basemap, lang)


def test_names_do_not_overlap_each_other_or_a_symbol_and_stay_in_their_panel(page):
    scene, panels, drawn = page
    for panel, ax, boxes in zip(panels, drawn.figure.axes, drawn.name_boxes, strict=False):
        assert len(boxes) == len(panel.named)
        apart = SPACING_PT * DPI / 72 / 2 - 0.5  # names stay clear of each other by that
        for a, b in itertools.combinations(boxes, 2):
            assert overlap(grow(a, apart), grow(b, apart)) == 0.0, (a, b)
        frame = ax.get_window_extent()
        shown = [p for p in scene.places if panel.view[0] <= p.x <= panel.view[1]
                 and panel.view[2] <= p.y <= panel.view[3]]  # fmt: skip
        pixels = ax.transData.transform(np.array([[p.x, p.y] for p in shown]))
        symbols = symbol_boxes(shown, pixels, DPI / 72)
        for box in boxes:
            assert frame.x0 <= box[0] and box[2] <= frame.x1
            assert frame.y0 <= box[1] and box[3] <= frame.y1
            assert all(overlap(box, s) == 0.0 for s in symbols), box


def name_texts(fig) -> dict[str, str]:
    return {
        t.get_gid().removeprefix("name-"): t.get_text()
        for ax in fig.axes
        for t in ax.texts
        if (t.get_gid() or "").startswith("name-")
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sv", {"stadsledningskontoret": "Göteborg", "turku": "Åbo", "aarhus": "Århus"}),
        ("en", {"stadsledningskontoret": "Gothenburg", "turku": "Turku", "aarhus": "Aarhus"}),
    ],
)
def test_places_are_named_in_the_pages_language_and_the_office_by_its_city(
    settings, layers, basemap, lang, expected
):
    _, _, drawn = page_of(settings, layers, basemap, lang)
    names = name_texts(drawn.figure)
    assert len(names) == 14  # every place once
    assert {k: names[k] for k in expected} == expected
    office = next(t for ax in drawn.figure.axes for t in ax.texts
                  if t.get_gid() == "name-stadsledningskontoret")  # fmt: skip
    assert office.get_fontweight() == "bold"
