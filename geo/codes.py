"""Problem codes: one registry of every problem the table can have, and the Problem record.

Each code is stable (scripts rely on it: ``geo validate --json``), namespaced by what it concerns
(``file/``, ``header/``, ``row/``, ``field/``, ``coords/``, ``ref/``, ``office/``, ``settings/``,
and ``crosscheck/`` for ``geo crosscheck``'s differences with Wikidata), and has one level and one
meaning. ``data/README.md`` lists them all: its table is generated
from :data:`CODES` (``make docs``) and a test checks it is current. A :class:`Problem` takes its
severity from the registry, so a code cannot be an error in one place and a warning in another.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """Errors stop a build; warnings are reported and let it go on; notes only inform."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Code:
    """One kind of problem."""

    name: str
    severity: Severity
    meaning: str


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE
_DECLARED: tuple[Code, ...] = (
    Code(
        "file/bom",
        N,
        "the file starts with a byte-order mark (as Excel's 'CSV UTF-8' writes); it is read "
        "as UTF-8",
    ),
    Code(
        "file/encoding",
        E,
        "the file is not UTF-8 and no other encoding was chosen or recognised",
    ),
    Code(
        "file/other-encoding",
        W,
        "the file is not UTF-8 and was read as Windows-1252 (recognised) or in the encoding "
        "chosen; the message shows the letters as read, to check",
    ),
    Code(
        "file/semicolon-separated",
        N,
        "the file is separated by semicolons (Excel's CSV where the decimal mark is a comma); "
        "decimal commas in the number columns are read as points",
    ),
    Code(
        "file/ambiguous-separator",
        E,
        "the header has column names between commas and between semicolons",
    ),
    Code(
        "file/unsupported-format",
        E,
        "an old Excel workbook (.xls); expected .xlsx or CSV",
    ),
    Code(
        "file/unreadable-workbook",
        E,
        "the file looks like an .xlsx workbook (a zip archive) but cannot be read as one",
    ),
    Code(
        "file/cannot-encode",
        E,
        "a cell holds a character the file's encoding (Windows-1252, or the one chosen) cannot "
        "hold; `geo edit` does not save it",
    ),
    Code("file/other-sheets", N, "the workbook has more than one sheet; the first is read"),
    Code("file/empty", E, "the file has no header and no rows"),
    Code("file/malformed-csv", E, "the CSV cannot be parsed, usually an unbalanced quote"),
    Code("header/missing-column", E, "a required column is not in the header"),
    Code("header/unknown-column", E, "a column we do not know (a hint suggests the likely one)"),
    Code("header/repeated-column", E, "a column appears twice"),
    Code("row/missing-cells", E, "a row has fewer cells than the header"),
    Code("row/extra-cells", E, "a row has more cells than the header (often an unquoted comma)"),
    Code("row/missing-field", E, "a required field is empty"),
    Code("row/duplicate-id", E, "two rows share an id"),
    Code(
        "field/shown-in-english",
        N,
        "a name or description in a page language other than English is empty; that "
        "language's pages show the English one, marked as English",
    ),
    Code("field/invalid-id", E, "the id is not a slug"),
    Code("field/invalid-kind", E, "`kind` is not one of the allowed values"),
    Code("field/invalid-status", E, "`status` is not one of the allowed values"),
    Code("field/status-on-office", E, "the office has a status (it is not a relation)"),
    Code("field/invalid-country", E, "`country` is not an ISO 3166-1 alpha-2 code"),
    Code("field/invalid-geonames-id", E, "`geonames_id` is not a positive whole number"),
    Code("field/invalid-wikidata", E, "`wikidata` is not `Q` followed by digits"),
    Code("field/invalid-year", E, "`since` is not a year"),
    Code("field/implausible-year", E, "`since` is before 1900 or after `as_of`"),
    Code("field/invalid-date", E, "`as_of` is not a `YYYY-MM-DD` date"),
    Code("field/invalid-value", E, "a value breaks its column's rule (type, pattern or range)"),
    Code("field/out-of-range", E, "a number lies outside its column's bounds"),
    Code(
        "field/control-character",
        E,
        "a field holds a control character, a lone surrogate or a Unicode noncharacter",
    ),
    Code("field/too-long", E, "a field is longer than its column allows"),
    Code(
        "coords/not-a-number",
        E,
        "`lon` or `lat` is not a number (a decimal comma gets its own hint)",
    ),
    Code("coords/not-finite", E, "`lon` or `lat` is NaN or infinite"),
    Code("coords/lat-out-of-range", E, "latitude outside -90..90"),
    Code("coords/lon-out-of-range", E, "longitude outside -180..180"),
    Code(
        "coords/swapped",
        E,
        "latitude and longitude are swapped: swapped back, the point matches its GeoNames "
        "reference",
    ),
    Code("coords/null-island", E, "the point is at (0, 0), usually a missing coordinate"),
    Code("coords/excess-precision", W, "more than 6 decimals; the layers keep 6"),
    Code("ref/unknown-geonames-id", E, "the GeoNames id is not in the offline gazetteer"),
    Code("ref/country-mismatch", E, "`country` differs from the GeoNames record's country"),
    Code(
        "ref/far-from-reference",
        E,
        "the point is farther from its GeoNames point than the tolerance "
        "(`validation.tolerance_km`, 25 km)",
    ),
    Code("office/missing", E, "no row is the office"),
    Code("office/multiple", E, "more than one row is an office"),
    Code(
        "office/outside-home-city",
        E,
        "the office is farther from the home city than `home.office_radius_km`, or in another"
        " country",
    ),
    Code("settings/unreadable", E, "the settings file is missing, a folder or cannot be read"),
    Code("settings/not-utf8", E, "the settings file is not UTF-8"),
    Code("settings/not-toml", E, "the settings file is not valid TOML"),
    Code("settings/unknown-section", E, "a section of the settings that we do not know"),
    Code("settings/unknown-key", E, "a setting that we do not know (often misspelt)"),
    Code("settings/missing", E, "a required setting is missing or empty"),
    Code("settings/wrong-type", E, "a setting has the wrong type (text, number, section)"),
    Code("settings/bad-number", E, "a number setting is not a positive finite number"),
    Code("settings/bad-text", E, "a text setting holds a control character or is too long"),
    Code("settings/bad-url", E, "a URL setting is not http or https (or relative where allowed)"),
    Code("settings/bad-email", E, "the e-mail setting is not a real address"),
    Code(
        "settings/bad-org-number",
        E,
        "`publisher.identifier` is not a Swedish organisation number (ten digits, Luhn check "
        "digit)",
    ),
    Code("settings/bad-choice", E, "a setting is not one of its allowed values"),
    Code(
        "settings/bad-wikidata",
        E,
        "`home.wikidata` is not a Wikidata item id (`Q` and digits) or a list of them",
    ),
    Code("settings/bad-tiles", E, "the tile URL is not an https template with {z}, {x} and {y}"),
    Code(
        "settings/unknown-home",
        E,
        "the home city's GeoNames id in the settings is not in the gazetteer",
    ),
    Code(
        "crosscheck/missing",
        W,
        "a relation in the table that Wikidata states in neither direction (no P190 on either "
        "item)",
    ),
    Code(
        "crosscheck/one-way",
        W,
        "a relation Wikidata states on one of the two items only (the message names which)",
    ),
    Code(
        "crosscheck/not-in-table",
        W,
        "a twinning of the home city in Wikidata that the table has no row for (the item's "
        "label and id); not reported when every statement of it has an end time",
    ),
    Code(
        "crosscheck/start-differs",
        W,
        "Wikidata's start time (P580) of a relation is not the year in `since`, or `since` is "
        "empty",
    ),
    Code(
        "crosscheck/ended",
        W,
        "a relation the table holds has an end time (P582) in Wikidata, on every statement of "
        "it on one item at least",
    ),
    Code(
        "crosscheck/no-wikidata",
        W,
        "a relation's row has no `wikidata` id (the message names the item Wikidata links to "
        "its GeoNames id, if any)",
    ),
    Code(
        "crosscheck/wikidata-mismatch",
        W,
        "a row's `wikidata` id is not the item Wikidata links to its `geonames_id` (P1566)",
    ),
    Code(
        "crosscheck/home-wikidata",
        W,
        "`home.wikidata` is not set, or lacks the item Wikidata links to the home city's "
        "GeoNames id",
    ),
    Code(
        "crosscheck/ids-unchecked",
        N,
        "the Wikidata result has no GeoNames links (variable `geonames`), so the places' ids "
        "were not checked against their GeoNames ids",
    ),
)
CODES: dict[str, Code] = {code.name: code for code in _DECLARED}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located and explained.

    Rendered as ``<where>:<line> (<id>): <what>; expected <expected>. <hint> [<code>]``. The
    severity is the registry's for `code` (an unknown code is a programming error: KeyError).
    """

    code: str
    what: str
    where: str
    line: int | None = None
    place_id: str | None = None
    field: str | None = None
    expected: str | None = None
    hint: str | None = None
    severity: Severity = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", CODES[self.code].severity)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        loc = self.where if self.line is None else f"{self.where}:{self.line}"
        return f"{loc} ({self.place_id})" if self.place_id else loc

    def __str__(self) -> str:
        return f"{self.location()}: {self.message()}"

    def message(self) -> str:
        """The problem without its location: ``<what>; expected <expected>. <hint> [<code>]``."""
        text = ""
        if self.severity is not Severity.ERROR:
            text += f"{self.severity.value}: "
        text += self.what
        if self.expected:
            text += f"; expected {self.expected}"
        text += "."
        if self.hint:
            text += f" {self.hint}"
        return f"{text} [{self.code}]"

    def to_dict(self) -> dict[str, object]:
        """For ``--json``: the fields scripts rely on."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "where": self.where,
            "line": self.line,
            "id": self.place_id,
            "field": self.field,
            "message": str(self),
        }


def markdown_codes() -> str:
    """The table of problem codes in ``data/README.md``."""
    lines = ["| code | level | meaning |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.severity.value} | {c.meaning} |" for c in _DECLARED]
    return "\n".join(lines) + "\n"
