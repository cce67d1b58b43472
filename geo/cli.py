"""The ``geo`` command: options in, one call into the Python API, messages and exit status out.

Exit status: 0 on success, 1 when the data has problems, 2 for usage errors (bad options, paths
or settings). Every :class:`~geo.errors.GeoError` becomes its message and its own exit status in
one place, :func:`handle`; nothing a user can do ends in a traceback. The core commands
(validate, build, publish, diff) are here; the others are in :mod:`geo.commands`, one module
each, added to the group below. Commands that read the project share their options
(:mod:`geo.commands.options`); what they print is worded and made safe for a terminal by
:mod:`geo.console`.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

from geo import console
from geo.commands import crosscheck, edit, init, lookup, serve
from geo.commands.options import (
    json_option,
    project_options,
    settings_from,
    source_option,
    wait_option,
)
from geo.console import say
from geo.errors import GeoError, missing_dependency
from geo.publication.formats import downloads_named

DISTRIBUTION = "city-partnerships"  # the name on the Python Package Index (pyproject.toml)
PUBLISH_HELP = (
    "Build and assemble the open-data folder: the maps, the downloads "
    f"({downloads_named()}), the OGC API's configuration, metadata, checksums, change log and "
    "feed, and landing pages; print the metadata quality score. All or nothing: a failure "
    "leaves the previous publication as it was."
)
GC_THRESHOLD = 20_000  # new objects between two passes of the cyclic collector (Python's: 700)


def handle(ctx: click.Context, invoke: Any) -> Any:
    """Run a command; turn any error into its message and exit status (the one handler)."""
    try:
        return invoke(ctx)
    except GeoError as exc:
        raise click.exceptions.Exit(console.error_status(exc)) from None
    except ModuleNotFoundError as exc:  # a library imported on first use is not installed
        advice = missing_dependency(exc)
        if advice is None:
            raise
        say(advice, err=True)
        raise click.exceptions.Exit(2) from None
    except OSError as exc:  # a path the options named that the system refused
        from geo.io.own import reason

        name = f"{exc.filename}: " if exc.filename is not None else ""
        say(f"Error: {name}{reason(exc)}.", err=True)
        raise click.exceptions.Exit(2) from None
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except Exception as exc:
        if os.environ.get("GEO_DEBUG"):
            raise
        say(
            f"Internal error: {type(exc).__name__}: {exc}. This is a bug in geo; please report "
            "it with the command you ran (GEO_DEBUG=1 shows the traceback).",
            err=True,
        )
        raise click.exceptions.Exit(1) from None


class Geo(click.Group):
    """The command group, with the one error handler around every command."""

    def invoke(self, ctx: click.Context) -> Any:
        return handle(ctx, super().invoke)


@click.group(cls=Geo)
@click.version_option(package_name=DISTRIBUTION)
def cli() -> None:
    """Publish a city's international relations as open data and an accessible map."""


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@project_options
@json_option("problems")
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="How to print the problems: lines of text, JSON (as --json), or GitHub Actions "
    "annotations (::error file=...,line=...::...) that mark the lines of a pull request.",
)
def validate(
    path: Path | None, config: Path | None, encoding: str | None, as_json: bool, form: str
) -> None:
    """Check the source table (default: the one named in the settings).

    Every problem is reported, one line each, with a stable code. Exit status 1 if any is an
    error; warnings alone exit 0. The table may be CSV (comma- or semicolon-separated, as Excel
    saves it) or an .xlsx workbook.
    """
    settings = settings_from(config, encoding)
    source = path if path is not None else settings.places
    from geo import pipeline

    result = pipeline.validate(settings, source, keep_places=False)
    where = settings.display(source)
    as_json = as_json or form == "json"
    if form == "github":
        console.annotations(console.repository_path(source), result.problems)
    elif result.problems or as_json:
        console.report(where, result.problems, as_json)
    if not result.ok:
        sys.exit(1)
    if not as_json:
        say(f"{where}: OK, {console.summary(result.kinds)}")


@cli.command()
@source_option("build from")
@project_options
@click.option("--force", is_flag=True, help="Render every map, even where nothing has changed.")
@wait_option
def build(
    source: Path | None, config: Path | None, encoding: str | None, force: bool, wait: float
) -> None:
    """Validate the table, build the layers and render the maps.

    Nothing is written if anything fails. Maps whose inputs are unchanged since the last build
    are reused rather than rendered again (--force renders them all).
    """
    settings = settings_from(config, encoding)
    from geo import pipeline

    made = pipeline.build(settings, source, force=force, wait=wait, notify=console.note)
    console.built(settings, made)
    if not settings.map.url:  # the iframe snippet's links can only be relative (issue 20)
        say(
            f"{settings.display(settings.maps_dir)}/embed-snippet.html: its links are relative "
            "and work only from a page in the maps folder; set [map] url to the address the maps "
            "are published at for a snippet that works pasted into any page.",
            err=True,
        )


@cli.command(help=PUBLISH_HELP)
@click.option(
    "--base-url",
    default=None,
    help="Address the folder will be served from (default: [publisher] base_url in the "
    "settings). Every address in the metadata is made from it.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to publish into (default: public/ beside the settings): a link to the "
    "current version, switched atomically. Only an empty folder or an earlier publication "
    "(with its .geo-publication.json) is replaced; a link geo did not make is followed.",
)
@source_option("publish")
@project_options
@wait_option
def publish(
    base_url: str | None,
    out: Path | None,
    source: Path | None,
    config: Path | None,
    encoding: str | None,
    wait: float,
) -> None:
    settings = settings_from(config, encoding)
    from geo import pipeline

    made = pipeline.publish(settings, base_url, out, source, wait=wait, notify=console.note)
    console.published(settings, made)


@cli.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@project_options
@json_option("changes")
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit with status 1 when there are differences, 0 when there are none (as git diff "
    "--exit-code does).",
)
def diff(
    old: Path,
    new: Path,
    config: Path | None,
    encoding: str | None,
    as_json: bool,
    exit_code: bool,
) -> None:
    """List what changed from OLD to NEW: places added, removed and, field by field, changed
    (status changes first). Each is a table (CSV or .xlsx) or a folder made by `geo publish`."""
    from geo import pipeline
    from geo.publication.changes import diff as compare
    from geo.publication.changes import render_diff

    settings = settings_from(config, encoding)
    versions = [pipeline.read_version(settings, path) for path in (old, new)]
    changes = compare(*versions)
    if as_json:
        console.say_json(changes.to_dict())
    else:
        for line in render_diff(changes).splitlines():
            say(line)
    if exit_code and not changes.empty:
        sys.exit(1)


for command in (crosscheck.crosscheck, edit.edit, init.init, lookup.lookup, serve.serve):
    cli.add_command(command)


def main() -> None:
    """Entry point of the ``geo`` command."""
    # numpy's OpenBLAS threads spin at its import, taking CPU from the maps; geo does no linear
    # algebra. Set before numpy is imported; a user's value is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # The command's imports make many objects and no garbage: the cyclic collector runs after
    # GC_THRESHOLD new objects instead of 700 (see benchmarks/README.md). Forks inherit this.
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    cli(prog_name="geo")
