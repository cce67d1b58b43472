"""geo.printmap.legend: every kind and status on the map, drawn as on the map and in words."""

from __future__ import annotations

import doctest

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import geo.printmap.legend
from geo.printmap.legend import Entry, capitalise, draw_legend, legend_entries
from geo.printmap.scene import build_scene, central_lon
from geo.text import texts


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "sv",
            [
                "Kontor: Stadsledningskontoret",
                "Partnerstad, aktiv (fylld symbol, heldragen linje)",
                "Partnerstad, vilande (ofylld symbol, streckad linje)",
                "Vänort, aktiv (fylld symbol, heldragen linje)",
            ],
        ),
        (
            "en",
            [
                "Office: City Executive Office",
                "Partner city, active (filled symbol, solid line)",
                "Partner city, dormant (hollow symbol, dashed line)",
                "Friendship town, active (filled symbol, solid line)",
            ],
        ),
    ],
)
def test_an_entry_for_each_kind_and_status_in_words(layers, basemap, lang, expected):
    scene = build_scene(layers, basemap, central_lon(layers))
    entries = legend_entries(scene, texts(lang))
    assert [e.text for e in entries] == expected
    assert [(e.kind, e.status) for e in entries] == [
        ("office", None),
        ("partner_city", "active"),
        ("partner_city", "dormant"),
        ("friendship_town", "active"),
    ]


def test_capitalise_keeps_the_rest():
    assert capitalise("vänort, aktiv") == "Vänort, aktiv"
    assert capitalise("iPhone town") == "IPhone town"
    assert capitalise("") == ""


def drawn(entries, width=12.0):
    fig = Figure(figsize=(width, 2), dpi=100)
    renderer = FigureCanvasAgg(fig).get_renderer()
    draw_legend(fig, entries, renderer, 0.9, 0.1)
    (ax,) = fig.axes
    return fig, renderer, ax


ENTRIES = [
    Entry("office", None, "Office: City Executive Office"),
    Entry("partner_city", "active", "Partner city, active (filled symbol, solid line)"),
    Entry("partner_city", "dormant", "Partner city, dormant (hollow symbol, dashed line)"),
    Entry("friendship_town", "dormant", "Friendship town, dormant (hollow symbol, dashed line)"),
]


def test_rows_are_kinds_and_hollow_symbols_stand_in_the_second_column():
    fig, renderer, ax = drawn(ENTRIES)
    boxes = {t.get_gid(): t.get_window_extent(renderer) for t in ax.texts}
    office = boxes["legend-text-office-none"]
    active = boxes["legend-text-partner_city-active"]
    dormant = boxes["legend-text-partner_city-dormant"]
    town = boxes["legend-text-friendship_town-dormant"]
    assert office.y0 > active.y1 and active.y0 > town.y1  # a row per kind, top down
    assert active.intervaly == pytest.approx(dormant.intervaly, abs=2)  # side by side
    assert office.x0 == pytest.approx(active.x0) and dormant.x0 == pytest.approx(town.x0)
    assert dormant.x0 > active.x1  # hollow in the second column
    for box in boxes.values():
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width  # nothing runs off the page


def test_a_narrow_page_stacks_the_entries_in_one_column():
    _, renderer, ax = drawn(ENTRIES, width=5.0)
    lefts = {round(t.get_window_extent(renderer).x0) for t in ax.texts}
    assert len(lefts) == 1


def test_every_entry_has_its_symbol_and_every_relation_its_line():
    _, _, ax = drawn(ENTRIES)
    gids = {a.get_gid() for a in ax.get_children() if a.get_gid()}
    assert {f"legend-place-{e.kind}-{e.status or 'none'}" for e in ENTRIES} <= gids
    assert {f"legend-line-{e.kind}-{e.status}" for e in ENTRIES if e.status} <= gids
    assert "legend-line-office-None" not in gids and "legend-line-office-none" not in gids


def test_doctests():
    result = doctest.testmod(geo.printmap.legend, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 1
    assert result.failed == 0
