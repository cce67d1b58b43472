"""Reading a parsed TOML table key by key, collecting every problem: the settings' checker.

:class:`TableChecker` gives typed values (text by the rules of :mod:`geo.textrules` and a length
limit, positive numbers, http(s) links) or None, and records a :class:`~geo.codes.Problem` naming
the file, the key and the rule for each value it refuses; :mod:`geo.config` raises them all at
once. No I/O.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from geo import textrules
from geo.codes import Problem
from geo.urls import url_problem

TEXT_LIMIT = 300  # characters of a one-line setting

_T = Any  # a TOML value
TYPE_WORDS = {str: "text in quotes", int: "a whole number", float: "a number"}


class TableChecker:
    """Reads a parsed settings table key by key, collecting every problem."""

    def __init__(self, table: dict[str, _T], where: str) -> None:
        self.table, self.where = table, where
        self.problems: list[Problem] = []

    def fail(self, code: str, key: str, what: str, expected: str, hint: str | None = None) -> None:
        self.problems.append(Problem(code, what, self.where, None, None, key, expected, hint))

    def get(self, section: str, key: str) -> _T:
        value = self.table.get(section)
        return value.get(key) if isinstance(value, dict) else None

    def typed(self, section: str, key: str, kind: type, required: bool = False) -> _T:
        value = self.get(section, key)
        name = f"{section}.{key}"
        if value is None:
            if required and isinstance(self.table.get(section, {}), dict):
                self.fail("settings/missing", name, f"missing setting `{name}`", TYPE_WORDS[kind])
            return None
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            self.fail(
                "settings/wrong-type",
                name,
                f"`{name}` has the wrong type: {show(value)}",
                TYPE_WORDS[kind],
            )
            return None
        return value

    def text(
        self, section: str, key: str, required: bool = False, limit: int = TEXT_LIMIT
    ) -> str | None:
        value = self.typed(section, key, str, required)
        if value is None:
            return None
        name = f"{section}.{key}"
        bad = textrules.first_bad(value)
        if bad is not None:
            self.fail(
                "settings/bad-text",
                name,
                f"`{name}` holds {bad[1]} at position {bad[0] + 1}",
                "printable text on one line",
                "Remove the invisible character.",
            )
            return None
        if len(value) > limit:
            self.fail(
                "settings/bad-text",
                name,
                f"`{name}` is {len(value)} characters long",
                f"at most {limit}",
            )
            return None
        if required and not value.strip():
            self.fail("settings/missing", name, f"`{name}` is empty", "a value")
            return None
        return value

    def strings(self, section: str, key: str, expected: str) -> tuple[str, ...]:
        """A text or a list of texts, as a tuple (empty if absent or refused)."""
        value = self.get(section, key)
        values = [value] if isinstance(value, str) else value
        if value is None:
            return ()
        name = f"{section}.{key}"
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.fail("settings/wrong-type", name, f"`{name}` has the wrong type: {show(value)}",
                      expected)  # fmt: skip
            return ()
        for text in values:
            if (bad := textrules.first_bad(text)) is not None:
                self.fail("settings/bad-text", name, f"`{name}` holds {bad[1]}",
                          "printable text on one line")  # fmt: skip
                return ()
        return tuple(values)

    def number(self, section: str, key: str, default: float) -> float:
        value = self.typed(section, key, float)
        if value is None:
            return default
        if not (math.isfinite(value) and value > 0):
            name = f"{section}.{key}"
            self.fail(
                "settings/bad-number", name, f"`{name}` is {value!r}", "a positive number of km"
            )
            return default
        return value

    def url(self, section: str, key: str, relative: bool, default: str | None = None) -> str | None:
        value = self.text(section, key)
        if value is None:
            return default
        problem = url_problem(value, relative)
        if problem:
            name = f"{section}.{key}"
            expected = "an http or https URL" + (", or a relative path" if relative else "")
            self.fail("settings/bad-url", name, f"`{name}` {show(value)} {problem}", expected)
            return default
        return value

    def check_sections(self, known: dict[str, tuple[str, ...]]) -> None:
        """Every section is one of `known` and a table; every key is one of its section's."""
        for name, value in self.table.items():
            if name not in known:
                self.fail(
                    "settings/unknown-section",
                    name,
                    f"unknown section `[{show(name)[1:-1]}]`",
                    "one of " + ", ".join(f"[{s}]" for s in known),
                    "Is it misspelt?",
                )
            elif not isinstance(value, dict):
                self.fail(
                    "settings/wrong-type",
                    name,
                    f"`{name}` must be a section",
                    f"[{name}] and its keys",
                )
            else:
                for key in value:
                    if key not in known[name]:
                        self.fail(
                            "settings/unknown-key",
                            f"{name}.{key}",
                            f"unknown setting `{name}.{show(key)[1:-1]}`",
                            "one of " + ", ".join(sorted(known[name])),
                            "Is it misspelt?",
                        )

    def path(self, root: Path, section: str, key: str, default: str) -> Path:
        value = self.text(section, key) or default
        return root / value


def show(value: _T) -> str:
    text = repr(value)
    return textrules.terminal_safe(text if len(text) <= 80 else text[:77] + "...")
