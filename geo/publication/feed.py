"""Stage 6b, ``changes.atom``: the change log as an Atom feed (RFC 4287), for feed readers.

One entry per publication that changed something (the entries of ``changes.json``, newest
first). Ids are stable URNs: the feed's is the dataset's identifier, an entry's is made from it,
the entry's date and its number counted from the first publication, so an entry keeps its id
in every later feed and readers never show it twice. Times are the data's dates (``as_of``) at
midnight UTC, never the clock. The XML is built with ElementTree, which escapes every text and
attribute. Pure: bytes out.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from geo.config import Publisher
from geo.publication.dataset import CC0_URL, Dataset
from geo.text import FALLBACK

FEED = "changes.atom"
ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
LANDING = "index.html"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def entry_id(data: Dataset, number: int, date: str) -> str:
    """The stable id of the `number`-th entry (1 = the first publication), dated `date`."""
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(data.identifier), f'change-{number}-{date}')}"


def _time(date: str) -> str:
    return f"{date}T00:00:00Z"


def _name(summary: Mapping[str, Any]) -> str:
    return str(summary.get("name_en") or summary.get("id"))


def summary_lines(item: Mapping[str, Any]) -> list[str]:
    """What one change-log entry says, a line per place or changed place."""
    if item.get("first_publication"):
        return [f"First publication: {len(item.get('added', []))} places."]
    lines = [f"Added: {_name(s)}" for s in item.get("added", [])]
    lines += [f"Removed: {_name(s)}" for s in item.get("removed", [])]
    for change in item.get("changed", []):
        fields = ", ".join(str(f.get("field")) for f in change.get("fields", []))
        lines.append(f"Changed: {_name(change)} ({fields})")
    return lines


def render_feed(data: Dataset, entries: Sequence[Mapping[str, Any]], publisher: Publisher) -> bytes:
    """``changes.atom``: every change-log entry (newest first) as UTF-8 Atom XML."""
    ET.register_namespace("", ATOM)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element(f"{{{ATOM}}}feed", {xml_lang: FALLBACK})  # the feed is in English
    _el(root, "id", f"urn:uuid:{data.identifier}")
    _el(root, "title", f"{data.title[FALLBACK]}: changes")
    _el(root, "subtitle", data.description[FALLBACK])
    _el(root, "updated", _time(max((e["date"] for e in entries), default=data.modified)))
    author = _el(root, "author")
    _el(author, "name", publisher.name)
    _el(author, "email", publisher.email)
    _el(root, "link", rel="self", type=MEDIA_TYPE, href=data.base_url + FEED)
    _el(root, "link", rel="alternate", type="text/html", href=data.base_url)
    _el(root, "rights", f"CC0 1.0 ({CC0_URL})")
    for number, item in zip(range(len(entries), 0, -1), entries, strict=True):
        entry = _el(root, "entry")
        lines = summary_lines(item) or ["No change to the places."]
        headline = lines[0] if len(lines) == 1 else f"{len(lines)} changes"
        _el(entry, "id", entry_id(data, number, item["date"]))
        _el(entry, "title", f"{item['date']}: {headline}")
        _el(entry, "updated", _time(item["date"]))
        changelog = data.base_url + "CHANGELOG.md"
        _el(entry, "link", rel="alternate", type="text/markdown", href=changelog)
        _el(entry, "content", "\n".join(lines), type="text")
    ET.indent(root, space="  ")
    declaration = '<?xml version="1.0" encoding="utf-8"?>\n'
    return (declaration + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
