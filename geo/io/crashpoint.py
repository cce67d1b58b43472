"""Numbered steps of every write, and a test hook that dies at one of them as ``kill -9`` would.

The writer (:mod:`geo.io.write` and the modules beside it) calls :func:`step` after each thing it
does to the disk: a lock taken, a file written aside, a journal committed, a file renamed into
place, a version switched in. The steps are what the crash tests iterate over: with
``GEO_CRASH_AT_STEP=N`` in the environment the process sends itself SIGKILL right after step N
(no ``finally`` runs, no buffer is flushed: what a power cut or the OOM killer leaves), and with
``GEO_CRASH_LOG=FILE`` each step's number and name is appended to FILE so a test knows how many
there are. Neither variable is meant for anything but tests; unset, a step costs a dictionary
look-up.
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "GEO_CRASH_AT_STEP"
LOG_ENV = "GEO_CRASH_LOG"

_count = 0


def reset() -> None:
    """Start counting from zero (a forked test child calls this before its write)."""
    global _count
    _count = 0


def step(name: str) -> None:
    """Record that step `name` is done; die here if the test hook asks for this step."""
    global _count
    _count += 1
    log = os.environ.get(LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fp:
            fp.write(f"{_count} {name}\n")
    at = os.environ.get(CRASH_ENV, "")
    if at.isdigit() and int(at) == _count:
        os.kill(os.getpid(), signal.SIGKILL)
