"""geo.printmap.panel: one map panel, its extent, its lines in view, what it draws."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.printmap.panel import (
    MIN_SPAN_M,
    draw_panel,
    draw_sheet,
    fit,
    in_view,
    limits,
    make_panel,
    paths,
)
from geo.printmap.scene import Line, build_scene, central_lon


def test_limits_pad_the_points_and_keep_a_minimum_span():
    x0, x1, y0, y1 = limits(np.array([[0.0, 0.0], [1000.0, 0.0]]), 0.1)
    assert (x1 - x0, y1 - y0) == pytest.approx((1.2 * MIN_SPAN_M, 1.2 * MIN_SPAN_M))


def test_limits_about_a_centre_are_symmetric():
    x0, x1, _, _ = limits(np.array([[-9e6, 0.0], [1e6, 5e5]]), 0.0, centre_x=0.0)
    assert (x0, x1) == pytest.approx((-9e6, 9e6))


@pytest.mark.parametrize("box", [(0, 10, 0, 1), (0, 1, 0, 10), (-5, 5, -5, 5)])
def test_fit_gives_the_panels_shape_and_keeps_what_was_asked(box):
    x0, x1, y0, y1 = fit(box, 4.0, 2.0)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(2.0)
    assert x0 <= box[0] and x1 >= box[1] and y0 <= box[2] and y1 >= box[3]
    assert (x0 + x1, y0 + y1) == pytest.approx((box[0] + box[1], box[2] + box[3]))


def test_in_view_keeps_the_runs_inside_with_one_vertex_beyond():
    line = Line("partner_city", "active", np.array([[x, 0.0] for x in range(-5, 6)], float))
    (run,) = in_view([line], (-1.5, 1.5, -1, 1))
    assert run.xy[:, 0].tolist() == [-2, -1, 0, 1, 2]
    assert (run.relation, run.status) == ("partner_city", "active")
    outside = Line("friendship_town", "dormant", np.array([[10.0, 10.0], [11.0, 10.0]]))
    assert in_view([outside], (-1, 1, -1, 1)) == []


def test_in_view_cuts_a_line_that_leaves_and_comes_back_into_runs_of_its_own():
    away = Line("partner_city", "dormant", np.array([[0, 0], [5, 0], [0, 0.5]], float))
    back = Line("friendship_town", "active", np.array([[x, 0.0] for x in (0, 1, 5, 9, 5, 1, 0)]))
    runs = in_view([away, back], (-1.5, 1.5, -1, 1))
    assert [run.xy[:, 0].tolist() for run in runs] == [[0, 5, 0], [0, 1, 5], [5, 1, 0]]
    assert [run.relation for run in runs] == ["partner_city", *["friendship_town"] * 2]


def test_paths_are_those_matplotlib_makes():
    rng = np.random.default_rng(1)
    from matplotlib.path import Path

    segments = [rng.normal(size=(n, 2)) for n in (2, 127, 128, 500)]
    for made, segment in zip(paths(segments), segments, strict=True):
        wanted = Path(segment)
        assert made.vertices.tobytes() == wanted.vertices.tobytes() and made.codes is None
        assert made.should_simplify == wanted.should_simplify  # only the long ones
        assert made.simplify_threshold == wanted.simplify_threshold
        assert made._interpolation_steps == wanted._interpolation_steps


def test_lines_drawn_from_arrays_have_the_pixels_of_a_line_collection(layers, basemap):

    from geo.printmap.panel import draw_lines

    scene = build_scene(layers, basemap, central_lon(layers))
    wiggle = np.column_stack([np.linspace(-1e7, 1e7, 300), np.sin(np.arange(300.0)) * 3e4])
    lines = [*scene.lines, Line("partner_city", "dormant", wiggle)]  # one Agg simplifies
    images = []
    for fast in (True, False):
        fig = Figure(figsize=(6, 4), dpi=72)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-1.7e7, 1.7e7)
        ax.set_ylim(-8e6, 8e6)
        if fast:
            draw_lines(ax, lines, 0.5)
        else:
            for collection in draw_lines_collections(lines):
                ax.add_collection(collection)
        canvas.draw()
        images.append(np.asarray(canvas.buffer_rgba()).copy())
    assert images[0].tobytes() == images[1].tobytes()


def draw_lines_collections(lines):
    """What draw_lines drew before, with matplotlib's public constructor."""
    from matplotlib.collections import LineCollection

    from geo.printmap.look import line_look
    from geo.style import LINE_ORDER

    order = [s.value for s in LINE_ORDER]  # dormant lines first, active ones over them
    pairs = {(line.relation, line.status) for line in lines}
    for relation, status in sorted(pairs, key=lambda p: (order.index(p[1]), p)):
        look = line_look(relation, status, 0.5)
        segments = [line.xy for line in lines if (line.relation, line.status) == (relation, status)]
        yield LineCollection(
            segments, colors=look.colour, linewidths=look.width, linestyles=[look.linestyle],
            alpha=look.alpha, capstyle="butt", zorder=2,
        )  # fmt: skip


