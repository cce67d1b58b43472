"""The switch of geo.io.versions (its steps, and what a kill between them leaves), and what the
next run does with what a killed one left in the store (tests/io/test_versions_store.py: the
store itself; tests/io/test_versions_out.py: what stands at --out)."""

from __future__ import annotations

import errno
import os
import re
import shutil

import pytest

from geo.errors import NotAFileError, PublishError
from geo.io import crashpoint, durable, versions
from geo.io.versions import MARKER, STORE_MARK
from tests.io.test_crash import run_to_step
from tests.io.test_versions_store import TAG, names, put, store
from tests.publishing import snapshot

# --- the switch -----------------------------------------------------------------------------


def _steps(log):
    """The steps logged (GEO_CRASH_LOG) but the lock's, by name."""
    return [s.split(" ", 1)[1] for s in log.read_text().splitlines() if " lock " not in s]


def _logging(monkeypatch, tmp_path):
    log = tmp_path / "steps.log"
    monkeypatch.setenv(crashpoint.LOG_ENV, str(log))
    crashpoint.reset()
    return log


WRITTEN = ["version folder made", f"written {MARKER}", "written a.txt", "written s/b.txt"]


def test_the_steps_of_a_publish_name_what_was_done(tmp_path, monkeypatch):
    """The crash tests stop at a step by its name (GEO_CRASH_LOG): each says what is done."""
    (tmp_path / "empty").mkdir()
    log = _logging(monkeypatch, tmp_path)
    put(tmp_path / "empty", {"a.txt": b"1", "s/b.txt": b"2"})
    assert _steps(log) == [
        *WRITTEN,
        "version complete v000001",
        "link made",
        "empty folder removed",
        "switched",
    ]
    (tmp_path / "empty" / "CNAME").write_text("x")
    for n in (2, 3):
        put(tmp_path / "empty", {"a.txt": str(n).encode(), "s/b.txt": b"2"})
    log.write_text("")
    put(tmp_path / "empty", {"a.txt": b"4", "s/b.txt": b"2"})
    assert _steps(log) == [
        *WRITTEN,
        "kept CNAME",
        "version complete v000004",
        "link made",
        "switched",
        "removed v000002",
    ]


@pytest.mark.parametrize("exchange", [True, False])
def test_a_real_folder_is_replaced_by_the_link_in_the_steps_it_can(tmp_path, monkeypatch, exchange):
    """A copied publication (a real folder) becomes the link: swapped in one step where the
    system can (nothing ever missing), else moved away first; no leftover either way."""
    out = tmp_path / "copy"
    put(tmp_path / "public", {"a.txt": b"0"})
    shutil.copytree(tmp_path / "public", out)
    assert versions.inspect(out) == versions.Target(out, "folder", out)  # served: the folder
    if not exchange:
        monkeypatch.setattr(durable, "exchange", lambda a, b: False)
    log = _logging(monkeypatch, tmp_path)
    put(out, {"a.txt": b"1", "s/b.txt": b"2"})
    end = ["link made", "switched", "removed link-"] if exchange else ["link made"]
    if not exchange:
        end += ["old folder moved away", "switched", "removed old-"]
    steps = _steps(log)
    assert steps[:5] == [*WRITTEN, "version complete v000001"]
    assert [re.sub("[0-9a-f]{16}$", "", s) for s in steps[5:]] == end
    assert out.is_symlink() and snapshot(out) == {
        "a.txt": b"1",
        "s/b.txt": b"2",
        MARKER: (out / MARKER).read_bytes(),
    }
    assert names(store(out)) == [STORE_MARK, "v000001"]


def test_a_real_folder_replaced_and_killed_at_any_step_is_old_or_new_whole(tmp_path):
    out = tmp_path / "copy"
    put(tmp_path / "public", {"a.txt": b"0"})
    shutil.copytree(tmp_path / "public", tmp_path / "original")
    old = snapshot(tmp_path / "original")
    new_files = {"a.txt": b"1", "s/b.txt": b"2"}
    n, outcome = 0, "killed"
    while outcome == "killed":
        n += 1
        assert n < 50, "the publish never finished"
        if os.path.lexists(out):
            os.unlink(out) if out.is_symlink() else shutil.rmtree(out)
        shutil.rmtree(store(out), ignore_errors=True)
        shutil.copytree(tmp_path / "original", out)
        outcome = run_to_step(lambda: put(out, new_files), n)
        seen = snapshot(out)
        assert seen == old or {k: v for k, v in seen.items() if k != MARKER} == new_files, n
    assert n > 5  # killed at every step before it finished


def test_a_thing_planted_where_the_new_link_goes_is_refused_naming_it(tmp_path, monkeypatch):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    monkeypatch.setattr(durable, "tag", lambda: TAG)
    (tmp_path / "victim").write_text("x")
    (store(out) / f"link-{TAG}").symlink_to(tmp_path / "victim")
    with pytest.raises(NotAFileError) as raised:
        versions.switch(versions.inspect(out), store(out) / "v000001")
    assert str(raised.value).startswith(
        f"{store(out) / f'link-{TAG}'}: is a symbolic link to {tmp_path / 'victim'}; expected "
        "the new link of geo publish, or nothing there."
    )
    assert (tmp_path / "victim").read_text() == "x"


