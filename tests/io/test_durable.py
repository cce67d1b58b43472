"""The one write mechanism (geo.io.durable): a spy on the system calls proves that before each
rename the file (or folder) renamed and the folder holding it are flushed, and the target's
folder right after it, in a build and in a publish; no other module renames or flushes."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from geo import pipeline
from geo.errors import NotAFileError
from geo.io import crashpoint, durable
from geo.io.durable import exchange, fsync_dir, remove, rename, replace, tag, write_durably
from geo.io.journal import JOURNAL, TEMP_SUFFIX
from geo.io.write import publication, write_files
from tests.support import make_project, shipped_rows, to_csv

ROOT = Path(__file__).resolve().parents[2]


def _where(path) -> str:
    """`path` with its folder's links resolved (the name itself may be a link: not followed)."""
    path = os.fspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


@pytest.fixture
def calls(monkeypatch):
    """Every fsync (the path of the descriptor), rename and other change of a name, in order."""
    seen: list[tuple] = []
    real = {n: getattr(os, n) for n in ("fsync", "replace", "rename", "unlink", "symlink")}

    def fsync(fd):
        seen.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real["fsync"](fd)

    def renaming(name):
        def rename(src, dst, *args, **kw):
            mode = os.lstat(src).st_mode
            state = None
            if str(dst).endswith(JOURNAL):
                state = json.loads(Path(src).read_bytes())["state"]
            real[name](src, dst, *args, **kw)
            seen.append(("rename", _where(src), _where(dst), mode, state))

        return rename

    def other(name):
        def call(path, *args, **kw):
            real[name](path, *args, **kw)
            seen.append((name, _where(args[0] if name == "symlink" else path)))

        return call

    monkeypatch.setattr(os, "fsync", fsync)
    for name in ("replace", "rename"):
        monkeypatch.setattr(os, name, renaming(name))
    for name in ("unlink", "symlink"):
        monkeypatch.setattr(os, name, other(name))
    return seen


def _check_order(seen: list[tuple]) -> list[tuple]:
    """Assert the mechanism's order for every rename in `seen`; return the renames."""
    renames = [(i, e) for i, e in enumerate(seen) if e[0] == "rename"]
    assert renames, "nothing was renamed"
    for i, (_, src, dst, mode, _) in renames:
        synced = [j for j, e in enumerate(seen[:i]) if e == ("fsync", src)]
        made = [j for j, e in enumerate(seen[:i]) if e == ("symlink", src)]
        if stat.S_ISLNK(mode):  # a link cannot be flushed itself: its folder is, once it is made
            assert made, f"{src}: renamed, but never made"
            ready = made[-1]
        else:  # the file's or the folder's bytes on the disk before the rename
            assert synced, f"{src}: renamed onto {dst} before it was flushed"
            ready = synced[-1]
        folder = os.path.dirname(src)
        assert ("fsync", folder) in seen[ready:i], f"{src}: renamed before its folder was flushed"
        after = seen[i + 1 :]
        while after and after[0][0] == "rename":  # (the other renames of the same batch)
            after = after[1:]
        flushed = []
        while after and after[0][0] == "fsync":
            flushed.append(after.pop(0)[1])
        assert os.path.dirname(dst) in flushed, f"{dst}: its folder not flushed after the rename"
    return [e for _, e in renames]


def test_a_build_flushes_file_and_folder_before_each_rename(tmp_path, calls):
    settings = make_project(tmp_path)
    pipeline.build(settings)
    header, rows = shipped_rows()
    rows[1]["name_en"] = "Chicago, Illinois"  # changes layers and maps
    (tmp_path / "data" / "places.csv").write_bytes(to_csv(header, rows))
    calls.clear()
    pipeline.build(settings)
    renames = _check_order(calls)
    outputs = [r for r in renames if r[1].endswith(TEMP_SUFFIX) and JOURNAL not in r[1]]
    assert len(outputs) >= 5  # layers, maps, the manifests
    commits = [i for i, r in enumerate(calls) if r[0] == "rename" and r[4] == "committed"]
    assert len(commits) == 1
    for _, src, _, _, _ in outputs:  # every file written aside, and its name, on the disk first
        written = calls.index(("fsync", src))
        assert written < commits[0], src
        assert ("fsync", os.path.dirname(src)) in calls[written : commits[0]], src


def test_a_publish_flushes_every_file_and_folder_before_the_switch(tmp_path, calls):
    out = tmp_path / "public"
    for n in range(2):
        with publication(out, wait=0) as target:
            target.write({"a.txt": str(n).encode(), "sub/b.txt": b"2"}, "dataset", "2026-01-01")
    renames = _check_order(calls)
    store = _where(tmp_path / ".public.geo")
    versions = [r for r in renames if re.fullmatch(r".*/v00000\d", r[2])]
    switches = [r for r in renames if r[2] == _where(out)]
    assert len(versions) == 2 and len(switches) == 2
    for _, staging, version, _, _ in versions:  # each file and folder in it, then the version
        index = calls.index(("rename", staging, version, stat.S_IFDIR | 0o755, None))
        for name in ("a.txt", "sub/b.txt", "sub"):
            assert ("fsync", f"{staging}/{name}") in calls[:index], (version, name)
        assert ("fsync", store) in calls[index:]