def draw(scene, panel, image=None):
    fig = Figure(figsize=(6, 4), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(panel.rect)
    draw_panel(ax, scene, panel, image)
    return ax


def gids(ax) -> set[str]:
    return {a.get_gid() for a in ax.get_children() if a.get_gid()}


def test_a_panel_draws_land_each_line_style_and_each_symbol(layers, basemap):
    scene = build_scene(layers, basemap, central_lon(layers))
    panel = make_panel("single", (0, 0, 1, 1), (-1.7e7, 1.7e7, -8e6, 8e6), set(), (6, 4))
    assert gids(draw(scene, panel)) >= {
        "land",
        "line-partner_city-active",
        "line-partner_city-dormant",
        "line-friendship_town-active",
        "place-office-none",
        "place-office-none-edge",
        "place-partner_city-active",
        "place-partner_city-dormant",
        "place-friendship_town-active",
    }


def test_a_panel_outlines_the_detail_panels_view(layers, basemap):
    scene = build_scene(layers, basemap, central_lon(layers))
    box = (-1e6, 1e6, 5e6, 7e6)
    panel = make_panel("world", (0, 0, 1, 1), (-1.7e7, 1.7e7, -8e6, 8e6), set(), (6, 4), box)
    (rectangle,) = [a for a in draw(scene, panel).patches if a.get_gid() == "detail-box"]
    assert rectangle.get_bbox().bounds == pytest.approx((-1e6, 5e6, 2e6, 2e6))


def test_a_large_panel_is_one_image_with_the_office_on_top(layers, basemap):
    scene = build_scene(layers, basemap, central_lon(layers))
    panel = make_panel(
        "single", (0, 0, 1, 1), (-1.7e7, 1.7e7, -8e6, 8e6), set(), (6, 4), None, True
    )
    (image,) = draw_sheet(scene, [panel], (6, 4), 72)
    assert image.shape == (288, 432, 4)  # the panel's pixels, RGBA
    assert image[..., 3].max() == 255 and image[..., 3].min() == 0  # drawn, and transparent
    ax = draw(scene, panel, image)
    assert len(ax.images) == 1
    assert gids(ax) == {"land", "place-office-none", "place-office-none-edge"}


def test_only_raster_panels_get_an_image(layers, basemap):
    scene = build_scene(layers, basemap, central_lon(layers))
    panel = make_panel("single", (0, 0, 1, 1), (-1.7e7, 1.7e7, -8e6, 8e6), set(), (6, 4))
    assert draw_sheet(scene, [panel], (6, 4), 72) == [None]


def test_a_raster_panel_leaves_out_only_symbols_that_cannot_show(layers, basemap, monkeypatch):
    import geo.printmap.panel as panel_module
    from geo.printmap.scene import Place, Scene

    scene = build_scene(layers, basemap, central_lon(layers))
    panel = make_panel("single", (0, 0, 1, 1), (-1e6, 1e6, 5e6, 7e6), set(), (6, 4), None, True)
    x0, x1, y0, y1 = panel.view
    step = (x1 - x0) / 432 * 1.5  # a pixel and a half (432 pixels across at 72 dpi)
    rim = [  # a symbol's centre just outside each side of the view: part of it shows
        Place(f"rim{i}", "partner_city", "active", {}, x, y, 10.0, "2024-01-01")
        for i, (x, y) in enumerate(
            [(x0 - step, 6e6), (x1 + step, 6e6), (0.0, y0 - step), (0.0, y1 + step)]
        )
    ]
    far = Place("far", "partner_city", "dormant", {}, 9e6, 6e6, 10.0, "2024-01-01")
    scene = Scene(scene.lon_0, (*scene.places, *rim, far), scene.lines, scene.rings)
    shown = panel_module.places_in_view(scene.places, panel.view, 10 * step)
    assert far not in shown and set(rim) <= set(shown)
    (image,) = draw_sheet(scene, [panel], (6, 4), 72)
    monkeypatch.setattr(panel_module, "places_in_view", lambda places, view, reach: places)
    (every,) = draw_sheet(scene, [panel], (6, 4), 72)
    assert image.tobytes() == every.tobytes()  # the same picture from fewer symbols
    # ... while leaving out the symbols on the rim would change it.
    monkeypatch.setattr(
        panel_module,
        "places_in_view",
        lambda places, view, reach: [p for p in places if p not in rim],
    )
    (fewer,) = draw_sheet(scene, [panel], (6, 4), 72)
    assert image.tobytes() != fewer.tobytes()


def test_a_raster_panels_image_lands_on_the_page_pixel_for_pixel(layers, basemap):
    scene = build_scene(layers, basemap, central_lon(layers))
    scene = type(scene)(scene.lon_0, (), (), ())  # nothing but the image
    panel = make_panel(
        "single", (0.1, 0.2, 0.5, 0.6), (-1e7, 1e7, -5e6, 5e6), set(), (6, 4), None, True
    )
    fig = Figure(figsize=(6, 4), dpi=72)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes(panel.rect)
    box = ax.get_window_extent()
    height, width = round(box.y1) - round(box.y0), round(box.x1) - round(box.x0)
    rng = np.random.default_rng(3)
    image = np.zeros((height, width, 4), np.uint8)
    image[..., :3] = rng.integers(0, 256, (height, width, 3))
    image[..., 3] = 255  # opaque: the page shows the image's own colours
    image[5, :, :3] = (255, 0, 0)  # a row near the top red: upside down would show
    draw_panel(ax, scene, panel, image)
    canvas.draw()
    page = np.asarray(canvas.buffer_rgba())
    top, left = page.shape[0] - round(box.y1), round(box.x0)
    inside = page[top : top + height, left : left + width][3:-3, 3:-3]  # not the panel's frame
    assert inside.tobytes() == image[3:-3, 3:-3].tobytes()


@pytest.mark.parametrize("inner_turn", [1, -1])
def test_a_country_inside_another_is_land_whichever_way_its_ring_runs(inner_turn):
    """Lesotho inside South Africa: the land is one path, filled by the nonzero rule, so a ring
    that ran the other way round would punch a hole of sea into it, were the rings not turned
    alike. Read from the drawn pixels."""
    from geo.printmap.panel import LAND, SEA
    from geo.printmap.scene import Scene

    def square(half: float, turn: int) -> np.ndarray:
        ring = np.array([[-half, -half], [half, -half], [half, half], [-half, half]], float)
        return ring if turn > 0 else ring[::-1]

    rings = (square(4e6, -1), square(1e6, inner_turn))
    panel = make_panel("single", (0, 0, 1, 1), (-1e7, 1e7, -1e7, 1e7), set(), (4, 4))
    ax = draw(Scene(0.0, (), (), rings), panel)
    canvas = ax.figure.canvas
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3]
    height, width = pixels.shape[:2]

    def colour(x: float, y: float) -> str:
        """The pixel at projected metres (x, y), as #RRGGBB."""
        col = round((x - panel.view[0]) / (panel.view[1] - panel.view[0]) * (width - 1))
        row = round((panel.view[3] - y) / (panel.view[3] - panel.view[2]) * (height - 1))
        return "#{:02X}{:02X}{:02X}".format(*pixels[row, col])

    assert colour(0, 0) == LAND  # inside both rings
    assert colour(2.5e6, 0) == LAND  # inside the outer one only
    assert colour(7e6, 0) == SEA
