"""A saved or fetched answer of the cross-check's query: SPARQL 1.1 JSON results, read strictly.

The format is the W3C's *SPARQL 1.1 Query Results JSON Format* (media type
``application/sparql-results+json``): ``{"head": {"vars": [...]}, "results": {"bindings":
[...]}}``, each binding a variable name to an RDF term ``{"type": "uri" | "literal" | "bnode",
"value": ..., "datatype"?, "xml:lang"?}``. The cross-check reads these variables:

- ``item`` and ``twin`` (required): entity IRIs ``http://www.wikidata.org/entity/Q…``; a row with
  both is one P190 ("twinned administrative body") statement on ``item`` naming ``twin``;
- ``start``, ``end`` (optional): the statement's P580 and P582 qualifiers, ``xsd:dateTime``
  literals, or an IRI or blank node where Wikidata has "unknown value";
- ``geonames`` (optional): a row with ``item`` and ``geonames`` and no ``twin`` says that the item
  has that GeoNames id (P1566), a string of digits;
- ``itemLabel``, ``twinLabel`` (optional): labels, any text (escaped wherever shown).

The input is hostile: every id is checked against the exact IRI form, every time against the
``xsd:dateTime`` form, and every problem is listed at once (:class:`~geo.errors.SourceError`,
exit status 2). :func:`load_result` parses bytes; :func:`dump_result` gives the canonical bytes
that ``--save`` writes (sorted, the variables above only, so the same answer saves the same file).
No I/O here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.errors import SourceError
from geo.schema import BY_NAME
from geo.textrules import terminal_safe

MEDIA_TYPE = "application/sparql-results+json"
ENTITY = "http://www.wikidata.org/entity/"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
VARIABLES: tuple[str, ...] = ("item", "twin", "start", "end", "geonames", "itemLabel", "twinLabel")
REQUIRED: tuple[str, ...] = ("item", "twin")
QID = BY_NAME["wikidata"].regex  # the table's rule for an item id: Q and digits, no leading 0
assert QID is not None
QID_LIMIT = 13  # characters: twelve digits is far beyond any item yet
_ENTITY_IRI = re.compile(re.escape(ENTITY) + "(" + QID.pattern + ")")
_GEONAMES = re.compile(r"[1-9][0-9]{0,11}")
# xsd:dateTime: a year of at least four digits (a sign before the common era), a time, and a
# time zone as Wikidata writes it (Z) or as other engines may (+00:00, or none).
_DATETIME = re.compile(
    r"([+-]?)([0-9]{4,12})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)
LABEL_LIMIT = 400  # characters of a label kept; more is not a name
SHOWN_PROBLEMS = 20  # a broken file lists this many problems, then how many more


def is_qid(text: object) -> bool:
    """Whether `text` is a Wikidata item id: ``Q`` and digits, no leading zero, nothing else."""
    return isinstance(text, str) and len(text) <= QID_LIMIT and QID.fullmatch(text) is not None


def qid_key(qid: str) -> int:
    """Sort key of an item id: Q2 before Q10."""
    return int(qid[1:])


@dataclass(frozen=True)
class Time:
    """A P580 or P582 qualifier: an ``xsd:dateTime``, or Wikidata's "unknown value"."""

    term: str  # "literal", "uri" or "bnode"
    value: str

    @property
    def year(self) -> int | None:
        """The year (negative before the common era), or None for an unknown value."""
        if self.term != "literal":
            return None
        match = _DATETIME.fullmatch(self.value)
        assert match is not None  # checked when read
        return int(match.group(1) + match.group(2))

    def __str__(self) -> str:
        return "an unknown time" if self.year is None else str(self.year)


@dataclass(frozen=True)
class Twinning:
    """One P190 statement: on `item`, naming `twin`, with its start and end time if any."""

    item: str
    twin: str
    start: Time | None = None
    end: Time | None = None

    def sort_key(self) -> tuple[int, int, str, str]:
        return (qid_key(self.item), qid_key(self.twin), _time_key(self.start), _time_key(self.end))


def _time_key(time: Time | None) -> str:
    return "" if time is None else f"{time.term}:{time.value}"


