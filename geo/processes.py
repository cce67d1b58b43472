"""Work done in other processes, with the standard library's ``concurrent.futures``.

:func:`forked_each` runs each of its calls in a process forked from this one and gives a
:class:`~concurrent.futures.Future` for each result (:func:`forked`: one call). It is a
:class:`~concurrent.futures.ProcessPoolExecutor` with the ``fork`` start method and one process
a call, all forked at once, plus three things the build needs:

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
render stage (the web maps and the print map, each in a process of its own:
:mod:`geo.rendering`; the print map's later languages in one more: :mod:`geo.printmap.figure`).
A pool's processes are all forked before it starts a thread, and no other pool is running here
then: a process is never forked while another thread may hold a lock.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
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


_CALLS: Sequence[Callable[[], Any]] = ()  # in a forked process: the calls it inherited


def _start_worker(calls: Sequence[Callable[[], Any]]) -> None:
    """The pool's initializer, run in each new process: keep the inherited calls, and end the
    process when its parent ends (a thread waits for that)."""
    global _CALLS
    _CALLS = calls
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent has ended
    os._exit(1)


def _call(index: int) -> Any:
    return _CALLS[index]()


def _made_here(call: Callable[[], T]) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(call())
    except Exception as exc:  # raised by result(), as from a process
        future.set_exception(exc)
    return future


def _passed_on(what: str, made: Future[T], undone: Callable[[], list[str]]) -> Future[T]:
    """A future of what `made` gives; if a process of its pool died, of :class:`WorkerError`,
    naming the work of the pool that was then `undone` (a pool whose process dies stops all
    its work: :class:`~concurrent.futures.process.BrokenProcessPool`)."""
    future: Future[T] = Future()

    def done(made: Future[T]) -> None:
        exc = made.exception()
        if exc is None:
            future.set_result(made.result())
        elif isinstance(exc, BrokenProcessPool):
            works = undone() or [what]
            which = "this work" if len(works) == 1 else "this work, or one of these"
            died = WorkerError(
                f"{'; '.join(works)}: a process doing {which} ended before it was done "
                "(killed, perhaps for lack of memory); expected its result. Run the command "
                "again; if it happens again, free some memory first."
            )
            died.__cause__ = exc
            future.set_exception(died)
        else:
            future.set_exception(exc)

    made.add_done_callback(done)
    return future


@contextmanager
def forked_each(
    calls: Mapping[str, Callable[[], Any]],
) -> Iterator[Callable[[str], Future[Any]]]:
    """A process for each of `calls` (functions without arguments: use
    :func:`functools.partial`), keyed by what it does; gives ``start(what)``, which makes that
    call in one of them and returns the future of its result. The processes are all forked at
    the first ``start``, so each inherits every call and what it refers to as it is then; a
    call never started costs an idle process, ended with the block. The key names the work in
    the error if its process dies. Leaving the block waits for the processes to end."""
    if not can_fork():
        yield lambda what: _made_here(calls[what])
        return
    index = {what: i for i, what in enumerate(calls)}
    pool = ProcessPoolExecutor(
        len(calls), multiprocessing.get_context("fork"), initializer=_start_worker,
        initargs=(tuple(calls.values()),),
    )  # fmt: skip
    made: dict[str, Future[Any]] = {}

    def undone() -> list[str]:
        return [
            what
            for what, future in made.items()
            if not future.done() or isinstance(future.exception(), BrokenProcessPool)
        ]

    def start(what: str) -> Future[Any]:
        # The collector of a forked process leaves alone the objects it inherits (and so their
        # pages, shared with this process): gc.freeze, as Python's documentation advises
        # before a fork. With the fork start method the pool forks all its processes at the
        # first submit, before it starts a thread of its own.
        gc.freeze()
        try:
            made[what] = pool.submit(_call, index[what])
        except BrokenProcessPool as exc:  # a process of the pool has died already
            made[what] = Future()
            made[what].set_exception(exc)
        finally:
            gc.unfreeze()
        return _passed_on(what, made[what], undone)

    with pool:
        yield start


@contextmanager
def forked(what: str, call: Callable[[], T]) -> Iterator[Future[T]]:
    """`call` (a function without arguments) started in a process forked now; the future of
    its result (see :func:`forked_each`)."""
    with forked_each({what: call}) as start:
        yield start(what)
