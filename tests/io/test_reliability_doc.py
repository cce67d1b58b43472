"""docs/reliability.md tells the truth: every test it names exists, every guarantee names one,
and git ignores every name the writer makes."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.io.journal import JOURNAL, TEMP_SUFFIX
from geo.io.write import BUILD_LOCK

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_every_test_the_doc_names_exists():
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", DOC)
    assert len(named) >= 25
    for path, name in named:
        assert name in _tests_in(ROOT / path), f"{path}::{name}"


def test_every_guarantee_names_a_test():
    table = DOC.split("| guarantee | held by |")[1].split("\n\n")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) >= 12
    for row in rows:
        assert "tests/" in row or "benchmarks/" in row, row


def test_the_doc_names_the_benchmark_and_its_figures():
    assert (ROOT / "benchmarks" / "readers.py").is_file()
    figures = re.findall(r"^geo publish\s+(\d+)\s+([\d,]+)\s+(\d+)\s+(\d+)", DOC, re.M)
    assert figures and int(figures[0][0]) >= 20 and figures[0][2:] == ("0", "0")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is what the rule is for")
def test_git_ignores_every_name_the_writer_makes(tmp_path):
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    made = [
        f"data/layers/.all.geojson.0123456789abcdef{TEMP_SUFFIX}",
        f"maps/assets/.leaflet.js.0123456789abcdef{TEMP_SUFFIX}",
        f"maps/{JOURNAL}",
        f"maps/{JOURNAL}.0123456789abcdef{TEMP_SUFFIX}",
        f"data/layers/{BUILD_LOCK}",
        "maps/.sv.html.x1y2z3.geo-bak",
        ".public.geo/lock",
        ".public.geo/v000001/index.html",
        ".public.geo/new-0123456789abcdef/index.html",
        "site/.www.geo/v000002/index.html",
    ]
    for name in made:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "public").symlink_to(".public.geo/v000001")
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert status == ["?? .gitignore"]
