"""The publication's store of versions (geo.io.versions) piece by piece: the marker it trusts and
the one it refuses, names that must stay inside a version, files we did not write, the store
and its mark, pruning that keeps exactly the right versions, and the errors a person acts on
when something that is not ours stands where a version or a mark is expected.
tests/io/test_versions.py holds the publication as a whole; tests/io/test_versions_switch.py
the switch, what stands at --out and recovery."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat

import pytest

from geo.errors import NotAFileError, PublishError, UsageError
from geo.io import versions
from geo.io.versions import MARKER, STORE_MARK, read_marker, safe_relative
from geo.io.write import publication
from tests.io.test_versions import put, store
from tests.publishing import snapshot

TAG = "0123456789abcdef"  # durable.tag, fixed: the names made aside are known
__all__ = ["TAG", "names", "put", "store"]  # (shared with test_versions_switch and _out)


def names(folder):
    return sorted(p.name for p in folder.iterdir())


# --- the marker -----------------------------------------------------------------------------

GOOD = {"generator": "geo publish", "dataset": "d", "version": "v", "files": ["a.txt", "s/b"]}


@pytest.mark.parametrize(
    "doc",
    [
        [GOOD],  # not an object
        {**GOOD, "generator": "someone else"},
        {**GOOD, "dataset": 7},
        {**GOOD, "version": None},
        {**GOOD, "files": "a.txt"},  # a string is not a list of names
        {**GOOD, "files": [3]},
        *({**GOOD, "files": ["a.txt", bad]} for bad in ("../x", "/etc/passwd", "a//b", "./a")),
    ],
)
def test_a_marker_that_is_not_geos_or_names_a_path_outside_is_not_taken(tmp_path, doc):
    (tmp_path / MARKER).write_text(json.dumps(doc))
    assert read_marker(tmp_path) is None


def test_a_marker_that_is_geos_is_read_as_written(tmp_path):
    (tmp_path / MARKER).write_text(json.dumps(GOOD))
    assert read_marker(tmp_path) == GOOD


def test_a_link_as_the_marker_is_refused_naming_what_it_stands_for(tmp_path):
    victim = tmp_path / "victim.json"
    victim.write_text(json.dumps(GOOD))
    (tmp_path / "pub").mkdir()
    (tmp_path / "pub" / MARKER).symlink_to(victim)
    with pytest.raises(NotAFileError) as raised:
        read_marker(tmp_path / "pub")
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'pub' / MARKER}: is a symbolic link to {victim}")
    assert "; expected the marker geo publish writes, or nothing there." in message


def test_the_marker_is_utf8_text_with_one_file_a_line(tmp_path):
    """A person (or diff) reads the marker: names as they are written, each on its line."""
    out = tmp_path / "public"
    files = {"kärta.html": b"1", "sub/ö.txt": b"2"}
    put(out, files, dataset="göteborgs-vänorter")
    raw = (out / MARKER).read_bytes()
    assert "göteborgs-vänorter".encode() in raw and b"\\u" not in raw
    lines = [line.strip().rstrip(",") for line in raw.decode().splitlines()]
    for name in [*files, MARKER]:
        assert json.dumps(name, ensure_ascii=False) in lines


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        ("a.txt", True),
        ("sub/b.txt", True),
        (".well-known/security.txt", True),
        ("..a", True),  # a name that starts with two dots is a name
        ("", False),
        ("/a", False),
        ("a/", False),
        ("a//b", False),
        ("a/./b", False),
        ("./a", False),
        ("a/../b", False),
        ("..", False),
    ],
)
def test_a_path_inside_the_folder_is_relative_and_goes_nowhere_else(name, inside):
    assert safe_relative(name) is inside


def test_a_name_outside_the_version_is_refused_before_it_is_written(tmp_path):
    out = tmp_path / "public"
    with publication(out, wait=0) as target, pytest.raises(PublishError) as raised:
        versions.write_version(target.target, {"../evil.txt": b"x"}, [])
    assert str(raised.value).startswith("../evil.txt: not a path inside the folder; expected")
    assert not (tmp_path / "evil.txt").exists() and not (store(out) / "evil.txt").exists()


# --- files we did not write -------------------------------------------------------------------


def test_a_file_of_ours_inside_a_folder_we_did_not_write_is_refused(tmp_path):
    out = tmp_path / "public"
    put(out, {"index.html": b"1"})
    (out / "extra").mkdir()
    (out / "extra" / "note.txt").write_text("the web team's")
    before = snapshot(out)
    with pytest.raises(UsageError) as raised:
        put(out, {"index.html": b"2", "extra": b"ours, a file now"})
    message = str(raised.value)
    current = store(out) / "v000001"
    assert message.startswith(f"{current}: 1 file(s) there were not written by geo publish")
    assert "in the way of files it writes now: extra/note.txt; expected them elsewhere." in message
    assert message.endswith("Move them away, then publish again.")
    assert snapshot(out) == before and names(store(out)) == [STORE_MARK, "v000001"]


def test_a_file_we_did_not_write_where_a_folder_of_ours_goes_is_refused(tmp_path):
    out = tmp_path / "public"
    put(out, {"index.html": b"1"})
    (out / "docs").write_text("the web team's file called docs")
    with pytest.raises(UsageError, match=r"writes now: docs; expected them elsewhere\. Move"):
        put(out, {"index.html": b"2", "docs/index.html": b"ours"})
    assert (out / "docs").read_text() == "the web team's file called docs"


def test_a_named_pipe_in_the_publication_is_refused_not_carried_over(tmp_path):
    out = tmp_path / "public"
    put(out, {"index.html": b"1"})
    os.mkfifo(out / "pipe")
    with pytest.raises(UsageError) as raised:
        put(out, {"index.html": b"2"})
    message = str(raised.value)
    assert message.startswith(f"{store(out) / 'v000001'}: pipe: not a file or a link, so it ")
    assert message.endswith("expected only files. Remove it, then publish again.")
    assert names(store(out)) == [STORE_MARK, "v000001"]
    assert (out / "index.html").read_bytes() == b"1"


def test_kept_files_keep_their_folders_their_mode_and_links_to_folders(tmp_path):
    out = tmp_path / "public"
    put(out, {"index.html": b"1"})
    (out / "docs" / "2024").mkdir(parents=True)
    (out / "docs" / "2024" / "report.txt").write_text("deep")
    (out / "private.txt").write_text("for the server only")
    os.chmod(out / "private.txt", 0o600)
    (out / "run.cgi").write_text("#!/bin/sh\n")
    os.chmod(out / "run.cgi", 0o755)
    (tmp_path / "archive").mkdir()
    (out / "archive").symlink_to(tmp_path / "archive")
    written = put(out, {"index.html": b"2"})
    assert written.kept == ["archive", "docs/2024/report.txt", "private.txt", "run.cgi"]
    assert os.readlink(out / "archive") == str(tmp_path / "archive")
    assert (out / "docs" / "2024" / "report.txt").read_text() == "deep"
    assert stat.S_IMODE(os.stat(out / "private.txt").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(out / "run.cgi").st_mode) == 0o755


def test_every_file_of_a_folder_without_marker_is_foreign(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    assert versions.foreign_files(tmp_path) == ["a.txt", "sub/b.txt"]


# --- the store ------------------------------------------------------------------------------


def test_the_store_is_made_once_and_marked_as_geo_publishs(tmp_path):
    target = versions.Target(tmp_path / "public", "new", None)
    assert versions.open_store(target) is True
    assert json.loads((store(tmp_path / "public") / STORE_MARK).read_bytes()) == {
        "generator": "geo publish"
    }
    assert versions.open_store(target) is False


def test_a_link_as_the_stores_mark_is_refused_naming_it(tmp_path):
    (tmp_path / ".public.geo").mkdir()
    (tmp_path / "victim").write_text("x")
    (tmp_path / ".public.geo" / STORE_MARK).symlink_to(tmp_path / "victim")
    with pytest.raises(NotAFileError) as raised:
        versions.open_store(versions.Target(tmp_path / "public", "new", None))
    assert "expected the mark of geo's store of versions, or nothing there" in str(raised.value)
    assert (tmp_path / "victim").read_text() == "x"


def test_a_store_that_cannot_be_made_says_why_and_where(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError) as raised:
        versions.open_store(versions.Target(tmp_path / "file" / "public", "new", None))
    assert str(raised.value) == (
        f"--out: cannot make {tmp_path / 'file' / '.public.geo'} "
        f"({os.strerror(errno.ENOTDIR)}); expected a folder that can be written beside the output."
    )


def test_only_real_folders_of_six_digits_are_versions_in_order(tmp_path):
    for name in ("v000010", "v000002", "v00003", "v0000004", "V000005", "new-" + TAG):
        (tmp_path / name).mkdir()
    (tmp_path / "v000007").write_text("a file")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "v000009").symlink_to(tmp_path / "elsewhere")
    assert versions.versions(tmp_path) == [tmp_path / "v000002", tmp_path / "v000010"]
    assert versions.versions(tmp_path / "missing") == []


def test_version_numbers_go_on_past_99999(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    os.rename(store(out) / "v000001", store(out) / "v100000")
    os.unlink(out)
    out.symlink_to(".public.geo/v100000")
    put(out, {"a.txt": b"2"})
    assert os.readlink(out) == ".public.geo/v100001"
    assert names(store(out)) == [STORE_MARK, "v100000", "v100001"]


def test_nothing_to_recover_says_nothing(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    assert versions.recover(out) is None


def test_a_store_left_with_no_version_is_removed_and_one_with_anything_else_kept(tmp_path):
    (tmp_path / ".a.geo").mkdir()
    (tmp_path / ".a.geo" / STORE_MARK).write_text("{}")
    versions.remove_store_if_unused(tmp_path / ".a.geo")
    assert not (tmp_path / ".a.geo").exists()
    for name in ("v000001", "lock"):
        (tmp_path / ".b.geo" / name).mkdir(parents=True)
        (tmp_path / ".b.geo" / STORE_MARK).write_text("{}")
        versions.remove_store_if_unused(tmp_path / ".b.geo")
        assert names(tmp_path / ".b.geo") == sorted([STORE_MARK, name])
        shutil.rmtree(tmp_path / ".b.geo" / name)


# --- pruning --------------------------------------------------------------------------------


def test_prune_keeps_exactly_the_versions_asked_and_removes_every_leftover(tmp_path):
    for name in ("v000001", "v000002", "v000003", "v000004", f"new-{TAG}", f"old-{TAG}"):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "sub" / "f.txt").write_text(name)
    (tmp_path / "link-1111111111111111").mkdir()  # the old folder an exchange left
    (tmp_path / "link-2222222222222222").write_text("a file a killed run left")
    (tmp_path / "link-3333333333333333").symlink_to(f"{tmp_path.name}/v000004")  # recover's
    (tmp_path / STORE_MARK).write_text("{}")
    (tmp_path / "lock").write_text("")
    versions.prune(tmp_path, [tmp_path / "v000004", tmp_path / "v000002"])
    assert names(tmp_path) == [
        STORE_MARK,
        "link-3333333333333333",
        "lock",
        "v000002",
        "v000004",
    ]
    assert (tmp_path / "v000002" / "sub" / "f.txt").read_text() == "v000002"


@pytest.mark.parametrize("name", ["v000001", f"old-{TAG}", f"new-{TAG}"])
def test_prune_refuses_a_link_where_a_version_is_and_removes_nothing_through_it(tmp_path, name):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.txt").write_text("years of work")
    shop = tmp_path / ".public.geo"
    (shop / "v000002").mkdir(parents=True)
    (shop / name).symlink_to(victim)
    with pytest.raises(NotAFileError) as raised:
        versions.prune(shop, [shop / "v000002"])
    assert str(raised.value).startswith(
        f"{shop / name}: is a symbolic link to {victim}; expected a folder of geo's store, or "
        "nothing there."
    )
    assert (victim / "thesis.txt").read_text() == "years of work" and (shop / name).is_symlink()
