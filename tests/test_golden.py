"""Golden files: every output of a publication of the shipped table, byte for byte.

They are change alarms, not proof: the meaning of each output is checked by the tests of its
stage (independent validators and readers), and MEANING below names them for each golden file (a
test holds every golden file to it). When an output changes on purpose, `make golden` first prints
what would change in meaning (tests/golden_changes.py: features, properties, rows, triples, the
text people see), then rewrites the files (pytest --update-golden); review both like code. Binary
outputs (GeoPackage, PNG, ...) are held by the golden SHA256SUMS, which names every file with its
checksum.
"""

from __future__ import annotations

import ast
import json
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from tests import golden_changes
from tests.golden_changes import text_outputs
from tests.publishing import publish
from tests.support import ROOT

GOLDEN = ROOT / "tests" / "golden" / "publication"

# Each golden file and the tests of its meaning (independent validators and readers, or checks
# of what a person sees): a byte comparison alone proves nothing (issue 26).
MEANING = {
    ".geo-publication.json": [
        "tests/io/test_versions.py::test_out_becomes_a_link_to_a_complete_version_with_its_marker",
    ],
    "CHANGELOG.md": [
        "tests/publication/test_changes.py::test_publish_accumulates_the_change_log",
        "tests/publication/test_changes.py::test_changelog_escapes_markdown_from_the_data",
    ],
    "SHA256SUMS": [
        "tests/publication/test_assemble.py::test_checksums_verify_with_sha256sum",
        "tests/publication/test_assemble.py::test_checksums_catch_a_changed_byte",
    ],
    "catalog.rdf": [
        "tests/publication/test_dcat.py::test_catalog_has_no_violation_of_either_set_of_shapes",
        "tests/publication/test_dcat.py::test_publisher_licence_contact_keywords_dates",
        "tests/publication/test_dcat.py::test_a_second_publication_on_another_date_is_modified_then",
    ],
    "changes.atom": [
        "tests/publication/test_feed.py::test_first_feed_has_one_entry_the_first_publication",
        "tests/publication/test_feed.py::test_a_change_adds_one_entry_on_top_and_keeps_the_old_id",
    ],
    "changes.json": [
        "tests/publication/test_changes.py::test_publish_accumulates_the_change_log",
        "tests/publication/test_changes.py::test_added_removed_and_changed_places",
    ],
    "data/layers/*.geojson": [
        "tests/test_layers.py::test_check_geojson_finds_no_issue",
        "tests/test_layers.py::test_gdal_reads_back_the_same_features",
        "tests/test_layers.py::test_every_place_has_kind_and_status_and_documented_properties",
    ],
    "data/places.csv": [
        "tests/publication/test_downloads.py::test_csv_is_one_row_per_place_with_the_documented_header",
        "tests/publication/test_datapackage.py::test_frictionless_validate_passes",
    ],
    "datapackage.json": [
        "tests/publication/test_datapackage.py::test_frictionless_validate_passes",
        "tests/publication/test_datapackage.py::test_table_schema_types_keys_and_constraints",
    ],
    "maps/embed-snippet.html": [
        "tests/web/test_snippet.py::test_snippet_has_title_lazy_loading_referrer_policy_sandbox_and_data_link",
    ],
    "maps/*.html": [
        "tests/web/test_map_browser.py::test_page_draws_places_lines_legend_table_and_stays_private",
        "tests/web/test_map_view.py::test_every_place_can_be_seen_named_and_opened",
    ],
    "[!m]*.html": [  # the landing pages (index.html, en.html)
        "tests/publication/test_landing.py::test_page_offers_every_download_by_use",
        "tests/publication/test_landing.py::test_json_ld_is_a_schema_org_dataset_that_extruct_reads",
        "tests/publication/test_landing.py::test_axe_finds_no_violations",
    ],
}


def _meaning_of(rel: str) -> list[str]:
    """The tests of meaning of a golden file: its own entry, else the first pattern it fits."""
    if rel in MEANING:
        return MEANING[rel]
    return next((tests for pattern, tests in MEANING.items() if fnmatchcase(rel, pattern)), [])


