"""The documentation covers what the code does: every column, property, problem code and layer.

The tables of data/README.md are made from geo.schema and geo.codes (scripts/make_docs.py, `make
docs`); these tests fail when the file is not what the code says, and when the registry and the
code disagree.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from geo.codes import CODES
from geo.model import LAYERS
from scripts import make_docs
from tests.support import ROOT, SCHEMA

DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "geo").rglob("*.py"))}


@pytest.mark.golden
def test_generated_tables_are_current():
    assert make_docs.generated(DATA_README) == DATA_README, "run `make docs`"


@pytest.mark.parametrize("column", SCHEMA.names)
def test_every_column_is_documented(column):
    assert f"| `{column}` |" in DATA_README.split("## The layers")[0]


@pytest.mark.parametrize("prop", sorted(SCHEMA.place_properties))
def test_every_place_property_is_documented(prop):
    section = DATA_README.split("### Properties of a place")[1].split("### Properties of a conn")[0]
    assert f"| `{prop}` |" in section


@pytest.mark.parametrize("prop", sorted(p.name for p in SCHEMA.connection_properties))
def test_every_connection_property_is_documented(prop):
    section = DATA_README.split("### Properties of a connection")[1]
    assert f"| `{prop}` |" in section


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_problem_code_is_documented(code):
    assert f"| `{code}` | {CODES[code].severity.value} |" in DATA_README


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_registered_code_is_raised_somewhere(code):
    """A code no module uses is stale: the registry lists only what can happen."""
    used = [
        path
        for path, text in SOURCES.items()
        if f'"{code}"' in text and "codes.py" not in path.name
    ]
    column_codes = [path for path, text in SOURCES.items() if f'code="{code}"' in text]
    enum_codes = code in {"field/invalid-kind", "field/invalid-status"}  # declared in the schema
    assert used or column_codes or enum_codes, f"{code} is in geo/codes.py but nothing raises it"


def test_no_code_is_raised_without_being_registered():
    pattern = re.compile(
        r'"((?:file|header|row|field|coords|ref|office|settings|crosscheck)/[a-z0-9-]+)"'
    )
    found = {code for text in SOURCES.values() for code in pattern.findall(text)}
    assert found <= set(CODES)


def test_no_documented_code_is_stale():
    documented = set(re.findall(r"\| `([a-z]+/[a-z0-9-]+)` \|", DATA_README))
    assert documented == set(CODES)


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
    example = README.split("$ geo validate broken.csv\n")[1].split("\n$ echo")[0]
    expected = example.splitlines()
    broken = (ROOT / "data" / "places.csv").read_text(encoding="utf-8")
    broken = broken.replace("DE,10.13489,54.32133", "DE,10.13489,154.32133")
    broken = broken.replace("lyon,partner_city,dormant", "lyon,partner_city,paused")
    broken = broken.replace("NO,5.32415,60.39299", "NO,60.39299,5.32415")
    (tmp_path / "broken.csv").write_text(broken, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", "broken.csv", "--config", str(ROOT / "geo.toml")],
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


def test_readme_describes_the_map_symbols_as_geo_style_draws_them():
    """Kind by colour and shape, status by fill and line style (issue 12: the README said
    status was told by colour)."""
    from geo.schema import Kind, Status
    from geo.style import LINE_DASH, LINE_WIDTH, SYMBOLS, is_hollow

    section = README.split("## The interactive map")[1].split("- **Accessible")[0]
    section = " ".join(section.split())
    colour_names = {"#000000": "black", "#0072B2": "blue", "#D55E00": "vermillion"}
    words = {Kind.OFFICE: "the office a", Kind.PARTNER_CITY: "partner cities",
             Kind.FRIENDSHIP_TOWN: "friendship towns"}  # fmt: skip
    for kind, symbol in SYMBOLS.items():
        plural = "" if kind is Kind.OFFICE else "s"
        assert f"{words[kind]} {colour_names[symbol.colour]} {symbol.shape}{plural}" in section
    assert "Kind is told by colour and shape" in section
    assert "Status is told by fill and line style" in section
    assert is_hollow(Status.DORMANT) and LINE_DASH[Status.DORMANT] is not None
    assert "a dormant one a hollow symbol with a dashed outline on a light dashed line" in section
    assert not is_hollow(Status.ACTIVE) and LINE_DASH[Status.ACTIVE] is None
    assert "an active relation is a filled symbol on a heavy solid line" in section
    assert LINE_WIDTH[Status.ACTIVE] > LINE_WIDTH[Status.DORMANT]
    assert "status is told by colour" not in section.lower()
