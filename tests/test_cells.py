"""One cell of text in, a typed value or a problem out (geo.cells), tested cell by cell.

tests/test_validate.py runs the same rules through the whole table and the command; these call
geo.cells directly, so each rule, its boundaries and the message a person reads are pinned in
milliseconds. Expected values come from data/README.md (the columns' rules, the problem codes
and the message form `<where>:<line> (<id>): <what>; expected <rule>. <hint> [<code>]`) and
from the schema's own words for a column, never from the code under test.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest

from geo.cells import RowProblems, deg, parse_cell, parse_row, parser, text_of, word_of
from geo.codes import Severity
from geo.schema import BY_NAME, Column, Kind, Need, Status
from tests.support import SCHEMA, shipped_rows


def _row() -> RowProblems:
    return RowProblems("t.csv", 7, "kiel")


def _only(row: RowProblems) -> str:
    """The one problem of `row`, as people read it."""
    (problem,) = row.problems
    return str(problem)


# --- RowProblems and deg ------------------------------------------------------------------------


def test_a_problem_is_located_and_keeps_every_part():
    row = RowProblems("data/places.csv", 4, "kiel")
    row.add("field/too-long", "what", "name_en", "rule", "hint")
    (problem,) = row.problems
    assert (problem.code, problem.what, problem.where, problem.line, problem.place_id) == (
        "field/too-long",
        "what",
        "data/places.csv",
        4,
        "kiel",
    )
    assert (problem.field, problem.expected, problem.hint) == ("name_en", "rule", "hint")
    assert str(problem) == "data/places.csv:4 (kiel): what; expected rule. hint [field/too-long]"


def test_a_row_has_an_error_only_when_a_problem_is_an_error():
    row = _row()
    assert row.has_error is False
    row.add("coords/excess-precision", "w", "lat")  # a warning
    row.add("field/shown-in-english", "n", "name_sv")  # a note
    assert row.has_error is False
    row.add("field/too-long", "e", "name_en")
    assert row.has_error is True


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (57.7, "57.7"),
        (12.0, "12"),
        (100.0, "100"),
        (-0.5, "-0.5"),
        (11.96645, "11.96645"),
        (1.1234567, "1.123457"),  # 6 decimals, rounded
        (0.0000001, "0"),
        (154.3, "154.3"),
    ],
)
def test_deg_writes_a_coordinate_as_people_do(value, text):
    assert deg(value) == text


# --- text_of ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"name_en": "  Kiel \t"}, "Kiel"),
        ({"name_en": ""}, None),
        ({"name_en": "   "}, None),
        ({"name_en": "\u200b\u200d"}, None),  # zero-width only: empty
        ({"name_en": "\u3164"}, None),  # a Hangul filler shows nothing
        ({}, None),  # the column is not in the table
        ({"name_en": "\u200bKiel"}, "\u200bKiel"),  # shows something: kept as it is
    ],
)
def test_text_of_is_the_trimmed_text_or_none(cells, expected):
    assert text_of(cells, "name_en") == expected


# --- characters (check_characters, through parse_row) --------------------------------------------


def _cells(**changes: str) -> dict[str, str]:
    """A valid relation's cells (Kiel's in the shipped table) with `changes`."""
    _, rows = shipped_rows()
    cells = next(r for r in rows if r["id"] == "kiel")
    cells.update(changes)
    return cells


def test_a_control_character_in_a_name_is_refused_with_its_position():
    row = RowProblems("data/places.csv", 4, "kiel")
    values = parse_row(row, _cells(name_en="Kiel\x07"), SCHEMA)
    assert values["name_en"] is None
    (problem,) = row.problems
    assert (problem.code, problem.field) == ("field/control-character", "name_en")
    assert str(problem) == (
        "data/places.csv:4 (kiel): `name_en` holds U+0007 (a control character) at character 5;"
        " expected printable text on one line. Remove the invisible character (often pasted"
        " from Word). [field/control-character]"
    )


@pytest.mark.parametrize("column", ["description_en", "since_note", "source", "geonames_note"])
@pytest.mark.parametrize("breaks", ["one\ntwo", "one\r\ntwo", "one\u2028two", "a\tb", "x\u2029y"])
def test_tab_and_line_breaks_are_allowed_in_any_text(column, breaks):
    """data/README.md: tab and line breaks are allowed in the fields that say 'any text'."""
    row = _row()
    values = parse_row(row, _cells(**{column: breaks}), SCHEMA)
    assert row.problems == []
    assert values[column] == breaks


@pytest.mark.parametrize("column", ["name_en", "name_local", "phone", "id"])
def test_a_line_break_in_a_field_on_one_line_is_refused(column):
    row = _row()
    parse_row(row, _cells(**{column: "ki\u2028el"}), SCHEMA)
    (problem,) = row.problems
    assert (problem.code, problem.field) == ("field/control-character", column)
    assert f"`{column}` holds U+2028 (a line break) at character 3" in problem.what


def test_a_control_character_in_any_text_is_refused_and_said_so():
    row = _row()
    parse_row(row, _cells(description_en="ok\n\x00"), SCHEMA)
    (problem,) = row.problems
    assert (problem.code, problem.field) == ("field/control-character", "description_en")
    assert problem.what == "`description_en` holds U+0000 (a control character) at character 4"
    assert problem.expected == "printable text"  # (line breaks are fine here)


def test_a_bidirectional_control_is_refused_with_its_name_and_position():
    row = RowProblems("data/places.csv", 4, "kiel")
    values = parse_row(row, _cells(name_local="ab\u202ecd"), SCHEMA)
    assert values["name_local"] is None
    (problem,) = row.problems
    assert (problem.code, problem.field) == ("field/bidi-control", "name_local")
    assert problem.what == (
        "`name_local` holds U+202E (RIGHT-TO-LEFT OVERRIDE) at character 3, which reorders how "
        "the text is shown"
    )
    assert "Arabic and Hebrew need none" in problem.expected
    assert problem.hint == (
        "Remove the invisible control character; if it came with pasted text, type the text anew."
    )


def test_only_the_bad_cells_of_a_suspect_row_are_refused():
    row = _row()
    values = parse_row(row, _cells(name_en="Ki\x01el", description_en="fine\nstill fine"), SCHEMA)
    assert [(p.code, p.field) for p in row.problems] == [("field/control-character", "name_en")]
    assert values["description_en"] == "fine\nstill fine"
    assert values["name_local"] == "Kiel" and values["lat"] == 54.32133


# --- lengths ------------------------------------------------------------------------------------


def test_a_text_one_character_too_long_is_refused_with_its_length():
    row = _row()
    assert parse_cell(row, BY_NAME["description_en"], "d" * 2001) is None
    assert _only(row) == (
        "t.csv:7 (kiel): `description_en` is 2,001 characters long; expected at most 2,000. "
        "Shorten it; the maps and downloads show it whole. [field/too-long]"
    )


@pytest.mark.parametrize(
    ("column", "limit"),
    [("name_en", 200), ("description_en", 2000), ("phone", 50), ("id", 100), ("kind", None)],
)
def test_the_shortcut_parser_agrees_with_parse_cell_at_and_past_the_limit(column, limit):
    col = BY_NAME[column]
    texts = ["partner_city", "partner-city"] if limit is None else ["k" * (limit - 1), "k" * limit]
    texts += [] if limit is None else ["k" * (limit + 1)]
    for text in texts:
        fast, slow = _row(), _row()
        assert parser(col)(fast, text) == parse_cell(slow, col, text), text
        assert fast.problems == slow.problems, text
    if limit is not None:
        row = _row()
        assert parser(col)(row, "k" * limit) == "k" * limit and row.problems == []
        assert parser(col)(row, "k" * (limit + 1)) is None
        assert [p.code for p in row.problems] == ["field/too-long"]


def _limited_choice() -> Column:
    """A choice column whose longest value is exactly its length limit (15 characters)."""
    return Column("kind", "string", Need.ALWAYS, "m", "x", "d", enum=Kind, max_length=15)


def test_a_choice_of_exactly_the_length_limit_is_taken_and_past_it_refused():
    column = _limited_choice()  # friendship_town is 15 characters
    row = _row()
    assert parser(column)(row, "friendship_town") is Kind.FRIENDSHIP_TOWN
    assert row.problems == []
    short = Column("kind", "string", Need.ALWAYS, "m", "x", "d", enum=Kind, max_length=14)
    assert parser(short)(row, "friendship_town") is None
    assert [p.code for p in row.problems] == ["field/too-long"]


# --- choices ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        ("kind", "office", Kind.OFFICE),
        ("kind", "partner_city", Kind.PARTNER_CITY),
        ("kind", "friendship_town", Kind.FRIENDSHIP_TOWN),
        ("status", "active", Status.ACTIVE),
        ("status", "dormant", Status.DORMANT),
    ],
)
def test_every_allowed_value_is_taken_by_both_parsers(column, text, value):
    row = _row()
    assert parser(BY_NAME[column])(row, text) is value
    assert parse_cell(row, BY_NAME[column], text) is value
    assert row.problems == []


@pytest.mark.parametrize(
    ("column", "text", "hint"),
    [
        ("status", "Activ", "Did you mean `active`?"),  # close to a value, case aside
        ("status", "actve", "Did you mean `active`?"),  # the first three letters are a value's
        ("kind", "PARTNER", "Did you mean `partner_city`?"),
        ("kind", "friend", "Did you mean `friendship_town`?"),
        ("status", "zzz", None),
        (
            "status",
            "vilande",  # Swedish for dormant
            "Did you mean `dormant`? The table holds the value, not its word in a page's language.",
        ),
        (
            "kind",
            "Friendship_Town",  # the English word with an underscore, in capitals
            "Did you mean `friendship_town`? The table holds the value, not its word in a page's "
            "language.",
        ),
        (
            "kind",
            "  Partner   City ",  # the English word, spaced out
            "Did you mean `partner_city`? The table holds the value, not its word in a page's "
            "language.",
        ),
    ],
)
def test_a_value_not_allowed_is_refused_with_advice(column, text, hint):
    row = _row()
    assert parser(BY_NAME[column])(row, text) is None
    (problem,) = row.problems
    assert problem.code == f"field/invalid-{column}"
    assert problem.field == column
    assert problem.what == f"`{column}` {text!r} is not allowed"
    expected = {
        "status": "one of active, dormant",
        "kind": "one of office, partner_city, friendship_town",
    }
    assert problem.expected == expected[column]
    assert problem.hint == hint


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        ("status", "vilande", "dormant"),
        ("status", "AKTIV", "active"),
        ("status", "ruhend", "dormant"),  # German
        ("kind", "vänort", "friendship_town"),
        ("kind", "Partnerstadt", "partner_city"),
        ("kind", "partnership", None),
        ("kind", "partner city", "partner_city"),
        ("kind", "kontor", "office"),
        ("status", "sleeping", None),
    ],
)
def test_word_of_finds_the_value_a_page_word_stands_for(column, text, value):
    assert word_of(BY_NAME[column], text) == value


# --- values by type -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        (
            "country",
            "se",
            "`country` 'se' is not a country code; expected an ISO 3166-1 alpha-2 code such as SE."
            " Use two capital letters. [field/invalid-country]",
        ),
        (
            "id",
            "Kiel City",
            "`id` 'Kiel City' is not a slug; expected lower-case letters, digits and single "
            "hyphens, such as `nelson-mandela-bay`. [field/invalid-id]",
        ),
        (
            "wikidata",
            "38511",
            "`wikidata` '38511' is not an item id; expected Q followed by digits, such as Q25287."
            " [field/invalid-wikidata]",
        ),
        (
            "geonames_id",
            "0",
            "`geonames_id` '0' is not an id; expected a positive whole number such as 2711537. "
            "[field/invalid-geonames-id]",
        ),
        (
            "since",
            "1950.0",
            "`since` '1950.0' is not a year; expected a year from 1900 to the year of as_of. "
            "[field/invalid-year]",
        ),
        (
            "as_of",
            "2026-02-30",
            "`as_of` '2026-02-30' is not a date; expected YYYY-MM-DD, such as 2026-11-27. "
            "[field/invalid-date]",
        ),
        (
            "as_of",
            "20261127",  # ISO 8601's basic form, which Python's fromisoformat takes
            "`as_of` '20261127' is not a date; expected YYYY-MM-DD, such as 2026-11-27. "
            "[field/invalid-date]",
        ),
    ],
)
def test_a_value_that_breaks_its_rule_is_refused_with_the_rule(column, text, message):
    row = _row()
    assert parse_cell(row, BY_NAME[column], text) is None
    assert parser(BY_NAME[column])(_row(), text) is None
    (problem,) = row.problems
    assert problem.field == column
    assert problem.message() == message


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        ("lat", "57.7", 57.7),
        ("lat", "-90", -90.0),
        ("lon", "+180", 180.0),
        ("lon", ".5", 0.5),
        ("lon", "5.", 5.0),
        ("lat", "1.5e1", 15.0),
        ("lat", "57.123456", 57.123456),  # 6 decimals: no warning
        ("since", "1946", 1946),
        ("since", "+1946", 1946),
        ("since", "9" * 18, int("9" * 18)),  # (its range is checked by geo.validate)
        ("geonames_id", "2711537", 2711537),
        ("geonames_id", "1", 1),
        ("as_of", "2026-11-27", date(2026, 11, 27)),
        ("as_of", "2024-02-29", date(2024, 2, 29)),
        ("country", "SE", "SE"),
        ("wikidata", "Q25287", "Q25287"),
        ("id", "nelson-mandela-bay", "nelson-mandela-bay"),
    ],
)
def test_a_valid_value_is_typed(column, text, value):
    row = _row()
    assert parse_cell(row, BY_NAME[column], text) == value
    assert parser(BY_NAME[column])(row, text) == value
    assert row.problems == []


@pytest.mark.parametrize("text", ["1" * 19, "12a", "", "1 2", "0x10"])
def test_a_whole_number_of_more_than_18_digits_or_not_digits_is_refused(text):
    row = _row()
    assert parse_cell(row, BY_NAME["since"], text) is None
    assert [p.code for p in row.problems] == ["field/invalid-year"]


@pytest.mark.parametrize(
    ("text", "what"),
    [("nan", "`lat` is nan"), ("-Infinity", "`lat` is -Infinity"), ("+inf", "`lat` is +inf")],
)
def test_a_coordinate_that_is_not_finite_is_refused(text, what):
    row = _row()
    assert parse_cell(row, BY_NAME["lat"], text) is None
    (problem,) = row.problems
    assert (problem.code, problem.what, problem.expected) == (
        "coords/not-finite",
        what,
        "a finite number",
    )
    assert problem.field == "lat"


def test_a_coordinate_that_overflows_is_refused():
    row = _row()
    assert parse_cell(row, BY_NAME["lon"], "1e999") is None
    (problem,) = row.problems
    assert (problem.code, problem.what, problem.expected, problem.field) == (
        "coords/not-finite",
        "`lon` 1e999 overflows",
        "a finite number",
        "lon",
    )


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("57,7", "Use a point as the decimal separator."),
        ("-11,9", "Use a point as the decimal separator."),
        ("57.7N", None),
        ("", None),
    ],
)
def test_a_coordinate_that_is_not_a_number_says_what_is_expected(text, hint):
    row = _row()
    assert parse_cell(row, BY_NAME["lat"], text) is None
    (problem,) = row.problems
    assert (problem.code, problem.field) == ("coords/not-a-number", "lat")
    assert problem.what == f"`lat` {text!r} is not a number"
    assert problem.expected == "latitude in decimal degrees, such as 57.7"
    assert problem.hint == hint


@pytest.mark.parametrize(("text", "decimals"), [("57.1234567", 7), (".12345678", 8)])
def test_more_than_six_decimals_is_a_warning_and_the_value_is_kept(text, decimals):
    row = _row()
    assert parse_cell(row, BY_NAME["lat"], text) == float(text)
    (problem,) = row.problems
    assert problem.severity is Severity.WARNING and problem.field == "lat"
    assert problem.message() == (
        f"warning: `lat` {text} has {decimals} decimals; expected at most 6 (about 0.1 m). "
        "Round it; the layers are published with 6 decimals. [coords/excess-precision]"
    )


# A column added to the schema is parsed without new code (geo.cells' promise): a number with
# bounds, and an integer without a pattern, neither of which the shipped schema has.
SHARE = Column("share", "number", Need.OPTIONAL, "m", "0.5", "a share", minimum=0, maximum=1)
FLOOR = Column("floor", "integer", Need.OPTIONAL, "m", "3", "a floor", minimum=-3)
PERCENT = Column("pct", "number", Need.OPTIONAL, "m", "5", "a percentage", maximum=100.5)


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        (SHARE, "0", 0.0),
        (SHARE, "1", 1.0),
        (SHARE, "0.25", 0.25),
        (FLOOR, "-3", -3),
        (FLOOR, "12", 12),
        (PERCENT, "100.5", 100.5),
        (PERCENT, "-7", -7.0),
    ],
)
def test_a_number_on_its_bounds_is_taken(column, text, value):
    row = _row()
    assert parse_cell(row, column, text) == value
    assert row.problems == []


@pytest.mark.parametrize(
    ("column", "text", "value", "bounds"),
    [
        (SHARE, "1.5", "1.5", "0..1"),
        (SHARE, "-0.25", "-0.25", "0..1"),
        (FLOOR, "-4", "-4", "-3.."),
        (PERCENT, "100.75", "100.75", "..100.5"),
    ],
)
def test_a_number_past_its_bounds_is_refused_with_them(column, text, value, bounds):
    row = _row()
    assert parse_cell(row, column, text) is None
    (problem,) = row.problems
    assert (problem.code, problem.field, problem.expected) == (
        "field/out-of-range",
        column.name,
        bounds,
    )
    assert problem.what == f"`{column.name}` {value} is out of range"


def test_a_number_of_a_column_without_its_own_code_names_the_rule():
    row = _row()
    assert parse_cell(row, SHARE, "half") is None
    (problem,) = row.problems
    assert (problem.code, problem.what, problem.expected, problem.hint) == (
        "field/invalid-value",
        "`share` 'half' is not a number",
        "0..1",
        None,
    )
    assert parse_cell(row, SHARE, "inf") is None
    assert (row.problems[1].code, row.problems[1].what) == ("field/invalid-value", "`share` is inf")


def test_a_column_of_an_unknown_type_is_a_programming_error():
    column = Column("when", "datetime", Need.OPTIONAL, "m", "x", "d")
    with pytest.raises(ValueError, match=r"^when: unknown column type 'datetime'$"):
        parse_cell(_row(), column, "2026-01-01T00:00")


# --- a row --------------------------------------------------------------------------------------


def _codes(row: RowProblems) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in row.problems]


def test_every_empty_field_a_relation_needs_is_reported():
    row = _row()
    cells = _cells(status="", name_en="", country=" ", source="", description_sv="")
    values = parse_row(row, cells, SCHEMA)
    assert _codes(row) == [
        ("row/missing-field", "status"),
        ("row/missing-field", "name_en"),
        ("row/missing-field", "country"),
        ("field/shown-in-english", "description_sv"),
        ("row/missing-field", "source"),
    ]
    assert values["status"] is None and values["description_sv"] is None
    missing = row.problems[0]
    assert (missing.what, missing.expected) == ("`status` is empty", "active or dormant")
    note = row.problems[3]
    assert (note.what, note.expected, note.hint) == (
        "`description_sv` is empty",
        "a short description in Swedish",
        "Its pages show `description_en` instead, marked as English.",
    )


def test_a_relation_may_leave_the_office_fields_and_the_optional_ones_empty():
    row = _row()
    values = parse_row(
        row,
        _cells(visiting_address="", postal_address="", phone="", since="", wikidata=""),
        SCHEMA,
    )
    assert row.problems == []
    assert values["visiting_address"] is None and values["since"] is None
    assert values["kind"] is Kind.PARTNER_CITY and values["status"] is Status.DORMANT


def test_the_office_needs_its_addresses_and_no_status():
    _, rows = shipped_rows()
    office = dict(rows[0])
    assert office["kind"] == "office"
    row = _row()
    office.update(visiting_address="", postal_address="", status="active")
    values = parse_row(row, office, SCHEMA)
    assert _codes(row) == [
        ("field/status-on-office", "status"),
        ("row/missing-field", "visiting_address"),
        ("row/missing-field", "postal_address"),
    ]
    assert row.problems[0].what == "`status` is 'active' on the office"
    assert row.problems[0].expected == "empty: the office is not a relation"
    assert values["status"] is None and values["kind"] is Kind.OFFICE


def test_the_office_as_shipped_parses_without_a_problem():
    _, rows = shipped_rows()
    row = _row()
    values = parse_row(row, rows[0], SCHEMA)
    assert row.problems == []
    assert values["kind"] is Kind.OFFICE and values["status"] is None
    assert values["visiting_address"] == "Gustaf Adolfs Torg 4A, Göteborg"


@pytest.mark.parametrize("kind", ["", "twin"])
def test_a_row_without_a_valid_kind_needs_only_what_every_row_needs(kind):
    row = _row()
    parse_row(row, _cells(kind=kind, status="", visiting_address=""), SCHEMA)
    wanted = [("row/missing-field", "kind")] if not kind else [("field/invalid-kind", "kind")]
    assert _codes(row) == wanted


def test_a_missing_column_in_another_language_is_no_note():
    """A name or description column the table leaves out is not reported as empty: only a
    column the table has, and leaves empty, earns the note."""
    row = _row()
    cells = _cells()
    del cells["name_sv"], cells["description_sv"]
    values = parse_row(row, cells, SCHEMA)
    assert row.problems == []
    assert values["name_sv"] is None


def test_an_empty_optional_english_free_column_is_no_note():
    row = _row()
    parse_row(row, _cells(since_note="", geonames_note="", phone=""), SCHEMA)
    assert row.problems == []


class _Colour(StrEnum):
    RED = "red"


def test_a_choice_column_of_another_schema_is_parsed_by_its_own_values():
    column = Column("colour", "string", Need.OPTIONAL, "m", "red", "a colour", enum=_Colour)
    row = _row()
    assert parser(column)(row, "red") is _Colour.RED
    assert parser(column)(row, "blue") is None
    assert row.problems[0].what == "`colour` 'blue' is not allowed"


def test_a_suspect_row_without_the_optional_columns_is_checked_cell_by_cell():
    """A control character anywhere sends every cell through the character rules, the cells
    of columns the table leaves out too (as empty)."""
    row = _row()
    cells = _cells(name_en="Ki\x01el")
    for name in ("name_sv", "description_sv", "phone", "since", "since_note", "wikidata"):
        del cells[name]
    values = parse_row(row, cells, SCHEMA)
    assert _codes(row) == [("field/control-character", "name_en")]
    assert values["phone"] is None and values["name_local"] == "Kiel"
