"""``geo lookup``: a city's GeoNames id and point from the offline gazetteer, or a table row."""

from __future__ import annotations

from pathlib import Path

import click

from geo import console
from geo.commands.options import json_option
from geo.config import DEFAULT_CONFIG_NAME, DEFAULT_LANGUAGES, read_settings
from geo.console import say
from geo.schema import Kind


@click.command()
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
