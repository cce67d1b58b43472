"""The built maps in headless Chromium: what a person sees and does, every page, both languages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import geo
from geo.layers import build_layers
from geo.schema import BY_NAME
from geo.web.render import render_maps
from tests import browser as harness
from tests.web.seeing import READY

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["sv.html", "sv-embed.html", "en.html", "en-embed.html"]
LAYER_NAMES = ("office", "partner_cities", "friendship_towns", "connections", "all")
PLACES, LINES = 14, 13
SENTINEL = "window.__pwned=1"
WCAG22 = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
HOSTILE = [
    f"<script>{SENTINEL}</script>",
    f'<img src=x onerror="{SENTINEL}">',
    f"</script><script>{SENTINEL}</script>",
    f"<svg onload={SENTINEL}>",
    f'"><b onmouseover="{SENTINEL}">x</b>',
    f"' onfocus='{SENTINEL}' autofocus='",
    f"`${{{SENTINEL}}}`",
    f"${{{SENTINEL}}}",
    f"javascript:{SENTINEL}",
    f"&lt;script&gt;{SENTINEL}&lt;/script&gt; &amp; &#60;b&#62;",
    "{{ 7*7 }} {% raw %} <!-- ]]>",
    "Ville \"quoted\" and 'single' \\ backslash",
    "x" * 5000,
    "\u0645\u062f\u064a\u0646\u0629 \u05e2\u05d9\u05e8 \u200fevil\u200e",
    "🏙️🤝🇸🇪 \U0001f9ea",
    f"a\u2028b\u2029</script><script>{SENTINEL}</script>",
]
TEXT_FIELDS = (
    "name_sv",
    "name_en",
    "name_local",
    "since_note",
    "description_sv",
    "description_en",
    "geonames_note",
    "source",
)
OFFICE_FIELDS = ("visiting_address", "postal_address", "phone")


@pytest.fixture(scope="module")
def settings() -> geo.Settings:
    return geo.read_settings(ROOT / "geo.toml")


def write_maps(folder: Path, layers: dict, settings: geo.Settings) -> Path:
    for name, data in render_maps(layers, settings).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory, settings):
    layers = {
        n: json.loads((ROOT / "data/layers" / f"{n}.geojson").read_bytes()) for n in LAYER_NAMES
    }
    folder = write_maps(tmp_path_factory.mktemp("maps"), layers, settings)
    with harness.serve(folder) as url:
        yield url


def count(page, selector: str) -> int:
    return page.locator(selector).count()


def markers_outside_map(page) -> list[str]:
    return page.evaluate(
        """() => {
          return [...document.querySelectorAll('.geo-marker:not(.geo-off)')].filter(m => {
            const box = m.closest('.leaflet-container').getBoundingClientRect();
            const b = m.getBoundingClientRect();
            return b.left < box.left || b.right > box.right
              || b.top < box.top || b.bottom > box.bottom;
          }).map(m => m.textContent);
        }"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_draws_places_lines_legend_table_and_stays_private(site, open_page, name):
    with open_page(site + name) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        assert count(page, ".geo-map .geo-marker") == PLACES
        assert count(page, ".geo-panels .geo-marker:not(.geo-off)") == PLACES
        assert count(page, ".geo-map path.geo-connection") == LINES
        assert count(page, ".geo-key li") == 4
        assert count(page, "#geo-layers input[type=checkbox]") == 4
        assert count(page, ".geo-scale .leaflet-control-scale") == 1
        if "embed" not in name:  # the embed links to the full page's table and contact
            assert count(page, ".geo-table tbody tr") == PLACES
            assert "Gustaf Adolfs Torg 4A" in page.text_content(".geo-office")
        assert markers_outside_map(page) == []
        violations = harness.run_axe(page, WCAG22)
        assert violations == [], harness.describe_violations(violations)
        assert visit.blocked == []
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.cookies() == []
        assert visit.local_storage_size() == 0 and visit.session_storage_size() == 0


def test_without_its_scripts_the_map_says_so_after_a_moment_not_while_they_load(
    tmp_path, serve, open_page, settings
):
    """The scripts come last, so the page shows while they download: the map's message (it
    cannot be shown here) must not show then, only once the map has failed to start."""
    layers = {
        n: json.loads((ROOT / "data/layers" / f"{n}.geojson").read_bytes()) for n in LAYER_NAMES
    }
    folder = write_maps(tmp_path, layers, settings)
    message = ".geo-map .geo-map-message"
    with open_page(serve(folder) + "sv.html") as visit:  # a working page: never shown
        harness.wait_until(visit.page, READY)
        assert visit.page.locator(message).count() == 0
    (folder / "assets" / "leaflet.js").unlink()
    with open_page(serve(folder) + "sv.html", wait_until="domcontentloaded") as visit:
        page = visit.page
        hidden_at_first = page.evaluate(
            f"getComputedStyle(document.querySelector('{message}')).visibility"
        )
        harness.wait_until(
            page,
            f"getComputedStyle(document.querySelector('{message}')).visibility === 'visible'",
            timeout=30.0,
        )
        assert hidden_at_first == "hidden"
        assert "Alla platser finns i tabellen" in page.text_content(message)


