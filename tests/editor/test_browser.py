"""`geo edit` in Chromium, used as an editor would: add Gdańsk from the search, change a status,
save an invalid table (refused), save after someone else changed the file (refused, then put on
top), hostile text in the table and the form, the keyboard alone; axe-core at 1280 and 360 px.

Screenshots go to $GEO_SHOTS (default: the test's temporary folder), to look at.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from tests import browser as harness
from tests.browser import describe_violations, run_axe, wait_until
from tests.support import make_project, shipped_rows
from tests.web.test_map_browser import HOSTILE, WCAG22

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("GEO_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_editor(chromium, start):
    """`open_editor(settings, lang, viewport)`: the editor's page, its first check done."""
    from contextlib import ExitStack

    with ExitStack() as stack:

        def run(settings, lang="sv", viewport=(1280, 900)):
            editor, url = start(settings, lang)
            visit = stack.enter_context(harness.open_page(chromium, url, viewport=viewport))
            wait_until(visit.page, "document.getElementById('problem-count').textContent !== ''")
            return editor, visit

        yield run


def text_of(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).textContent")


def wait_text(page, selector, needle):
    wait_until(page, f"document.querySelector({selector!r}).textContent.includes({needle!r})")


def validate(settings):
    result = CliRunner().invoke(cli, ["validate", "--config", str(settings.root / "geo.toml")])
    return result.exit_code, result.output


def safe(visit):
    assert visit.page.evaluate("window.__pwned") is None
    assert visit.dialogs == [] and visit.page_errors == [] and visit.blocked == []
    refusals = ("status of 409 (Conflict)", "status of 422 (Unprocessable Entity)")
    assert [e for e in visit.console_errors if not e.endswith(refusals)] == []


def test_add_gdansk_from_the_search(project, open_editor, shots):
    before = project.places.read_bytes()
    _, visit = open_editor(project)
    page = visit.page
    page.get_by_role("button", name="Lägg till plats").click()
    page.get_by_role("combobox", name="Sök stad").press_sequentially("Gdań", delay=40)
    option = page.get_by_role("option", name=re.compile(r"^Gdańsk, PL"))
    option.wait_for()
    page.screenshot(path=shots / "add-search.png")
    option.click()
    assert page.get_by_role("heading", name="Redigera Gdańsk").is_visible()
    assert page.get_by_label("Namn på svenska").input_value() == "Gdańsk"
    assert page.get_by_label("Land").input_value() == "PL"
    assert page.get_by_label("GeoNames-id").input_value() == "3099434"
    assert page.get_by_label("Latitud").input_value() == "54.35227"
    assert page.get_by_label("Longitud").input_value() == "18.64912"
    assert page.locator("#form").get_by_label("Relation").input_value() == "partner_city"
    wait_text(page, "#p-status", "[row/missing-field]")
    page.get_by_label("Status", exact=True).select_option(label="aktiv")
    page.get_by_label("Beskrivning", exact=True).fill("Partnerstad sedan 2027.")
    page.get_by_label("Beskrivning (engelska)").fill("Partner city since 2027.")
    wait_text(page, "#problem-count", "Inga problem")
    wait_until(page, "document.getElementById('preview').src.includes('/preview/')")
    frame = page.frame_locator("#preview")
    frame.locator("[data-place=gdansk]:not([aria-hidden])").wait_for()
    page.get_by_role("button", name="Spara").click()
    wait_text(page, "#status", "Sparat i data/places.csv.")
    page.screenshot(path=shots / "add-saved.png", full_page=True)
    after = project.places.read_bytes()
    assert after.startswith(before)  # every row as it was, the new one after them
    (new,) = list(csv.DictReader(io.StringIO(after[len(before) :].decode(), newline=""),
                                 fieldnames=shipped_rows()[0]))  # fmt: skip
    assert (new["id"], new["status"], new["geonames_id"], new["country"]) == (
        "gdansk", "active", "3099434", "PL"
    )  # fmt: skip
    assert validate(project) == (0, "data/places.csv: OK, 15 places: 1 office, 11 partner "
                                    "cities, 3 friendship towns\n")  # fmt: skip
    safe(visit)


