"""Shared fixtures: the browser harness of tests/browser.py as pytest fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

import pytest
from hypothesis import settings

from tests import browser as harness

# Hypothesis' deadline is a timed assertion: on a loaded 2-core machine (or under the mutation
# benchmark's trampolines) a correct example can take longer than 200 ms and fail as "flaky".
# Time is measured in benchmarks/, never in tests; pytest-timeout still bounds every test.
settings.register_profile("geo", deadline=None)
settings.load_profile("geo")


@pytest.fixture(scope="session")
def chromium() -> Iterator[harness.Browser]:
    """The system Chromium, once per session; a missing browser FAILS the test (never skips)."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = harness.launch(playwright)
            yield browser
            browser.close()
    except harness.BrowserMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def serve() -> Iterator[Callable[[Path], str]]:
    """`serve(folder)` serves a folder on 127.0.0.1 until the test ends; returns its base URL."""
    with ExitStack() as stack:
        yield lambda folder: stack.enter_context(harness.serve(folder))


@pytest.fixture
def open_page(
    chromium,
) -> Iterator[Callable[..., AbstractContextManager[harness.Visit]]]:
    """`open_page(url, viewport=(w, h))` as a context manager yielding a :class:`Visit`."""
    yield lambda url, **kw: harness.open_page(chromium, url, **kw)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output (then review the diff).",
    )


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))
