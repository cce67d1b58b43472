"""Write the generated tables of data/README.md from the code: `make docs`.

The tables of columns, of the layers' properties and of problem codes are made from
`geo.docs` and `geo.codes`, so the docs cannot drift from what the code does; each sits between
`<!-- generated: NAME -->` and `<!-- end: NAME -->`. tests/test_docs.py fails when the file is
not what this script would write.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from geo import codes, docs, schema
from geo.config import DEFAULT_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
DATA_README = ROOT / "data" / "README.md"
DEFAULT = schema.schema(DEFAULT_LANGUAGES)  # the docs show a table in the default languages
SECTIONS: dict[str, Callable[[], str]] = {
    "columns": lambda: docs.markdown_columns(DEFAULT),
    "place-properties": lambda: docs.markdown_place_properties(DEFAULT),
    "connection-properties": lambda: docs.markdown_connection_properties(DEFAULT),
    "codes": codes.markdown_codes,
}


def generated(text: str) -> str:
    """`text` with every generated section replaced by what the code says now."""
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)", re.DOTALL)
        if not pattern.search(text):
            raise SystemExit(f"{DATA_README}: no section `{name}`; add its two markers.")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(2), text)
    return text


def main() -> int:
    old = DATA_README.read_text(encoding="utf-8")
    new = generated(old)
    if new != old:
        DATA_README.write_text(new, encoding="utf-8")
        print(f"{DATA_README.relative_to(ROOT)}: tables written")
    else:
        print(f"{DATA_README.relative_to(ROOT)}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
