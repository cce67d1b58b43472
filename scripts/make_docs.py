"""Write the generated tables of data/README.md and docs/publishing.md from the code: `make docs`.

The tables of columns, of the layers' properties and of problem codes are made from
`geo.docs` and `geo.codes`, the table of download formats from the registry
`geo.publication.formats`, so the docs cannot drift from what the code does; each sits between
`<!-- generated: NAME -->` and `<!-- end: NAME -->`. tests/test_docs.py and
tests/publication/test_formats.py fail when a file is not what this script would write.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from geo import codes, docs, schema
from geo.config import DEFAULT_LANGUAGES
from geo.publication import formats

ROOT = Path(__file__).resolve().parent.parent
DATA_README = ROOT / "data" / "README.md"
DEFAULT = schema.schema(DEFAULT_LANGUAGES)  # the docs show a table in the default languages
SECTIONS: dict[str, Callable[[], str]] = {
    "columns": lambda: docs.markdown_columns(DEFAULT),
    "place-properties": lambda: docs.markdown_place_properties(DEFAULT),
    "connection-properties": lambda: docs.markdown_connection_properties(DEFAULT),
    "codes": codes.markdown_codes,
}
PUBLISHING = ROOT / "docs" / "publishing.md"
PUBLISHING_SECTIONS: dict[str, Callable[[], str]] = {"formats": formats.markdown_formats}


def generated(text: str, sections: dict[str, Callable[[], str]] = SECTIONS) -> str:
    """`text` with every generated section replaced by what the code says now."""
    for name, make in sections.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)", re.DOTALL)
        if not pattern.search(text):
            raise SystemExit(f"{DATA_README}: no section `{name}`; add its two markers.")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(2), text)
    return text


def main() -> int:
    for path, sections in ((DATA_README, SECTIONS), (PUBLISHING, PUBLISHING_SECTIONS)):
        old = path.read_text(encoding="utf-8")
        new = generated(old, sections)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: tables written")
        else:
            print(f"{path.relative_to(ROOT)}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