def test_change_a_status_and_an_invalid_save_is_refused(project, open_editor, shots):
    before = project.places.read_bytes()
    _, visit = open_editor(project)
    page = visit.page
    page.get_by_role("button", name="Kiel", exact=True).click()
    page.get_by_label("Status", exact=True).select_option(label="aktiv")
    row = page.locator("#rows tr", has=page.get_by_role("button", name="Kiel", exact=True))
    assert row.locator("td[data-column=status]").text_content() == "aktiv"
    assert row.locator("td.changed").text_content() == "ändrad"
    country = page.get_by_label("Land")
    country.fill("Tyskland")
    wait_text(page, "#p-country", "[field/invalid-country]")
    assert country.get_attribute("aria-invalid") == "true"
    assert "aria-describedby" in country.evaluate("e => e.outerHTML")
    page.get_by_role("button", name="Spara").click()
    wait_text(page, "#status", "Inte sparat: tabellen har 1 fel.")
    wait_until(page, "document.getElementById('preview').src.includes('/preview/')")
    page.frame_locator("#preview").locator(".geo-map[data-geo-ready][data-geo-outlines]").wait_for(
        state="attached"
    )  # the preview's map drawn (the docs' screenshot shows it)
    page.screenshot(path=shots / "refused.png", full_page=True)
    assert project.places.read_bytes() == before
    country.fill("DE")
    wait_text(page, "#problem-count", "Inga problem")
    assert country.get_attribute("aria-invalid") is None
    page.get_by_role("button", name="Spara").click()
    wait_text(page, "#status", "Sparat")
    lines = zip(before.split(b"\n"), project.places.read_bytes().split(b"\n"), strict=True)
    assert [(a, b) for a, b in lines if a != b] == [
        (a, a.replace(b"kiel,partner_city,dormant,", b"kiel,partner_city,active,"))
        for a in before.split(b"\n") if a.startswith(b"kiel,")
    ]  # fmt: skip
    wait_until(page, "!document.querySelector('#rows td.changed').textContent")
    safe(visit)


def test_a_save_after_a_change_on_disk_is_refused_then_put_on_top(project, open_editor, shots):
    _, visit = open_editor(project)
    page = visit.page
    page.get_by_role("button", name="Lyon", exact=True).click()
    page.get_by_label("Status", exact=True).select_option(label="aktiv")
    theirs = project.places.read_text(encoding="utf-8").replace("Kiel,Kiel,Kiel", "Kiel,Kiel,Kil")
    project.places.write_text(theirs, encoding="utf-8")  # someone else saves meanwhile
    page.get_by_role("button", name="Spara").click()
    conflict = page.locator("#conflict")
    conflict.wait_for()
    assert "kiel, Lokalt namn: Kiel → Kil" in conflict.text_content()
    assert page.evaluate("document.activeElement.id") == "conflict"
    page.screenshot(path=shots / "conflict.png", full_page=True)
    assert project.places.read_text(encoding="utf-8") == theirs  # not overwritten
    page.get_by_role("button", name="Lägg mina ändringar ovanpå filen som den är nu").click()
    wait_text(page, "#status", "ligger nu ovanpå")
    page.get_by_role("button", name="Spara").click()
    wait_text(page, "#status", "Sparat")
    saved = project.places.read_text(encoding="utf-8")
    assert "Kiel,Kiel,Kil" in saved and "\nlyon,partner_city,active," in saved
    safe(visit)


