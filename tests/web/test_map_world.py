"""Any home city: the map centred on the home longitude, connections one continuous line
(tests/data/pacific, Honolulu; and a home at 178° E), in Chromium at 360 and 1280 px."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

import geo
from geo.web import render
from tests import browser as harness
from tests.support import PACIFIC
from tests.web.seeing import (
    MAP_BOX,
    READY,
    SPOTS,
    WCAG22,
    assert_outlines,
    boxes,
    land_or_sea,
    settle,
    shoot,
)

pytestmark = pytest.mark.browser
SUVA = ("178.42531", "-18.13683")


def build(folder: Path, settings: geo.Settings) -> Path:
    layers = geo.build_layers(geo.read_places(settings))
    out = folder / "maps"
    for name, data in render.render_maps(layers, settings).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out


def pacific(tmp_path: Path) -> geo.Settings:
    shutil.copytree(PACIFIC, tmp_path / "project")
    text = (tmp_path / "project" / "geo.toml").read_text(encoding="utf-8")
    basemap = (Path(geo.__file__).parent / "basemap" / "countries-110m.geojson").as_posix()
    text = text.replace(
        'basemap = "../../../geo/basemap/countries-110m.geojson"', f'basemap = "{basemap}"'
    )
    (tmp_path / "project" / "geo.toml").write_text(text, encoding="utf-8")
    return geo.read_settings(tmp_path / "project" / "geo.toml")


def home_at_178_east(tmp_path: Path) -> geo.Settings:
    """The Pacific table with the office moved to Suva (178.4° E), Honolulu a partner city."""
    settings = pacific(tmp_path)
    rows = list(csv.DictReader(io.StringIO(settings.places.read_text(encoding="utf-8"))))
    for row in rows:
        if row["id"] == "suva":
            row.update(kind="office", status="", since="", visiting_address="Victoria Parade",
                       postal_address="Suva", phone="")  # fmt: skip
        elif row["kind"] == "office":
            row.update(kind="partner_city", status="active", since="2001",
                       visiting_address="", postal_address="")  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    settings.places.write_text(out.getvalue(), encoding="utf-8")
    toml = settings.root / "geo.toml"
    text = toml.read_text(encoding="utf-8").replace(
        "geonames_id = 5856195", "geonames_id = 2198148"
    )
    text = (
        text.replace('name_sv = "Honolulu"', 'name_sv = "Suva"')
        .replace('name_en = "Honolulu"', 'name_en = "Suva"')
        .replace('country = "US"', 'country = "FJ"')
    )
    toml.write_text(text, encoding="utf-8")
    return geo.read_settings(toml)


@pytest.mark.parametrize("home", ["honolulu", "suva"])
@pytest.mark.parametrize("size", [(360, 740), (1280, 800)], ids=lambda s: f"{s[0]}")
def test_the_home_city_is_in_the_middle_and_lines_are_whole(
    tmp_path, serve, open_page, tmp_path_factory, home, size
):
    settings = pacific(tmp_path) if home == "honolulu" else home_at_178_east(tmp_path)
    office = "honolulu-hale" if home == "honolulu" else "suva"
    url = serve(build(tmp_path, settings))
    with open_page(url + "en.html", viewport=size) as visit:
        page = visit.page
        harness.wait_until(page, READY)
        settle(page)
        shoot(page, tmp_path_factory.getbasetemp() / "artifacts", f"world-{home}-{size[0]}")
        # the countries on both sides of the antimeridian drawn where the view shows them
        # (a 9 x 9 grid; at 1280 px Siberia is west of the antimeridian, a turn from its data)
        spots = page.evaluate(SPOTS, ["near", [i / 10 for i in range(1, 10)]])
        checked = [(p[:2], kind) for p in spots if (kind := land_or_sea(*p))]
        assert len(checked) >= 40, spots
        assert_outlines(page, "near", checked)
        area = page.evaluate(MAP_BOX)
        (marker,) = boxes(page, f".geo-map [data-place={office}]")
        middle = marker["x"] + marker["w"] / 2 - area["x"]
        assert area["w"] / 3 <= middle <= 2 * area["w"] / 3, (middle, area["w"])
        lines = boxes(page, ".geo-map path.geo-connection")
        assert len(lines) == 5
        for line in lines:  # no line runs from one side of the map to the other
            touches_west = line["x"] <= area["x"] + 2
            touches_east = line["x"] + line["w"] >= area["x"] + area["w"] - 2
            assert not (touches_west and touches_east), line
        assert page.evaluate(
            "() => [...document.querySelectorAll('.geo-marker:not(.geo-off)')].every(m => {"
            " const b = m.getBoundingClientRect(), map = m.closest('.leaflet-container')"
            ".getBoundingClientRect(); return b.left >= map.left && b.right <= map.right; })"
        )
        violations = harness.run_axe(page, WCAG22)
        assert violations == [], harness.describe_violations(violations)
        # where the outlines are cut at the antimeridian (RFC 7946) no coast is drawn: Chukotka
        # is land right across 180 degrees, two degrees from its coasts (the copy of the
        # meridian nearest home; Antarctica meets 180 degrees only south of the map's limit)
        centre = page.evaluate("geo.views().near.getCenter().lng")
        meridian = 180.0 if abs(180.0 - centre) < abs(-180.0 - centre) else -180.0
        for zoom in (1, 3):  # at zoom 1 most points are within half a pixel of the last
            page.evaluate(f"geo.views().near.setView([67, {meridian}], {zoom}, {{animate: false}})")
            settle(page)
            chukotka = [((67.0, meridian), "land"), ((67.0, meridian - 3), "land")]
            assert_outlines(page, "near", chukotka)
        assert visit.page_errors == [] and visit.console_errors == []
