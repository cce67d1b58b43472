"""The maps as a person sees them (issue 10): every place visible and named or labelled, tooltips
and popups inside the map, the key in a small iframe, a phone table, keyboard use; in Chromium,
sv and en, full and embed pages, 360 x 740 and 1280 x 800. Screenshots go to the run's
``artifacts`` folder (pytest's base temporary folder), never into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.web import render
from tests import browser as harness
from tests.web.seeing import (
    MAP,
    READY,
    SPOTS,
    WCAG22,
    assert_outlines,
    boxes,
    inside,
    land_or_sea,
    settle,
    shoot,
    still,
)

pytestmark = pytest.mark.browser
PAGES = ["sv.html", "sv-embed.html", "en.html", "en-embed.html"]
SIZES = [(360, 740), (1280, 800)]
PLACES = 14


def write(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory, maps) -> Path:
    return write(tmp_path_factory.mktemp("maps"), maps)


@pytest.fixture(scope="module")
def site(folder):
    with harness.serve(folder) as url:
        yield url


def reset(page) -> None:
    page.click("[data-do=reset]")
    settle(page)


def view_of(kind: str) -> str:
    return ".geo-world" if kind == "world" else ".geo-map"


@pytest.mark.timeout(480)  # every place hovered and opened: 50 s seen on a loaded machine
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", PAGES)
def test_every_place_can_be_seen_named_and_opened(site, open_page, artifacts, name, size):
    with open_page(site + name, viewport=size) as visit:
        page = visit.page
        page.wait_for_function(READY)
        page.evaluate("document.querySelector('.geo-figure').scrollIntoView({block: 'nearest'})")
        settle(page)
        shoot(page, artifacts, f"{name[:-5]}-{size[0]}")
        shown = page.eval_on_selector_all(
            ".geo-panels .geo-marker:not(.geo-off)",
            "els => els.map(e => [e.closest('.geo-world') ? 'world' : 'near', e.dataset.place])",
        )
        assert len(shown) == PLACES and len({p for _, p in shown}) == PLACES  # each once
        for view, place in shown:
            marker = f"{view_of(view)} [data-place={place}]"
            reset(page)
            page.evaluate("document.activeElement.blur()")  # a focused marker shows its own
            page.hover(marker)
            tip = boxes(page, ".leaflet-tooltip")
            area = boxes(page, view_of(view))[0]
            assert len(tip) == 1 and tip[0]["w"] > tip[0]["h"] and inside(tip[0], area), place
            page.mouse.move(0, 0)
            # The popup (or bottom sheet): inside the views, its title not covered.
            page.click(marker)
            page.wait_for_selector(".leaflet-popup, .geo-sheet:not([hidden])")
            if page.is_visible(".leaflet-popup"):
                still(page)
            popup = boxes(page, ".leaflet-popup-content-wrapper, .geo-sheet")[0]
            assert inside(popup, boxes(page, ".geo-panels")[0]), (place, popup)
            assert page.evaluate(
                """() => { const t = document.querySelector('.geo-popup-name');
                  const b = t.getBoundingClientRect();
                  const hit = document.elementFromPoint(b.left + 8, b.top + b.height / 2);
                  return !!hit && t.contains(hit); }"""
            ), f"{place}: popup title covered; see {shoot(page, artifacts, f'covered-{place}')}"
            page.keyboard.press("Escape")
            page.wait_for_selector(".leaflet-popup", state="detached")
            page.wait_for_selector(".geo-sheet", state="hidden")
        violations = harness.run_axe(page, WCAG22)
        assert violations == [], harness.describe_violations(violations)
        assert visit.page_errors == [] and visit.console_errors == []


def test_the_table_reads_on_a_320_px_phone(site, open_page, artifacts):
    with open_page(site + "sv.html", viewport=(320, 640)) as visit:
        page = visit.page
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        heads = page.eval_on_selector_all(".geo-table thead th", "e => e.map(x => x.textContent)")
        assert heads[1] == "Status"
        cells = boxes(page, ".geo-table tbody td:nth-child(2)")
        assert len(cells) == PLACES
        assert all(c["x"] >= 0 and c["x"] + c["w"] <= 320 for c in cells)
        page.locator(".geo-table").scroll_into_view_if_needed()
        shoot(page, artifacts, "table-sv-320")


def tab_until(page, predicate: str, limit: int = 60) -> list[str]:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "document.activeElement.dataset.place ? 'place' : "
                "(document.activeElement.className || document.activeElement.tagName)"
            )
        )
        if page.evaluate(predicate):
            break
    return seen


@pytest.mark.parametrize("name", ["sv.html", "en-embed.html"])
def test_keyboard_reaches_the_tools_then_every_place_once_and_focus_is_never_hidden(
    site, open_page, name
):
    with open_page(site + name, viewport=(360, 740)) as visit:
        page = visit.page
        page.wait_for_function(READY)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "geo-skip"
        seen = tab_until(page, "!!document.activeElement.dataset.place")
        assert "geo-button" in seen and seen[-1] == "place"  # the tools before the places
        reached = ["place"]
        for _ in range(40):
            page.keyboard.press("Tab")
            if not page.evaluate("!!document.activeElement.dataset.place"):
                break
            reached.append(page.evaluate("document.activeElement.dataset.place"))
            # the focused place is in sight and on top
            marker = boxes(page, ".geo-marker:focus")[0]
            hit = page.evaluate(
                "([x, y]) => !!document.elementFromPoint(x, y)?.closest('.geo-marker:focus')",
                [marker["x"] + marker["w"] / 2, marker["y"] + marker["h"] / 2],
            )
            assert hit, reached[-1]
        assert len(reached) == PLACES and len(set(reached[1:])) == PLACES - 1
        # Space activates a button.
        zoom = page.evaluate(f"() => {MAP}.getZoom()")
        page.locator("[data-do=in]").press("Space")
        assert page.evaluate(f"() => {MAP}.getZoom()") > zoom
        page.locator("[data-do=reset]").press("Space")
        settle(page)
        # Enter moves focus into the popup; Escape brings it back to the marker.
        page.focus(".geo-map [data-place=kiel]")
        page.keyboard.press("Enter")
        page.wait_for_selector(".leaflet-popup, .geo-sheet:not([hidden])")
        assert page.evaluate("!!document.activeElement.closest('.leaflet-popup, .geo-sheet')")
        page.keyboard.press("Escape")
        page.wait_for_selector(".geo-sheet", state="hidden")
        assert page.evaluate("document.activeElement.dataset.place") == "kiel"
        # The skip link goes past the map.
        page.focus(".geo-skip")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "geo-after-map"
        assert visit.page_errors == []


def test_pan_buttons_move_the_map_without_dragging(site, open_page):
    with open_page(site + "en.html") as visit:
        page = visit.page
        page.wait_for_function(READY)
        centre = page.evaluate(f"() => {MAP}.getCenter().lng")
        page.get_by_role("button", name="Move the map east").click()
        harness.wait_until(page, f"{MAP}.getCenter().lng > {centre!r}")
        for button in page.locator(".geo-tools button, .geo-popup-close").all():
            box = button.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24


def test_maps_opened_from_the_file_system(open_page, tmp_path, maps):
    folder = write(tmp_path / "maps", maps)
    with open_page((folder / "sv.html").as_uri()) as visit:
        visit.page.wait_for_function(READY)
        assert visit.page.locator(".geo-panels .geo-marker:not(.geo-off)").count() == PLACES
        assert visit.page_errors == []
    (folder / "assets" / "leaflet.js").unlink()  # a fresh clone before `make build`
    with open_page((folder / "en.html").as_uri()) as visit:
        message = visit.page.locator(".geo-map-message")
        message.wait_for(state="visible", timeout=30_000)  # once the map has not started
        assert "make build" in message.inner_text()
        assert visit.page.locator(".geo-table tbody tr").count() == PLACES


def test_zoom_is_bounded_to_what_the_outlines_show(site, open_page):
    with open_page(site + "en.html") as visit:
        visit.page.wait_for_function(READY)
        assert visit.page.evaluate(f"() => {MAP}.getMaxZoom()") == render_max_zoom()


def render_max_zoom() -> int:
    from geo.web.page import MAX_ZOOM

    return MAX_ZOOM


assert render.LARGE_TABLE > PLACES


LAND_SEA = {  # points well inside land and sea at 1:110m, in each view's first sight
    "near": [((50.0, 10.0), "land"), ((56.5, 3.0), "sea")],  # Germany; the North Sea
    "world": [((23.0, 5.0), "land"), ((40.0, -100.0), "land"), ((-30.0, -15.0), "sea")],
}
CHINA = [((33.0, 112.0), "land"), ((28.0, 127.0), "sea")]  # Henan; the East China Sea


def test_outlines_are_drawn_wherever_a_view_reaches(site, open_page, artifacts):
    """Each view draws the countries it shows (the overview simplified to half a pixel): land
    where the Earth has land, sea where it has sea, in the first view and once the large map has
    moved to the other side of Asia, where nothing was drawn at first."""
    with open_page(site + "en.html", viewport=(360, 740)) as visit:
        page = visit.page
        harness.wait_until(page, "document.querySelector('.geo-map[data-geo-outlines]')")
        for view, points in LAND_SEA.items():
            assert_outlines(page, view, points)
        # what a drag reveals is drawn already: half a view round the large map (a quarter of a
        # view past each edge and corner, land or sea as Natural Earth has it, 0.3 degree or more
        # from any coast); the overview never moves
        around = page.evaluate(SPOTS, ["near", [-0.25, 0.5, 1.25]])
        checked = [(p[:2], kind) for p in around if (kind := land_or_sea(*p))]
        assert len(checked) >= 4, around
        assert_outlines(page, "near", checked)
        page.evaluate("geo.show('shanghai')")
        settle(page)
        shoot(page, artifacts, "outlines-shanghai-360")
        assert_outlines(page, "near", CHINA)
        assert visit.page_errors == [] and visit.console_errors == []
