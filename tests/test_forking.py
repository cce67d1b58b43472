"""geo.forking: one call in a forked process, its result (or its error) back here."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from geo import forking
from geo.forking import Forked, Warm


def _pid_and(value):
    return os.getpid(), value, forking.in_child()


def _fail():
    if forking.in_child():
        raise RuntimeError("in the child")
    raise ValueError("here")


def test_a_forked_call_runs_in_another_process_and_sends_its_result():
    with Forked(_pid_and, "x") as job:
        assert job.forked
        pid, value, child = job.result()
    assert pid != os.getpid() and value == "x" and child
    assert not forking.in_child()


def test_a_call_that_fails_in_the_child_is_made_again_here():
    with Forked(_fail) as job, pytest.raises(ValueError, match="here"):
        job.result()


def test_without_fork_the_call_runs_here():
    with Forked(_pid_and, 1, fork=False) as job:
        assert not job.forked
        assert job.result() == (os.getpid(), 1, False)


def test_a_warm_process_imports_first_and_takes_one_call():
    with Warm(("json",), count=1) as warm:
        assert warm.ready
        with Forked(_pid_and, 2, warm=warm) as job:
            assert not warm.ready and job.forked
            pid, value, child = job.result()
    assert pid != os.getpid() and value == 2 and child


def test_unused_warm_processes_are_stopped():
    with Warm(("json",), count=2) as warm:
        processes = [p for p, _ in warm._ready]
    assert all(not p.is_alive() for p in processes)


def test_leaving_unasked_stops_the_child():
    import time

    with Forked(time.sleep, 60) as forked:
        process = forked._process
    assert process is not None and not process.is_alive()


def _big(n):
    return b"x" * n


def _parent_of_a_big_result(pidfile):
    job = Forked(_big, 1 << 20)  # more than a pipe holds: sent only while read
    Path(pidfile).write_text(str(job._process.pid))
    time.sleep(60)  # stopped before it reads the result


def _ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # (a zombie: its new parent may not reap it)


def _orphan_of(parent, tmp_path) -> int:
    """Run `parent` (which forks a process and writes its pid) in a forked process, stop it,
    and give the pid of the process it left."""
    pidfile = tmp_path / "pid"
    with Forked(parent, str(pidfile)):
        for _ in range(3000):
            if pidfile.exists() and pidfile.read_text():
                break
            time.sleep(0.01)
    return int(pidfile.read_text())  # leaving the block stopped its parent


def _waits_for_ever(pid: int) -> bool:
    """Whether `pid` is still alive 30 s on (then it is killed)."""
    for _ in range(3000):
        if _ended(pid):
            return False
        time.sleep(0.01)
    os.kill(pid, 9)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_child_whose_parent_is_stopped_ends_instead_of_waiting_for_ever(tmp_path):
    """The print map's process forks its second language; when it is stopped (an error in
    the build), that process must end, not wait for ever to send its result to nobody."""
    pid = _orphan_of(_parent_of_a_big_result, tmp_path)
    assert not _waits_for_ever(pid), "the orphaned child still waits to send its result"


def _parent_of_a_warm_process(pidfile):
    warm = Warm(("json",), count=1)
    process, _ = warm._ready[0]
    Path(pidfile).write_text(str(process.pid))
    time.sleep(60)  # stopped before it sends a call


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_warm_process_whose_parent_is_stopped_ends(tmp_path):
    """`geo build` starts the print map's warm process before it reads the table; when the
    build is killed (a crash, Ctrl-C) that process must end, not wait for a call for ever."""
    pid = _orphan_of(_parent_of_a_warm_process, tmp_path)
    assert not _waits_for_ever(pid), "the orphaned warm process still waits for a call"


def _mark_setup():
    os.environ["GEO_TEST_WARM_SETUP"] = "done"


def _setup_mark():
    return os.environ.get("GEO_TEST_WARM_SETUP"), forking.in_child()


def test_a_warm_process_runs_its_setup_before_its_imports():
    with Warm(("json",), count=1, setup=_mark_setup) as warm:
        job = Forked(_setup_mark, warm=warm)
        assert job.result() == ("done", True)
    assert "GEO_TEST_WARM_SETUP" not in os.environ  # (only there)
