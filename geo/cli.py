"""The ``geo`` command: options in, one call into the Python API, messages and exit status out.

Exit status: 0 on success, 1 when the data has problems, 2 for usage errors (bad options, paths
or settings). Every :class:`~geo.errors.GeoError` becomes its message and its own exit status in
one place, :func:`handle`; nothing a user can do ends in a traceback. Commands that read the
project share their options (:func:`project_options`); what they print is worded and made safe
for a terminal by :mod:`geo.console`.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from geo import console
from geo.config import (
    DEFAULT_CONFIG_NAME,
    DEFAULT_LANGUAGES,
    Settings,
    parse_languages,
    read_settings,
)
from geo.console import say
from geo.errors import GeoError, UsageError, missing_dependency
from geo.io.decode import check_encoding
from geo.publication.formats import downloads_named
from geo.schema import Kind
from geo.text import languages as catalogue_languages

DISTRIBUTION = "city-partnerships"  # the name on the Python Package Index (pyproject.toml)
PUBLISH_HELP = (
    "Build and assemble the open-data folder: the maps, the downloads "
    f"({downloads_named()}), the OGC API's configuration, metadata, checksums, change log and "
    "feed, and landing pages; print the metadata quality score. All or nothing: a failure "
    "leaves the previous publication as it was."
)
GC_THRESHOLD = 20_000  # new objects between two passes of the cyclic collector (Python's: 700)
F = TypeVar("F", bound=Callable[..., Any])


def project_options(command: F) -> F:
    """--config and --encoding: the options of every command that reads the project's table."""
    command = click.option(
        "--encoding",
        default=None,
        metavar="NAME",
        help="Encoding of a CSV table that is not UTF-8, such as windows-1252 (default: [source] "
        "encoding in the settings; UTF-8, or Windows-1252 where the file is not UTF-8).",
    )(command)
    return click.option(
        "--config",
        "config",
        type=click.Path(path_type=Path),
        default=None,
        envvar="GEO_CONFIG",
        help="Settings file (default: $GEO_CONFIG, or geo.toml in the current folder).",
    )(command)


def source_option(what: str) -> Callable[[F], F]:
    """--source: the table a command reads instead of the settings' one."""
    return click.option(
        "--source",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Table to {what} (default: the one named in the settings).",
    )


wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="If another geo run is writing the same outputs, wait this long for it (then exit 2).",
)


def json_option(what: str) -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=f"Print the {what} as JSON.")


def settings_from(config: Path | None, encoding: str | None = None) -> Settings:
    """The settings named by --config (or found), with --encoding applied."""
    settings = read_settings(config)
    if encoding is None:
        return settings
    try:
        return dataclasses.replace(settings, encoding=check_encoding(encoding))
    except ValueError:
        raise UsageError(
            f"--encoding: {encoding!r} is not an encoding Python knows; expected a name such "
            "as windows-1252 or utf-8."
        ) from None


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
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
def serve(folder: Path, port: int) -> None:
    """Preview FOLDER, a folder made by `geo publish`, on this machine: its files at
    http://127.0.0.1:PORT/ and its OGC API - Features (pygeoapi) at /ogcapi, until Ctrl+C.
    Needs the optional extra: pip install 'city-partnerships[ogcapi]'."""
    from geo.serve import serve as run

    run(folder, port, lambda url: console.serving(folder, url))


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


