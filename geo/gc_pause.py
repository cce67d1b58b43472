"""Pause Python's cyclic garbage collector while a stage makes many small objects.

The stages build trees of lists and dicts (a feature and its properties per place and per
connection; the public layers' lines, a list per ``[lon, lat]``). None form reference cycles, but
each allocation counts towards the collector's next pass and every full pass walks all of them
again: with Python's default threshold, building and encoding a large table's layers spends
much of its time in passes that free nothing (benchmarks/README.md). The ``geo`` command raises
the threshold for its whole run (``cli.GC_THRESHOLD``); these pauses also serve the Python API,
whose callers keep their own. Reference counting still frees everything as usual; only the
search for cycles waits until the stage is done.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the block; restore its previous state after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_gc_pauses(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` inside :func:`paused_gc`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return func(*args, **kwargs)

    return wrapper
