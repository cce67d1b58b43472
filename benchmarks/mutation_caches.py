"""A pytest plugin for benchmarks/mutation.py: before each test, empty the caches
(``functools.cache``) of the modules being mutated, named in ``GEO_MUTATED``.

mutmut learns which tests reach each function by running the suite once and records a call only
when the function runs. A function called only when a cache misses (``geo.cells.parser`` and
``_needed``, under the cached ``_rules``) runs once, in the first test that fills the cache, so
mutmut would test its mutants with that one test; and the workers, forked from the process that
ran the suite, would find the cache filled and never run the mutation at all. Emptied before
each test, the function runs in every test that needs it, mutated where mutmut says so.
"""

from __future__ import annotations

import os
import sys


def pytest_runtest_setup(item) -> None:
    for name in os.environ.get("GEO_MUTATED", "").split():
        module = sys.modules.get(name)
        for value in vars(module).values() if module is not None else ():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
