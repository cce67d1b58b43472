"""The ``geo`` command: parse options, call the pipeline, turn errors into messages.

Exit status: 0 on success, 1 when the data has problems, 2 for usage errors (bad options,
missing settings). Nothing a user can do to the data ends in a traceback.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from geo import pipeline
from geo.config import Settings, read_settings
from geo.errors import GeoError, SettingsError, SourceError, ValidationError
from geo.model import Kind, Problem

config_option = click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (default: geo.toml in the current folder).",
)


def _settings(config: Path | None) -> Settings:
    try:
        return read_settings(config)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _report(where: str, problems: Sequence[Problem], as_json: bool) -> None:
    errors = sum(p.is_error for p in problems)
    if as_json:
        payload = [
            {
                "code": p.code,
                "severity": p.severity.value,
                "where": p.where,
                "line": p.line,
                "id": p.place_id,
                "field": p.field,
                "message": str(p),
            }
            for p in problems
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    stream = sys.stderr if errors else sys.stdout
    header = f"{where}: {_plural(errors, 'error')}, {_plural(len(problems) - errors, 'warning')}"
    click.echo(header, file=stream)
    for problem in problems:
        click.echo(str(problem), file=stream)


def _summary(places: Sequence) -> str:
    counts = Counter(p.kind for p in places)
    parts = [
        _plural(counts[Kind.OFFICE], "office"),
        f"{counts[Kind.PARTNER_CITY]} partner "
        + ("city" if counts[Kind.PARTNER_CITY] == 1 else "cities"),
        _plural(counts[Kind.FRIENDSHIP_TOWN], "friendship town"),
    ]
    return f"{_plural(len(places), 'place')}: " + ", ".join(parts)


@click.group()
@click.version_option(package_name="geo")
def cli() -> None:
    """Publish a city's international relations as open data and an accessible map."""


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def validate(path: Path | None, config: Path | None, as_json: bool) -> None:
    """Check the source table (default: the one named in the settings).

    Every problem is reported, one line each, with a stable code. Exit status 1 if any is an
    error; warnings alone exit 0.
    """
    settings = _settings(config)
    source = path if path is not None else settings.places
    where = settings.display(source)
    try:
        result = pipeline.validate(settings, source)
    except SourceError as exc:
        raise click.UsageError(str(exc)) from exc
    if result.problems or as_json:
        _report(where, result.problems, as_json)
    if not result.ok:
        sys.exit(1)
    if not as_json:
        click.echo(f"{where}: OK, {_summary(result.places)}")


@cli.command()
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=None,
    help="Table to build from (default: the one named in the settings).",
)
@config_option
@click.option("--force", is_flag=True, help="Render every map, even where nothing has changed.")
def build(source: Path | None, config: Path | None, force: bool) -> None:
    """Validate the table, build the layers and render the maps.

    Nothing is written if anything fails. Maps whose inputs are unchanged since the last build
    are reused rather than rendered again (--force renders them all).
    """
    settings = _settings(config)
    try:
        report = pipeline.build(settings, source, force=force)
    except (SourceError, SettingsError) as exc:
        raise click.UsageError(str(exc)) from exc
    except ValidationError as exc:
        where = settings.display(source or settings.places)
        _report(where, exc.problems, as_json=False)
        click.echo("Nothing was written; the published files are as they were.", err=True)
        sys.exit(1)
    except GeoError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"Built {_summary(report.places)}.")
    written = len(report.changed)
    click.echo(
        f"{_plural(len(report.files), 'file')}: {written} written, "
        f"{len(report.files) - written} unchanged."
    )
    for path in report.changed:
        click.echo(f"  {settings.display(path)} (written)")
    if report.reused:
        click.echo(
            f"Maps reused, their inputs unchanged since the last build: {', '.join(report.reused)} "
            "(--force renders them anew)."
        )


@cli.command()
@click.option(
    "--base-url",
    default=None,
    help="Address the folder will be served from (default: [publisher] base_url in the "
    "settings). Every address in the metadata is made from it.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to publish into (default: public/ beside the settings). It is replaced as a "
    "whole, and only if it is empty or an earlier publication.",
)
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=None,
    help="Table to publish (default: the one named in the settings).",
)
@config_option
def publish(
    base_url: str | None, out: Path | None, source: Path | None, config: Path | None
) -> None:
    """Build and assemble the open-data folder: maps, layers, CSV, GeoPackage, metadata,
    checksums, change log and landing page. All or nothing: a failure leaves the previous
    publication as it was."""
    settings = _settings(config)
    try:
        report = pipeline.publish(settings, base_url, out, source)
    except (SettingsError, SourceError) as exc:
        raise click.UsageError(str(exc)) from exc
    except ValidationError as exc:
        _report(settings.display(source or settings.places), exc.problems, as_json=False)
        click.echo("Nothing was published; the previous publication is as it was.", err=True)
        sys.exit(1)
    except GeoError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    changes = report.changes
    click.echo(
        f"Published {_summary(report.build.places)} to {settings.display(report.folder)}/ "
        f"({_plural(len(report.files), 'file')}; {len(changes.added)} added, "
        f"{len(changes.removed)} removed, {len(changes.changed)} changed since the last "
        "publication)."
    )


@cli.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def diff(old: Path, new: Path, config: Path | None, as_json: bool) -> None:
    """List what changed from OLD to NEW: places added, removed and, field by field, changed
    (status changes first). Each is a table (CSV) or a folder made by `geo publish`."""
    from geo.changes import diff as compare
    from geo.changes import render_diff

    settings = _settings(config)
    versions = []
    for path in (old, new):
        try:
            versions.append(pipeline.read_version(settings, path))
        except SourceError as exc:
            raise click.UsageError(str(exc)) from exc
        except ValidationError as exc:
            _report(settings.display(path), exc.problems, as_json=False)
            sys.exit(1)
        except GeoError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
    changes = compare(*versions)
    if as_json:
        click.echo(json.dumps(changes.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_diff(changes), nl=False)


def main() -> None:
    """Entry point of the ``geo`` command."""
    cli(prog_name="geo")
