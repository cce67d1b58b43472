"""What the ``geo`` command prints: problems, reports and tables, as lines for a terminal.

Every line passes through :func:`geo.textrules.terminal_safe`: a value from the table or a
compared folder cannot move the cursor, recolour the terminal or reorder a line. Results and
errors go to stderr, results of a successful command to stdout. The command's options and its
one error handler are in :mod:`geo.cli`; this module only words and prints.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo.codes import Problem, Severity
from geo.errors import GeoError, SettingsError, ValidationError
from geo.schema import Kind
from geo.textrules import terminal_safe

if TYPE_CHECKING:
    from geo.config import Settings
    from geo.lookup import Candidate
    from geo.pipeline import BuildReport, PublishReport


def say(text: str = "", err: bool = False) -> None:
    """Print a line, every character a terminal would act on made visible."""
    click.echo(terminal_safe(text), err=err)


def note(text: str) -> None:
    """A message of the writer (waiting for a lock, an interrupted run finished) to stderr."""
    say(text, err=True)


def say_json(value: Any) -> None:
    say(json.dumps(value, ensure_ascii=False, indent=2))


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def report(where: str, problems: Sequence[Problem], as_json: bool = False) -> None:
    """The problems of a table: a count line, then one line each (errors to stderr)."""
    if as_json:
        say_json([p.to_dict() for p in problems])
        return
    counts = Counter(p.severity for p in problems)
    err = counts[Severity.ERROR] > 0
    header = f"{where}: {plural(counts[Severity.ERROR], 'error')}, "
    header += plural(counts[Severity.WARNING], "warning")
    if counts[Severity.NOTE]:
        header += f", {plural(counts[Severity.NOTE], 'note')}"
    say(header, err=err)
    for problem in problems:
        say(str(problem), err=err)


# GitHub Actions workflow commands: the escapes of @actions/core (toolkit's command.ts), for
# the message and, with `:` and `,` too, for each property.
ANNOTATION_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
ANNOTATION_PROPERTY = {**ANNOTATION_DATA, ":": "%3A", ",": "%2C"}
ANNOTATION_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in text)


def annotation(problem: Problem, file: str) -> str:
    """One problem as a GitHub Actions annotation:
    ``::error file=<file>,line=<line>,title=<code>::<message>``."""
    properties = {"file": file, "line": problem.line, "title": problem.code}
    head = ",".join(
        f"{key}={_escape(str(value), ANNOTATION_PROPERTY)}"
        for key, value in properties.items()
        if value is not None
    )
    where = f"({problem.place_id}) " if problem.place_id else ""
    message = _escape(where + problem.message(), ANNOTATION_DATA)
    return f"::{ANNOTATION_LEVEL[problem.severity]} {head}::{message}"


def repository_path(path: Path) -> str:
    """A file as annotations name it: relative to the working folder (a workflow's is the
    repository's root), with forward slashes; else as given."""
    import os

    try:
        relative = Path(os.path.relpath(path.resolve(), Path.cwd().resolve()))
    except (OSError, ValueError):
        return path.as_posix()
    return path.as_posix() if relative.parts[:1] == ("..",) else relative.as_posix()


def annotations(file: str, problems: Sequence[Problem]) -> None:
    """The problems as GitHub Actions annotations (to stdout, where the runner reads them)."""
    for problem in problems:
        say(annotation(problem, file))


def summary(places: Sequence[Any]) -> str:
    """``14 places: 1 office, 10 partner cities, 3 friendship towns``."""
    counts = Counter(p.kind for p in places)
    parts = [
        plural(counts[Kind.OFFICE], "office"),
        plural(counts[Kind.PARTNER_CITY], "partner city", "partner cities"),
        plural(counts[Kind.FRIENDSHIP_TOWN], "friendship town"),
    ]
    return f"{plural(len(places), 'place')}: " + ", ".join(parts)


def error_status(exc: GeoError) -> int:
    """Print an error the package raised on purpose; its exit status."""
    if isinstance(exc, ValidationError):
        report(exc.where or "table", exc.problems)
        say("Nothing was written; the published files are as they were.", err=True)
    elif isinstance(exc, SettingsError) and exc.problems:
        for problem in exc.problems:
            say(f"Error: {problem}", err=True)
    else:
        say(f"Error: {exc}", err=True)
    return exc.exit_status


def built(settings: Settings, report_: BuildReport) -> None:
    """What ``geo build`` made: warnings, the places, the files written and the maps reused."""
    for warning in report_.warnings:
        say(str(warning), err=True)
    say(f"Built {summary(report_.places)}.")
    written = len(report_.changed)
    say(
        f"{plural(len(report_.files), 'file')}: {written} written, "
        f"{len(report_.files) - written} unchanged."
    )
    for path in report_.changed:
        say(f"  {settings.display(path)} (written)")
    if report_.reused:
        say(
            "Maps reused, their inputs unchanged since the last build: "
            f"{', '.join(report_.reused)} (--force renders them anew)."
        )


def folder_name(settings: Settings, folder: Path) -> str:
    """A publication folder as named (a link to the current version), not where it points."""
    parent = settings.display(folder.parent)
    return folder.name if parent == "." else f"{parent}/{folder.name}"


def published(settings: Settings, report_: PublishReport) -> None:
    """What ``geo publish`` made: the places, the folder, the files and the changes."""
    changes = report_.changes
    say(
        f"Published {summary(report_.build.places)} to {folder_name(settings, report_.folder)}/ "
        f"({plural(len(report_.files), 'file')}; {len(changes.added)} added, "
        f"{len(changes.removed)} removed, {len(changes.changed)} changed since the last "
        "publication)."
    )
    say(f"Dataset identifier: {report_.identifier} (the same in every publication).")


def columns(rows: Iterable[Sequence[str]]) -> None:
    """Rows of cells in aligned columns, the first row the heads."""
    rows = list(rows)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        say("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())


def candidates(found: Sequence[Candidate]) -> None:
    """The cities ``geo lookup`` found, best first, as a table."""
    from geo.cells import deg

    heads = ("geonames_id", "name", "country", "lon", "lat", "population", "matched")
    columns(
        [heads]
        + [
            (str(c.geonames_id), c.name, c.country, deg(c.lon), deg(c.lat), str(c.population),
             c.matched)
            for c in found
        ]
    )  # fmt: skip
