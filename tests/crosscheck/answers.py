"""Saved answers of the cross-check's query, made for the tests, in the W3C's SPARQL 1.1 JSON
results format as the Wikidata Query Service writes them (written here from the format's
specification, with the json module, never with geo's own writer).

:func:`agreeing` is the answer Wikidata would give if it agreed with the shipped table: every
relation stated on both items, its start time the table's `since`, every item linked to the
row's GeoNames id. The tests take it apart to make each difference.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import PLACES_CSV

ENTITY = "http://www.wikidata.org/entity/"
DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
VARS = ["item", "twin", "start", "end", "geonames", "itemLabel", "twinLabel"]
CITY, MUNICIPALITY = "Q25287", "Q52502"  # geo.toml's [home] wikidata
HOME_GEONAMES = "2711537"


def relations() -> list[dict[str, str]]:
    """The shipped table's rows that are relations (not the office), read with the csv module."""
    with PLACES_CSV.open(encoding="utf-8", newline="") as fp:
        return [row for row in csv.DictReader(fp) if row["kind"] != "office"]


def uri(qid: str) -> dict[str, str]:
    return {"type": "uri", "value": ENTITY + qid}


def time(year: int, month: int = 1, day: int = 1) -> dict[str, str]:
    value = f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"
    return {"datatype": DATETIME, "type": "literal", "value": value}


def label(text: str) -> dict[str, str]:
    return {"xml:lang": "en", "type": "literal", "value": text}


@dataclass
class Answer:
    """An answer to build: P190 statements, GeoNames links, labels."""

    twinnings: list[dict] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    variables: list[str] = field(default_factory=lambda: list(VARS))

    def state(self, item: str, twin: str, start=None, end=None) -> Answer:
        row = {"item": uri(item), "twin": uri(twin)}
        if start is not None:
            row["start"] = start if isinstance(start, dict) else time(start)
        if end is not None:
            row["end"] = end if isinstance(end, dict) else time(end)
        self.twinnings.append(row)
        return self

    def drop(self, item: str, twin: str) -> Answer:
        self.twinnings = [
            r
            for r in self.twinnings
            if (r["item"]["value"], r["twin"]["value"]) != (ENTITY + item, ENTITY + twin)
        ]
        return self

    def document(self) -> dict:
        rows = []
        for r in self.twinnings:
            row = dict(r)
            for var, key in (("itemLabel", "item"), ("twinLabel", "twin")):
                qid = r[key]["value"].removeprefix(ENTITY)
                if qid in self.labels:
                    row[var] = label(self.labels[qid])
            rows.append(row)
        for item, geonames in self.links:
            row = {"item": uri(item), "geonames": {"type": "literal", "value": geonames}}
            if item in self.labels:
                row["itemLabel"] = label(self.labels[item])
            rows.append(row)
        return {"head": {"vars": self.variables}, "results": {"bindings": rows}}

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(self.document(), ensure_ascii=False, indent=1), "utf-8")
        return path


def agreeing() -> Answer:
    answer = Answer(labels={CITY: "Gothenburg", MUNICIPALITY: "Gothenburg Municipality"})
    answer.links.append((CITY, HOME_GEONAMES))
    for row in relations():
        qid, since = row["wikidata"], int(row["since"]) if row["since"] else None
        answer.state(CITY, qid, since).state(qid, CITY, since)
        answer.links.append((qid, row["geonames_id"]))
        answer.labels[qid] = row["name_en"]
    return answer


def item_of(place_id: str) -> str:
    return next(r["wikidata"] for r in relations() if r["id"] == place_id)
