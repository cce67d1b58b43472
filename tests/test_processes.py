"""geo.processes: calls made in forked processes, their results (or their errors) back here."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from geo import processes
from geo.errors import SourceError
from geo.processes import WorkerError, forked

pytestmark = pytest.mark.skipif(not processes.can_fork(), reason="forks")


def _pid_and(value):
    return os.getpid(), value


def test_the_call_runs_in_another_process_and_sends_its_result():
    with forked("test", partial(_pid_and, "a")) as future:
        pid, value = future.result()
    assert value == "a" and pid != os.getpid()


def test_the_calls_are_inherited_not_pickled():
    """What a process inherits need not be picklable (a lock, a lambda), and it is the object
    as it is here when the process is forked."""
    lock = threading.Lock()
    with pytest.raises(TypeError):
        pickle.dumps(lock)
    with forked("test", lambda: type(lock).__name__) as future:
        assert future.result() == "lock"


def _raise_source_error():
    raise SourceError("data/places.csv: cannot read; expected a file. Check the path.")


def test_an_error_in_a_process_is_raised_here_with_its_type_and_message():
    ran_here = []

    def failing():
        ran_here.append(os.getpid())  # (in the process: this list stays empty here)
        _raise_source_error()

    with forked("test", failing) as future, pytest.raises(SourceError, match="cannot read"):
        future.result()
    assert ran_here == []  # never made again here


def test_a_process_that_dies_is_an_error_that_names_the_work():
    def killed():
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel ends a process out of memory

    expected = r"^drawing the test map: the process .* ended before"
    with pytest.raises(WorkerError, match=expected), forked("drawing the test map", killed) as f:
        f.result()
    assert WorkerError.exit_status == 1


def test_without_fork_the_calls_are_made_here(monkeypatch):
    monkeypatch.setattr(processes, "can_fork", lambda: False)
    with forked("test", partial(_pid_and, 1)) as one:
        assert one.result() == (os.getpid(), 1)
    with forked("test", _raise_source_error) as two, pytest.raises(SourceError):
        two.result()


ORPHAN = """
import multiprocessing, os, time
from geo.processes import forked

def slow_big_result():
    time.sleep(0.5)
    return b"x" * (1 << 20)  # more than a pipe holds: sent only while it is read

with forked("test", slow_big_result):
    print(*(p.pid for p in multiprocessing.active_children()), flush=True)
    time.sleep(0.2)
    os.kill(os.getpid(), 9)  # killed before it reads the result
"""


def _ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # (a zombie: its new parent may not reap it)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_process_whose_parent_is_killed_ends_instead_of_waiting_for_ever(tmp_path):
    """A build killed while its maps are drawn (kill -9, the kernel out of memory): the
    processes drawing them must end, not wait for ever to send their results to nobody."""
    log = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with log.open("w") as out:  # (a file, not a pipe: an orphan would hold a pipe open)
        subprocess.run([sys.executable, "-c", ORPHAN], stdout=out, env=env, check=False)
    children = [int(pid) for pid in log.read_text().split()]
    assert len(children) == 1
    deadline = time.monotonic() + 30
    while not all(_ended(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.02)
    alive = [pid for pid in children if not _ended(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "a process still waits to send its result to a parent that is gone"
