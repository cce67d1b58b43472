"""One writer at a time (geo.io.lock): a second run waits or exits 2 naming the first; a lock
left by a killed process is taken over; two real publishes at once lose nothing."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

import geo.io.lock
from geo.cli import cli
from geo.errors import BusyError, NotAFileError, PublishError
from geo.io.lock import describe_holder, holder_info, locked
from geo.io.write import BUILD_LOCK
from tests.publishing import BASE_URL, edited_table, publish
from tests.support import make_project


def test_a_second_holder_is_refused_naming_the_first(tmp_path):
    path = tmp_path / "x.lock"
    with locked(path, "outputs", wait=0):
        info = json.loads(path.read_bytes())
        assert info["pid"] == os.getpid()
        with (
            pytest.raises(BusyError, match=rf"outputs: another geo run .*process {os.getpid()}"),
            locked(path, "outputs", wait=0),
        ):
            pass
    assert not path.exists()  # the holder removes it


def test_geo_build_exits_2_naming_the_running_process(tmp_path, monkeypatch):
    settings = make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings.maps_dir.mkdir()
    with locked(settings.maps_dir / BUILD_LOCK, "maps", wait=0):
        result = CliRunner().invoke(cli, ["build", "--wait", "0"])
    assert result.exit_code == 2, result.output
    assert f"another geo run is writing these outputs (process {os.getpid()}" in result.output
    assert "Internal error" not in result.output
    assert not settings.layers_dir.exists()  # nothing was written, no folder left


def test_a_second_run_waits_with_a_message_and_then_runs(tmp_path):
    path = tmp_path / "x.lock"
    said = []
    release = threading.Event()

    def hold():
        with locked(path, "outputs", wait=0):
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    deadline = time.monotonic() + 30
    while not path.exists() or not path.read_bytes():  # (locked, and its holder named)
        assert time.monotonic() < deadline, "the holder never took the lock"
        time.sleep(0.01)
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    with locked(path, "outputs", wait=10, on_wait=said.append):
        waited = time.monotonic() - started
    holder.join(timeout=30)
    assert not holder.is_alive()
    assert 0.2 < waited < 5
    assert len(said) == 1 and said[0].startswith("outputs: waiting up to 10 s for process")


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    path = tmp_path / "x.lock"
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from geo.io.lock import locked\n"
        "with locked(Path(sys.argv[1]), 'outputs', wait=0):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], timeout=60)
    assert done.returncode == -9
    dead = json.loads(path.read_bytes())["pid"]
    with locked(path, "outputs", wait=0) as taken:
        assert taken is not None and f"process {dead} " in taken
    assert not path.exists()


@pytest.mark.parametrize("then", ["removed", "replaced"])
def test_a_lock_file_removed_between_open_and_flock_is_locked_anew(tmp_path, monkeypatch, then):
    """The holder before us removes its file after we opened it and before our flock (and a third
    run may make a new one): a lock on the removed file holds nothing; the file at the name is
    the one that must be locked, and named ours."""
    path = tmp_path / "x.lock"
    real = fcntl.flock
    opened = []

    def flock(fd, op):
        if not opened:
            opened.append(fd)
            os.unlink(path)  # the holder before us is done
            if then == "replaced":
                path.write_bytes(b"")  # a third run opened the name anew
        return real(fd, op)

    monkeypatch.setattr(geo.io.lock.fcntl, "flock", flock)
    with locked(path, "outputs", wait=0):
        assert json.loads(path.read_bytes())["pid"] == os.getpid()
        fd = os.open(path, os.O_RDWR)  # another run, opening the file now at the name
        try:
            with pytest.raises(BlockingIOError):
                real(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    assert not path.exists()


def test_an_unreadable_lock_file_names_no_one_but_still_locks(tmp_path):
    path = tmp_path / "x.lock"
    path.write_bytes(b"\x00garbage[")  # a crash while writing it, or a stranger
    with locked(path, "outputs", wait=0) as taken:
        assert taken == "a process that did not say who it is"


def _publish(cwd, table, out):
    args = ["publish", "--base-url", BASE_URL, "--out", str(out), "--source", str(table)]
    return subprocess.Popen(
        [sys.executable, "-m", "geo", *args, "--wait", "120"],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_publishes_at_once_both_land_in_the_change_log(tmp_path):
    """Issue 11: two `geo publish` at once both exited 0 and one update vanished."""
    make_project(tmp_path)
    out = tmp_path / "public"
    publish(tmp_path, out)
    b = edited_table(
        tmp_path, "b.csv", {r"^chicago,partner_city,dormant": "chicago,partner_city,active"}
    )
    c = edited_table(
        tmp_path,
        "c.csv",
        {r"^chicago,partner_city,dormant": "chicago,partner_city,active"},
        drop=("kiel",),
    )
    runs = [_publish(tmp_path, b, out), _publish(tmp_path, c, out)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
    assert [r[0] for r in results] == [0, 0], results
    log = json.loads((out / "changes.json").read_bytes())
    assert len(log["entries"]) == 3  # the first publication and both updates, one after the other
    changed = [e for e in log["entries"] if not e["first_publication"]]
    assert {bool(e["removed"]) for e in changed} == {True, False}


def test_the_holder_is_described_from_the_lock_file_with_each_field_cut():
    info = {"pid": 12, "host": "h" * 99, "command": "c" * 300, "since": "s" * 50}
    assert describe_holder(json.dumps(info).encode()) == (
        f"process 12 on {'h' * 80}, `{'c' * 200}`, started {'s' * 40}"
    )
    for raw in (b"[1]", b"{}", b'{"pid": "x", "host": 1, "command": 1, "since": 1}', b"{", b"["):
        assert describe_holder(raw) == "a process that did not say who it is"
    assert describe_holder(b"[" * 100_000) == "a process that did not say who it is"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOLCK, "a folder on a file system that supports flock (a local disk, or NFSv4)"),
        (errno.EOPNOTSUPP, "a folder on a file system that supports flock"),
        (errno.EINVAL, "a folder on a file system that supports flock"),
        (errno.ENOSYS, "a folder on a file system that supports flock"),
        (errno.EACCES, "a folder geo can write to"),
    ],
)
def test_a_lock_that_cannot_be_taken_says_why(tmp_path, monkeypatch, code, expected):
    path = tmp_path / "x.lock"

    def flock(fd, op):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(geo.io.lock.fcntl, "flock", flock)
    with pytest.raises(PublishError) as raised, locked(path, "outputs", wait=0):
        pass
    said = str(raised.value)
    assert said.startswith(f"{path}: cannot take the lock (")
    assert said.endswith(f"); expected {expected}. Nothing was changed.") or (
        f"); expected {expected}" in said and said.endswith(". Nothing was changed.")
    )


def test_a_lock_file_larger_than_any_holder_writes_names_no_one(tmp_path):
    """A holder is a line of under 300 bytes: a lock file over 4,096 is not read (nor named)."""
    path = tmp_path / "x.lock"
    info = json.dumps({"pid": 1, "host": "h", "command": "geo", "since": "now"})
    for size, named in ((4096, True), (4097, False)):
        path.write_bytes(info.encode().ljust(size))
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # another run holds it
            with pytest.raises(BusyError) as raised, locked(path, "outputs", wait=0):
                pass
        finally:
            os.close(fd)
        assert ("process 1 on h" in str(raised.value)) is named, size
        assert ("did not say who it is" in str(raised.value)) is not named, size


def test_the_holder_names_its_command_host_and_start(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/usr/bin/geo", "build", "--force"])
    info = holder_info()
    assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
    assert info["command"] == "geo build --force"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", str(info["since"]))
    monkeypatch.setattr(sys, "argv", [])
    assert holder_info()["command"] == "geo"
    monkeypatch.setattr(sys, "argv", ["geo", "x" * 300])
    assert holder_info()["command"] == "geo " + "x" * 196


def test_a_lock_whose_folder_went_away_is_taken_in_a_folder_made_anew(tmp_path, monkeypatch):
    real = geo.io.lock.open_own
    gone = []

    def open_own(*args):
        if not gone:  # the holder before us removed the folder between our checks
            gone.append(True)
            raise FileNotFoundError(2, "No such file or directory", str(args[0]))
        return real(*args)

    monkeypatch.setattr(geo.io.lock, "open_own", open_own)
    path = tmp_path / "out" / "x.lock"
    path.parent.mkdir()
    with locked(path, "outputs", wait=0) as taken:
        assert taken is None and json.loads(path.read_bytes())["pid"] == os.getpid()
    assert gone


def test_a_link_at_the_lock_is_refused_naming_it(tmp_path):
    (tmp_path / "x.lock").symlink_to("elsewhere")
    said = r"x\.lock: is a symbolic link to elsewhere; expected geo's lock file"
    with pytest.raises(NotAFileError, match=said), locked(tmp_path / "x.lock", "outputs", wait=0):
        pass