def test_write_files_flushes_before_it_renames(tmp_path, calls):
    write_files({tmp_path / "a" / "x.txt": b"1", tmp_path / "b.txt": b"2"})
    assert len(_check_order(calls)) == 2


def test_no_other_module_renames_or_flushes():
    """Every rename and flush of geo goes through geo.io.durable (and own.write_new's fsync)."""
    calls = re.compile(
        r"\bos\.(replace|rename|renames|fsync|fdatasync)\(|renameat|(?<!durable)\.rename\("
    )
    found = []
    for path in sorted((ROOT / "geo").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if calls.search(line) and rel not in ("geo/io/durable.py", "geo/io/own.py"):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []
    own = (ROOT / "geo" / "io" / "own.py").read_text(encoding="utf-8")
    assert not re.search(r"os\.(replace|rename)\(", own)  # own.py only flushes a new file


def test_exchange_swaps_a_folder_and_a_link_in_one_step(tmp_path, calls):
    """The one switch rename(2) cannot make (a link over a folder that is not empty)."""
    folder, link = tmp_path / "public", tmp_path / "link"
    folder.mkdir()
    (folder / "a.txt").write_text("old")
    link.symlink_to("elsewhere")
    calls.clear()
    assert exchange(link, folder)
    assert os.readlink(folder) == "elsewhere" and (link / "a.txt").read_text() == "old"
    assert calls[0] == ("fsync", _where(tmp_path)) and calls[-1] == ("fsync", _where(tmp_path))
    assert not exchange(tmp_path / "missing", folder)  # nothing to swap with: said, not done
    assert os.readlink(folder) == "elsewhere"


def test_what_is_already_gone_is_no_error(tmp_path):
    fsync_dir(tmp_path / "missing")  # (a folder that cannot be opened is not flushed)
    remove([tmp_path / "missing.txt"])


def test_ids_are_sixteen_hex_digits_as_the_journal_expects():
    ids = {tag() for _ in range(50)}
    assert len(ids) == 50 and all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)


def test_only_the_named_renames_and_deletes_are_crash_points(tmp_path, monkeypatch):
    log = tmp_path / "steps.log"
    monkeypatch.setenv(crashpoint.LOG_ENV, str(log))
    crashpoint.reset()
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    replace(a, b"1", tmp_path / ".a.txt.tmp")  # one step of its caller's, not its own
    b.write_bytes(b"2")
    rename([(b, tmp_path / "c.txt")])
    remove([a])
    b.write_bytes(b"2")
    rename([(b, tmp_path / "c.txt")], "replaced")
    remove([tmp_path / "c.txt"], "deleted")
    assert log.read_text().splitlines() == [
        f"1 replaced {tmp_path / 'c.txt'}",
        f"2 deleted {tmp_path / 'c.txt'}",
    ]


def test_replace_leaves_the_file_readable_and_nothing_beside_it(tmp_path, calls):
    path = tmp_path / "a.json"
    replace(path, b"1")
    replace(path, b"2")
    aside = [e[1] for e in calls if e[0] == "rename"]
    assert len(aside) == 2 and all(
        re.fullmatch(r".*/\.a\.json\.[0-9a-f]{16}\.geo-tmp", a) for a in aside
    )
    assert path.read_bytes() == b"2" and stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_replace_failing_names_the_file_not_its_temporary_name(tmp_path, monkeypatch):
    path, temp = tmp_path / "a.json", tmp_path / ".a.json.tmp"
    path.write_bytes(b"old")
    real = durable.write_durably

    def full(target, data, *mode):
        real(target, data[:1], *mode)  # (a part written, then the disk is full)
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(durable, "write_durably", full)
    with pytest.raises(OSError) as raised:
        replace(path, b"new", temp)
    assert raised.value.filename == str(path)
    assert path.read_bytes() == b"old" and not temp.exists()


def test_replace_failing_before_anything_is_written_raises_the_same(tmp_path, monkeypatch):
    def full(target, data, *mode):
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(durable, "write_durably", full)
    with pytest.raises(OSError, match="No space left"):
        replace(tmp_path / "a.json", b"new", tmp_path / ".a.json.tmp")


def test_write_durably_makes_a_new_file_of_the_mode_asked_never_through_a_link(tmp_path):
    write_durably(tmp_path / "a", b"1")
    write_durably(tmp_path / "b", b"1", 0o600)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o600
    (tmp_path / "c").symlink_to("a")
    with pytest.raises(
        NotAFileError,
        match=r"/c: is a symbolic link to a; expected a new file of geo's, or nothing",
    ):
        write_durably(tmp_path / "c", b"2")


def test_exchange_where_libc_has_no_renameat2_says_so(tmp_path, monkeypatch):
    def missing(*args, **kw):
        raise OSError("no such library")

    monkeypatch.setattr(durable.ctypes, "CDLL", missing)
    (tmp_path / "a").mkdir()
    assert not exchange(tmp_path / "b", tmp_path / "a")
