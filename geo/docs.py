"""The tables of ``data/README.md`` made from the schema: the columns of a table and the
properties of a place and of a connection in the layers (``make docs`` writes them with
:func:`geo.codes.markdown_codes`; a test checks they are current). Text in, text out.
"""

from __future__ import annotations

from geo.schema import BY_NAME, Column, Need, Schema


def need_words(column: Column) -> str:
    """Which rows must fill the column, in words (the table's "required")."""
    return {
        Need.ALWAYS: "yes",
        Need.RELATION: "yes, empty for the office",
        Need.OFFICE: "for the office",
        Need.OPTIONAL: "no; the column may be left out",
    }[column.need]


def markdown_columns(of: Schema) -> str:
    """The column table of ``data/README.md`` (a table of the languages of `of`)."""
    lines = [
        "| column | type | required | allowed values | meaning | example |",
        "|---|---|---|---|---|---|",
    ]
    for c in of.columns:
        lines.append(
            f"| `{c.name}` | {c.type} | {need_words(c)} | {c.allowed} | {c.meaning} | "
            f"`{c.example}` |"
        )
    return "\n".join(lines) + "\n"


def _json_type(column: Column) -> str:
    nullable = column.need is not Need.ALWAYS
    base = {"date": "string (date)"}.get(column.type, column.type)
    return f"{base} or null" if nullable else base


def markdown_place_properties(of: Schema) -> str:
    """The table of a place's properties in the layers, for ``data/README.md``."""
    lines = ["| property | type | meaning |", "|---|---|---|"]
    for name in of.place_properties:
        c = BY_NAME[name]
        meaning = c.meaning + (" (the same as the feature id)" if name == "id" else "")
        lines.append(f"| `{name}` | {_json_type(c)} | {meaning} |")
    return "\n".join(lines) + "\n"


def markdown_connection_properties(of: Schema) -> str:
    """The table of a connection's properties in the layers, for ``data/README.md``."""
    lines = ["| property | type | meaning |", "|---|---|---|"]
    lines += [f"| `{p.name}` | {p.type} | {p.meaning} |" for p in of.connection_properties]
    return "\n".join(lines) + "\n"
