"""All-or-nothing writes (geo.io.write)."""

from __future__ import annotations

import os

import pytest

from geo import pipeline
from geo.errors import PublishError, ValidationError
from geo.io.write import write_files
from tests.support import make_project, shipped_rows, snapshot, to_csv


def test_writes_new_files_and_reports_what_changed(tmp_path):
    a, b = tmp_path / "x" / "a.txt", tmp_path / "y" / "b.txt"
    assert write_files({a: b"1", b: b"2"}) == [a, b]
    assert a.read_bytes() == b"1" and b.read_bytes() == b"2"
    assert write_files({a: b"1", b: b"3"}) == [b]
    assert b.read_bytes() == b"3"


def test_unchanged_files_are_not_touched(tmp_path):
    a = tmp_path / "a.txt"
    write_files({a: b"same"})
    os.utime(a, (1, 1))
    assert write_files({a: b"same"}) == []
    assert a.stat().st_mtime == 1


def test_a_failure_while_writing_leaves_everything_as_it_was(tmp_path, monkeypatch):
    settings = make_project(tmp_path)
    pipeline.build(settings)

    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"  # changes two layers
    (tmp_path / "data" / "places.csv").write_bytes(to_csv(header, rows))
    before = snapshot(tmp_path)

    import geo.io.write

    real = geo.io.write._write_temp
    calls = []

    def failing(target, data):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(target))
        return real(target, data)

    monkeypatch.setattr(geo.io.write, "_write_temp", failing)
    with pytest.raises(
        PublishError,
        match=r"cannot write \(No space left on device\); nothing was changed",
    ):
        pipeline.build(settings)
    assert len(calls) == 2
    assert snapshot(tmp_path) == before  # no layer changed, no temporary file left behind


def test_a_failing_build_leaves_published_layers_untouched(tmp_path):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    before = snapshot(settings.layers_dir)
    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"
    rows[2]["lat"] = "154.3"
    (tmp_path / "data" / "places.csv").write_bytes(to_csv(header, rows))
    with pytest.raises(ValidationError) as raised:
        pipeline.build(settings)
    assert [p.code for p in raised.value.problems] == ["coords/lat-out-of-range"]
    assert snapshot(settings.layers_dir) == before


def test_a_failure_while_moving_files_into_place_puts_every_file_back(tmp_path, monkeypatch):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"  # changes layers and maps
    (tmp_path / "data" / "places.csv").write_bytes(to_csv(header, rows))
    before = snapshot(tmp_path)

    real = os.replace
    moved = []

    def failing(src, dst):
        if str(src).endswith(".tmp"):
            moved.append(dst)
            if len(moved) == 3:
                raise OSError(5, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(PublishError, match="Input/output error"):
        pipeline.build(settings)
    assert len(moved) == 3
    assert snapshot(tmp_path) == before  # the two files already moved were put back


def test_a_folder_where_a_file_should_go_is_refused_before_anything_moves(tmp_path):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"
    (tmp_path / "data" / "places.csv").write_bytes(to_csv(header, rows))
    (settings.maps_dir / "sv.html").unlink()
    (settings.maps_dir / "sv.html").mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(PublishError, match=r"sv\.html: is a folder"):
        pipeline.build(settings)
    assert snapshot(tmp_path) == before
