"""The writer (geo.io.write): all-or-nothing writes, in-process failures at each phase."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile

import pytest

import geo.io.journal
import geo.rendering
from geo import pipeline
from geo.errors import NotAFileError, PublishError, UsageError, ValidationError
from geo.io import durable, versions
from geo.io.journal import JOURNAL, TEMP_SUFFIX
from geo.io.versions import MARKER
from geo.io.write import OnDisk, build_outputs, bytes_through_file, write_files
from tests.io.test_versions import put
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
    with pytest.raises(PublishError) as raised:
        pipeline.build(settings)
    assert str(raised.value) == (
        f"{settings.maps_dir / 'sv.html'}: is a folder; expected a file to write (or nothing "
        "there). Nothing was changed; move the folder away."
    )
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


# --- slips the mutation benchmark found (issue 26) ---------------------------------------------
NO_ROOM = r"\(the disk is full \(no space left on device\)\)"


def test_files_in_folders_not_made_yet_are_written_with_their_folders(tmp_path):
    deep = tmp_path / "a" / "b" / "c.txt"
    assert write_files({deep: b"1"}) == [deep]
    assert deep.read_bytes() == b"1"


def test_each_write_uses_temporary_names_of_its_own(tmp_path, monkeypatch):
    """Two writers of the same file (two maps saved at once) never share a temporary name."""
    real, seen = durable.write_durably, []
    monkeypatch.setattr(durable, "write_durably", lambda p, d, *m: (seen.append(p), real(p, d, *m)))
    a = tmp_path / "a.txt"
    write_files({a: b"1"})
    write_files({a: b"2"})
    assert len(seen) == 2 and seen[0] != seen[1]
    for temp in seen:
        assert re.fullmatch(r"\.a\.txt\.[0-9a-f]{16}\.geo-tmp", temp.name), temp.name


def test_a_failure_without_a_file_name_still_says_what_and_why(tmp_path, monkeypatch):
    def full(pairs):
        list(pairs)
        raise OSError(28, "No space left on device")  # (no file name: a whole-disk refusal)

    monkeypatch.setattr(durable, "rename", full)
    with pytest.raises(PublishError) as raised:
        write_files({tmp_path / "a.txt": b"1"})
    assert re.fullmatch(rf"an output file: cannot write {NO_ROOM}; nothing was changed\. .*",
                        str(raised.value))  # fmt: skip
    assert list(tmp_path.iterdir()) == []  # the file written aside removed


@pytest.mark.parametrize("stop", [KeyboardInterrupt, PermissionError])
def test_an_interruption_or_a_refused_clean_up_leaves_the_old_files(tmp_path, monkeypatch, stop):
    """Stopped after the first file was written aside (Ctrl-C, or a failure whose clean-up is
    itself refused): the old files are whole, the error the person sees is the first one."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    write_files({a: b"old a", b: b"old b"})
    real = durable.write_durably

    def second_fails(path, data, *mode):
        if path.name.startswith(".b.txt."):
            raise stop(13, "Permission denied", str(path)) if stop is PermissionError else stop()
        return real(path, data, *mode)

    monkeypatch.setattr(durable, "write_durably", second_fails)
    if stop is PermissionError:  # removing what was written aside is refused too
        monkeypatch.setattr(
            type(a), "unlink", lambda self, *_: (_ for _ in ()).throw(OSError(13, "no"))
        )
    with pytest.raises(KeyboardInterrupt if stop is KeyboardInterrupt else PublishError):
        write_files({a: b"new a", b: b"new b"})
    assert a.read_bytes() == b"old a" and b.read_bytes() == b"old b"
    if stop is KeyboardInterrupt:
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_a_scratch_file_is_private_named_and_removed(tmp_path):
    seen = []

    def gdal(path):
        seen.append(path)
        path.write_bytes(b"data")

    assert bytes_through_file(gdal, ".gpkg") == b"data"
    (path,) = seen
    assert path.name == "file.gpkg" and path.parent.name.startswith("geo-scratch-")
    assert not path.parent.exists()


@pytest.mark.parametrize("named", [True, False])
def test_a_scratch_file_that_cannot_be_written_says_where_and_why(monkeypatch, named):
    def full(path):
        raise OSError(28, "No space left on device", *((str(path),) if named else ()))

    with pytest.raises(PublishError) as raised:
        bytes_through_file(full, ".gpkg")
    where = r".*/geo-scratch-[^/]+/file\.gpkg" if named else re.escape(tempfile.gettempdir())
    assert re.fullmatch(
        rf"{where}: cannot write a scratch file {NO_ROOM}; nothing was changed\. Check the disk "
        rf"of the temporary folder \({re.escape(tempfile.gettempdir())}\) has room\.",
        str(raised.value),
    )


