"""The editor's form (geo.editor.fields): made from the schema, as data/README.md's table is."""

from __future__ import annotations

import pytest

from geo.config import DEFAULT_LANGUAGES
from geo.editor import fields
from geo.errors import UsageError
from geo.schema import schema
from tests.support import ROOT

SCHEMA = schema(DEFAULT_LANGUAGES)  # Göteborg's: Swedish and English
COLUMN_NAMES = SCHEMA.names

README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
TABLE = README.split("<!-- generated: columns -->")[1].split("<!-- end: columns -->")[0]


def readme_row(name):
    (line,) = [ln for ln in TABLE.splitlines() if ln.startswith(f"| `{name}` |")]
    cells = [c.strip() for c in line.strip("|").split(" | ")]
    return dict(
        zip(["column", "type", "required", "allowed", "meaning", "example"], cells, strict=True)
    )


@pytest.mark.parametrize("lang", DEFAULT_LANGUAGES)
def test_every_column_is_a_field_labelled_by_its_label(lang):
    form = fields.fields(lang, SCHEMA)
    assert [f.name for f in form] == list(COLUMN_NAMES)
    assert [f.label for f in form] == [c.label(lang) for c in SCHEMA.columns]


@pytest.mark.parametrize("name", COLUMN_NAMES)
def test_each_fields_help_says_what_data_readme_says(name):
    (field,) = [f for f in fields.fields("en", SCHEMA) if f.name == name]
    help_text = "".join(f"`{t}`" if code else t for t, code in field.help)
    row = readme_row(name)
    assert row["meaning"][:1].upper() + row["meaning"][1:] + "." in help_text
    assert f"Allowed: {row['allowed']}." in help_text
    assert f"Required: {row['required']}." in help_text
    assert f"Example: {row['example']}." in help_text


def test_choices_are_values_with_the_words_of_the_page():
    status = {f.name: f for f in fields.fields("sv", SCHEMA)}["status"]
    assert status.control == "select"
    assert status.options == (("active", "aktiv"), ("dormant", "vilande"))
    kind = {f.name: f for f in fields.fields("en", SCHEMA)}["kind"]
    assert dict(kind.options)["friendship_town"] == "friendship town"


def test_multiline_columns_are_text_areas():
    controls = {f.name: f.control for f in fields.fields("en", SCHEMA)}
    assert controls["description_sv"] == "textarea" and controls["name_sv"] == "input"


def test_a_filled_optional_column_joins_the_header_in_the_schemas_order():
    header = ("id", "kind", "status", "name_sv", "as_of")
    assert fields.header_for(header, [{"id": "a"}], SCHEMA) == header
    assert fields.header_for(header, [{"since": "1999"}, {"phone": "1"}], SCHEMA) == (
        "id", "kind", "status", "name_sv", "since", "as_of", "phone"
    )  # fmt: skip


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {"cells": {}},
        [{"cells": "x"}],
        [{"cells": {"id": 1}}],
        [{"cells": {"unknown": "x"}}],
        [{"key": 5, "cells": {}}],
        [{"cells": {"id": "x" * (fields.MAX_CELL + 1)}}],
    ],
)
def test_what_the_page_sends_must_be_rows_of_text(payload):
    with pytest.raises(UsageError):
        fields.rows_from_json(payload, ("id",), SCHEMA)


def test_rows_from_the_page_get_every_column_of_the_file():
    (row,) = fields.rows_from_json([{"key": "a", "cells": {"id": "a"}}], ("id", "kind"), SCHEMA)
    assert row == {"key": "a", "cells": {"id": "a", "kind": ""}}
