"""Stage 6b, changes: two versions of the places in, what changed between them out.

A version is a set of *records*: one per place, keyed by id, holding every published field
(the CSV columns, a name and a description per language among them) with ``lon``/``lat`` as
published (6 decimals). Records come from validated
places or from a published ``all.geojson``, so a table and a published folder compare alike.

:func:`diff` lists the places added and removed and, field by field, what changed; places whose
status changed come first, and within a place the status comes first. :func:`entry` turns a diff
into one dated entry of the change log (dated by the data's ``as_of``, never the clock), and
:func:`render_changelog` / :func:`render_diff` make the readable texts. No I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.layers import Feature, place_feature
from geo.schema import EVERY, Place, Schema, filled_languages, schema
from geo.text import FALLBACK

Record = dict[str, Any]
# Every field a record may hold, in the order changes list them (any language's name included).
FIELDS: tuple[str, ...] = tuple(c for c in EVERY.names if c != "id")
NAMES: tuple[str, ...] = tuple(
    c.name for c in EVERY.columns if c.name.startswith("name_") and c.language
)
FIRST = "status"  # status changes matter most to readers: they come first
# A place added or removed is summed up by its names (in English and each language it has).
SUMMARY_FIELDS = ("country", "kind", "status")


@dataclass(frozen=True)
class FieldChange:
    """One field of one place, before and after."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PlaceChange:
    """Every changed field of one place, status first."""

    id: str
    name: str  # in English, the language of the change log (``name_en`` in changes.json)
    fields: tuple[FieldChange, ...]

    @property
    def status_changed(self) -> bool:
        return any(f.field == FIRST for f in self.fields)


@dataclass(frozen=True)
class Changes:
    """What differs from one version to the next."""

    added: tuple[Record, ...]
    removed: tuple[Record, ...]
    changed: tuple[PlaceChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: added/removed as short summaries, changed with every field."""
        return {
            "added": [_summary(r) for r in self.added],
            "removed": [_summary(r) for r in self.removed],
            "changed": [
                {
                    "id": c.id,
                    f"name_{FALLBACK}": c.name,
                    "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
                }
                for c in self.changed
            ],
        }


def _summary(record: Record) -> dict[str, Any]:
    names = [n for n in NAMES if n in record and n != f"name_{FALLBACK}"]
    fields = (f"name_{FALLBACK}", *names, *SUMMARY_FIELDS)
    return {"id": record["id"], **{k: record.get(k) for k in fields}}


def record_from_feature(feature: Feature) -> Record:
    """A place's record from its published Point feature."""
    properties = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"][:2]
    record: Record = {"id": str(feature.get("id", properties.get("id")))}
    for name in FIELDS:  # (the languages' names and descriptions the feature has)
        if name in ("lon", "lat") or name in properties or not EVERY.by_name[name].language:
            record[name] = {"lon": lon, "lat": lat}.get(name, properties.get(name))
    return record


def records_from_features(features: Iterable[Feature]) -> dict[str, Record]:
    """Records of every place (Point feature) in a FeatureCollection's features, by id."""
    records = (record_from_feature(f) for f in features if f["geometry"]["type"] == "Point")
    return {r["id"]: r for r in records}


def records_from_places(places: Iterable[Place], of: Schema | None = None) -> dict[str, Record]:
    """Records of validated places, exactly as they would be published with the schema `of`
    (by default that of the languages the places fill)."""
    places = list(places)
    of = of if of is not None else schema(filled_languages(places))
    return records_from_features(place_feature(p, of) for p in places)


def _field_order(name: str) -> tuple[int, int]:
    return (0 if name == FIRST else 1, FIELDS.index(name) if name in FIELDS else len(FIELDS))


def diff(old: Mapping[str, Record], new: Mapping[str, Record]) -> Changes:
    """Places added, removed and changed from `old` to `new` (both keyed by id)."""
    added = tuple(new[i] for i in sorted(new.keys() - old.keys()))
    removed = tuple(old[i] for i in sorted(old.keys() - new.keys()))
    changed = []
    for place_id in sorted(old.keys() & new.keys()):
        before, after = old[place_id], new[place_id]
        names = sorted((before.keys() | after.keys()) - {"id"}, key=_field_order)
        fields = tuple(
            FieldChange(n, before.get(n), after.get(n))
            for n in names
            if before.get(n) != after.get(n)
        )
        if fields:
            name = str(after.get(f"name_{FALLBACK}") or place_id)
            changed.append(PlaceChange(place_id, name, fields))
    changed.sort(key=lambda c: (not c.status_changed, c.id))
    return Changes(added, removed, tuple(changed))


def data_date(records: Mapping[str, Record]) -> str | None:
    """The data's date: the latest ``as_of`` (YYYY-MM-DD sorts as text)."""
    dates = [str(r["as_of"]) for r in records.values() if r.get("as_of")]
    return max(dates) if dates else None


def entry(changes: Changes, date: str, first: bool = False) -> dict[str, Any]:
    """One change-log entry, dated `date` (the data's as_of); `first` marks the first one."""
    return {"date": date, "first_publication": first, **changes.to_dict()}


def _value(value: Any) -> str:
    return "(empty)" if value is None or value == "" else str(value)


def _md(text: Any) -> str:
    """Escape text from the data for Markdown: no markup, links or HTML can come from it."""
    out = _value(text)
    for char in "\\`*_[]<>#!|~&":
        out = out.replace(char, "\\" + char)
    return " ".join(out.split())


def _label(summary: Mapping[str, Any], escape: Callable[[Any], str] = str) -> str:
    parts = [summary.get("country"), summary.get("kind"), summary.get("status")]
    extra = ", ".join(escape(p) for p in parts if p)
    return f"{escape(summary.get('name_en') or summary['id'])} ({escape(summary['id'])}; {extra})"


def render_diff(changes: Changes) -> str:
    """Plain text for the terminal: a count line, then one line per place or field."""
    lines = [
        f"{len(changes.added)} added, {len(changes.removed)} removed, "
        f"{len(changes.changed)} changed"
    ]
    lines += [f"+ {_label(_summary(r))}" for r in changes.added]
    lines += [f"- {_label(_summary(r))}" for r in changes.removed]
    for change in changes.changed:
        for f in change.fields:
            lines.append(f"~ {change.id}: {f.field}: {_value(f.old)} -> {_value(f.new)}")
    return "\n".join(lines) + "\n"


def render_changelog(entries: Sequence[Mapping[str, Any]], title: str) -> str:
    """``CHANGELOG.md``: every entry, newest first, every value from the data escaped."""
    lines = [f"# {_md(title)}", "", "Changes to the published data, newest first.", ""]
    for item in entries:
        heading = item["date"] + (" (first publication)" if item.get("first_publication") else "")
        lines += [f"## {heading}", ""]
        if item.get("first_publication"):
            lines.append(f"First publication: {len(item['added'])} places.")
        else:
            for summary in item["added"]:
                lines.append(f"- Added: {_label(summary, _md)}")
            for summary in item["removed"]:
                lines.append(f"- Removed: {_label(summary, _md)}")
            for change in item["changed"]:
                for f in change["fields"]:
                    lines.append(
                        f"- Changed {_md(change['id'])} ({_md(change['name_en'])}): "
                        f"`{f['field']}` {_md(f['old'])} → {_md(f['new'])}"
                    )
        lines.append("")
    return "\n".join(lines)