@dataclass(frozen=True)
class Result:
    """What the query found: the P190 statements, GeoNames links and labels."""

    twinnings: tuple[Twinning, ...] = ()
    geonames: tuple[tuple[str, str], ...] = ()  # (item, GeoNames id as digits), P1566
    labels: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)  # id: (text, lang)
    has_geonames: bool = True  # the answer has the variable `geonames` (ids can be checked)

    def label(self, qid: str) -> str | None:
        found = self.labels.get(qid)
        return found[0] if found is not None else None


class _Reader:
    """Checks the terms of each binding, collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, row: int, variable: str, what: str, expected: str) -> None:
        self.problems.append(f"binding {row}: `{variable}` {what}; expected {expected}")

    def term(self, binding: Mapping[str, Any], row: int, name: str) -> Mapping[str, Any] | None:
        value = binding.get(name)
        if value is None:
            return None
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("type"), str)
            or not isinstance(value.get("value"), str)
        ):
            self.fail(row, name, f"is {_show(value)}", 'an RDF term {"type": ..., "value": ...}')
            return None
        return value

    def item(self, binding: Mapping[str, Any], row: int, name: str) -> str | None:
        term = self.term(binding, row, name)
        if term is None:
            return None
        match = _ENTITY_IRI.fullmatch(term["value"])
        if term["type"] != "uri" or match is None or not is_qid(match.group(1)):
            self.fail(row, name, f"is {_show(term['value'])}", f"an entity IRI {ENTITY}Q… (a uri)")
            return None
        return match.group(1)

    def time(self, binding: Mapping[str, Any], row: int, name: str) -> Time | None:
        term = self.term(binding, row, name)
        if term is None:
            return None
        if term["type"] in ("uri", "bnode"):  # Wikidata's "unknown value"
            return Time(term["type"], term["value"][:LABEL_LIMIT])
        if (
            term["type"] in ("literal", "typed-literal")  # typed-literal: the 2007 note's name
            and term.get("datatype") == XSD_DATETIME
            and _DATETIME.fullmatch(term["value"])
        ):
            return Time("literal", term["value"])
        self.fail(
            row,
            name,
            f"is {_show(term['value'])}",
            "an xsd:dateTime literal such as 1987-01-01T00:00:00Z",
        )
        return None

    def geonames(self, binding: Mapping[str, Any], row: int) -> str | None:
        term = self.term(binding, row, "geonames")
        if term is None:
            return None
        if term["type"] not in ("literal", "typed-literal") or not _GEONAMES.fullmatch(
            term["value"]
        ):
            self.fail(row, "geonames", f"is {_show(term['value'])}", "a GeoNames id (digits)")
            return None
        return term["value"]

    def label(self, binding: Mapping[str, Any], row: int, name: str) -> tuple[str, str | None]:
        term = self.term(binding, row, name)
        if term is None:
            return ("", None)
        if term["type"] not in ("literal", "typed-literal"):
            self.fail(row, name, f"is a {_show(term['type'])}", "a literal")
            return ("", None)
        lang = term.get("xml:lang")
        return (term["value"][:LABEL_LIMIT], lang[:35] if isinstance(lang, str) else None)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _envelope(data: bytes, where: str) -> tuple[list[str], list[Any]]:
    """The variables and bindings of a SPARQL JSON results document, or SourceError."""
    expected = (
        'expected SPARQL 1.1 JSON results ({"head": {"vars": [...]}, "results": {"bindings": '
        "[...]}}) of the query in docs/crosscheck.md"
    )
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        raise SourceError(f"{where}: byte {exc.start} is not UTF-8; {expected}.") from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        reason = "empty" if not data.strip() else f"not JSON ({reason})"
        raise SourceError(terminal_safe(f"{where}: {reason}; {expected}.")) from None
    head = document.get("head") if isinstance(document, dict) else None
    results = document.get("results") if isinstance(document, dict) else None
    variables = head.get("vars") if isinstance(head, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if (
        not isinstance(variables, list)
        or not all(isinstance(v, str) for v in variables)
        or not isinstance(bindings, list)
    ):
        if isinstance(document, dict) and "boolean" in document:
            raise SourceError(f"{where}: the answer of an ASK query; {expected}.")
        raise SourceError(f"{where}: not SPARQL results; {expected}.")
    missing = [v for v in REQUIRED if v not in variables]
    if missing:
        raise SourceError(
            terminal_safe(
                f"{where}: the variables are {', '.join(_show(v) for v in variables) or 'none'}, "
                f"without {' and '.join(missing)}; {expected}."
            )
        )
    return variables, bindings


def load_result(data: bytes, where: str) -> Result:
    """Parse a SPARQL 1.1 JSON results document into a :class:`Result`; SourceError lists every
    problem (a binding that is not what the query gives, an id or time of the wrong form)."""
    variables, bindings = _envelope(data, where)
    reader = _Reader()
    twinnings: set[Twinning] = set()
    links: set[tuple[str, str]] = set()
    labels: dict[str, tuple[str, str | None]] = {}
    for row, binding in enumerate(bindings, start=1):
        if not isinstance(binding, dict):
            reader.problems.append(f"binding {row}: is {_show(binding)}; expected an object")
            continue
        item = reader.item(binding, row, "item")
        twin = reader.item(binding, row, "twin")
        geonames = reader.geonames(binding, row)
        start, end = reader.time(binding, row, "start"), reader.time(binding, row, "end")
        item_label = reader.label(binding, row, "itemLabel")
        twin_label = reader.label(binding, row, "twinLabel")
        if "item" not in binding:
            reader.problems.append(f"binding {row}: no `item`; expected one in every binding")
        elif ("twin" in binding) == ("geonames" in binding):
            reader.problems.append(
                f"binding {row}: has {'both' if 'twin' in binding else 'neither'} `twin` and "
                "`geonames`; expected one: a P190 statement or a GeoNames link"
            )
        elif item is not None and twin is not None:
            twinnings.add(Twinning(item, twin, start, end))
        elif item is not None and geonames is not None:
            links.add((item, geonames))
        for qid, (text, lang) in ((item, item_label), (twin, twin_label)):
            if qid is not None and text and qid not in labels:
                labels[qid] = (text, lang)
    if reader.problems:
        shown = reader.problems[:SHOWN_PROBLEMS]
        more = len(reader.problems) - len(shown)
        lines = [f"{where}: {len(reader.problems)} problem(s) in the results:"]
        lines += [f"  {line}" for line in shown]
        if more:
            lines.append(f"  ... and {more} more")
        lines.append("Expected the answer of the query in docs/crosscheck.md.")
        raise SourceError(terminal_safe("\n".join(lines)))
    return Result(
        twinnings=tuple(sorted(twinnings, key=Twinning.sort_key)),
        geonames=tuple(sorted(links, key=lambda link: (qid_key(link[0]), int(link[1])))),
        labels=labels,
        has_geonames="geonames" in variables,
    )


def _uri(qid: str) -> dict[str, str]:
    return {"type": "uri", "value": ENTITY + qid}


def _time(time: Time) -> dict[str, str]:
    if time.term == "literal":
        return {"datatype": XSD_DATETIME, "type": "literal", "value": time.value}
    return {"type": time.term, "value": time.value}


def _label(result: Result, qid: str) -> dict[str, str] | None:
    found = result.labels.get(qid)
    if found is None:
        return None
    text, lang = found
    return {"type": "literal", "value": text} | ({"xml:lang": lang} if lang else {})


def _bindings(result: Result) -> Iterable[dict[str, Any]]:
    for t in result.twinnings:
        row: dict[str, Any] = {"item": _uri(t.item), "twin": _uri(t.twin)}
        if t.start is not None:
            row["start"] = _time(t.start)
        if t.end is not None:
            row["end"] = _time(t.end)
        row["itemLabel"], row["twinLabel"] = _label(result, t.item), _label(result, t.twin)
        yield {k: v for k, v in row.items() if v is not None}
    for item, geonames in result.geonames:
        row = {"item": _uri(item), "geonames": {"type": "literal", "value": geonames}}
        row["itemLabel"] = _label(result, item)
        yield {k: v for k, v in row.items() if v is not None}


def dump_result(result: Result) -> bytes:
    """`result` as SPARQL 1.1 JSON results, canonical: the same result gives the same bytes."""
    variables = [v for v in VARIABLES if v != "geonames" or result.has_geonames]
    document = {"head": {"vars": variables}, "results": {"bindings": list(_bindings(result))}}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
