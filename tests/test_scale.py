"""The large path end to end: a synthetic table of 3,000 places built in tmp_path (not timed).

Validation, layers, the print map and the interactive map of a large table (fetched layers,
clusters, the paginated table) must stay correct; benchmarks/scale.py measures their speed.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import pytest

import geo
from benchmarks.synthetic import synthetic_table
from geo import pipeline
from geo.schema import BY_NAME
from geo.web import large
from geo.web.large import CHUNK
from geo.web.render import LARGE_TABLE, PAGE_SIZE
from tests import browser as harness
from tests.support import make_project

N = 3000
CROSSING = 5  # the synthetic table always holds the five cities across 180° from Göteborg
SENTINEL = "window.__pwned=1"
HOSTILE = f'</script><script>{SENTINEL}</script><img src=x onerror="{SENTINEL}"> & \u2028'


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scale")
    settings = make_project(folder, synthetic_table(N))
    report = pipeline.build(settings)
    assert len(report.places) == N + 1
    return folder


def layer(project: Path, name: str) -> dict:
    return json.loads((project / "data" / "layers" / f"{name}.geojson").read_bytes())


pytestmark = pytest.mark.slow


def test_layers_hold_every_place_once(project):
    counts = {n: len(layer(project, n)["features"]) for n in geo.LAYERS}
    assert counts["office"] == 1
    assert counts["partner_cities"] + counts["friendship_towns"] == N
    assert counts["connections"] == N
    everything = layer(project, "all")["features"]
    ids = [f["id"] for f in everything]
    assert len(ids) == 2 * N + 1 == len(set(ids))
    assert ids == [f["properties"]["id"] for f in everything]


def test_layers_are_valid_rfc7946(project):
    import geojson_validator

    for name in (*geo.LAYERS, "all"):
        data = layer(project, name)
        assert "crs" not in data
        assert geojson_validator.validate_structure(data, check_crs=True) == {}, name
        for feature in data["features"]:
            coords = feature["geometry"]["coordinates"]
            flat = re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", json.dumps(coords))
            assert all(len(v.partition(".")[2]) <= 6 for v in flat), feature["id"]
            west, south, east, north = feature.get("bbox", [*coords, *coords])
            assert -180 <= west <= 180 and -180 <= east <= 180 and south <= north


def test_lines_across_the_antimeridian_are_cut_there(project):
    lines = layer(project, "connections")["features"]
    cut = [f for f in lines if f["properties"]["crosses_antimeridian"]]
    assert len(cut) == CROSSING
    for feature in lines:
        geometry = feature["geometry"]
        parts = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [
            geometry["coordinates"]
        ]  # fmt: skip
        assert (geometry["type"] == "MultiLineString") == (feature in cut)
        for part in parts:
            lons = [lon for lon, _ in part]
            assert all(abs(b - a) <= 180 for a, b in itertools.pairwise(lons))
    for feature in cut:
        first, second = feature["geometry"]["coordinates"][:2]
        assert abs(first[-1][0]) == 180 and second[0][0] == -first[-1][0]
        assert first[-1][1] == second[0][1]
        west, _, east, _ = feature["bbox"]
        assert west > east  # RFC 7946 §5.2: a box across the antimeridian


def test_maps_carry_a_compact_file_and_chunks_of_details_instead_of_the_places(project):
    maps = project / "maps"
    page = (maps / "sv.html").read_text(encoding="utf-8")
    assert N > LARGE_TABLE
    assert len(page) < 200_000  # the places are not in the page
    assert '"points": "places/points.json"' in page and "geoLarge.load(" in page
    assert '"base": "../data/layers/"' in page  # the connections, fetched when switched on
    body = page.split('<tbody id="geo-table-body">')[1].split("</tbody>")[0]
    assert body.count('<tr><th scope="row">') == PAGE_SIZE  # the first page of the table
    assert 'src="assets/leaflet.markercluster.js"' in page
    for asset in ("leaflet.js", "leaflet.markercluster.js", "MarkerCluster.css"):
        assert (maps / "assets" / asset).stat().st_size > 0
    for name in geo.LAYERS:  # what the page fetches is beside it, where it looks
        assert (maps / "../data/layers" / f"{name}.geojson").is_file()
    png = (maps / "partnerships-en.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    svg = (maps / "partnerships-en.svg").read_text(encoding="utf-8")
    assert "<image" in svg  # the 3,000 lines are an image inside the vector map
    assert svg.count("<text") < 80  # only the office is named, not 3,000 places


def test_every_place_is_in_the_compact_file_once_and_in_its_chunk(project):
    places = [
        f
        for n in ("office", "partner_cities", "friendship_towns")
        for f in layer(project, n)["features"]
    ]
    points = json.loads((project / "maps/places/points.json").read_bytes())
    assert points["chunk"] == CHUNK == PAGE_SIZE  # a page of the table is one chunk
    at = {name: i for i, name in enumerate(points["fields"])}
    assert [r[at["id"]] for r in points["places"]] == [f["id"] for f in places]
    chunks = sorted((project / "maps/places").glob("details-*.json"))
    assert len(chunks) == -(-len(places) // CHUNK)
    for i, (row, feature) in enumerate(zip(points["places"], places, strict=True)):
        props = feature["properties"]
        assert [row[at["lon"]], row[at["lat"]]] == feature["geometry"]["coordinates"]
        assert points["kinds"][row[at["kind"]]] == props["kind"]
        assert points["statuses"][row[at["status"]]] == props["status"]
        assert (row[at["name_sv"]] or row[at["name_en"]]) == (props["name_sv"] or props["name_en"])
        detail = json.loads(chunks[i // CHUNK].read_bytes())[i % CHUNK]
        assert detail == large.details(props)  # its properties, and a phone's tel: link
    manifest = json.loads((project / "maps/.geo-build.json").read_bytes())
    listed = json.dumps(manifest)
    assert "places/points.json" in listed and chunks[-1].name in listed
    size = (project / "maps/places/points.json").stat().st_size
    assert size < 90 * len(places)  # compact: well under 100 bytes a place


def fetched(visit, part):
    return [u.rsplit("/", 1)[-1] for u in visit.requests if part in u]


@pytest.mark.browser
def test_a_deep_link_into_a_large_map_opens_its_place_out_of_its_cluster(project, serve, open_page):
    """Issue 20, item 8, for a large table's map: ``en.html#<id>`` zooms the place out of its
    cluster and opens its popup, with the place's name."""
    feature = layer(project, "partner_cities")["features"][N // 2]
    name = json.dumps(feature["properties"]["name_en"])
    url = serve(project)
    with open_page(url + f"maps/en.html#{feature['id']}") as visit:
        page = visit.page
        page.wait_for_selector(".geo-map[data-geo-ready]", state="attached", timeout=30_000)
        harness.wait_until(
            page, f"(document.querySelector('.geo-popup-name') || {{}}).textContent === {name}"
        )
        marker = f".geo-map .geo-marker[data-place='{feature['id']}']"
        assert page.locator(marker).count() == 1  # out of its cluster, on the map
        assert visit.page_errors == [] and visit.console_errors == []


@pytest.mark.browser
def test_large_map_draws_clusters_and_pages_through_the_table(project, serve, open_page):
    url = serve(project)
    with open_page(url + "maps/en.html") as visit:
        page = visit.page
        page.wait_for_selector(".geo-map[data-geo-ready]", state="attached", timeout=30_000)
        # before any interaction: the compact file only, no details, no layer
        assert fetched(visit, "/maps/places/") == ["points.json"]
        assert fetched(visit, "/data/layers/") == []
        assert page.locator(".geo-cluster").count() > 0
        # the home city is named, its office never in a cluster (issue 20)
        assert page.locator(".leaflet-tooltip.geo-home-label").inner_text() == "Gothenburg"
        assert page.locator(".geo-marker[data-place=stadsledningskontoret]").count() == 1
        assert (
            page.locator(".geo-cluster .geo-sr").first.inner_text().endswith("zoom in to see them")
        )
        assert page.locator("#geo-table-body tr").count() == PAGE_SIZE
        pages = -(-(N + 1) // PAGE_SIZE)
        assert page.locator("#geo-table-status").inner_text() == f"Page 1 of {pages}"
        first = page.locator("#geo-table-body tr").first.inner_text()
        page.click("#geo-table-next")
        harness.wait_until(
            page,
            f"document.getElementById('geo-table-status').textContent === 'Page 2 of {pages}'",
        )
        assert fetched(visit, "/maps/places/") == ["points.json", "details-0001.json"]
        second = page.locator("#geo-table-body tr")
        assert second.count() == PAGE_SIZE and second.first.inner_text() != first
        places = [
            f
            for n in ("office", "partner_cities", "friendship_towns")
            for f in layer(project, n)["features"]
        ]
        assert second.first.locator("th").inner_text() == places[PAGE_SIZE]["properties"]["name_en"]
        page.click("#geo-table-prev")
        harness.wait_until(
            page,
            f"document.getElementById('geo-table-status').textContent === 'Page 1 of {pages}'",
        )
        assert page.locator("#geo-table-body tr").first.inner_text() == first
        canvases = page.locator(".geo-map canvas").count()
        page.click(".geo-key-toggle")
        page.locator("[data-layer=connections]").check()
        harness.wait_until(
            page, f"document.querySelectorAll('.geo-map canvas').length > {canvases}"
        )
        assert fetched(visit, "/data/layers/") == ["connections.geojson"]
        assert visit.blocked == [] and visit.page_errors == [] and visit.console_errors == []
        violations = harness.run_axe(page)
        assert violations == [], harness.describe_violations(violations)


@pytest.mark.browser
def test_a_popup_fetches_one_chunk_and_shows_that_place(project, serve, open_page):
    places = [
        f
        for n in ("office", "partner_cities", "friendship_towns")
        for f in layer(project, n)["features"]
    ]
    coords = [f["geometry"]["coordinates"] for f in places]

    def alone(i):  # no other place within a degree: its marker is not in a cluster at zoom 12
        lon, lat = coords[i]
        return all(abs(x - lon) + abs(y - lat) > 1 for j, (x, y) in enumerate(coords) if j != i)

    index = next(i for i in range(3 * CHUNK + 1, len(places)) if alone(i))
    place = places[index]
    lon, lat = place["geometry"]["coordinates"]
    url = serve(project)
    with open_page(url + "maps/en.html") as visit:
        page = visit.page
        page.wait_for_selector(".geo-map[data-geo-ready]", state="attached", timeout=30_000)
        page.evaluate(
            """([lat, lon]) => {
              const m = Object.values(window).find(v => v instanceof L.Map);
              m.setView([lat, lon], 12, {animate: false});
            }""",
            [lat, lon],
        )
        marker = page.locator(f'.geo-marker[data-place="{place["id"]}"]')
        marker.wait_for(timeout=10_000)
        marker.focus()  # by keyboard
        page.keyboard.press("Enter")
        page.wait_for_selector(".geo-popup")
        popup = page.locator(".geo-popup")
        assert popup.locator("h2").inner_text() == place["properties"]["name_en"]
        assert place["properties"]["description_en"] in popup.inner_text()
        assert fetched(visit, "/maps/places/details") == [f"details-{index // CHUNK:04d}.json"]
        assert visit.page_errors == [] and visit.console_errors == []
        violations = harness.run_axe(page)
        assert violations == [], harness.describe_violations(violations)


def hostile_table(n: int) -> bytes:
    rows = list(csv.DictReader(io.StringIO(synthetic_table(n).decode("utf-8"))))
    for row in rows[1:]:
        for field in ("name_sv", "name_en", "name_local", "description_en", "source"):
            # a line separator is text only where a column allows several lines
            row[field] = HOSTILE if BY_NAME[field].multiline else HOSTILE.replace("\u2028", "")
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-large")
    pipeline.build(make_project(folder, hostile_table(LARGE_TABLE + 20)))
    return folder


SHOWN = HOSTILE.replace("\u2028", "").strip()  # as a cell shows it: every character as text
MARKUP = "img, script, iframe, svg"  # what an escaping slip would make of it


@pytest.mark.browser
@pytest.mark.parametrize("csp", ["policy on", "policy off"])
def test_hostile_text_in_a_large_map_runs_nothing(hostile_project, serve, open_page, csp):
    """The table's pages and the popups of a large map are built by geo/web/static/large.js
    from fetched data. With the Content-Security-Policy switched off, the escaping alone must
    keep the text as text (issue 26: a slip to innerHTML was hidden by the policy)."""
    url = serve(hostile_project)
    with open_page(url + "maps/en.html", bypass_csp=csp == "policy off") as visit:
        page = visit.page
        page.wait_for_selector(".geo-map[data-geo-ready]", state="attached", timeout=30_000)
        page.click("#geo-table-next")
        # The second page is drawn by the script (the first came with the page): wait for it.
        harness.wait_until(page, "document.getElementById('geo-table-prev').disabled === false")
        body = page.locator("#geo-table-body")
        assert SHOWN in body.inner_text()
        assert body.locator(MARKUP).count() == 0
        # Reveal one place's marker (its cluster opened, the map moved to it), then open its popup.
        place = page.evaluate(
            """() => new Promise(done => {
              const m = Object.values(window).find(v => v instanceof L.Map);
              let group = null;  // the largest cluster group: partner cities, not the office
              m.eachLayer(l => {
                if (l instanceof L.MarkerClusterGroup
                    && (!group || l.getLayers().length > group.getLayers().length)) group = l;
              });
              const marker = group.getLayers()[0];
              group.zoomToShowLayer(marker, () =>
                done(marker.getElement().getAttribute('data-place')));
            })"""
        )
        marker = page.locator(f'.geo-marker[data-place="{place}"]')
        marker.click()  # a marker a person can see and click (Playwright waits until it is still)
        page.wait_for_selector(".geo-popup")
        popup = page.locator(".geo-popup")
        assert SHOWN in popup.inner_text()
        assert popup.locator(MARKUP).count() == 0
        page.keyboard.press("Escape")
        page.wait_for_selector(".geo-popup", state="detached")
        marker.focus()  # the keyboard opens it too
        page.keyboard.press("Enter")
        page.wait_for_selector(".geo-popup")
        assert page.evaluate("window.__pwned") is None
        assert visit.dialogs == [] and visit.page_errors == [] and visit.blocked == []


def test_the_publication_carries_the_large_maps_files(project):
    from geo.config import read_settings
    from geo.publication.assemble import maps_from_build

    settings = read_settings(project / "geo.toml")
    report = pipeline.build(settings, write=False)
    published = maps_from_build(report.files, settings.maps_dir)
    built = {
        p.relative_to(project / "maps").as_posix() for p in (project / "maps/places").iterdir()
    }
    assert "places/points.json" in built and "places/details-0000.json" in built
    assert built <= set(published)
    assert all(published[name] == (project / "maps" / name).read_bytes() for name in built)
