"""The corrections handed back: P190 statements for Wikidata as QuickStatements V1 commands (pure).

QuickStatements (https://www.wikidata.org/wiki/Help:QuickStatements) is the batch editor that
Wikidata's editors run with their own account; geo never writes to Wikidata itself. A V1 command
is one line of tab-separated parts: the item, the property, the value, then qualifier pairs
(``P…`` and a value) and source pairs (``S…`` and a value; the pairs of one line make one
reference). Values are item ids (``Q1297``), strings in double quotes (``"https://…"``) or
times ``+YYYY-MM-DDT00:00:00Z/P`` with the precision ``P`` (9 a year, 11 a day; a year's month and
day are ``00``). Each addition becomes (tabs between the parts)::

    Q25287 P190 Q1297 [P580 +1987-00-00T00:00:00Z/9] S854 "<URL>" S813 +2026-11-27T00:00:00Z/11

P580 (start time) from ``since`` only where the row has no ``since_note`` (a year the table
doubts is left to the editor); S854 (reference URL) is the table's published source, S813
(retrieved) the row's ``as_of``. The URL is written percent-encoded where a character could end
the string or the line (a quote, a tab, a line break, a space, a ``|``), so no value from the
settings can add a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from geo.crosscheck.compare import Addition
from geo.crosscheck.result import is_qid

TWINNED = "P190"  # twinned administrative body
START = "P580"  # start time (qualifier)
REFERENCE_URL = "S854"
RETRIEVED = "S813"
# RFC 3986's reserved and unreserved characters, and % (already-encoded octets): kept as they are.
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def time_value(year: int, month: int = 0, day: int = 0) -> str:
    """A QuickStatements time: a day (precision 11), or a year alone (precision 9)."""
    precision = 11 if day else 9
    return f"+{year:04d}-{month:02d}-{day:02d}T00:00:00Z/{precision}"


def date_value(text: str) -> str:
    """``YYYY-MM-DD`` as a QuickStatements time of day precision."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return time_value(*(int(g) for g in match.groups()))


def string_value(url: str) -> str:
    """A URL as a QuickStatements string: in double quotes, percent-encoded so that nothing in
    it can end the string, the part or the line."""
    encoded = quote(url, safe=_URL_SAFE)
    return f'"{encoded}"'


def command(addition: Addition, source_url: str) -> str:
    """One V1 command: the P190 statement with its start time (if sure) and its reference."""
    place = addition.place
    for qid in (addition.item, addition.twin):
        if not is_qid(qid):
            raise ValueError(f"not a Wikidata item id: {qid!r}")
    parts = [addition.item, TWINNED, addition.twin]
    if place.since is not None and not place.since_note:
        parts += [START, time_value(place.since)]
    parts += [REFERENCE_URL, string_value(source_url), RETRIEVED, date_value(place.as_of)]
    return "\t".join(parts)


def quickstatements(additions: Iterable[Addition], source_url: str) -> str:
    """The commands for `additions`, one a line, each once, in the order given."""
    lines = dict.fromkeys(command(a, source_url) for a in additions)
    return "".join(f"{line}\n" for line in lines)