@cli.command()
@click.option(
    "--from",
    "saved",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Read a saved answer of the query (SPARQL JSON results) instead of asking "
    "the Wikidata Query Service.",
)
@click.option(
    "--save",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Save the answer fetched, for --from.",
)
@click.option(
    "--quickstatements",
    "qs",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write the statements Wikidata lacks as QuickStatements V1, for an editor "
    "to run with their own account (geo never edits Wikidata).",
)
@click.option(
    "--source-url",
    metavar="URL",
    help="Reference URL of those statements (default: [publisher] base_url).",
)
@click.option("--print-query", is_flag=True, help="Print the SPARQL query and exit.")
@click.option("--endpoint", metavar="URL", help="SPARQL endpoint to ask.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for each attempt's answer.",
)
@source_option("check")
@project_options
@json_option("differences")
def crosscheck(
    saved: Path | None, save: Path | None, qs: Path | None, source_url: str | None,
    print_query: bool, endpoint: str | None, timeout: float, source: Path | None,
    config: Path | None, encoding: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Compare the table's relations with Wikidata's twinnings (P190), both ways, one line per
    difference. Exit status 0 when they agree, 1 when they differ, 2 for usage or network
    errors. See docs/crosscheck.md."""
    from geo import crosscheck as check

    settings = settings_from(config, encoding)
    if print_query:
        say(check.query_for(settings, source).rstrip("\n"))
        return
    made = check.crosscheck(settings, source, saved, save, qs, source_url,
                            endpoint or check.ENDPOINT, timeout)  # fmt: skip
    if as_json:
        console.say_json(made.to_json())
    else:
        for line in made.lines():
            say(line)
    if made.differs:
        sys.exit(1)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--home",
    required=True,
    metavar="NAME|GEONAMES_ID",
    help="The home city: its name in any language (Malmö, Gothenburg, Göteborg) or its "
    "GeoNames id.",
)
@click.option("--country", metavar="CC", help="Country code, to choose among cities of one name.")
@click.option(
    "--languages",
    default=",".join(DEFAULT_LANGUAGES),
    show_default=True,
    metavar="CODES",
    help="The languages of the maps, landing pages and metadata, the main one first, "
    f"separated by commas; each needs its text catalogue ({', '.join(catalogue_languages())}).",
)
def init(folder: Path, home: str, country: str | None, languages: str) -> None:
    """Make FOLDER a ready project for a new municipality: geo.toml (home city from GeoNames,
    its languages, its own output paths, publisher fields to fill), the table with the office's
    row to complete, and a README with the next steps. FOLDER must be new or empty."""
    from geo.scaffold import init_project

    city, files = init_project(
        folder, home, country, languages=parse_languages(languages, "--languages")
    )
    say(f"Made {folder}/ for {city.matched} (GeoNames {city.geonames_id}, {city.country}):")
    for path in files:
        say(f"  {path}")
    say(f"Next: complete the office's row in {files[1]}, then run `geo validate` in {folder}/.")


@cli.command()
@click.argument("name")
@click.option("--country", metavar="CC", help="Only cities in this country (ISO code, e.g. SE).")
@click.option(
    "--row",
    "kind",
    type=click.Choice([k.value for k in Kind]),
    default=None,
    help="Print a CSV row for the table instead (the one city NAME means), to paste or append "
    "with >>; fill in its status and descriptions.",
)
@json_option("candidates")
@click.option("--limit", default=10, show_default=True, help="How many candidates to list.")
@click.option(
    "--config",
    type=click.Path(path_type=Path),
    default=None,
    envvar="GEO_CONFIG",
    help="With --row: the settings of the table the row is for (default: $GEO_CONFIG, or "
    "geo.toml in the current folder; without one, a table in sv and en).",
)
def lookup(
    name: str, country: str | None, kind: str | None, as_json: bool, limit: int, config: Path | None
) -> None:
    """Find a city's GeoNames id, point and population by NAME (any language, accents and case
    aside) or by id, in the offline gazetteer; best first. Exit status 1 if none matches."""
    from datetime import date

    from geo import lookup as gazetteer

    if kind is not None:
        found = config is not None or Path(DEFAULT_CONFIG_NAME).is_file()
        languages = read_settings(config).languages if found else DEFAULT_LANGUAGES
        say(gazetteer.table_line(name, country, Kind(kind), date.today(), languages))
        return
    found = gazetteer.search(name, country, limit=max(limit, 1))
    if as_json:
        console.say_json([c.to_dict() for c in found])
    elif found:
        console.candidates(found)
    if not found:
        gazetteer.choose(name, country)  # raises the message that says what to try


@cli.command()
@project_options
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 to listen on (default: any free port).",
)
@click.option(
    "--lang",
    default=None,
    metavar="LANG",
    help="Language of the page, one of the settings' languages (default: the first, sv).",
)
@click.option("--no-browser", is_flag=True, help="Only print the address; open no browser.")
def edit(
    config: Path | None, encoding: str | None, port: int, lang: str | None, no_browser: bool
) -> None:
    """Edit the table in the browser: a form per place, a gazetteer search to add one, every
    problem as you type and a preview of the map; saved to the same file in the same format.
    Serves 127.0.0.1 only, at an address with a secret token; Ctrl+C stops it."""
    settings = settings_from(config, encoding)
    lang = lang or settings.languages[0]
    if lang not in settings.languages:
        raise UsageError(
            f"--lang: {lang!r}; expected one of the settings' languages, "
            f"{', '.join(settings.languages)}."
        )
    from geo.editor.app import Editor
    from geo.editor.server import run

    run(Editor(settings, lang), port, browser=not no_browser, notify=say)


def main() -> None:
    """Entry point of the ``geo`` command."""
    # numpy's OpenBLAS threads spin at its import, taking CPU from the maps; geo does no linear
    # algebra. Set before numpy is imported; a user's value is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # The command's imports make many objects and no garbage: the cyclic collector runs after
    # GC_THRESHOLD new objects instead of 700 (see benchmarks/README.md). Forks inherit this.
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    cli(prog_name="geo")
