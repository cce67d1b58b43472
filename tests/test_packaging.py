"""Installable by name: the wheel of city-partnerships carries every file the package reads,
installs in a fresh virtual environment outside the repository, and runs there; the pre-commit
hook (.pre-commit-hooks.yaml) run by pre-commit itself passes a valid table and stops a broken
one. Both install geo's dependencies into a new environment (about a minute each)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT, make_project, shipped_rows, to_csv
from tests.test_readme_municipality import SECTION, STEP, fill

# Each test installs geo's dependencies into a new environment: minutes on a loaded machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
DISTRIBUTION = "city-partnerships"
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def run(*args, cwd, check=True, env=None):
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env or ENV
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def package_files() -> set[str]:
    """Every file of the package but bytecode, as the wheel names them."""
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "geo").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_the_wheel_installs_outside_the_repository_and_runs_init_build_and_edit(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, ROOT,
        cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("city_partnerships-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    missing = package_files() - names
    assert not missing, sorted(missing)  # every template, script, catalogue and the basemap
    assert f"Name: {DISTRIBUTION}\n" in metadata
    assert "geo = geo.cli:main" in entry_points

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    run(*pip, "-c", ROOT / "constraints.txt", wheel, cwd=tmp_path)
    geo = venv / "bin" / "geo"
    assert run(geo, "--version", cwd=tmp_path).stdout == "geo, version 0.1.0\n"
    where = run(venv / "bin" / "python", "-c", "import geo; print(geo.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv)  # not the repository's geo

    run(geo, "init", "malmo", "--home", "Malmö", cwd=tmp_path)
    project = tmp_path / "malmo"
    table = next(m.group("table") for m in STEP.finditer(SECTION) if m.group("table"))
    office = "\n".join(line for line in table.splitlines() if not line.startswith("| arhus"))
    fill(project / "data" / "places.csv", office)
    built = run(geo, "build", cwd=project)
    assert built.stdout.startswith("Built 1 place: 1 office, 0 partner cities")
    for name in ("maps/sv.html", "maps/en-embed.html", "maps/assets/basemap.js",
                 "maps/partnerships-sv.png", "data/layers/all.geojson"):  # fmt: skip
        assert (project / name).stat().st_size > 0, name

    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    editor = subprocess.Popen([geo, "edit", "--no-browser"], cwd=project, env=ENV, **pipes)
    try:
        address = editor.stdout.readline().rsplit(" at ", 1)[1].strip()
        with urllib.request.urlopen(address, timeout=60) as response:
            assert "Lägg till plats" in response.read().decode()
        with urllib.request.urlopen(address + "static/editor.js", timeout=60) as response:
            assert response.status == 200
    finally:
        editor.terminate()
        editor.wait(30)


def git(*args, cwd):
    return run("git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args, cwd=cwd)


def test_the_pre_commit_hook_passes_a_valid_table_and_stops_a_broken_one(tmp_path):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"]) == ("geo-validate", "geo validate")
    assert hook["language"] == "python"  # pre-commit installs this repository: geo and its deps
    repo = tmp_path / "repo"
    repo.mkdir()
    make_project(repo)
    git("init", "--quiet", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "--quiet", "-m", "table", cwd=repo)
    env = {**ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    command = [sys.executable, "-m", "pre_commit", "try-repo", ROOT, "geo-validate", "--all-files"]
    passed = run(*command, cwd=repo, env=env, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "geo validate (the table of international relations)" in passed.stdout
    assert "Passed" in passed.stdout

    header, rows = shipped_rows()
    rows[1]["status"] = "vilande"
    (repo / "data" / "places.csv").write_bytes(to_csv(header, rows))
    git("add", ".", cwd=repo)
    failed = run(*command, cwd=repo, env=env, check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "data/places.csv:3 (chicago): `status` 'vilande' is not allowed" in failed.stdout
    assert "Did you mean `dormant`?" in failed.stdout
