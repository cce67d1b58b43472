"""Work done in other processes, with the standard library's ``concurrent.futures``.

:func:`forked` runs each of its calls in a process forked from this one and gives a
:class:`~concurrent.futures.Future` for each result. It is a
:class:`~concurrent.futures.ProcessPoolExecutor` with the ``fork`` start method and one process
a call, plus three things the build needs:

- the processes *inherit* the calls and their arguments, as fork gives them (the pool's
  ``initializer``): nothing is pickled on the way in, so a large table's layers (hundreds of MB)
  are read in place, not copied; only the results come back pickled;
- a call that raises raises the same error here, from ``result()``; a process that dies (killed,
  out of memory) raises :class:`WorkerError`, which names the work. A failed call is never made
  again here;
- a process ends when the process that forked it ends, whatever ends it: without this an
  orphan, its result unread, would wait for ever.

Where ``fork`` is missing (Windows), the call is made here.

Used by validation (a long table's second half), the geodesic lines (many vertices) and the
render stage (the print map, while this process draws the web maps: :mod:`geo.rendering`; in
that process, the print map's later languages while it draws the first:
:mod:`geo.printmap.figure`). Each opens one process at a time: a process is never forked while
another's pool (and its threads) is running here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from geo.errors import GeoError

T = TypeVar("T")


class WorkerError(GeoError):
    """A process doing part of the work ended before it was done (killed, out of memory)."""


def can_fork() -> bool:
    """Whether this platform can fork (Linux and macOS can; Windows cannot)."""
    return "fork" in multiprocessing.get_all_start_methods()


_CALL: Callable[[], Any] | None = None  # in a forked process: the call it inherited


def _start_worker(call: Callable[[], Any]) -> None:
    """The pool's initializer, run in the new process: keep the inherited call, and end the
    process when its parent ends (a thread waits for that)."""
    global _CALL
    _CALL = call
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent has ended
    os._exit(1)


def _call() -> Any:
    assert _CALL is not None
    return _CALL()


def _made_here(call: Callable[[], T]) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(call())
    except Exception as exc:  # raised by result(), as from a process
        future.set_exception(exc)
    return future


def _passed_on(what: str, made: Future[T]) -> Future[T]:
    """A future of what `made` gives; if its process died, of :class:`WorkerError`."""
    future: Future[T] = Future()

    def done(made: Future[T]) -> None:
        exc = made.exception()
        if exc is None:
            future.set_result(made.result())
        elif isinstance(exc, BrokenProcessPool):
            died = WorkerError(
                f"{what}: the process doing this work ended before it was done (killed, "
                "perhaps for lack of memory); expected its result. Run the command again; if "
                "it happens again, free some memory first."
            )
            died.__cause__ = exc
            future.set_exception(died)
        else:
            future.set_exception(exc)

    made.add_done_callback(done)
    return future


@contextmanager
def forked(what: str, call: Callable[[], T]) -> Iterator[Future[T]]:
    """`call` (a function without arguments: use :func:`functools.partial`) started in a
    process forked now; the future of its result. `what` names the work in the error if the
    process dies. Leaving the block waits for the process to end."""
    if not can_fork():
        yield _made_here(call)
        return
    pool = ProcessPoolExecutor(
        1, multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(call,)
    )
    with pool:
        # The collector of a forked process leaves alone the objects it inherits (and so their
        # pages, shared with this process): gc.freeze, as Python's documentation advises
        # before a fork. The pool forks its process at the first submit.
        gc.freeze()
        try:
            made = pool.submit(_call)
        finally:
            gc.unfreeze()
        yield _passed_on(what, made)
