"""The one Jinja environment: every HTML page is rendered from a template file in the package.

Templates live beside the stage that fills them (``geo/web/templates/``,
``geo/publication/templates/``) and are named by that stage (``web/page.html``). Autoescape is
on, undefined names are errors, and only the template files are ever compiled: data and settings
reach a template as values in its context, are escaped where they land (HTML text and
attributes by autoescape, JSON in a script by the ``tojson`` filter), and rendered output is
never compiled again.
"""

from __future__ import annotations

import contextlib
import pickle
from functools import cache
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
)
from jinja2.bccache import Bucket


class _BestEffort(FileSystemBytecodeCache):
    """Jinja's file cache, for which a file that cannot be read or written is a miss, not an
    error: a full disk or a removed folder makes the build slower, never fail."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_cache() -> BytecodeCache | None:
    """Where compiled templates are kept between runs, so that a build does not compile every
    template again: Jinja's per-user folder in the temporary directory, which Jinja makes
    private (0700) and refuses unless it is ours alone; each entry is checked against its
    template's source, so an edited template is compiled again. None (compile every time) where
    no such folder can be made."""
    try:
        return _BestEffort()
    except (OSError, RuntimeError):
        return None


@cache
def environment() -> Environment:
    """The environment (made once): autoescaped, strict, whitespace-tidy, compiled templates
    kept between runs (:func:`compiled_cache`)."""
    env = Environment(
        loader=PrefixLoader(
            {
                "web": PackageLoader("geo", "web/templates"),
                "publication": PackageLoader("geo", "publication/templates"),
                "editor": PackageLoader("geo", "editor/templates"),
            }
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=compiled_cache(),
    )
    # tojson: sorted keys (deterministic pages); every non-ASCII character and <, >, &, ' escaped,
    # so JSON can stand inside a <script> element whatever the data hold.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True}
    return env


def render(name: str, **context: Any) -> str:
    """Render the template `name` (``stage/file.html``) with `context`."""
    return environment().get_template(name).render(**context)
