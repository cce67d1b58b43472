"""The documentation covers what the code does: every column, property, problem code and layer."""

from __future__ import annotations

import re

import pytest

from geo.layers import CONNECTION_PROPERTIES, PLACE_PROPERTIES
from geo.model import LAYERS
from geo.sources import COLUMN_NAMES
from tests.support import ROOT

DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def problem_codes() -> set[str]:
    pattern = re.compile(r'"((?:file|header|row|field|coords|ref|office|settings)/[a-z-]+)"')
    codes = set()
    for path in (ROOT / "geo").glob("*.py"):
        codes |= set(pattern.findall(path.read_text(encoding="utf-8")))
    # built from the enum name in validate._choice
    return codes | {"field/invalid-kind", "field/invalid-status"}


@pytest.mark.parametrize("column", COLUMN_NAMES)
def test_every_column_is_documented(column):
    assert f"| `{column}` |" in DATA_README.split("## The layers")[0]


@pytest.mark.parametrize("prop", sorted({"id", *PLACE_PROPERTIES}))
def test_every_place_property_is_documented(prop):
    section = DATA_README.split("### Properties of a place")[1].split("### Properties of a conn")[0]
    assert f"| `{prop}` |" in section


@pytest.mark.parametrize("prop", sorted({"id", *CONNECTION_PROPERTIES}))
def test_every_connection_property_is_documented(prop):
    section = DATA_README.split("### Properties of a connection")[1]
    assert f"| `{prop}` |" in section


@pytest.mark.parametrize("code", sorted(problem_codes()))
def test_every_problem_code_is_documented(code):
    assert f"| `{code}` |" in DATA_README


def test_no_documented_code_is_stale():
    documented = set(re.findall(r"\| `([a-z]+/[a-z-]+)` \|", DATA_README))
    assert documented == problem_codes()


@pytest.mark.parametrize("layer", [*LAYERS, "all"])
def test_every_layer_file_is_in_both_readmes(layer):
    assert f"layers/{layer}.geojson" in DATA_README
    assert f"data/layers/{layer}.geojson" in README


def test_readme_has_the_two_commands_that_ci_runs():
    assert "make build" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_readme_analyst_example_runs_as_written():
    """The README's Python block in a fresh interpreter in the project root, as a reader would."""
    import subprocess
    import sys

    section = README.split("## For analysts: the Python API")[1].split("\n## ")[0]
    blocks = re.findall(r"^```python\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1
    out = subprocess.run(
        [sys.executable, "-c", blocks[0]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "EPSG:4326 14" in out.stdout
    assert "aarhus" in out.stdout and "stated" in out.stdout and "uncertain" in out.stdout


def test_readme_shows_the_real_validate_output(tmp_path):
    import subprocess
    import sys

    example = README.split("$ geo validate broken.csv\n")[1].split("\n$ echo")[0]
    expected = example.splitlines()
    broken = (ROOT / "data" / "places.csv").read_text(encoding="utf-8")
    broken = broken.replace("DE,10.13489,54.32133", "DE,10.13489,154.32133")
    broken = broken.replace("lyon,partner_city,dormant", "lyon,partner_city,paused")
    broken = broken.replace("NO,5.32415,60.39299", "NO,60.39299,5.32415")
    (tmp_path / "broken.csv").write_text(broken, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "validate",
            "broken.csv",
            "--config",
            str(ROOT / "geo.toml"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    got = [line.replace(str(tmp_path) + "/", "") for line in result.stderr.splitlines()]
    assert got == expected


def test_readme_shows_the_real_help():
    from click.testing import CliRunner

    from geo.cli import cli

    shown = README.split("$ geo --help\n")[1].split("```")[0]
    assert shown == CliRunner().invoke(cli, ["--help"], prog_name="geo").output