@pytest.mark.parametrize("name", ["sv.html", "en-embed.html"])
def test_first_view_fits_every_place_on_a_phone(site, open_page, name):
    with open_page(site + name, viewport=(360, 640)) as visit:
        harness.wait_until(visit.page, READY)
        assert markers_outside_map(visit.page) == []


@pytest.mark.parametrize(
    ("name", "layer", "selector", "left"),
    [
        ("sv.html", "Partnerstäder", ".geo-panels .geo-marker", 4),
        ("en-embed.html", "Friendship towns", ".geo-panels .geo-marker", 15),
        ("en.html", "Connections", ".geo-panels path.geo-connection:not(.geo-hidden)", 0),
        ("sv-embed.html", "Kontor", ".geo-panels .geo-marker", 17),
    ],
)
def test_layer_control_hides_and_shows_a_layer(site, open_page, name, layer, selector, left):
    with open_page(site + name) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        page.click(".geo-key-toggle")
        toggle = page.get_by_role("checkbox", name=layer)
        full = count(page, selector)
        toggle.click()
        assert count(page, selector) == left
        toggle.click()
        assert count(page, selector) == full


@pytest.mark.parametrize("name", PAGES)
def test_click_opens_popup_and_escape_closes_it(site, open_page, name):
    with open_page(site + name) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        page.click(".geo-panels [data-place=chicago]:not(.geo-off)")
        popup = page.locator(".leaflet-popup-content, .geo-sheet:not([hidden])")
        assert "Chicago" in popup.text_content() and "1987" in popup.text_content()
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached", timeout=10000)
        page.wait_for_selector(".geo-sheet", state="hidden", timeout=10000)


@pytest.mark.parametrize("name", PAGES)
def test_keyboard_reaches_every_place_opens_and_closes_popups_and_leaves(site, open_page, name):
    with open_page(site + name) as visit:
        page = visit.page
        reached: list[str] = []
        for _ in range(60):
            page.keyboard.press("Tab")
            place = page.evaluate("document.activeElement.dataset.place || ''")
            if place:
                reached.append(place)
            elif reached:
                break
        assert len(set(reached)) == PLACES
        label = page.evaluate("document.activeElement.textContent")
        assert label, "focus left the map for the next control"
        # Back to a marker: Enter opens its popup, Escape closes it and focus stays.
        page.focus(".geo-world [data-place=nelson-mandela-bay]")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        name_text = page.evaluate("document.activeElement.textContent")
        assert "Nelson Mandela Bay" in name_text and ("aktiv" in name_text or "active" in name_text)
        page.keyboard.press("Enter")  # the large map shows it, its popup open
        popup = page.locator(".leaflet-popup-content, .geo-sheet:not([hidden])")
        assert "Nelson Mandela Bay" in popup.text_content()
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached", timeout=10000)
        assert page.evaluate("document.activeElement.dataset.place") == "nelson-mandela-bay"


def test_every_marker_has_a_unique_name_with_its_status(site, open_page):
    with open_page(site + "en.html") as visit:
        harness.wait_until(visit.page, READY)
        names = visit.page.eval_on_selector_all(
            ".geo-map .geo-marker", "els => els.map(e => e.textContent)"
        )
    assert len(set(names)) == PLACES
    assert sum("dormant" in n for n in names) == 9 and sum("active" in n for n in names) == 4


def fit(field: str, value: str) -> str:
    """`value` as the schema lets `field` hold it: within its length, on one line if it must be."""
    column = BY_NAME[field]
    if not column.multiline:
        value = value.replace("\u2028", " ").replace("\u2029", " ")
    return value[: column.max_length]


def hostile_table(value: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO((ROOT / "data/places.csv").read_text("utf-8"))))
    for row in rows:
        if row["id"] in ("stadsledningskontoret", "chicago"):
            for field in TEXT_FIELDS + (OFFICE_FIELDS if row["kind"] == "office" else ()):
                row[field] = fit(field, value)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_every_field_runs_nothing(tmp_path, serve, open_page, settings, value):
    table = tmp_path / "places.csv"
    table.write_bytes(hostile_table(value))
    places = geo.read_places(settings, table)
    folder = write_maps(tmp_path / "maps", build_layers(places), settings)
    url = serve(folder)
    for name in ("sv.html", "en-embed.html"):
        with open_page(url + name) as visit:
            page = visit.page
            harness.wait_until(page, READY)
            page.hover(".geo-panels [data-place=chicago]:not(.geo-off)")
            page.click(".geo-panels [data-place=chicago]:not(.geo-off)")
            page.keyboard.press("Escape")
            page.click("[data-do=reset]")
            page.click(".geo-map [data-place=stadsledningskontoret]", force=True)
            assert count(page, ".geo-map path.geo-connection") == LINES
            assert page.evaluate("window.__pwned") is None
            assert visit.dialogs == [] and visit.page_errors == []
            assert visit.blocked == []
