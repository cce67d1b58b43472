"""The writer (geo.io.write): all-or-nothing writes, in-process failures at each phase."""

from __future__ import annotations

import json
import os
import re

import pytest

import geo.io.journal
import geo.rendering
from geo import pipeline
from geo.errors import NotAFileError, PublishError, ValidationError
from geo.io import durable
from geo.io.journal import JOURNAL, TEMP_SUFFIX
from geo.io.write import build_outputs, write_files
from tests.support import make_project, shipped_rows, snapshot, to_csv


def test_writes_new_files_and_reports_what_changed(tmp_path):
    a, b = tmp_path / "x" / "a.txt", tmp_path / "y" / "b.txt"
    assert write_files({a: b"1", b: b"2"}) == [a, b]
    assert a.read_bytes() == b"1" and b.read_bytes() == b"2"
    assert write_files({a: b"1", b: b"3"}) == [b]
    assert b.read_bytes() == b"3"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.txt", "b.txt"]


def test_a_folder_at_a_path_to_write_is_refused_and_nothing_written(tmp_path):
    (tmp_path / "b.txt").mkdir()
    with pytest.raises(NotAFileError, match=r"b\.txt: is a folder; expected a file geo writes"):
        write_files({tmp_path / "a.txt": b"1", tmp_path / "b.txt": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]


def test_a_failure_while_writing_a_file_aside_changes_nothing(tmp_path, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    write_files({a: b"old"})
    real = durable.write_durably

    def failing(path, data, *mode):
        if path.name.startswith(".b.txt."):
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, *mode)

    monkeypatch.setattr(durable, "write_durably", failing)
    with pytest.raises(PublishError) as raised:
        write_files({a: b"new", b: b"2"})
    assert re.fullmatch(
        rf"{re.escape(str(b))}: cannot write \(the disk is full \(no space left on device\)\); "
        "nothing was changed. Check the disk has room and the folder is writable.",
        str(raised.value),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert a.read_bytes() == b"old"


def test_unchanged_files_are_not_touched(tmp_path):
    a = tmp_path / "a.txt"
    write_files({a: b"same"})
    os.utime(a, (1, 1))
    assert write_files({a: b"same"}) == []
    assert a.stat().st_mtime == 1


def _changed_table(tmp_path):
    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"  # changes layers and maps
    (tmp_path / "data" / "places.csv").write_bytes(to_csv(header, rows))


def test_an_unchanged_build_writes_nothing(tmp_path):
    settings = make_project(tmp_path)
    first = pipeline.build(settings)
    assert first.changed
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    assert pipeline.build(settings).changed == []
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_failure_while_writing_aside_leaves_everything_as_it_was(tmp_path, monkeypatch):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    _changed_table(tmp_path)
    before = snapshot(tmp_path)

    real = geo.io.journal.write_durably
    calls = []

    def failing(target, data, *mode):
        if not target.name.startswith(JOURNAL):
            calls.append(target)
            if len(calls) == 2:
                raise OSError(28, "No space left on device", str(target))
        return real(target, data, *mode)

    monkeypatch.setattr(geo.io.journal, "write_durably", failing)
    with pytest.raises(
        PublishError,
        match=r"\.geojson: cannot write \(the disk is full \(no space left on device\)\); "
        "nothing was changed",
    ) as raised:
        pipeline.build(settings)
    assert len(calls) == 2
    assert str(raised.value).startswith(f"{settings.layers_dir}/")  # the file, not a temporary
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


def test_a_failure_after_the_commit_is_finished_by_the_next_build(tmp_path, monkeypatch):
    """Once the journal says committed the new outputs win: a rename that fails then leaves
    the journal, every file whole (old or new), and the next build puts the rest in place."""
    settings = make_project(tmp_path)
    pipeline.build(settings)
    old = snapshot(tmp_path)
    _changed_table(tmp_path)

    real = os.replace
    moved = []

    def failing(src, dst):
        if str(src).endswith(TEMP_SUFFIX) and JOURNAL not in str(src):
            moved.append(dst)
            if len(moved) == 3:
                raise OSError(5, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(PublishError, match="the next geo build puts the rest in place"):
        pipeline.build(settings)
    monkeypatch.setattr(os, "replace", real)
    assert (settings.layers_dir / JOURNAL).exists() or (settings.maps_dir / JOURNAL).exists()
    halfway = snapshot(tmp_path)

    new = pipeline.build(settings, write=False).files
    for path, data in new.items():
        rel = path.relative_to(tmp_path).as_posix()
        assert halfway[rel] in (old.get(rel), data), rel  # each file old or new, never torn

    pipeline.build(settings)
    done = snapshot(tmp_path)
    for path, data in new.items():
        assert done[path.relative_to(tmp_path).as_posix()] == data
    assert not [n for n in done if n.endswith(TEMP_SUFFIX) or n.endswith(JOURNAL)]


def test_a_folder_where_a_file_should_go_is_refused_before_anything_moves(tmp_path):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    _changed_table(tmp_path)
    (settings.maps_dir / "sv.html").unlink()
    (settings.maps_dir / "sv.html").mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(PublishError, match=r"sv\.html: is a folder"):
        pipeline.build(settings)
    assert snapshot(tmp_path) == before


def test_a_failed_first_build_leaves_no_folder_behind(tmp_path, monkeypatch):
    settings = make_project(tmp_path)

    def broken(*args, **kw):
        raise PublishError("injected")

    monkeypatch.setattr(geo.io.journal.Transaction, "commit", broken)
    with pytest.raises(PublishError, match="injected"):
        pipeline.build(settings)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "geo.toml"]
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["places.csv"]


def _tree(folder):
    """Every path below `folder`, folders included."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_the_layers_are_written_aside_while_the_maps_are_drawn(tmp_path, monkeypatch):
    """Issue 14: the layers' bytes go to the disk (aside, under the journal) as soon as they
    are encoded, not after the maps; the build is switched in as one at the end."""
    settings = make_project(tmp_path)
    pipeline.build(settings)
    _changed_table(tmp_path)
    before = snapshot(tmp_path)
    real = geo.rendering.Renders.files
    seen = {}

    def files(self, *args, **kw):
        seen["aside"] = sorted(p.name for p in settings.layers_dir.glob(f"*{TEMP_SUFFIX}"))
        seen["journal"] = json.loads((settings.layers_dir / JOURNAL).read_bytes())
        seen["outputs"] = snapshot(tmp_path)
        return real(self, *args, **kw)

    monkeypatch.setattr(geo.rendering.Renders, "files", files)
    report = pipeline.build(settings, force=True)
    layers = ["all", "connections", "partner_cities"]  # Chicago's (the others are the same)
    assert [name.split(".")[1] for name in seen["aside"]] == layers
    assert seen["journal"]["state"] == "prepared"
    assert sorted(seen["journal"]["writes"]) == [f"{n}.geojson" for n in layers]
    scratch = (TEMP_SUFFIX, JOURNAL, ".lock")
    assert {k: v for k, v in seen["outputs"].items() if not k.endswith(scratch)} == before
    monkeypatch.undo()
    assert not [n for n in snapshot(tmp_path) if n.endswith((TEMP_SUFFIX, JOURNAL))]
    assert report.files == pipeline.build(settings, write=False).files  # read back from disk


def test_stage_takes_each_file_out_so_its_bytes_can_be_freed(tmp_path):
    settings = make_project(tmp_path)
    folders = (settings.layers_dir, settings.maps_dir)
    files = {settings.layers_dir / "a.geojson": b"1", settings.maps_dir / "b.html": b"2"}
    with build_outputs(folders, tmp_path / "geo.toml", "geo.toml") as outputs:
        outputs.stage(files)
        assert files == {}
        assert not (settings.layers_dir / "a.geojson").exists()  # aside, not yet in place
        assert outputs.write({settings.maps_dir / "c.html": b"3"}) == [
            settings.layers_dir / "a.geojson",
            settings.maps_dir / "b.html",
            settings.maps_dir / "c.html",
        ]
    assert (settings.maps_dir / "b.html").read_bytes() == b"2"


def _broken(*args, **kw):
    raise RuntimeError("the print map cannot be drawn")


@pytest.mark.parametrize("first", [True, False])
def test_a_map_that_fails_leaves_nothing_written_and_nothing_behind(tmp_path, monkeypatch, first):
    """The print map fails in its process (an error with its message, never run again here):
    the layers written aside meanwhile are removed, the journal too, and a first build leaves no
    folder behind."""
    settings = make_project(tmp_path)
    if not first:
        pipeline.build(settings)
        _changed_table(tmp_path)
    before, tree = snapshot(tmp_path), _tree(tmp_path)
    monkeypatch.setattr(geo.rendering, "draw_print", _broken)  # (inherited by the forked process)
    with pytest.raises(RuntimeError, match="cannot be drawn"):
        pipeline.build(settings, force=True)
    assert snapshot(tmp_path) == before
    assert _tree(tmp_path) == tree
