"""`geo validate --format github`: problems as GitHub Actions annotations.

The form and escapes are GitHub's documented workflow commands ("Setting an error message":
``::error file={name},line={line},title={title}::{message}``), as @actions/core writes them:
in the message ``%``, CR and LF become %25, %0D and %0A; in a property also ``:`` and ``,``
become %3A and %2C. The decoder below undoes exactly that, independently of geo's encoder.
"""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from geo.cli import cli
from geo.codes import Problem
from geo.console import annotation
from tests.support import make_project, shipped_rows, to_csv

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: bytes.fromhex(m.group(1)).decode(), text)


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    level, head, message = match.groups()
    assert "\n" not in message and "\r" not in message
    props = {}
    for part in head.split(","):  # a property value holds no raw comma or colon
        key, _, value = part.partition("=")
        props[key] = unescape(value)
    return level, props, unescape(message)


def test_every_special_character_is_escaped_as_github_documents():
    problem = Problem(
        "row/missing-field", "100% wrong:\r\nsecond, line", "a,b:c.csv", line=7,
        place_id="kiel", field="status",
    )  # fmt: skip
    line = annotation(problem, "dir:x/a,b%.csv")
    assert line.startswith("::error file=dir%3Ax/a%2Cb%25.csv,line=7,title=row/missing-field::")
    assert "100%25 wrong:%0D%0Asecond, line" in line  # `:` and `,` stay in the message
    level, props, message = parse(line)
    assert (level, props["file"], props["line"], props["title"]) == (
        "error", "dir:x/a,b%.csv", "7", "row/missing-field"
    )  # fmt: skip
    assert message.startswith("(kiel) 100% wrong:\r\nsecond, line.")


def test_warnings_and_notes_are_their_own_levels_and_a_problem_without_a_line_has_none():
    note = Problem("file/bom", "a note", "t.csv", line=1)
    assert annotation(note, "t.csv").startswith("::notice file=t.csv,line=1,title=file/bom::")
    office = Problem("office/missing", "no row has `kind` office", "t.csv")
    assert annotation(office, "t.csv").startswith("::error file=t.csv,title=office/missing::")


def test_geo_validate_annotates_each_problem_at_its_line(tmp_path, monkeypatch):
    header, rows = shipped_rows()
    rows[3]["status"] = "vilande"
    rows[5]["lat"] = "57,7"
    rows[7]["description_en"] = "50% done,\nsee: notes"
    make_project(tmp_path, to_csv(header, rows))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "--format", "github"])
    assert result.exit_code == 1
    annotations = [parse(line) for line in result.output.splitlines()]
    expected = json.loads(runner.invoke(cli, ["validate", "--json"]).output)
    assert [(p["title"], p["file"], int(p["line"])) for _, p, _ in annotations] == [
        (e["code"], "data/places.csv", e["line"]) for e in expected
    ]
    assert [m for _, _, m in annotations] == [
        f"({e['id']}) " + e["message"].split(f"({e['id']}): ", 1)[1] for e in expected
    ]
    assert any("Did you mean `dormant`?" in m for _, _, m in annotations)


def test_a_valid_table_prints_no_annotation(tmp_path, monkeypatch):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--format", "github"])
    assert result.exit_code == 0
    assert not [line for line in result.output.splitlines() if line.startswith("::")]
