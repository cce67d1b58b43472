"""The maps as a person sees them (issue 10): every place visible and named or labelled, tooltips
and popups inside the map, the key in a small iframe, a phone table, keyboard use; in Chromium,
sv and en, full and embed pages, 360 x 740 and 1280 x 800. Screenshots go to the run's
``artifacts`` folder (pytest's base temporary folder), never into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.web import render, snippet
from tests import browser as harness
from tests.web.seeing import (
    HITS,
    MAP,
    MAP_BOX,
    READY,
    WCAG22,
    boxes,
    inside,
    overlap,
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


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "artifacts"


def reset(page) -> None:
    page.locator(".geo-zoom .geo-button").nth(2).click()
    settle(page)


@pytest.mark.timeout(480)  # every place hovered and opened: 50 s seen on a loaded machine
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", PAGES)
def test_every_place_can_be_seen_named_and_opened(site, open_page, artifacts, name, size):
    with open_page(site + name, viewport=size) as visit:
        page = visit.page
        page.wait_for_function(READY)
        settle(page)
        shoot(page, artifacts, f"{name[:-5]}-{size[0]}")
        area = page.evaluate(MAP_BOX)
        # At the first view, the point of each place shows that place and nothing covers it.
        assert page.evaluate(HITS) == []
        markers = boxes(page, ".geo-marker")
        assert len(markers) == PLACES and all(inside(m, area) for m in markers)
        # Names on the map: inside it, on no marker, on no other name, wider than tall.
        labels = boxes(page, ".geo-label")
        assert len(labels) >= (4 if size[0] < 400 else 8), [lb["text"] for lb in labels]
        for i, label in enumerate(labels):
            assert inside(label, area) and label["w"] > label["h"], label
            assert not any(overlap(label, m) for m in markers), label["text"]
            assert not any(overlap(label, other) for other in labels[i + 1 :]), label["text"]
        ids = page.eval_on_selector_all(".geo-marker", "els => els.map(e => e.dataset.place)")
        for place in ids:
            # The hover label: one line or wrapped between words, inside the map.
            reset(page)
            page.evaluate("document.activeElement.blur()")  # a focused marker shows its own
            page.hover(f"[data-place={place}]")
            tip = boxes(page, ".leaflet-tooltip")
            assert len(tip) == 1 and tip[0]["w"] > tip[0]["h"] and inside(tip[0], area), place
            page.mouse.move(0, 0)
            # The popup: inside the map, its title not covered by a control.
            page.click(f"[data-place={place}]")
            page.wait_for_selector(".leaflet-popup")
            still(page)
            popup = boxes(page, ".leaflet-popup-content-wrapper")[0]
            assert inside(popup, page.evaluate(MAP_BOX)), (place, popup)
            assert page.evaluate(
                """() => { const t = document.querySelector('.leaflet-popup .geo-popup-name');
                  const b = t.getBoundingClientRect();
                  const hit = document.elementFromPoint(b.left + 8, b.top + b.height / 2);
                  return !!hit && t.contains(hit); }"""
            ), f"{place}: popup title covered; see {shoot(page, artifacts, f'covered-{place}')}"
            page.keyboard.press("Escape")
            page.wait_for_selector(".leaflet-popup", state="detached")
        violations = harness.run_axe(page, WCAG22)
        assert violations == [], harness.describe_violations(violations)
        assert visit.page_errors == [] and visit.console_errors == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_status_key_shows_in_a_small_iframe(site, open_page, artifacts, folder, lang):
    code = (folder / "embed-snippet.html").read_text(encoding="utf-8")
    block = code.split(f"<!-- {lang} -->")[1].split("<!--")[0]
    host = f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><body style="margin:0">'
    host += block
    host += '<div style="height:3000px"></div></body></html>'
    (folder / f"host-{lang}.html").write_text(host, encoding="utf-8")
    with open_page(site + f"host-{lang}.html", viewport=(360, 740)) as visit:
        page = visit.page
        frame_box = page.locator("iframe").bounding_box()
        assert (frame_box["width"], frame_box["height"]) == (360, 270)
        assert page.locator("iframe").get_attribute("sandbox") == snippet.SANDBOX
        frame = page.frame_locator("iframe")
        frame.locator(".geo-map[data-geo-ready]").wait_for(state="attached")
        inner = page.frames[1]
        rows = boxes(inner, ".geo-key-status li")
        assert len(rows) == 2
        for row in rows:  # inside the frame's view, not covered
            assert inside(row, {"x": 0, "y": 0, "w": 360, "h": 270}), row
            hit = inner.evaluate(
                "([x, y]) => !!document.elementFromPoint(x, y).closest('.geo-key-status li')",
                [row["x"] + row["w"] / 2, row["y"] + row["h"] / 2],
            )
            assert hit
        shoot(page, artifacts, f"iframe-{lang}-360x270")
        # The wheel over the map scrolls the host page; the map does not zoom.
        zoom = inner.evaluate(f"() => {MAP}.getZoom()")
        inner.evaluate(
            "() => { window.__wheels = 0; document.addEventListener('wheel',"
            " () => { window.__wheels += 1; }, {capture: true}); }"
        )
        page.mouse.move(180, 135)
        for _ in range(8):
            page.mouse.wheel(0, 300)
        harness.wait_until(inner, "window.__wheels >= 1")  # the map's frame had the wheel ...
        harness.wait_until(page, "window.scrollY > 0")  # ... and the host page scrolled
        # The wheel without Ctrl switched the map's wheel zoom off: no zoom can follow.
        assert inner.evaluate(f"() => {MAP}.scrollWheelZoom.enabled()") is False
        assert inner.evaluate(f"() => {MAP}.getZoom()") == zoom
        assert visit.page_errors == []


@pytest.mark.parametrize("name", ["sv.html", "en-embed.html"])
def test_the_table_reads_on_a_320_px_phone(site, open_page, artifacts, name):
    with open_page(site + name, viewport=(320, 640)) as visit:
        page = visit.page
        if "embed" in name:
            page.click("summary")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        heads = page.eval_on_selector_all(".geo-table thead th", "e => e.map(x => x.textContent)")
        assert heads[1] == "Status"
        cells = boxes(page, ".geo-table tbody td:nth-child(2)")
        assert len(cells) == PLACES
        assert all(c["x"] >= 0 and c["x"] + c["w"] <= 320 for c in cells)
        page.locator(".geo-table").scroll_into_view_if_needed()
        shoot(page, artifacts, f"table-{name[:-5]}-320")


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
def test_keyboard_controls_come_first_and_focus_is_never_hidden(site, open_page, name):
    with open_page(site + name, viewport=(360, 740)) as visit:
        page = visit.page
        page.wait_for_function(READY)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "geo-skip"
        seen = tab_until(page, "!!document.activeElement.dataset.place")
        assert "geo-button" in seen and seen[-1] == "place"
        assert seen.index("geo-button") < len(seen) - 1  # the controls before the markers
        # Space activates a button.
        page.focus(".geo-zoom .geo-button")
        zoom = page.evaluate(f"() => {MAP}.getZoom()")
        page.keyboard.press(" ")
        assert page.evaluate(f"() => {MAP}.getZoom()") > zoom
        page.locator(".geo-zoom .geo-button").nth(2).press("Space")  # back to every place
        settle(page)
        # Each focused marker is on top: nothing covers it, no control, no popup.
        ids = page.eval_on_selector_all(".geo-marker", "els => els.map(e => e.dataset.place)")
        for place in ids:
            page.focus(f"[data-place={place}]")
            settle(page)
            assert page.evaluate(HITS) == [] or place not in [h[0] for h in page.evaluate(HITS)]
            marker = boxes(page, f"[data-place={place}]")[0]
            assert not any(overlap(marker, c) for c in boxes(page, ".leaflet-control")), place
        # Enter moves focus into the popup; Escape brings it back to the marker.
        page.focus("[data-place=kiel]")
        page.keyboard.press("Enter")
        page.wait_for_selector(".leaflet-popup")
        assert page.evaluate("!!document.activeElement.closest('.leaflet-popup')")
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached")
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
        for button in page.locator(".leaflet-control button, .leaflet-control input").all():
            box = button.bounding_box()
            assert (box["width"] >= 24 and box["height"] >= 24) or button.get_attribute(
                "type"
            ) == "checkbox"


def test_maps_opened_from_the_file_system(open_page, tmp_path, maps):
    folder = write(tmp_path / "maps", maps)
    with open_page((folder / "sv.html").as_uri()) as visit:
        visit.page.wait_for_function(READY)
        assert visit.page.locator(".geo-marker").count() == PLACES
        assert visit.page_errors == []
    (folder / "assets" / "leaflet.js").unlink()  # a fresh clone before `make build`
    with open_page((folder / "en.html").as_uri()) as visit:
        message = visit.page.locator(".geo-map-message")
        assert message.is_visible() and "make build" in message.inner_text()
        assert visit.page.locator(".geo-table tbody tr").count() == PLACES


def test_zoom_is_bounded_to_what_the_outlines_show(site, open_page):
    with open_page(site + "en.html") as visit:
        visit.page.wait_for_function(READY)
        assert visit.page.evaluate(f"() => {MAP}.getMaxZoom()") == render_max_zoom()


def render_max_zoom() -> int:
    from geo.web.page import MAX_ZOOM

    return MAX_ZOOM


assert render.LARGE_TABLE > PLACES
