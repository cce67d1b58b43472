"""``geo init``: a ready project for a new municipality."""

from __future__ import annotations

from pathlib import Path

import click

from geo.config import DEFAULT_LANGUAGES, parse_languages
from geo.console import say
from geo.text import languages as catalogue_languages


@click.command()
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
