"""Work in forked processes: one call each, its result sent back through a pipe.

:class:`Forked` runs a call in a process forked now, which inherits its arguments;
:class:`Warm` forks processes that import modules at once and then wait for one call each
(sent pickled). The render stage (:mod:`geo.rendering`) draws each map this way. A child that
fails or dies is not an error here: the call is made again in this process, so that its error
is raised where it is expected. Where ``fork`` is missing, calls run here.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from typing import Any

_CHILD = False  # True in a process forked by Forked or Warm (it ends after its one call)


def in_child() -> bool:
    """Whether this is a process forked for one call (it ends after it)."""
    return _CHILD


def can_fork() -> bool:
    """Whether this platform can draw in a forked process."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class Forked:
    """``func(*args)`` started now in a forked process; :meth:`result` waits for its value.

    The child inherits the arguments (nothing is copied up front) and sends the result back
    through a pipe. If the child fails or dies, :meth:`result` calls `func` here, so an error is
    raised where it is expected. Without ``fork``, `func` runs here when the result is asked
    for. Use as a context manager: leaving it stops a child whose result was not asked for.
    """

    def __init__(
        self, func: Callable[..., Any], *args: Any, fork: bool = True, warm: Warm | None = None
    ) -> None:
        self._func, self._args = func, args
        self._process: Any = None
        taken = warm.take() if warm is not None else None
        if taken is not None:  # a process that has imported what `func` needs: send it the call
            self._process, self._pipe = taken
            try:
                self._pipe.send((func, args))
            except (OSError, ValueError):  # it died: result() runs `func` here
                self.close()
            return
        if not (fork and can_fork()):
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._pipe, child = context.Pipe(duplex=False)
        gc.freeze()  # the child's collector leaves the inherited objects (and their pages) alone
        self._process = context.Process(target=_run_forked, args=(self._pipe, child, func, *args))
        self._process.daemon = False  # it may fork (the print map's languages)
        self._process.start()
        gc.unfreeze()
        child.close()

    @property
    def forked(self) -> bool:
        """Whether `func` runs in a second process."""
        return self._process is not None

    def result(self) -> Any:
        """The value of ``func(*args)``, from the child or (if it failed) made here."""
        if self._process is not None:
            try:
                answer = self._pipe.recv()
            except EOFError:  # the child died
                answer = None
            self.close()
            if isinstance(answer, tuple) and answer and answer[0] == "ok":
                return answer[1]
        return self._func(*self._args)

    def close(self) -> None:
        """Stop the child, if it still runs."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._pipe.close()
            self._process = None

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Warm:
    """Forked processes that import `modules` now and then wait for one call each (see
    :class:`Forked`): the print map's processes import matplotlib while this one is still
    validating the table. The call and its arguments are sent pickled, so only a small table's
    layers are sent this way (:data:`WARM_PLACES`); a large table's map is drawn in a process
    forked after the layers are built, which inherits them. Leaving it stops unused ones."""

    def __init__(
        self,
        modules: tuple[str, ...],
        count: int = 1,
        fork: bool = True,
        setup: Callable[[], None] | None = None,
    ) -> None:
        """`setup`, if given, is called in each process before it imports `modules`."""
        self._ready: list[tuple[Any, Any]] = []
        if not (fork and can_fork()):
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        for _ in range(count):
            pipe, child = context.Pipe(duplex=True)
            process = context.Process(target=_warm_into, args=(pipe, child, modules, setup))
            process.daemon = False  # it may fork (the print map's languages)
            process.start()
            child.close()
            self._ready.append((process, pipe))

    @property
    def ready(self) -> bool:
        """Whether a process is left to take."""
        return bool(self._ready)

    def take(self) -> tuple[Any, Any] | None:
        """A process and its pipe, handed over (None if none is left)."""
        return self._ready.pop(0) if self._ready else None

    def close(self) -> None:
        """Stop the processes that were not taken."""
        while self._ready:
            process, pipe = self._ready.pop()
            process.terminate()
            process.join()
            pipe.close()

    def __enter__(self) -> Warm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _warm_into(
    theirs: Any, conn: Any, modules: tuple[str, ...], setup: Callable[[], None] | None
) -> None:
    """The child of :class:`Warm`. It closes its copy of the parent's end first, so that it
    reads the end of the pipe (and ends) when its parent is stopped before sending a call."""
    import importlib

    theirs.close()
    global _CHILD
    _CHILD = True  # (it ends after its one call)
    if setup is not None:
        setup()

    for name in modules:
        importlib.import_module(name)
    try:
        job = conn.recv()
    except EOFError:  # stopped before it was needed
        return
    _run_into(conn, job[0], *job[1])


def _run_forked(reader: Any, conn: Any, func: Callable[..., Any], *args: Any) -> None:
    """The child of :class:`Forked`. It closes its copy of the parent's end of the pipe first:
    were it kept, a child whose parent was stopped (a print map's language, its map's process
    stopped on an error) would wait for ever to send its result to itself."""
    reader.close()
    _run_into(conn, func, *args)


def _run_into(conn: Any, func: Callable[..., Any], *args: Any) -> None:
    global _CHILD
    _CHILD = True
    try:
        conn.send(("ok", func(*args)))
    except BaseException:  # the parent runs it again and raises the error there
        with contextlib.suppress(OSError):  # (unless it is gone)
            conn.send(None)
    finally:
        conn.close()