def test_a_thing_planted_where_a_new_version_goes_is_refused_naming_it(tmp_path, monkeypatch):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    monkeypatch.setattr(durable, "tag", lambda: TAG)
    (tmp_path / "victim").mkdir()
    (store(out) / f"new-{TAG}").symlink_to(tmp_path / "victim")
    with pytest.raises(NotAFileError) as raised:
        versions.write_version(versions.inspect(out), {"a.txt": b"2"}, [])
    assert str(raised.value).startswith(
        f"{store(out) / f'new-{TAG}'}: is a symbolic link to {tmp_path / 'victim'}; expected "
        "a new version folder of geo publish, or nothing there."
    )
    assert list((tmp_path / "victim").iterdir()) == []


def test_a_full_disk_names_the_published_file_not_the_one_made_aside(tmp_path, monkeypatch):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    real = versions.write_durably

    def full(path, data, *args, **kw):
        if path.name == "a.txt":
            aside = path.parent / f".a.txt.{TAG}.geo-tmp"
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(aside))
        return real(path, data, *args, **kw)

    monkeypatch.setattr(versions, "write_durably", full)
    with pytest.raises(PublishError) as raised:
        put(out, {"a.txt": b"2"})
    assert str(raised.value).startswith(f"{out / 'a.txt'}: cannot write (the disk is full")
    assert (out / "a.txt").read_bytes() == b"1" and names(store(out)) == [STORE_MARK, "v000001"]


# --- what a killed run left, and the next one ---------------------------------------------


def _versions_1_to(out, last):
    """A publication at v000001 and copies of it up to `last`, the link still at v000001."""
    put(out, {"a.txt": b"1"})
    for n in range(2, last + 1):
        shutil.copytree(store(out) / "v000001", store(out) / f"v{n:06d}")


def test_a_run_killed_before_its_switch_is_undone(tmp_path):
    out = tmp_path / "public"
    _versions_1_to(out, 3)
    (store(out) / f"link-{TAG}").symlink_to(".public.geo/v000003")  # made, not renamed
    (store(out) / "link-0000000000000000").mkdir()  # an old folder an exchange left (first)
    (store(out) / f"new-{TAG}").mkdir()
    assert versions.recover(out) == "cleaned up"
    assert os.readlink(out) == ".public.geo/v000001"
    assert names(store(out)) == [STORE_MARK, "v000001"]  # the versions never switched in too


@pytest.mark.parametrize("place", ["missing", "empty"])
def test_a_run_killed_between_removing_the_old_place_and_the_switch_is_completed(tmp_path, place):
    out = tmp_path / "public"
    _versions_1_to(out, 3)
    out.unlink()
    if place == "empty":
        out.mkdir()
    (store(out) / f"link-{TAG}").symlink_to(".public.geo/v000003")
    assert versions.recover(out) == "completed"
    assert os.readlink(out) == ".public.geo/v000003"
    assert names(store(out)) == [STORE_MARK, "v000002", "v000003"]  # and the one before


def test_a_link_to_an_incomplete_version_is_not_switched_in(tmp_path):
    out = tmp_path / "public"
    _versions_1_to(out, 2)
    (store(out) / "v000002" / MARKER).unlink()
    os.rename(out, tmp_path / "kept-aside")
    (store(out) / f"link-{TAG}").symlink_to(".public.geo/v000002")
    versions.recover(out)
    assert not os.path.lexists(out) and not os.path.lexists(store(out) / f"link-{TAG}")


def test_a_forged_link_in_the_store_is_refused_and_left(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    (store(out) / f"link-{TAG}").symlink_to("../../etc")
    with pytest.raises(NotAFileError) as raised:
        versions.recover(out)
    assert str(raised.value).startswith(
        f"{store(out) / f'link-{TAG}'}: is a symbolic link to ../../etc; expected a link geo "
        "publish made to one of its versions, or nothing there."
    )
    assert os.readlink(store(out) / f"link-{TAG}") == "../../etc"


def test_recovery_keeps_the_current_version_and_the_one_before(tmp_path):
    out = tmp_path / "public"
    _versions_1_to(out, 7)
    out.unlink()
    out.symlink_to(".public.geo/v000005")
    (store(out) / f"link-{TAG}").mkdir()  # the old folder an exchange left
    assert versions.recover(out) == "cleaned up"
    assert names(store(out)) == [STORE_MARK, "v000004", "v000005"]
    assert versions.recover(out) is None
    assert versions.recover(tmp_path / "never-published") is None


@pytest.mark.parametrize("name", [f"new-{TAG}", f"old-{TAG}", f"link-{TAG}"])
def test_a_folder_a_killed_run_left_alone_is_removed_by_the_next(tmp_path, name):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    (store(out) / name / "sub").mkdir(parents=True)
    assert versions.recover(out) == "cleaned up"
    assert names(store(out)) == [STORE_MARK, "v000001"]


def test_versions_beside_a_real_folder_are_not_served_and_are_removed(tmp_path):
    """A publication copied over its link (cp -rL): no version is served any more, whatever
    the folder's name sorts after."""
    out = tmp_path / "www"
    put(out, {"a.txt": b"1"})
    shutil.copytree(out, tmp_path / "copy")
    out.unlink()
    os.rename(tmp_path / "copy", out)
    assert versions.recover(out) == "cleaned up"
    assert names(store(out)) == [STORE_MARK]
    assert (out / "a.txt").read_bytes() == b"1"
    versions.remove_store_if_unused(store(out))
    assert not store(out).exists()
    versions.remove_store_if_unused(store(out))  # gone already: nothing to do, no error
