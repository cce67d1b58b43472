"""Golden files: every output of a publication of the shipped table, byte for byte.

They are change alarms, not proof: the meaning of each output is checked by the tests of its
stage (independent validators and readers). When an output changes on purpose, rewrite them with
`make golden` (pytest --update-golden) and review the diff like code. Binary outputs (GeoPackage,
PNG, ...) are held by the golden SHA256SUMS, which names every file with its checksum.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.publishing import publish
from tests.support import ROOT

pytestmark = pytest.mark.golden
GOLDEN = ROOT / "tests" / "golden" / "publication"
TEXT_SUFFIXES = {".json", ".geojson", ".csv", ".rdf", ".html", ".md", ".atom", ".txt", ""}
SKIPPED_DIRS = ("maps/assets/",)  # third-party files (Leaflet) and the encoded basemap


def _text_outputs(folder: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and path.suffix in TEXT_SUFFIXES and not rel.startswith(SKIPPED_DIRS):
            out[rel] = path.read_bytes()
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("golden")
    publish(tmp, tmp / "public")
    return _text_outputs(tmp / "public")


def test_every_output_matches_its_golden_file(outputs, update_golden):
    if update_golden:
        for old in GOLDEN.rglob("*"):
            if old.is_file() and old.relative_to(GOLDEN).as_posix() not in outputs:
                old.unlink()
        for rel, data in outputs.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    golden = _text_outputs(GOLDEN)
    assert sorted(golden) == sorted(outputs), "outputs added or removed: run `make golden`"
    changed = [rel for rel in outputs if outputs[rel] != golden[rel]]
    assert not changed, f"changed outputs: {changed}; if intended, run `make golden` and review"


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
