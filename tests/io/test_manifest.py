"""geo build writes only files it owns (geo.io.manifest): foreign files are refused by name, a
second settings file cannot overwrite another project's outputs, stale outputs are removed."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from geo import pipeline
from geo.cli import cli
from geo.config import read_settings
from geo.errors import PublishError
from geo.io.manifest import MANIFEST
from tests.support import make_project, snapshot


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project built once, copied by each test that changes it."""
    base = tmp_path_factory.mktemp("built")
    pipeline.build(make_project(base))
    return base


def copy(project, tmp_path):
    shutil.copytree(project, tmp_path, dirs_exist_ok=True)
    return read_settings(tmp_path / "geo.toml")


def test_each_output_folder_has_a_manifest_of_what_build_wrote(project):
    settings = read_settings(project / "geo.toml")
    for folder in (settings.layers_dir, settings.maps_dir):
        doc = json.loads((folder / MANIFEST).read_bytes())
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert set(doc["files"]) == on_disk - {MANIFEST}
        assert doc["generator"] == "geo build"
    assert json.loads((settings.layers_dir / MANIFEST).read_bytes())["settings"] == "../../geo.toml"
    assert json.loads((settings.maps_dir / MANIFEST).read_bytes())["settings"] == "../geo.toml"


def test_a_foreign_file_in_the_way_is_refused_by_name(tmp_path):
    settings = make_project(tmp_path)
    settings.maps_dir.mkdir()
    (settings.maps_dir / "sv.html").write_text("the web team's own page")
    (settings.maps_dir / "notes.txt").write_text("not in the way")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--config", str(tmp_path / "geo.toml")])
    assert result.exit_code == 2, result.output
    assert "1 file(s) there were not written by geo build and would be replaced: sv.html" in (
        result.output
    )
    assert snapshot(tmp_path) == before  # nothing written anywhere, no layers either


def test_a_foreign_file_with_the_very_bytes_is_taken_over_and_others_are_left(project, tmp_path):
    settings = copy(project, tmp_path)
    (settings.maps_dir / MANIFEST).unlink()  # as an older geo left the folder
    (settings.maps_dir / "notes.txt").write_text("ours, not geo's")
    assert pipeline.build(settings).changed == []  # the same bytes: nothing to replace
    assert (settings.maps_dir / "notes.txt").read_text() == "ours, not geo's"
    assert "notes.txt" not in json.loads((settings.maps_dir / MANIFEST).read_bytes())["files"]


def test_a_second_settings_file_cannot_overwrite_the_first_ones_outputs(project, tmp_path):
    """Issue 12: a second settings file with the default [output] overwrote Göteborg's maps."""
    copy(project, tmp_path)
    text = (tmp_path / "geo.toml").read_text(encoding="utf-8")
    (tmp_path / "malmo.toml").write_text(text.replace('name_en = "Gothenburg"', 'name_en = "M"'))
    before = snapshot(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--config", str(tmp_path / "malmo.toml")])
    assert result.exit_code == 2, result.output
    assert "holds the outputs of another settings file (../../geo.toml" in result.output
    shown = str(tmp_path / "malmo.toml")  # the settings file as the person named it
    assert f"expected outputs of {shown} only. Give {shown} output folders of its own" in (
        " ".join(result.output.split())
    )
    assert snapshot(tmp_path) == before


def test_the_manifest_does_not_depend_on_where_the_project_is(project, tmp_path):
    settings = copy(project, tmp_path / "elsewhere")
    assert pipeline.build(settings).changed == []


def test_files_the_last_build_wrote_and_this_one_does_not_are_removed(project, tmp_path):
    settings = copy(project, tmp_path)
    manifest = settings.maps_dir / MANIFEST
    doc = json.loads(manifest.read_bytes())
    (settings.maps_dir / "old-page.html").write_text("a page an earlier version made")
    doc["files"].append("old-page.html")
    manifest.write_text(json.dumps(doc))
    pipeline.build(settings)
    assert not (settings.maps_dir / "old-page.html").exists()
    assert "old-page.html" not in json.loads(manifest.read_bytes())["files"]


@pytest.mark.parametrize(
    "text",
    [b"{", b"[]", b'{"settings": 1, "files": []}', b'{"settings": "x", "files": ["../../x"]}'],
)
def test_a_malformed_manifest_is_named_and_nothing_is_written(project, tmp_path, text):
    settings = copy(project, tmp_path)
    (settings.layers_dir / MANIFEST).write_bytes(text)
    (tmp_path / "data" / "places.csv").write_bytes(
        (tmp_path / "data" / "places.csv").read_bytes().replace(b"Chicago", b"Chicago IL", 1)
    )
    before = snapshot(tmp_path)
    with pytest.raises(PublishError, match=rf"{MANIFEST}: .*geo build"):
        pipeline.build(settings)
    assert snapshot(tmp_path) == before


def test_outputs_in_one_folder_share_one_manifest(tmp_path):
    make_project(tmp_path)
    text = (tmp_path / "geo.toml").read_text(encoding="utf-8")
    text = text.replace('layers = "data/layers"', 'layers = "out"').replace(
        'maps = "maps"', 'maps = "out/maps"'
    )
    (tmp_path / "geo.toml").write_text(text, encoding="utf-8")
    pipeline.build(read_settings(tmp_path / "geo.toml"))
    top = json.loads((tmp_path / "out" / MANIFEST).read_bytes())["files"]
    maps = json.loads((tmp_path / "out" / "maps" / MANIFEST).read_bytes())["files"]
    assert "all.geojson" in top and not any(f.startswith("maps/") for f in top)
    assert "sv.html" in maps


def test_a_stale_file_already_removed_by_hand_is_no_trouble(project, tmp_path):
    settings = copy(project, tmp_path)
    manifest = settings.maps_dir / MANIFEST
    doc = json.loads(manifest.read_bytes())
    doc["files"] += ["gone.html", "old-page.html"]  # both written by an earlier build ...
    manifest.write_text(json.dumps(doc))
    (settings.maps_dir / "old-page.html").write_text("a page an earlier version made")
    pipeline.build(settings)  # ... and one of them removed by hand since
    assert not (settings.maps_dir / "old-page.html").exists()
    assert not {"gone.html", "old-page.html"} & set(json.loads(manifest.read_bytes())["files"])
