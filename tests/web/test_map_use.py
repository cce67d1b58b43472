"""Issue 20, items 4 and 6 to 10, in Chromium: the lines' hierarchy and the key's swatches (in
forced-colours mode too), the snippet on a host page with a strict policy, popups as a bottom
sheet on small maps, deep links, the table in step with the map, the summary, the layer toggles'
names, Tab from a popup to the next place, zoom toward home, no scale bar at world zoom."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import browser as harness
from tests.web.seeing import MAP, READY, WCAG22, overlap, settle, shoot, write_files
from tests.web.truth import BOX

pytestmark = pytest.mark.browser
SHEET = "document.querySelector('.geo-sheet:not([hidden])')"
POPUP = "document.querySelector('.leaflet-popup')"


@pytest.fixture(scope="module")
def site(tmp_path_factory, maps):
    folder = write_files(tmp_path_factory.mktemp("maps"), maps)
    with harness.serve(folder) as url:
        yield url, folder


LINES = """() => [...document.querySelectorAll('.geo-map path.geo-connection')].map(p => {
  const s = getComputedStyle(p);
  return {rank: p.classList.contains('geo-rank-1') ? 1 : 0, width: parseFloat(s.strokeWidth),
    opacity: parseFloat(s.strokeOpacity), dash: s.strokeDasharray, colour: s.stroke};
})"""


@pytest.mark.parametrize("forced", [False, True], ids=["normal", "forced-colours"])
def test_lines_have_a_hierarchy_and_the_key_shows_the_same_swatches(site, open_page, forced):
    url, _ = site
    with open_page(url + "en.html") as visit:
        page = visit.page
        if forced:
            page.emulate_media(forced_colors="active")
        harness.wait_until(page, READY)
        lines = page.evaluate(LINES)
        active = [ln for ln in lines if ln["rank"] == 1]
        dormant = [ln for ln in lines if ln["rank"] == 0]
        assert len(active) == 4 and len(dormant) == 9
        assert min(a["width"] for a in active) > max(d["width"] for d in dormant)
        assert min(a["opacity"] for a in active) > max(d["opacity"] for d in dormant)
        assert all(a["dash"] == "none" for a in active) and all(
            d["dash"] != "none" for d in dormant
        )
        # active lines are drawn after (over) dormant ones
        ranks = [ln["rank"] for ln in lines]
        assert ranks == sorted(ranks)
        # the key's line samples: the same colour, width ratio and dash as the map's lines
        samples = page.evaluate(
            """() => [...document.querySelectorAll('.geo-key .geo-sample-line')].map(p => {
              const s = getComputedStyle(p);
              return {colour: s.stroke, opacity: parseFloat(s.strokeOpacity)};
            })"""
        )
        assert {(s["colour"], s["opacity"]) for s in samples} <= {
            (ln["colour"], ln["opacity"]) for ln in lines
        }
        # a place's symbol in the key and on the map: the same fill and outline
        same = page.evaluate(
            """() => ['partner_city|dormant', 'friendship_town|active'].map(key => {
              const [kind] = key.split('|');
              const fills = (s) => [...document.querySelectorAll(s)]
                .map(e => getComputedStyle(e).fill);
              const inKey = fills('.geo-key svg circle, .geo-key svg path');
              const onMap = fills('.geo-marker svg circle, .geo-marker svg path');
              return onMap.every(f => inKey.includes(f));
            })"""
        )
        assert same == [True, True]


def test_short_friendship_lines_show_beyond_their_symbols(site, open_page):
    url, _ = site
    with open_page(url + "en.html", viewport=(360, 740)) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        settle(page)
        # For each friendship line on the large map, the length of it outside every symbol.
        shown = page.evaluate(
            """() => {
              const markers = [...document.querySelectorAll('.geo-map .geo-marker')]
                .map(m => m.getBoundingClientRect());
              return [...document.querySelectorAll('.geo-map path.geo-connection')]
                .filter(p => getComputedStyle(p).stroke === 'rgb(213, 94, 0)').map(p => {
                  const n = Math.ceil(p.getTotalLength()), m = p.getScreenCTM();
                  let out = 0;
                  for (let i = 0; i < n; i++) {
                    const q = p.getPointAtLength(i), x = m.a * q.x + m.e, y = m.d * q.y + m.f;
                    const on = b => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;
                    if (!markers.some(on)) out++;
                  }
                  return out;
                });
            }"""
        )
        assert len(shown) == 3 and min(shown) >= 3, shown  # Aarhus, the shortest: 220 km


def host_page(folder: Path, lang: str, csp: str) -> str:
    code = (folder / "embed-snippet.html").read_text(encoding="utf-8")
    sheet = code.split("-->", 1)[1].split("<!--", 1)[0]  # the style sheet's link
    block = code.split(f"<!-- {lang} -->")[1].split("<!--")[0]
    name = f"host-{lang}.html"
    (folder / name).write_text(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}"><title>Host</title></head>'
        f"<body><main><h1>Host</h1>{sheet}{block}<p>After the map</p>"
        + "<p>Text of the host page.</p>" * 200
        + "</main></body></html>",
        encoding="utf-8",
    )
    return name


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("width", [320, 360, 1280])
def test_the_snippet_works_on_a_host_page_with_a_strict_policy(
    site, open_page, artifacts, lang, width
):
    url, folder = site
    name = host_page(folder, lang, "default-src 'self'; frame-src 'self'")
    with open_page(url + name, viewport=(width, 740)) as visit:
        page = visit.page
        frame = page.locator("iframe")
        frame.scroll_into_view_if_needed()
        box = frame.bounding_box()
        # 4:3 as wide as the column (at most 80 % of the window high), at least 300 x 225,
        # styled by the sheet beside the maps: no inline style anywhere
        height = min(box["width"] * 3 / 4, 0.8 * 740)
        assert box["width"] >= 300 and abs(box["height"] - height) <= 1, box
        inner = page.frames[1]
        harness.wait_until(inner, READY)
        shoot(page, artifacts, f"host-{lang}-{width}")
        # the frame's page does not scroll inside the frame
        size = inner.evaluate("[document.documentElement.scrollHeight, innerHeight]")
        assert size[0] <= size[1]
        # the wheel over the map scrolls the host page; the map does not zoom
        zoom = inner.evaluate(f"() => {MAP}.getZoom()")
        page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2)
        before = page.evaluate("scrollY")
        for _ in range(4):
            page.mouse.wheel(0, 200)
        harness.wait_until(page, f"scrollY > {before}")
        assert inner.evaluate(f"() => {MAP}.getZoom()") == zoom
        assert visit.page_errors == []


def test_one_finger_over_an_embedded_map_scrolls_the_host_page(site, chromium):
    url, folder = site
    name = host_page(folder, "en", "default-src 'self'; frame-src 'self'")
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(url + name)
        frame = page.locator("iframe")
        frame.scroll_into_view_if_needed()
        harness.wait_until(page.frames[1], READY)
        harness.wait_until(page.frames[1], "!!window.leafletGestureHandling")
        box = frame.bounding_box()
        inner = page.frames[1]
        centre = inner.evaluate(f"() => {MAP}.getCenter()")
        cdp = context.new_cdp_session(page)
        for fx in (0.3, 0.8):  # over the large map and over the world view
            before = page.evaluate("scrollY")
            x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.5
            cdp.send(
                "Input.dispatchTouchEvent",
                {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]},
            )
            for k in range(1, 11):
                point = {"x": x, "y": y - 12 * k}
                cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
            harness.wait_until(page, f"scrollY > {before + 40}")
        assert inner.evaluate(f"() => {MAP}.getCenter()") == centre  # the map stayed
    finally:
        context.close()


def open_sheet(page, place: str) -> None:
    page.click(f".geo-map [data-place={place}]")
    harness.wait_until(page, SHEET)


@pytest.mark.parametrize("name", ["sv.html", "en-embed.html"])
def test_a_small_maps_popup_is_a_bottom_sheet_that_leaves_the_map_where_it_was(
    site, open_page, artifacts, name
):
    url, _ = site
    size = (360, 740) if "embed" not in name else (480, 360)
    with open_page(url + name, viewport=size) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        page.evaluate("document.querySelector('.geo-figure').scrollIntoView({block: 'nearest'})")
        settle(page)
        open_sheet(page, "stadsledningskontoret")  # the longest popup: addresses, phone
        shoot(page, artifacts, f"sheet-{name[:-5]}")
        sheet = page.evaluate(BOX, ".geo-sheet")[0]
        panels = page.evaluate(BOX, ".geo-panels")[0]
        # across the bottom of the views, the place itself clear of it
        assert abs(sheet["y"] + sheet["h"] - (panels["y"] + panels["h"])) <= 1
        assert abs(sheet["w"] - panels["w"]) <= 1
        place = page.evaluate(BOX, ".geo-map [data-place=stadsledningskontoret]")[0]
        assert not overlap(place, sheet)
        # a visible cue while more lies below; none at the end
        if page.evaluate(
            "(s => s.scrollHeight > s.clientHeight)(document.querySelector('.geo-sheet'))"
        ):
            assert page.is_visible(".geo-more")
            page.evaluate(
                "(s => s.scrollTop = s.scrollHeight)(document.querySelector('.geo-sheet'))"
            )
            harness.wait_until(page, "document.querySelector('.geo-more').hidden")
        centre = page.evaluate(f"() => {MAP}.getCenter()")
        page.keyboard.press("Escape")
        harness.wait_until(page, "document.querySelector('.geo-sheet').hidden")
        settle(page)
        assert page.evaluate(f"() => {MAP}.getCenter()") == centre  # closing moves nothing
        assert page.evaluate("document.activeElement.dataset.place") == "stadsledningskontoret"
        assert visit.page_errors == []


@pytest.mark.parametrize(("name", "size"), [("sv.html", (360, 740)), ("en.html", (1280, 800))])
def test_tab_from_a_popup_goes_on_to_the_next_place(site, open_page, name, size):
    url, _ = site
    with open_page(url + name, viewport=size) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        page.focus(".geo-map [data-place=kiel]")
        page.keyboard.press("Enter")
        harness.wait_until(page, f"{SHEET} || {POPUP}")
        order = page.eval_on_selector_all(
            ".geo-panels .geo-marker[tabindex='0']", "els => els.map(e => e.dataset.place)"
        )
        assert page.evaluate("!!document.activeElement.closest('.geo-sheet, .leaflet-popup')")
        for _ in range(6):  # through the popup (its close button, a link) and out of it
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.dataset.place"):
                break
        assert (
            page.evaluate("document.activeElement.dataset.place") == order[order.index("kiel") + 1]
        )
        assert page.evaluate(f"!({SHEET} || {POPUP})")


def test_a_page_made_narrow_after_it_started_lays_its_symbols_out_at_the_small_size(
    site, open_page
):
    """A view under 420 px across or high draws 24 px symbols, a larger one 26 px
    (layout.js symbolSize); a window resized after the first view changes them and lays the
    places out again, every one inside its map."""
    url, _ = site
    width = "document.querySelector('.geo-map [data-place=kiel]').getBoundingClientRect().width"
    with open_page(url + "en.html", viewport=(1280, 800)) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        assert page.evaluate(width) == 26
        page.set_viewport_size({"width": 360, "height": 640})
        harness.wait_until(page, f"{width} === 24")
        settle(page)
        outside = page.evaluate(
            """() => [...document.querySelectorAll('.geo-panels .geo-marker:not(.geo-off)')]
              .filter(m => {
                const box = m.closest('.leaflet-container').getBoundingClientRect();
                const b = m.getBoundingClientRect();
                return b.left < box.left || b.right > box.right
                  || b.top < box.top || b.bottom > box.bottom;
              }).map(m => m.dataset.place)"""
        )
        assert outside == [] and visit.page_errors == []


@pytest.mark.parametrize(("name", "size"), [("sv.html", (360, 740)), ("en.html", (1280, 800))])
def test_shift_tab_from_a_popup_closes_it_and_returns_to_its_place(site, open_page, name, size):
    url, _ = site
    with open_page(url + name, viewport=size) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        page.focus(".geo-map [data-place=kiel]")
        page.keyboard.press("Enter")
        harness.wait_until(page, f"{SHEET} || {POPUP}")
        assert page.evaluate("!!document.activeElement.closest('.geo-sheet, .leaflet-popup')")
        page.keyboard.press("Shift+Tab")
        harness.wait_until(page, f"!({SHEET} || {POPUP})")
        assert page.evaluate("document.activeElement.dataset.place") == "kiel"
        assert visit.page_errors == []


@pytest.mark.parametrize(("name", "size"), [("sv.html", (360, 740)), ("en.html", (1280, 800)),
                                            ("sv-embed.html", (300, 225))])  # fmt: skip
@pytest.mark.parametrize("place", ["kiel", "shanghai"])
def test_a_deep_link_opens_on_its_place(site, open_page, artifacts, name, size, place):
    url, _ = site
    with open_page(url + f"{name}#{place}", viewport=size) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        harness.wait_until(page, f"{SHEET} || {POPUP}")
        shoot(page, artifacts, f"deep-{name[:-5]}-{place}-{size[0]}")
        title = page.evaluate("document.querySelector('.geo-popup-name').textContent")
        assert title.lower().startswith(place[:3])
        # its place is on the large map, in sight, and the popup does not cover it
        marker = page.evaluate(BOX, f".geo-map [data-place={place}]")[0]
        view = page.evaluate(BOX, ".geo-map")[0]
        assert view["x"] <= marker["x"] and marker["x"] + marker["w"] <= view["x"] + view["w"]
        assert view["y"] <= marker["y"] and marker["y"] + marker["h"] <= view["y"] + view["h"]
        popup = page.evaluate(BOX, ".geo-sheet:not([hidden]), .leaflet-popup-content-wrapper")[0]
        assert not overlap(marker, popup)
        # the address follows the open popup
        page.keyboard.press("Escape")
        harness.wait_until(page, "location.hash === ''")
        page.evaluate("document.activeElement.blur()")  # (its name shows while it has focus)
        settle(page)
        other = page.eval_on_selector_all(
            ".geo-panels .geo-marker:not(.geo-off)", "els => els.map(e => e.dataset.place)"
        )
        other = next(p for p in other if p != place)
        page.click(f".geo-panels [data-place={other}]:not(.geo-off)")
        harness.wait_until(page, f"location.hash === '#{other}'")
        assert visit.page_errors == []


def test_a_table_row_shows_its_place_and_the_summary_and_toggles_read_once(site, open_page):
    url, _ = site
    with open_page(url + "sv.html", viewport=(360, 740)) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        summary = page.locator("#geo-summary")
        assert summary.inner_text() == (
            "Göteborg: 10 partnerstäder (1 aktiv, 9 vilande) och 3 vänorter (3 aktiva)."
        )
        assert (
            page.evaluate("document.querySelector('.geo-figure').getAttribute('aria-describedby')")
            == "geo-summary"
        )
        # the layer toggles and their button are each named once, with no glyph
        page.click(".geo-key-toggle")
        names = [
            page.get_by_role("checkbox", name=n).count()
            for n in ("Kontor (1)", "Partnerstäder (10)", "Vänorter (3)", "Förbindelser (13)")
        ]
        assert names == [1, 1, 1, 1]
        toggle = page.get_by_role("button", name="Lager", exact=True)
        assert toggle.count() == 1
        assert page.evaluate("getComputedStyle(document.querySelector('.geo-caret')).speak") != "x"
        assert page.get_attribute(".geo-caret", "aria-hidden") == "true"
        # a name in the table opens its place on the map
        page.locator(".geo-table a[data-place=tallinn]").click()
        harness.wait_until(page, SHEET)
        assert page.evaluate("document.querySelector('.geo-popup-name').textContent") == "Tallinn"
        assert page.evaluate("location.hash") == "#tallinn"
        figure = page.evaluate(BOX, ".geo-figure")[0]
        assert figure["y"] < 740 and figure["y"] + figure["h"] > 0  # in sight
        violations = harness.run_axe(page, WCAG22)
        assert violations == [], harness.describe_violations(violations)


def test_zoom_in_goes_toward_home_and_the_scale_bar_waits_for_a_regional_zoom(site, open_page):
    url, _ = site
    with open_page(url + "en.html", viewport=(1280, 800)) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        home = ".geo-map [data-place=stadsledningskontoret]"
        before = page.evaluate(BOX, home)[0]
        page.click("[data-do=in]")
        settle(page)
        after = page.evaluate(BOX, home)[0]
        assert abs(after["x"] - before["x"]) <= 2 and abs(after["y"] - before["y"]) <= 2
        page.click("[data-do=reset]")
        for _ in range(4):
            page.click("[data-do=out]")
        settle(page)
        assert page.evaluate(f"() => {MAP}.getZoom()") < 5
        assert not page.is_visible(".geo-scale")
        page.click("[data-do=reset]")
        while page.evaluate(f"() => {MAP}.getZoom()") < 5:
            page.click("[data-do=in]")
        assert page.is_visible(".geo-scale .leaflet-control-scale-line")


def test_the_finer_outlines_load_after_the_first_view_near_home(site, open_page):
    url, _ = site
    with open_page(url + "en.html", viewport=(1280, 800)) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        assert page.evaluate(f"() => {MAP}.getZoom()") >= 4
        harness.wait_until(page, "document.querySelector('.geo-map[data-geo-fine]')")
        assert any(r.endswith("assets/outlines-50m.js") for r in visit.requests)
