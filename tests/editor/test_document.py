"""The table being edited (geo.editor.document): a draft checked as `geo validate` checks the
saved file, saved in place through the writer, refused when invalid or changed on disk."""

from __future__ import annotations

import json
import multiprocessing
import time

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.editor import document
from geo.editor.document import EditConflict, SaveRefused
from geo.errors import BusyError
from geo.io.lock import locked


def draft(doc):
    return [dict(r) for r in doc.rows]


def find(rows, place):
    (row,) = [r for r in rows if r["id"] == place]
    return row


def cli_problems(settings, path):
    result = CliRunner().invoke(
        cli, ["validate", "--json", "--config", str(settings.root / "geo.toml"), str(path)]
    )
    return json.loads(result.output)


def test_a_draft_gets_the_problems_geo_validate_prints_for_the_saved_file(project):
    doc = document.read_document(project.places, project)
    rows = draft(doc)
    find(rows, "kiel")["status"] = "vilande"
    find(rows, "lyon")["lat"] = "145.75"
    find(rows, "bergen")["description_en"] = "two\nlines\nmore"  # later lines move down
    find(rows, "turku")["since"] = "1066"
    checked = document.check(doc, rows, project)
    project.places.write_bytes(checked.data)  # as saved: what does geo validate say?
    assert [p.to_dict() for p in checked.problems] == cli_problems(project, project.places)
    codes = {p.code for p in checked.problems}
    assert {"field/invalid-status", "coords/lat-out-of-range", "field/implausible-year"} <= codes
    (status,) = [p for p in checked.problems if p.code == "field/invalid-status"]
    assert "Did you mean `dormant`?" in str(status)


def test_each_row_knows_the_line_it_is_saved_on(project):
    doc = document.read_document(project.places, project)
    rows = draft(doc)
    checked = document.check(doc, rows, project)
    raw = checked.data.decode().split("\n")
    for row, line in zip(rows, checked.lines, strict=True):
        assert raw[line - 1].startswith(row["id"] + ",")


def test_a_valid_draft_is_saved_in_place_and_read_back(project):
    doc = document.read_document(project.places, project)
    rows = draft(doc)
    find(rows, "kiel")["status"] = "active"
    new = document.save(doc, rows, project)
    assert project.places.read_bytes() == new.data
    assert find(new.rows, "kiel")["status"] == "active"
    old_lines = doc.data.split(b"\n")
    new_lines = new.data.split(b"\n")
    assert [a == b for a, b in zip(old_lines, new_lines, strict=True)].count(False) == 1


def test_an_invalid_draft_is_refused_and_nothing_is_written(project):
    doc = document.read_document(project.places, project)
    rows = draft(doc)
    find(rows, "kiel")["country"] = "Germany"
    with pytest.raises(SaveRefused) as refused:
        document.save(doc, rows, project)
    assert [p.code for p in refused.value.problems if p.is_error] == ["field/invalid-country"]
    assert project.places.read_bytes() == doc.data


def test_a_file_changed_on_disk_is_not_overwritten_and_the_change_is_shown(project):
    doc = document.read_document(project.places, project)
    theirs = project.places.read_text(encoding="utf-8").replace("Kiel,Kiel,Kiel", "Kiel,Kiel,Kil")
    project.places.write_text(theirs, encoding="utf-8")
    rows = draft(doc)
    find(rows, "lyon")["status"] = "active"
    with pytest.raises(EditConflict) as conflict:
        document.save(doc, rows, project)
    assert [c.to_dict() for c in conflict.value.changes] == [
        {"place": "kiel", "what": "changed", "field": "name_local", "before": "Kiel",
         "after": "Kil"}
    ]  # fmt: skip
    assert project.places.read_text(encoding="utf-8") == theirs


def test_a_draft_is_put_on_top_of_the_newer_file_cell_by_cell():
    base = [{"id": "a", "x": "1", "y": "1"}, {"id": "b", "x": "1", "y": "1"}]
    theirs = [{"id": "a", "x": "2", "y": "1"}, {"id": "c", "x": "0", "y": "0"}]
    mine = [
        {"key": "a", "cells": {"id": "a", "x": "3", "y": "5"}},  # x clashes, y is mine alone
        {"key": "b", "cells": {"id": "b", "x": "1", "y": "1"}},  # unchanged; removed on disk
        {"key": None, "cells": {"id": "d", "x": "4", "y": "4"}},  # added by me
    ]
    rows, clashes = document.rebase(base, mine, theirs)
    assert [r["cells"] for r in rows] == [
        {"id": "a", "x": "3", "y": "5"},
        {"id": "c", "x": "0", "y": "0"},
        {"id": "d", "x": "4", "y": "4"},
    ]
    assert [r["key"] for r in rows] == ["a", "c", None]
    assert [c.to_dict() for c in clashes] == [
        {"place": "a", "field": "x", "theirs": "2", "mine": "3"}
    ]


def _hold(path, ready, release):
    with locked(path, "test", 0):
        ready.set()
        release.wait(30)


def test_one_writer_at_a_time(project):
    doc = document.read_document(project.places, project)
    rows = draft(doc)
    find(rows, "kiel")["status"] = "active"
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(document.lock_path(project.places), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        started = time.monotonic()
        with pytest.raises(BusyError):
            document.save(doc, rows, project, wait=0.3)
        assert time.monotonic() - started >= 0.3
        assert project.places.read_bytes() == doc.data
    finally:
        release.set()
        holder.join(30)
    assert document.save(doc, rows, project).data != doc.data


def test_a_link_where_the_table_should_be_is_not_followed(project, tmp_path):
    from geo.errors import SourceError

    target = tmp_path / "elsewhere.csv"
    target.write_bytes(project.places.read_bytes())
    project.places.unlink()
    project.places.symlink_to(target)
    with pytest.raises(SourceError, match="not a link"):
        document.read_document(project.places, project)
