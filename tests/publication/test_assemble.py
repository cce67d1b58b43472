"""geo publish as a whole: the folder's layout, determinism, checksums, and all-or-nothing."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

import geo.io.versions
import geo.publication.landing
from geo import pipeline
from geo.cli import cli
from geo.config import read_settings
from geo.errors import PublishError, SettingsError
from geo.io.versions import MARKER
from geo.publication.formats import FORMATS
from tests.publishing import (
    BASE_URL,
    ROOT,
    edited_table,
    publish,
    settings_in,
    snapshot,
)

DOWNLOADS = {fmt.path_of(part) for fmt in FORMATS for part in fmt.parts()}
EXPECTED = DOWNLOADS | {
    "index.html",
    "en.html",
    "pygeoapi/config.yml",
    "datapackage.json",
    "catalog.rdf",
    "changes.json",
    "changes.atom",
    "CHANGELOG.md",
    "SHA256SUMS",
    MARKER,
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pub")
    report = publish(tmp, tmp / "public")
    return tmp / "public", report


def test_folder_holds_every_download_and_metadata_file(published):
    folder, report = published
    assert set(snapshot(folder)) >= EXPECTED
    assert set(snapshot(folder)) == set(report.files)


def test_layers_and_maps_are_the_bytes_geo_build_makes(published):
    folder, report = published
    layers = {p: d for p, d in report.build.files.items() if p.suffix == ".geojson"}
    maps = {
        p: d
        for p, d in report.build.files.items()
        if p.suffix != ".geojson" and not p.name.startswith(".")  # render stamps stay home
    }
    assert len(layers) == 5 and maps
    assert not list((folder / "maps").glob(".*"))
    for path, data in layers.items():
        assert (folder / "data" / "layers" / path.name).read_bytes() == data
    maps_dir = folder.parent / "maps"  # settings_in(tmp) builds the maps here
    for path, data in maps.items():
        assert (folder / "maps" / path.relative_to(maps_dir)).read_bytes() == data


def test_links_in_the_maps_resolve_inside_the_folder(published):
    folder, _ = published
    pages = sorted((folder / "maps").glob("*.html"))
    assert pages
    for page in pages:
        for href in re.findall(r'(?:href|src)="([^"#:]+)"', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), f"{page.name}: {href}"


def test_landing_pages_link_the_maps_in_their_language(published):
    folder, _ = published
    assert 'href="maps/sv.html"' in (folder / "index.html").read_text()
    assert 'src="maps/en-embed.html"' in (folder / "en.html").read_text()  # embedded


def test_checksums_verify_with_sha256sum(published):
    folder, _ = published
    listed = (folder / "SHA256SUMS").read_text().splitlines()
    unlisted = {"SHA256SUMS", MARKER}  # the checksums and the marker that names every file
    assert {line.split("  ", 1)[1] for line in listed} == set(snapshot(folder)) - unlisted
    done = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"],
        cwd=folder,
        capture_output=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_checksums_catch_a_changed_byte(published, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(published[0], copy)
    csv = copy / "data" / "places.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Chicago", b"Chicagx", 1))
    done = subprocess.run(["sha256sum", "--check", "SHA256SUMS"], cwd=copy, capture_output=True)
    assert done.returncode != 0
    assert b"data/places.csv: FAILED" in done.stdout


def test_two_publishes_give_identical_bytes(published, tmp_path):
    again = publish(tmp_path, tmp_path / "again")
    first, second = snapshot(published[0]), snapshot(tmp_path / "again")
    assert {n for n in first if first[n] != second.get(n)} == set()  # names what differs
    assert first == second
    assert set(second) >= DOWNLOADS
    assert again.changes.added  # a fresh folder: everything is new


def test_publish_prints_the_dataset_identifier(tmp_path):
    out = tmp_path / "public"
    result = CliRunner().invoke(cli, ["publish", "--base-url", BASE_URL, "--out", str(out)])
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[-1]
    ident = re.fullmatch(
        r"Dataset identifier: ([0-9a-f-]{36}) \(the same in every publication\)\.", line
    )
    assert ident, result.output
    assert f"<dcterms:identifier>{ident.group(1)}</dcterms:identifier>" in (
        out / "catalog.rdf"
    ).read_text(encoding="utf-8")


def test_republishing_unchanged_data_changes_nothing(tmp_path):
    out = tmp_path / "public"
    publish(tmp_path, out)
    before = snapshot(out)
    report = publish(tmp_path, out)
    assert report.changes.empty
    assert snapshot(out) == before


def _assert_untouched(out, before, parent):
    assert snapshot(out) == before
    store = parent / f".{out.name}.geo"
    leftovers = [p.name for p in store.iterdir() if not p.name.startswith(("v", ".geo-store"))]
    assert leftovers == []
    assert len([p for p in store.iterdir() if p.name.startswith("v")]) == 1


def test_failure_while_building_leaves_previous_publication(tmp_path, monkeypatch):
    out = tmp_path / "public"
    publish(tmp_path, out)
    before = snapshot(out)
    changed = edited_table(
        tmp_path,
        "changed.csv",
        {r"^chicago,partner_city,dormant": "chicago,partner_city,active"},
    )

    def broken(*args, **kw):
        raise RuntimeError("injected failure while rendering the landing page")

    monkeypatch.setattr(geo.publication.landing, "render_landing", broken)
    with pytest.raises(RuntimeError, match="injected"):
        publish(tmp_path, out, changed)
    _assert_untouched(out, before, tmp_path)


def test_failure_while_writing_leaves_previous_publication(tmp_path, monkeypatch):
    out = tmp_path / "public"
    publish(tmp_path, out)
    before = snapshot(out)
    real_write = geo.io.versions.write_durably
    calls = []

    def full_disk(path, data, *mode):
        calls.append(path)
        if len(calls) == 4:
            raise OSError(28, "No space left on device", str(path))
        return real_write(path, data, *mode)

    monkeypatch.setattr(geo.io.versions, "write_durably", full_disk)
    with pytest.raises(PublishError, match="no space left on device"):
        publish(tmp_path, out, edited_table(tmp_path, "c.csv", {"dormant": "active"}))
    assert len(calls) == 4
    _assert_untouched(out, before, tmp_path)


def test_failure_during_the_switch_leaves_the_previous_folder(tmp_path, monkeypatch):
    out = tmp_path / "public"
    publish(tmp_path, out)
    before = snapshot(out)
    real_replace = os.replace

    def replace(src, dst):
        if "link-" in str(src):  # the switch: the new link onto the old one
            raise OSError(5, "Input/output error", str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(geo.io.versions.os, "replace", replace)
    with pytest.raises(PublishError, match=r"previous publication in .* is as it was"):
        publish(tmp_path, out, edited_table(tmp_path, "c.csv", {"dormant": "active"}))
    _assert_untouched(out, before, tmp_path)


def test_the_folder_is_a_link_to_a_complete_version(published):
    folder, _ = published
    assert folder.is_symlink()
    assert os.readlink(folder) == ".public.geo/v000001"
    assert (folder / MARKER).is_file()


def test_folder_that_is_not_a_publication_is_refused(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("do not delete")
    runner = CliRunner()
    result = runner.invoke(cli, ["publish", "--base-url", BASE_URL, "--out", str(out)])
    assert result.exit_code == 2
    assert "not an earlier publication" in result.output
    assert "thesis.txt" in result.output  # what is there is named
    assert (out / "thesis.txt").read_text() == "do not delete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious"]  # nothing made beside


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.se/",
        "example.se/data/",
        "https://",
        "https://x.se/a b/",
        "https://x.se/?q=1",
    ],
)
def test_bad_base_url_is_a_usage_error(tmp_path, url):
    result = CliRunner().invoke(cli, ["publish", "--base-url", url, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "--base-url" in result.output
    assert not (tmp_path / "o").exists()


def test_bad_table_exits_1_and_publishes_nothing(tmp_path):
    bad = edited_table(
        tmp_path, "bad.csv", {r"^kiel,partner_city,dormant": "kiel,partner_city,zombie"}
    )
    out = tmp_path / "public"
    result = CliRunner().invoke(
        cli,
        ["publish", "--base-url", BASE_URL, "--out", str(out), "--source", str(bad)],
    )
    assert result.exit_code == 1
    assert "field/invalid-status" in result.output
    assert not out.exists()


def test_docs_name_every_file_and_option(published):
    docs = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    for name in snapshot(published[0]):
        if not name.startswith("maps/"):  # the maps are documented by the map's README
            assert f"`{name}`" in docs or name in docs, name
    assert "`maps/`" in docs
    for option in ("--base-url", "--out", "geo diff", "`'`"):
        assert option in docs
    for command in ("publish", "diff"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and len(result.output) > 200


def test_missing_publisher_settings_is_a_settings_error(tmp_path):
    settings = settings_in(tmp_path)
    layers = snapshot_of(settings.layers_dir)
    without = dataclasses.replace(settings, publisher=None)
    for url in (None, BASE_URL):
        with pytest.raises(SettingsError, match=r"missing section `\[publisher\]`"):
            pipeline.publish(without, url, tmp_path / "out")
    no_url = dataclasses.replace(
        settings, publisher=dataclasses.replace(settings.publisher, base_url="")
    )
    with pytest.raises(SettingsError, match="--base-url: missing"):
        pipeline.publish(no_url, None, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert snapshot_of(settings.layers_dir) == layers  # nothing of the project was written


def snapshot_of(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publisher_section_is_read_from_the_settings():
    publisher = read_settings(ROOT / "geo.toml").publisher
    assert publisher is not None
    assert publisher.name == "Göteborgs Stad"
    assert publisher.type == "http://purl.org/adms/publishertype/LocalAuthority"
    assert publisher.base_url and publisher.base_url.startswith("https://")
