"""The exceptions of the package: one base class and a few subclasses.

The CLI turns any :class:`GeoError` into a message and an exit status, in one place; nothing a
user can cause ends in a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.model import Problem


class GeoError(Exception):
    """Base class of every error this package raises on purpose."""


class SettingsError(GeoError):
    """The settings file is missing, unreadable or incomplete."""


class SourceError(GeoError):
    """The source table cannot be opened."""


class ValidationError(GeoError):
    """The table has problems; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) in the source table")


class PublishError(GeoError):
    """Outputs could not be written; the previous outputs are left as they were."""
