"""geo.io.own: geo's own files never through a link, a named pipe or a device; inputs only
when they are regular files; every OSError named by its file."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

import pytest

from geo.errors import NotAFileError
from geo.io.own import check_own, named, open_input, open_own, read_own, reason, write_new
from tests.support import within

VICTIM = b"the user's own file\n"


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim.toml"
    path.write_bytes(VICTIM)
    return path


def _planted(tmp_path, victim, how):
    """Something other than geo's own file at `tmp_path/own`."""
    path = tmp_path / "own"
    if how == "link":
        path.symlink_to(victim)
    elif how == "dangling link":
        path.symlink_to(tmp_path / "nowhere" / "made.txt")
    elif how == "link to a device":
        path.symlink_to("/dev/zero")
    elif how == "fifo":
        os.mkfifo(path)
    elif how == "folder":
        path.mkdir()
    elif how == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    return path


HOSTILE = ["link", "dangling link", "link to a device", "fifo", "folder", "socket"]
KINDS = {
    "link": "a symbolic link to ",
    "dangling link": "a symbolic link to ",
    "link to a device": "a symbolic link to /dev/zero",
    "fifo": "a named pipe (FIFO)",
    "folder": "a folder",
    "socket": "a socket",
}


@pytest.mark.parametrize("how", HOSTILE)
@pytest.mark.parametrize(
    "flags", [os.O_RDONLY, os.O_RDWR | os.O_CREAT, os.O_WRONLY | os.O_CREAT | os.O_EXCL]
)
def test_anything_but_a_regular_file_is_refused_naming_it(tmp_path, victim, how, flags):
    path = _planted(tmp_path, victim, how)
    raised = within(lambda: open_own(path, flags, "geo's lock file"))
    assert isinstance(raised, NotAFileError), raised
    assert str(raised).startswith(f"{path}: is {KINDS[how]}")
    assert "expected geo's lock file, or nothing there. Nothing was changed" in str(raised)
    assert raised.exit_status == 2 and raised.path == path
    assert victim.read_bytes() == VICTIM
    assert not (tmp_path / "nowhere").exists()  # a dangling link's target was not made


@pytest.mark.parametrize("how", HOSTILE)
def test_reading_and_writing_own_files_refuse_them_too(tmp_path, victim, how):
    path = _planted(tmp_path, victim, how)
    for call in (
        lambda: read_own(path, "the journal"),
        lambda: write_new(path, b"new", "a new file"),
        lambda: check_own(path, "the journal"),
    ):
        raised = within(call)
        assert isinstance(raised, NotAFileError), raised
    assert victim.read_bytes() == VICTIM


def test_a_hard_link_is_refused_for_writing_but_may_be_read(tmp_path, victim):
    path = tmp_path / "own"
    os.link(victim, path)
    assert read_own(path, "a stamp") == VICTIM
    with pytest.raises(NotAFileError, match=r"own: has 2 names \(hard links\)"):
        open_own(path, os.O_RDWR | os.O_CREAT, "geo's lock file")
    assert victim.read_bytes() == VICTIM


def test_a_regular_file_of_our_own_is_opened(tmp_path):
    path = tmp_path / "own"
    assert check_own(path, "x") is False
    write_new(path, b"ours", "a new file", 0o600)
    assert path.read_bytes() == b"ours" and path.stat().st_mode & 0o777 == 0o600
    assert check_own(path, "x") is True
    with pytest.raises(FileExistsError):
        write_new(path, b"again", "a new file")
    fd = open_own(path, os.O_RDWR | os.O_CREAT, "geo's lock file")
    os.close(fd)
    assert read_own(path, "x") == b"ours"
    with pytest.raises(NotAFileError, match="larger than 2 bytes"):
        read_own(path, "x", limit=2)
    with pytest.raises(FileNotFoundError):
        read_own(tmp_path / "missing", "x")


def test_a_file_that_cannot_be_written_whole_is_removed_and_named(tmp_path, monkeypatch):
    path = tmp_path / "own"

    def full(fd, batch):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "writev", full)
    with pytest.raises(OSError) as raised:
        write_new(path, b"x" * 100, "a new file")
    assert raised.value.filename == str(path)
    assert reason(raised.value) == "the disk is full (no space left on device)"
    assert not path.exists()


@pytest.mark.parametrize("how", ["fifo", "folder", "socket", "link to a device"])
def test_an_input_must_be_a_regular_file(tmp_path, victim, how):
    path = _planted(tmp_path, victim, how)
    raised = within(lambda: open_input(path, "the curated table", 100, "places.csv"))
    assert isinstance(raised, NotAFileError), raised
    kinds = {**KINDS, "link to a device": "a character device"}  # an input's link is followed
    assert str(raised).startswith(f"places.csv: is {kinds[how]}")
    assert str(raised).endswith("expected the curated table, a regular file. Nothing was read.")


def test_an_input_is_read_through_a_link_and_refused_over_its_limit(tmp_path, victim):
    (tmp_path / "link").symlink_to(victim)
    with open_input(tmp_path / "link", "the table", len(VICTIM)) as fp:
        assert fp.read() == VICTIM
    with pytest.raises(NotAFileError, match=r"is 0\.0 MB; expected the table of at most 0\.0 MB"):
        open_input(victim, "the table", len(VICTIM) - 1)
    for device in ("/dev/zero", "/dev/urandom", "/dev/null"):
        with pytest.raises(NotAFileError, match="is a character device"):
            open_input(Path(device), "the table", 100)


def test_named_gives_an_oserror_its_file():
    with pytest.raises(OSError) as raised, named("/data/x"):
        raise OSError(errno.EROFS, "Read-only file system")
    assert raised.value.filename == "/data/x"
    assert reason(raised.value) == "the file system is read-only"
    with pytest.raises(OSError) as raised, named("/data/x"):
        raise FileNotFoundError(errno.ENOENT, "No such file", "/data/other")
    assert raised.value.filename == "/data/other"  # a name already given is kept
