"""A link (or a named pipe) planted at every path `geo build` and `geo publish` make: refused
with exit status 2, naming it; nothing written, the file it points to untouched.

A cloned repository can carry such links (git checks them out even where .gitignore lists the
name): issue 21 found `maps/.geo-build.lock -> ../../geo.toml` truncating the project's
settings. Each case copies a built (and published) project, plants a link to a victim file
outside at one path, runs the command and compares.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geo import pipeline
from geo.cli import cli
from geo.io.journal import JOURNAL, TEMP_SUFFIX
from geo.io.versions import LOCK, MARKER, STORE_MARK
from geo.io.write import BUILD_LOCK
from tests.publishing import BASE_URL
from tests.support import make_project, snapshot

TXID = "0123456789abcdef"  # secrets.token_hex, fixed: the temporary names are known
VICTIM = b'[home]\nname_sv = "the user\'s own file"\n'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project built and published once (public/ beside geo.toml)."""
    base = tmp_path_factory.mktemp("planted") / "project"
    base.mkdir()
    settings = make_project(base)
    pipeline.build(settings)
    pipeline.publish(settings, BASE_URL)
    return base


def build_paths(project) -> list[str]:
    """Every path `geo build` makes in its folders: outputs, manifests, stamps, locks,
    journals and temporary files (the last with the fixed transaction id)."""
    made = []
    for folder in ("data/layers", "maps"):
        files = sorted(
            p.relative_to(project).as_posix() for p in (project / folder).rglob("*") if p.is_file()
        )
        made += [*files, f"{folder}/{BUILD_LOCK}", f"{folder}/{JOURNAL}"]
        made.append(f"{folder}/{JOURNAL}.{TXID}{TEMP_SUFFIX}")
    made += [f"data/layers/.all.geojson.{TXID}{TEMP_SUFFIX}", f"maps/.en.html.{TXID}{TEMP_SUFFIX}"]
    return made


def _case(built, tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    victim = tmp_path / "victim.toml"
    victim.write_bytes(VICTIM)
    monkeypatch.chdir(project)
    monkeypatch.setattr("secrets.token_hex", lambda n=None: TXID)
    return project, victim


def _edit_descriptions(project):
    """A change that makes the build write (the web maps and the layers), not the print map."""
    table = project / "data" / "places.csv"
    table.write_bytes(table.read_bytes().replace(b"courtesy exchange", b"courtesy exchanges"))


def _plant(path, victim):
    if path.is_file():
        path.unlink()
    path.symlink_to(victim)


def _held(project, planted):
    """Every file of the project but the planted link, with its bytes."""
    return {k: v for k, v in snapshot(project).items() if k != planted}


def test_a_link_at_every_path_geo_build_makes_is_refused(built, tmp_path, monkeypatch):
    paths = build_paths(built)
    assert len(paths) >= 25 and "maps/.print.stamp.json" in paths
    runner = CliRunner()
    for n, name in enumerate(paths):
        case = tmp_path / str(n)
        project, victim = _case(built, case, monkeypatch)
        if TXID in name:
            _edit_descriptions(project)  # temporary files are made only for a change
        before = _held(project, name)
        _plant(project / name, victim)
        result = runner.invoke(cli, ["build", "--wait", "0"])
        assert result.exit_code == 2, (name, result.output)
        assert f"{project / name}: is a symbolic link to {victim}" in result.output, result.output
        assert "Nothing was changed" in result.output
        assert victim.read_bytes() == VICTIM, name
        assert (project / name).is_symlink(), name  # left as it was
        assert _held(project, name) == before, name  # nothing written


def test_a_link_as_an_output_folder_inside_maps_is_refused(built, tmp_path, monkeypatch):
    project, _ = _case(built, tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(project / "maps" / "assets")
    (project / "maps" / "assets").symlink_to(elsewhere)
    result = CliRunner().invoke(cli, ["build", "--wait", "0"])
    assert result.exit_code == 2, result.output
    assert f"{project / 'maps' / 'assets'}: is a symbolic link" in result.output
    assert list(elsewhere.iterdir()) == []


def publish_paths() -> list[str]:
    """Every path `geo publish` makes or keeps for itself beside and inside public/."""
    return [
        f".public.geo/{LOCK}",
        f".public.geo/{STORE_MARK}",
        f".public.geo/v000001/{MARKER}",
        f".public.geo/new-{TXID}",
        f".public.geo/link-{TXID}",
    ]


def test_a_link_at_every_path_geo_publish_makes_is_refused(built, tmp_path, monkeypatch):
    runner = CliRunner()
    args = ["publish", "--base-url", BASE_URL, "--wait", "0"]
    for n, name in enumerate(publish_paths()):
        project, victim = _case(built, tmp_path / str(n), monkeypatch)
        _edit_descriptions(project)  # a new version to write
        before = _held(project, name)
        _plant(project / name, victim)
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (name, result.output)
        assert f"{project / name}: is a symbolic link to {victim}" in result.output, result.output
        assert victim.read_bytes() == VICTIM, name
        assert _held(project, name) == before, name


def test_a_link_as_the_store_of_versions_is_refused(built, tmp_path, monkeypatch):
    project, _ = _case(built, tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project / ".public.geo", elsewhere)
    (project / ".public.geo").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    result = CliRunner().invoke(cli, ["publish", "--base-url", BASE_URL, "--wait", "0"])
    assert result.exit_code == 2, result.output
    assert f"{project / '.public.geo'}: is a symbolic link" in result.output
    assert snapshot(elsewhere) == before


def test_a_link_in_the_current_version_is_not_written_through(built, tmp_path, monkeypatch):
    """A file of the version being served replaced by a link: the new version is written afresh
    (the old one is never written to), and the link's target is untouched."""
    project, victim = _case(built, tmp_path, monkeypatch)
    _plant(project / ".public.geo/v000001/index.html", victim)
    result = CliRunner().invoke(cli, ["publish", "--base-url", BASE_URL, "--wait", "0"])
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == VICTIM
    assert not (project / "public" / "index.html").is_symlink()


@pytest.mark.parametrize(
    "name", ["maps/.geo-build.lock", "maps/.geo-build.json", "maps/.geo-journal.json",
             "maps/.print.stamp.json", "data/layers/all.geojson", ".public.geo/lock"],
)  # fmt: skip
def test_a_named_pipe_at_our_path_is_refused_at_once(built, tmp_path, name):
    """Through a real process with a time limit: opening a named pipe would block forever."""
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    (project / name).unlink(missing_ok=True)
    os.mkfifo(project / name)
    command = ["publish", "--base-url", BASE_URL] if name.startswith(".public") else ["build"]
    done = subprocess.run(
        [sys.executable, "-m", "geo", *command, "--wait", "0"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert f"{project / name}: is a named pipe (FIFO)" in done.stderr