def hostile_project(tmp_path, value):
    header, rows = shipped_rows()
    for row in rows:
        if row["id"] == "chicago":
            for name in ("name_sv", "description_sv", "source"):
                row[name] = value[:200]
        if row["id"] == "kiel":
            row["status"] = value[:200]  # not allowed: its problem quotes it
    out = io.StringIO()
    csv.DictWriter(out, header, lineterminator="\n").writeheader()
    csv.DictWriter(out, header, lineterminator="\n").writerows(rows)
    return make_project(tmp_path, out.getvalue().encode("utf-8"))


@pytest.mark.parametrize("value", HOSTILE[:11], ids=range(11))
def test_hostile_text_is_shown_as_text_and_runs_nothing(tmp_path, open_editor, value):
    settings = hostile_project(tmp_path, value)
    _, visit = open_editor(settings)
    page = visit.page
    name = value[:200].strip()
    page.locator("#rows button.open").nth(1).click()
    assert page.get_by_label("Namn på svenska").input_value() == value[:200]
    assert text_of(page, "#rows button.open:nth-of-type(1)") is not None
    assert page.locator("#rows button.open").nth(1).text_content() == name
    textarea = page.get_by_label("Beskrivning", exact=True)
    textarea.fill(value + " " + value)
    wait_text(page, "#problems", "[field/invalid-status]")
    assert value[:200].strip()[:20] in text_of(page, "#problems")
    wait_until(page, "document.getElementById('preview').src.includes('/preview/')")
    page.frame_locator("#preview").locator("[data-place=chicago]:not([aria-hidden])").wait_for()
    page.get_by_role("button", name="Kiel", exact=True).click()
    assert page.get_by_label("Status", exact=True).input_value() == value[:200]
    assert page.evaluate("window.__pwned") is None
    assert page.frame_locator("#preview").locator("body").evaluate("() => window.__pwned") is None
    safe(visit)


def test_the_keyboard_alone_adds_a_place_and_saves(project, open_editor, shots):
    _, visit = open_editor(project, "en")
    page = visit.page

    def tab_to(selector, key="Tab", most=120):
        for _ in range(most):
            page.keyboard.press(key)
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
                assert float(outline.removesuffix("px")) >= 2, selector  # focus is visible
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#add")
    assert page.evaluate("document.activeElement.textContent") == "Add a place"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("Gdansk", delay=40)
    wait_until(page, "document.querySelectorAll('#results [role=option]').length > 0")
    page.keyboard.press("Escape")
    assert (
        page.get_by_role("combobox", name="Search for a city").get_attribute("aria-expanded")
        == "false"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert (
        page.evaluate("document.getElementById('search').getAttribute('aria-activedescendant')")
        == "result-0"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "place-h"
    assert text_of(page, "#place-h") == "Edit Gdańsk"
    tab_to("#f-status")
    page.keyboard.type("dormant")
    assert page.get_by_label("Status", exact=True).input_value() == "dormant"
    tab_to("#f-description_sv")
    page.keyboard.type("Partnerstad.")
    tab_to("#f-description_en")
    page.keyboard.type("Partner city.")
    wait_text(page, "#problem-count", "No problems")
    page.screenshot(path=shots / "keyboard.png")
    tab_to("#save", "Shift+Tab")
    page.keyboard.press("Enter")
    wait_text(page, "#status", "Saved to data/places.csv.")
    assert "\ngdansk,partner_city,dormant," in project.places.read_text(encoding="utf-8")
    safe(visit)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("width", [1280, 360])
def test_the_editor_meets_wcag_22_aa_at_both_widths(project, open_editor, shots, lang, width):
    _, visit = open_editor(project, lang, (width, 800))
    page = visit.page
    page.locator("#rows button.open").nth(2).click()
    page.locator("#f-country").fill("xx")
    wait_text(page, "#p-country", "[field/invalid-country]")
    page.locator("#add").click()
    page.locator("#search").press_sequentially("Gdań", delay=30)
    page.locator("#results [role=option]").first.wait_for()
    violations = run_axe(page, WCAG22)
    assert violations == [], describe_violations(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=shots / f"axe-{lang}-{width}.png", full_page=True)
    safe(visit)
