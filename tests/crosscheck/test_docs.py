"""docs/crosscheck.md and the README say what geo crosscheck does: the query as it is made, every
code, and the real output for Göteborg on the saved answer made by hand."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.codes import CODES
from tests.support import ROOT, make_project

PAGE = (ROOT / "docs" / "crosscheck.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = "docs/examples/wikidata-goteborg-illustrative.json"


def test_the_page_shows_the_query_as_geo_makes_it():
    shown = PAGE.split("```sparql\n")[1].split("```")[0]
    made = CliRunner().invoke(
        cli, ["crosscheck", "--print-query", "--config", str(ROOT / "geo.toml")]
    )
    assert made.exit_code == 0
    assert shown == made.stdout


@pytest.mark.parametrize("code", sorted(c for c in CODES if c.startswith("crosscheck/")))
def test_the_page_explains_every_code(code):
    assert f"| `{code}` |" in PAGE


def test_the_readme_shows_the_real_output_for_goteborg(tmp_path):
    example = README.split(f"$ geo crosscheck --from {EXAMPLE} --quickstatements additions.qs\n")
    shown, qs = example[1].split("```")[0].split("$ head -2 additions.qs\n")
    make_project(tmp_path)
    (tmp_path / "docs" / "examples").mkdir(parents=True)
    shutil.copy(ROOT / EXAMPLE, tmp_path / EXAMPLE)
    result = subprocess.run(
        [sys.executable, "-m", "geo", "crosscheck", "--from", EXAMPLE, "--quickstatements",
         "additions.qs"],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout == shown
    assert (tmp_path / "additions.qs").read_text("utf-8").splitlines()[:2] == qs.splitlines()


def test_the_readme_and_the_page_say_the_statements_are_invented():
    assert "every statement in it is invented" in README
    assert "**Every P190 statement in it is invented**" in PAGE
    assert "There was no network" in README and "There is no network" in PAGE
