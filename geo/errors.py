"""The exceptions of the package: one base class and a few subclasses, each with its exit status.

Every error a user can cause is a :class:`GeoError`. The CLI turns any of them into a message and
``exit_status`` in one place (:func:`geo.cli.main`); nothing a user can cause ends in a traceback.
Exit status 1 means the *data* has problems (the table, an earlier publication, a file that
cannot be written); 2 means *usage*: a bad option, path or setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from geo.codes import Problem


class GeoError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_status: ClassVar[int] = 1


class UsageError(GeoError):
    """A command, option or path cannot be used as given."""

    exit_status = 2


class SettingsError(UsageError):
    """The settings file is missing, unreadable, malformed or breaks a rule.

    `problems` lists every problem found in the file, each naming the key and the rule.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    @classmethod
    def of(cls, *problems: Problem) -> SettingsError:
        return cls("\n".join(str(p) for p in problems), problems)


class SourceError(UsageError):
    """An input file (the table, the basemap) cannot be opened or is not what it must be."""


class BusyError(UsageError):
    """Another run is writing the same outputs; this one did not start."""


class RemoteError(GeoError):
    """A remote service (the Wikidata Query Service) could not be reached or gave no usable
    answer; nothing was changed."""

    exit_status = 2


class ValidationError(GeoError):
    """The table has problems; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem], where: str = "") -> None:
        self.problems = list(problems)
        self.where = where
        errors = [p for p in self.problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) in the source table")


class PublishError(GeoError):
    """Outputs could not be written; the previous outputs are left as they were."""


def missing_dependency(exc: ModuleNotFoundError) -> str | None:
    """The advice for a library that is not installed (None when the missing module is one
    of ours: that is a bug, not a setup step). Standard library only, so that ``python -m geo``
    can say it before anything else is imported."""
    import sys

    name = (exc.name or "").split(".")[0]
    if not name or name == "geo":
        return None
    return (
        f"Error: Python module '{name}' is missing: geo's dependencies are not installed for "
        f"{sys.executable}; expected the environment that `make build` makes. Run `make build` "
        "in the project's folder, then use .venv/bin/geo (or .venv/bin/python -m geo)."
    )
