"""``geo init``: a ready folder for a new municipality's publication.

Takes a folder and the home city (a name in any language, or a GeoNames id, found with
:mod:`geo.lookup`) and writes, through the one writer, everything a municipality needs to start:

- ``geo.toml``: the home city filled in from GeoNames (its name in each page language), the page
  languages, this folder's own table and output paths (``data/layers``, ``maps``: inside the
  folder, so no other project's files are overwritten), and the ``[publisher]`` fields to fill
  in before ``geo publish``;
- ``data/places.csv``: the header (a name and a description column per language) and the
  office's row, with the city's GeoNames point, for the editor to complete (the office's names,
  descriptions and addresses);
- ``README.md``: the next steps.

Nothing else is copied: the basemap ships inside the package. A folder that is not empty is
refused, so nothing of anyone's is overwritten. :func:`project_files` is pure (what to write);
:func:`init_project` checks the folder and writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from geo.config import DEFAULT_LANGUAGES
from geo.errors import UsageError
from geo.lookup import Candidate, choose, csv_line, table_row
from geo.schema import Kind, schema
from geo.text import FALLBACK

SETTINGS = "geo.toml"
TABLE = "data/places.csv"
README = "README.md"
OFFICE_ID = "office"


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _line(text: str) -> str:
    """A name inside a comment or a heading: on one line, control characters escaped."""
    return _toml(text)[1:-1]


def home_names(home: Candidate, languages: Sequence[str]) -> dict[str, str]:
    """The home city's name in each page language and English: the name typed in the main
    language (``Göteborg``), GeoNames' in the others (``Gothenburg``), to check."""
    langs = dict.fromkeys((*languages, FALLBACK))
    main = languages[0]
    return {lang: home.matched if lang == main else home.name for lang in langs}


def settings_text(home: Candidate, languages: Sequence[str] = DEFAULT_LANGUAGES) -> str:
    """The new folder's ``geo.toml``. Names are TOML strings, escaped (settings are data)."""
    names = home_names(home, languages)
    name = names[languages[0]]
    name_lines = "\n".join(f"name_{lang} = {_toml(n)}" for lang, n in names.items())
    return f"""\
# Settings for {_line(name)}'s publication of its international relations, made by `geo init`.
# Paths are relative to this file. `geo validate` checks every value.

[home]
# The home city, from GeoNames {home.geonames_id} ({_line(home.name)}, {home.country}).
# Check the names. The office must lie within office_radius_km of this point.
{name_lines}
country = {_toml(home.country)}
geonames_id = {home.geonames_id}
office_radius_km = 10
# The city's Wikidata items, for `geo crosscheck` (the city's and, if twinnings are kept there,
# its municipality's), such as wikidata = ["Q25287", "Q52502"]. The offline gazetteer has no
# Wikidata ids; `geo crosscheck` finds the item Wikidata links to GeoNames {home.geonames_id} and
# says which to put here.
# wikidata = []

[source]
# The table: CSV (as Excel saves it, too) or an .xlsx workbook.
places = "{TABLE}"

[validation]
# How far (geodesic km) a place may lie from the GeoNames point named by its geonames_id.
tolerance_km = 25

[output]
# This folder's own layers and maps; `geo build` writes them here and nowhere else.
layers = "data/layers"
maps = "maps"
# The languages of the maps, the landing pages and the metadata; the first is the main one.
languages = {json.dumps(list(languages))}

[map]
# "local": Leaflet is copied beside the maps, no request to any other host.
assets = "local"
# Where maps/ will be published, for the iframe snippet (empty: relative links).
url = ""
data_url = "../data/layers/all.geojson"

# Who publishes the open data, for the metadata and the landing page. `geo publish` needs this
# section: fill it in and remove the # signs.
# [publisher]
# name = {_toml(name)}   # the publisher's name, such as the municipality's
# email = ""          # the contact address for the data (DCAT-AP-SE requires one)
# homepage = ""       # https://...
# base_url = ""       # where the folder made by `geo publish` will be served
"""


def table_text(home: Candidate, today: date, languages: Sequence[str] = DEFAULT_LANGUAGES) -> str:
    """The new table: the header and the office's row, to complete."""
    of = schema(languages)
    office = table_row(home, Kind.OFFICE, today, of, languages[0])
    office.update(
        {
            "id": OFFICE_ID,
            "name_local": "",
            "geonames_note": f"The point is {home.matched}'s GeoNames point until the office's "
            "own is put here.",
        }
    )
    office.update({f"name_{lang}": "" for lang in of.languages})
    return ",".join(of.names) + "\n" + csv_line(office, of) + "\n"


def readme_text(home: Candidate, languages: Sequence[str] = DEFAULT_LANGUAGES) -> str:
    """The new folder's ``README.md``: what it holds and the next steps."""
    langs = schema(languages).languages
    name = home_names(home, languages)[languages[0]]
    names = ", ".join(f"`name_{lang}`" for lang in langs)
    descriptions = ", ".join(f"`description_{lang}`" for lang in langs)
    return f"""\
# {_line(name)}: international relations as open data and a map

Made by `geo init` for {_line(name)} (GeoNames {home.geonames_id}). Run every command in
this folder.

1. Complete the office's row in `{TABLE}` (open it in a spreadsheet program if you like): its
   names ({names}, `name_local`), {descriptions},
   `visiting_address` and `postal_address`, and its own `lon` and `lat` if you have them.
   English is required; a name or description left empty in another language is shown in
   English on that language's pages.
2. Add a row for each partner city or friendship town. `geo lookup NAME` finds a city's GeoNames
   id; `geo lookup NAME --row partner_city >> {TABLE}` appends a row to complete (`status`
   and the descriptions).
3. `geo validate` lists everything still missing or wrong, one line each.
4. `geo build` writes the layers to `data/layers/` and the maps to `maps/`.
5. Fill in `[publisher]` in `{SETTINGS}`, then `geo publish` makes the open-data folder `public/`.

Every column is described in the project's `data/README.md`.
"""


def project_files(
    home: Candidate, today: date, languages: Sequence[str] = DEFAULT_LANGUAGES
) -> dict[str, bytes]:
    """What `geo init` writes, by path inside the folder."""
    return {
        SETTINGS: settings_text(home, languages).encode("utf-8"),
        TABLE: table_text(home, today, languages).encode("utf-8"),
        README: readme_text(home, languages).encode("utf-8"),
    }


def check_folder(folder: Path) -> None:
    """A new or empty folder; anything else is refused (nothing is overwritten)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is a file" if not folder.is_dir() else "is not empty"
        raise UsageError(
            f"{folder}: {what}; expected a new or empty folder. Choose another name: geo init "
            "writes only into a folder of its own."
        )


def init_project(
    folder: Path,
    home: str,
    country: str | None = None,
    today: date | None = None,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
) -> tuple[Candidate, list[Path]]:
    """Make `folder` a project for the home city `home` (a name or a GeoNames id) whose pages
    are in `languages` (the first the main one); return the city and the files written."""
    check_folder(folder)
    city = choose(home, country, where="--home")
    files = project_files(city, today or date.today(), languages)
    from geo.io.write import write_files

    write_files({folder / name: data for name, data in files.items()})
    return city, [folder / name for name in files]
