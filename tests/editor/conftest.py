"""Fixtures of the editor's tests: a throw-away copy of the Göteborg project, and its editor
served on 127.0.0.1 in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from geo.config import Settings
from geo.editor.app import Editor
from geo.editor.server import serving
from tests.support import make_project


@pytest.fixture
def project(tmp_path) -> Settings:
    return make_project(tmp_path)


@pytest.fixture
def start() -> Iterator[Callable[..., tuple[Editor, str]]]:
    """`start(settings, lang="sv")`: the editor of the project, served until the test ends."""
    with ExitStack() as stack:

        def run(settings: Settings, lang: str = "sv") -> tuple[Editor, str]:
            editor = Editor(settings, lang)
            return editor, stack.enter_context(serving(editor))

        yield run
