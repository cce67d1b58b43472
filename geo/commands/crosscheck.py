"""``geo crosscheck``: compare the table's relations with Wikidata's (docs/crosscheck.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from geo import console
from geo.commands.options import json_option, project_options, settings_from, source_option
from geo.console import say


@click.command()
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