def _test_functions(path: Path) -> dict[str, list[str]]:
    """The test functions of a file, each with its decorators as written."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name: [ast.unparse(d) for d in node.decorator_list]
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("golden")
    publish(tmp, tmp / "public")
    return text_outputs(tmp / "public")


@pytest.mark.golden
def test_every_output_matches_its_golden_file(outputs, update_golden):
    if update_golden:
        for old in GOLDEN.rglob("*"):
            if old.is_file() and old.relative_to(GOLDEN).as_posix() not in outputs:
                old.unlink()
        for rel, data in outputs.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    golden = text_outputs(GOLDEN)
    assert sorted(golden) == sorted(outputs), "outputs added or removed: run `make golden`"
    changed = [rel for rel in outputs if outputs[rel] != golden[rel]]
    assert not changed, f"changed outputs: {changed}; if intended, run `make golden` and review"


@pytest.mark.golden
def test_the_golden_set_covers_every_kind_of_output(outputs):
    """Layers, maps, CSV, catalogue, data package, landing pages, change log and checksums."""
    for rel in (
        "data/layers/all.geojson",
        "data/places.csv",
        "catalog.rdf",
        "datapackage.json",
        "index.html",
        "en.html",
        "changes.json",
        "CHANGELOG.md",
        "SHA256SUMS",
        "maps/sv.html",
        "maps/en-embed.html",
        "maps/embed-snippet.html",
    ):
        assert rel in outputs


@pytest.mark.parametrize("rel", sorted(text_outputs(GOLDEN)))
def test_every_golden_file_is_paired_with_tests_of_its_meaning(rel):
    tests = _meaning_of(rel)
    assert tests, f"{rel}: name the tests of its meaning in MEANING"
    for test in tests:
        file, name = test.split("::")
        found = _test_functions(ROOT / file)
        assert name in found, f"{rel}: {test} does not exist"
        assert not any("golden" in mark for mark in found[name]), f"{test} is a golden test"


def test_make_golden_says_what_changes_in_meaning():
    """What `make golden` prints before it rewrites: features, properties, rows, triples and
    the text people see, not a byte diff."""
    layer = (GOLDEN / "data/layers/partner_cities.geojson").read_bytes()
    doc, moved = json.loads(layer), json.loads(layer)
    moved["features"][0]["geometry"]["coordinates"][0] += 1
    moved["features"][1]["properties"]["status"] = "ended"
    del moved["features"][2]
    first, second, third = (f["id"] for f in doc["features"][:3])
    was = doc["features"][1]["properties"]["status"]
    assert golden_changes.describe("x.geojson", layer, json.dumps(moved).encode()) == [
        f"feature {third} removed",
        f"feature {first}: geometry changed",
        f'feature {second}: property status: "{was}" -> "ended"',
    ]
    page = (GOLDEN / "en.html").read_bytes()
    assert any("CC0" in line for line in golden_changes.visible_text(page))
    assert golden_changes.describe("en.html", page, page.replace(b"<h1", b"<h1 data-x", 1)) == [
        "markup only: the visible text and the data are the same"
    ]
    shown = golden_changes.describe("en.html", page, page.replace(b"CC0", b"CC-BY", 1))
    assert shown and all(line.startswith("text ") for line in shown), shown
    assert any("CC-BY" in line for line in shown)
    table = (GOLDEN / "data/places.csv").read_bytes()
    assert golden_changes.describe("p.csv", table, table.replace(b",Kiel,", b",Kil,", 1)) == [
        'row kiel: name_sv "Kiel" -> "Kil"'
    ]
    rdf = (GOLDEN / "catalog.rdf").read_bytes()
    lines = golden_changes.describe("c.rdf", rdf, rdf.replace(b"Stadsledningskontoret", b"SLK", 1))
    assert {line.split(":")[0] for line in lines} == {"triple removed", "triple added"}
    assert golden_changes.describe("x.json", b'{"a": [1, 2]}', b'{"a": [1, 3], "b": 0}') == [
        "a[1]: 2 -> 3",
        "added b = 0",
    ]
