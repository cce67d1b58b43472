"""The README's "Another municipality" recipe, run as written in a folder outside the repository.

Every `$ ` line of its console blocks is run by bash (so `>>` works) with the environment's `geo`
first on PATH, in order; its table of cells to fill is applied to the table and its `[publisher]`
block to geo.toml where they stand in the text. What each command prints must match the lines
shown ("..." stands for any lines), through to the published folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Another municipality\n")[1].split("\n## ")[0]
STEP = re.compile(
    r"^```console\n(?P<console>.*?)^```"
    r"|^```toml\n(?P<toml>.*?)^```"
    r"|(?P<table>^\| id \| column \| value \|\n(?:\|[^\n]*\n)+)",
    re.MULTILINE | re.DOTALL,
)


def commands(block: str) -> list[tuple[str, list[str]]]:
    """The `$ ` lines of a console block, each with the lines shown after it."""
    found: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            found[-1][1].append(line)
    return found


def matches(shown: list[str], got: list[str]) -> bool:
    """Whether `got` is `shown`, a "..." line standing for any number of lines."""
    pattern = "\n".join(".*?" if line == "..." else re.escape(line) for line in shown)
    return (
        re.fullmatch(pattern.replace("\n.*?\n", "(?:\n.*?)?\n"), "\n".join(got), re.DOTALL)
        is not None
    )


def fill(table: Path, rows_text: str) -> None:
    with table.open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp)
        header, rows = list(reader.fieldnames or []), list(reader)
    for line in rows_text.strip().splitlines()[2:]:
        place_id, column, value = (cell.strip() for cell in line.strip("|").split("|"))
        (row,) = [r for r in rows if r["id"] == place_id]
        assert column in row, column
        row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    table.write_text(out.getvalue(), encoding="utf-8")


def test_the_another_municipality_recipe_runs_as_written(tmp_path):
    assert not tmp_path.resolve().is_relative_to(ROOT)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("GEO_CONFIG", None)
    here = tmp_path
    ran = []
    for step in STEP.finditer(SECTION):
        if step["table"]:
            fill(here / "data" / "places.csv", step["table"])
            continue
        if step["toml"]:
            with (here / "geo.toml").open("a", encoding="utf-8") as fp:
                fp.write("\n" + step["toml"])
            continue
        for command, shown in commands(step["console"]):
            ran.append(command)
            if command.startswith("cd "):
                here = here / command[3:]
                continue
            result = subprocess.run(
                ["bash", "-c", command], cwd=here, env=env, text=True,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
            )  # fmt: skip
            errors = re.match(r".*: ([1-9]\d*) errors?,", shown[0]) if shown else None
            assert result.returncode == (1 if errors else 0), (command, result.stdout)
            assert matches(shown, result.stdout.splitlines()), (command, result.stdout)
    assert ran[0] == "geo init malmo --home Malmö" and ran[-1] == "geo publish"
    assert any("geo lookup" in c and "--row" in c for c in ran)
    public = tmp_path / "malmo" / "public"
    assert (public / "datapackage.json").is_file() and (public / "index.html").is_file()
    assert '"name": "malmo-international-relations"' in (public / "datapackage.json").read_text(
        encoding="utf-8"
    )


def test_matches_treats_dots_as_any_lines():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a", "...", "d"], ["a", "b"])
