"""The `geo` command (geo.cli): exit codes, messages, and that the docs cover it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geo.cli import cli
from tests.support import PACIFIC, ROOT, make_project, shipped_rows, to_csv


@pytest.fixture
def project(tmp_path):
    make_project(tmp_path)
    return tmp_path


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
    )


def test_validate_the_shipped_table_from_the_project_root():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "data/places.csv: OK, 14 places: 1 office, 10 partner cities, 3 friendship towns\n"
    )


def test_validate_another_path_and_settings():
    result = run("validate", "--config", str(PACIFIC / "geo.toml"))
    assert result.returncode == 0, result.stderr
    assert "6 places: 1 office, 4 partner cities, 1 friendship town" in result.stdout


def test_data_problems_exit_1_with_a_count_and_one_line_each(project):
    header, rows = shipped_rows()
    rows[2]["lat"] = "154.3"
    rows[3]["status"] = "paused"
    (project / "data" / "places.csv").write_bytes(to_csv(header, rows))
    result = run("validate", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "data/places.csv: 2 errors, 0 warnings"
    assert lines[1].startswith("data/places.csv:4 (kiel): latitude 154.3 is out of range")
    assert lines[2].startswith("data/places.csv:5 (krakow): `status` 'paused' is not allowed")
    assert len(lines) == 3
    assert "Traceback" not in result.stderr


def test_build_reports_and_writes_nothing_on_bad_data(project):
    header, rows = shipped_rows()
    rows[2]["lat"] = "nan"
    (project / "data" / "places.csv").write_bytes(to_csv(header, rows))
    result = run("build", cwd=project)
    assert result.returncode == 1
    assert "[coords/not-finite]" in result.stderr
    assert "Nothing was written" in result.stderr
    assert not (project / "data" / "layers").exists()


def test_json_output_lists_codes(project):
    header, rows = shipped_rows()
    rows[2]["lat"], rows[2]["lon"] = rows[2]["lon"], rows[2]["lat"]
    (project / "data" / "places.csv").write_bytes(to_csv(header, rows))
    result = CliRunner().invoke(cli, ["validate", "--json", "--config", str(project / "geo.toml")])
    assert result.exit_code == 1
    (problem,) = json.loads(result.output)
    assert problem["code"] == "coords/swapped"
    assert problem["line"] == 4 and problem["id"] == "kiel" and problem["field"] == "lat"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "nowhere.csv"], "nowhere.csv: file not found"),
        (
            ["validate", "--config", "missing.toml"],
            "missing.toml: settings file not found",
        ),
        (["build", "--source", "data"], "data: is a folder"),
        (["build", "--bogus"], "No such option '--bogus'"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(project, args, message):
    result = run(*args, cwd=project)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_settings_exit_2(project):
    (project / "geo.toml").write_text("[home]\nname_sv = 'X'\n", encoding="utf-8")
    result = run("validate", cwd=project)
    assert result.returncode == 2
    assert "missing setting `home.name_en`" in result.stderr


def test_build_lists_what_it_wrote_then_unchanged(project):
    first = run("build", cwd=project)
    assert first.returncode == 0, first.stderr
    assert "data/layers/all.geojson (written)" in first.stdout
    assert "maps/sv.html (written)" in first.stdout
    second = run("build", cwd=project)
    assert "19 files: 0 written, 19 unchanged." in second.stdout
    assert "(written)" not in second.stdout
    assert "Maps reused" in second.stdout


def commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert len(cli.commands[name].help or "") > 20
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"geo {name}\b", readme), f"`geo {name}` is not in README.md"
