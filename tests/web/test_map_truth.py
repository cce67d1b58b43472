"""Issue 20: the map tells the geographic truth at every size (items 1 to 3, 5): in the first
view of every page width from 320 to 1920 px and every embed from 300 x 225 to 1000 x 750, in
Swedish and English, for Göteborg and for the Pacific table, every place is drawn within one
symbol's diameter of its true point, inside its view, covered by nothing; the home city is named;
no name is broken inside a word; the tools and the key lie outside the views; an embed never
scrolls. Screenshots of every case go to the run's ``artifacts`` folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import geo
from tests import browser as harness
from tests.support import PACIFIC
from tests.web.seeing import READY, settle, shoot, still, write_files
from tests.web.truth import BOX, EMBEDS, PAGES, true_points, untruths, write_maps

pytestmark = pytest.mark.browser
HOMES = {("goteborg", "sv"): "Göteborg", ("goteborg", "en"): "Gothenburg"}
HOMES |= {("pacific", "sv"): "Honolulu", ("pacific", "en"): "Honolulu"}


def pacific_settings(folder: Path) -> geo.Settings:
    shutil.copytree(PACIFIC, folder, dirs_exist_ok=True)
    text = (folder / "geo.toml").read_text(encoding="utf-8")
    text = text.replace('basemap = "../../../geo/basemap/countries-110m.geojson"\n', "")
    (folder / "geo.toml").write_text(text, encoding="utf-8")
    return geo.read_settings(folder / "geo.toml")


@pytest.fixture(scope="module")
def truths(layers, tmp_path_factory) -> dict:
    pacific = pacific_settings(tmp_path_factory.mktemp("pacific-truth"))
    return {
        "goteborg": true_points(layers),
        "pacific": true_points(geo.build_layers(geo.read_places(pacific))),
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory, maps):
    gbg = write_files(tmp_path_factory.mktemp("goteborg"), maps)
    pacific = tmp_path_factory.mktemp("pacific")
    write_maps(pacific / "maps", pacific_settings(pacific))
    with harness.serve(gbg) as one, harness.serve(pacific / "maps") as two:
        yield {"goteborg": one, "pacific": two}


CASES = [(f"{lang}.html", size) for lang in ("sv", "en") for size in PAGES]
CASES += [(f"{lang}-embed.html", size) for lang in ("sv", "en") for size in EMBEDS]


@pytest.mark.parametrize("table", ["goteborg", "pacific"])
@pytest.mark.parametrize(("name", "size"), CASES, ids=lambda c: c if isinstance(c, str) else
                         f"{c[0]}x{c[1]}")  # fmt: skip
def test_every_place_is_drawn_at_its_true_point_at_every_size(
    sites, truths, open_page, artifacts, table, name, size
):
    with open_page(sites[table] + name, viewport=size) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        # a visitor scrolls to the map (a phone's page shows the heading first)
        page.evaluate("document.querySelector('.geo-figure').scrollIntoView({block: 'nearest'})")
        settle(page)
        shot = shoot(page, artifacts, f"truth-{table}-{name[:-5]}-{size[0]}x{size[1]}")
        wrong = untruths(page, HOMES[table, name[:2]], truths[table])
        assert wrong == [], f"{wrong}; see {shot}"
        if "embed" in name:  # the frame never scrolls: everything fits it
            width, height = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            assert (width, height) == size, shot
            for selector in (".geo-tools", ".geo-under"):
                (box,) = page.evaluate(BOX, selector)
                assert box["y"] + box["h"] <= size[1] + 0.5 and box["x"] + box["w"] <= size[0]
        assert visit.page_errors == [] and visit.console_errors == []


@pytest.mark.parametrize("size", [(300, 225), (480, 360), (1000, 750)], ids=lambda s: f"{s[0]}")
def test_the_views_are_laid_out_again_when_the_layers_open(
    sites, truths, open_page, artifacts, size
):
    """Item 3: the layer toggles open below the tool bar (in a short frame in place of the key);
    the views give them room and every place is laid out again, as truthfully."""
    with open_page(sites["goteborg"] + "en-embed.html", viewport=size) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        page.click(".geo-key-toggle")
        harness.wait_until(page, "!document.querySelector('.geo-layers').hidden")
        settle(page)
        settle(page)
        shot = shoot(page, artifacts, f"truth-layers-open-{size[0]}")
        wrong = untruths(page, "Gothenburg", truths["goteborg"])
        assert wrong == [], (wrong, shot)
        page.click(".geo-key-toggle")
        settle(page)
        settle(page)
        assert untruths(page, "Gothenburg", truths["goteborg"]) == []


@pytest.mark.parametrize("name", ["sv-embed.html", "en.html"])
def test_a_frame_too_small_to_draw_in_is_laid_out_once_it_grows(
    sites, truths, open_page, artifacts, name
):
    """A host page (or the editor's preview) may lay its frame out at almost nothing before its
    real size: the start view is fitted without error and again once there is room (a map smaller
    than its margins once threw "Invalid LatLng object: (NaN, NaN)")."""
    with open_page(sites["goteborg"] + name, viewport=(24, 16)) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        page.set_viewport_size({"width": 480, "height": 360})
        harness.wait_until(page, "document.documentElement.clientWidth === 480")
        settle(page)
        still(page, ".geo-map .leaflet-map-pane")  # a pan that went on would move the places
        page.evaluate("document.querySelector('.geo-figure').scrollIntoView({block: 'nearest'})")
        settle(page)
        shot = shoot(page, artifacts, f"truth-grown-{name[:-5]}")
        wrong = untruths(page, HOMES["goteborg", name[:2]], truths["goteborg"])
        assert wrong == [], (wrong, shot)
        assert visit.page_errors == [] and visit.console_errors == []