def test_files_on_disk_are_read_when_asked_and_only_those(tmp_path):
    a = tmp_path / "a.txt"
    a.write_bytes(b"1")
    files = OnDisk([a])
    assert dict(files) == {a: b"1"} and len(files) == 1
    with pytest.raises(KeyError) as raised:
        files[tmp_path / "b.txt"]
    assert raised.value.args == (tmp_path / "b.txt",)


def test_an_unchanged_publication_names_the_version_still_served(tmp_path):
    out = tmp_path / "public"
    first = put(out, {"a.txt": b"1"})
    again = put(out, {"a.txt": b"1"})
    assert again.changed is False and again.folder == first.folder == out.resolve()


def test_a_publication_that_drops_a_file_is_a_new_version(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1", "b.txt": b"2"})
    assert put(out, {"a.txt": b"1"}).changed
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.txt"]


def test_a_link_planted_in_the_served_version_is_replaced_by_a_new_one(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    served = out.resolve()
    (tmp_path / "elsewhere.txt").write_bytes(b"1")
    (served / "a.txt").unlink()
    (served / "a.txt").symlink_to(tmp_path / "elsewhere.txt")  # the same bytes, through a link
    written = put(out, {"a.txt": b"1"})
    assert written.changed and not (out / "a.txt").is_symlink()
    assert (tmp_path / "elsewhere.txt").read_bytes() == b"1"


def test_another_datasets_name_is_quoted_to_its_first_hundred_characters(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"}, dataset="x" * 100 + "TAIL")
    with pytest.raises(UsageError) as raised:
        put(out, {"a.txt": b"1"})
    assert f"({'x' * 100}, says {MARKER}); expected test-dataset." in str(raised.value)


@pytest.mark.parametrize("failure", ["no room", "a link"])
@pytest.mark.parametrize("cleanup_refused", [False, True])
def test_a_failed_publish_removes_what_it_made_and_keeps_the_old(
    tmp_path, monkeypatch, failure, cleanup_refused
):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    store = tmp_path / ".public.geo"
    before = sorted(p.name for p in store.iterdir())
    real = versions.write_version

    def fails(target, made, kept):
        real(target, made, kept)  # the new version complete, then the switch refused
        if failure == "a link":
            raise NotAFileError(f"{target.path}: a link; expected a file", target.path, "a link")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(versions, "write_version", fails)
    if cleanup_refused:
        real_remove = versions.remove_entry
        monkeypatch.setattr(
            versions, "remove_entry", lambda e: (_ for _ in ()).throw(OSError(13, "no"))
        )
    with pytest.raises(NotAFileError if failure == "a link" else PublishError) as raised:
        put(out, {"a.txt": b"2"})
    if failure == "no room":
        assert re.fullmatch(
            rf"{re.escape(str(out))}: cannot write {NO_ROOM}; nothing was changed, the previous "
            rf"publication in {re.escape(str(out))} is as it was\. Check the disk has room and "
            r"the folder is writable\.",
            str(raised.value),
        )
    assert (out / "a.txt").read_bytes() == b"1"
    after = sorted(p.name for p in store.iterdir())
    if cleanup_refused:
        assert set(after) > set(before)  # the new version stays (its removal refused) ...
        monkeypatch.setattr(versions, "remove_entry", real_remove)
    else:
        assert after == before  # ... and otherwise is gone


def test_a_copy_put_in_place_of_the_link_is_published_over_and_the_store_pruned(tmp_path):
    """A person replaced the link by a copy of the folder it served (`cp -rL`): the next publish
    swaps the copy for a link to a new version, and the versions left in the store go (named
    like a version, the folder's name keeps none of them)."""
    out = tmp_path / "v000001"
    put(out, {"a.txt": b"1"})
    store = tmp_path / ".v000001.geo"
    served = out.resolve()
    out.unlink()
    shutil.copytree(served, out)
    written = put(out, {"a.txt": b"2"})
    assert written.changed and out.is_symlink() and (out / "a.txt").read_bytes() == b"2"
    assert sorted(p.name for p in store.iterdir() if p.name.startswith("v")) == [
        written.folder.name
    ]
