"""The cross-check proper: the table's relations against Wikidata's P190 statements (pure).

Takes the validated places, the home city (its name, its GeoNames id, its items from ``[home]
wikidata``) and a :class:`~geo.crosscheck.result.Result`; gives every difference as a
:class:`~geo.codes.Problem` with a ``crosscheck/`` code, and the P190 statements that would
make Wikidata agree with the table (:class:`Addition`, for QuickStatements).

A relation (a row that is not the office) is *stated* in Wikidata when a P190 statement on one of
the home city's items names the place's item, or one on the place's item names a home item; both
directions are expected (Wikidata keeps twinnings on both items). The home city's items are those
of the settings and the item Wikidata links to the home city's GeoNames id (P1566), so a check
runs even before ``[home] wikidata`` is set. A place's item is its ``wikidata`` id; a row
without one is compared through the item its GeoNames id links to, if exactly one does.
A relation is *ended* when every statement of it on one of its items has an end time; a twinning
of the home city that the table lacks is reported unless every statement of it has one (Wikidata
agrees it is over).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from geo.codes import Problem, Severity
from geo.crosscheck.result import Result, Twinning, qid_key
from geo.schema import Kind, Place
from geo.textrules import fold

LABEL_SHOWN = 80  # characters of a label in a message


@dataclass(frozen=True)
class Home:
    """The home city as the check sees it."""

    name: str
    geonames_id: int
    items: tuple[str, ...] = ()  # [home] wikidata, the first being where additions go
    settings_file: str = "geo.toml"
    aliases: tuple[str, ...] = ()  # its other names (Göteborg), to recognise an item's label


@dataclass(frozen=True)
class Addition:
    """A P190 statement Wikidata lacks: on `item`, naming `twin`, for the table's `place`."""

    item: str
    twin: str
    place: Place


@dataclass
class Comparison:
    """Every difference, and what would make Wikidata agree with the table."""

    problems: list[Problem] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    home_items: tuple[str, ...] = ()  # the items taken as the home city's
    relations: int = 0  # rows compared (every row but the office)

    @property
    def differs(self) -> bool:
        return any(p.severity is not Severity.NOTE for p in self.problems)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(label: str) -> str:
    """A label from Wikidata as a message shows it: on one line (control characters and line
    breaks as ``\\u`` escapes; the terminal's escaping does the rest), and not too long."""
    text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", label)
    return text if len(text) <= LABEL_SHOWN else text[: LABEL_SHOWN - 1] + "…"


def _ids(qids: Iterable[str]) -> str:
    return ", ".join(sorted(set(qids), key=qid_key))


class _Check:
    def __init__(self, places: Sequence[Place], result: Result, home: Home, where: str) -> None:
        self.result, self.home, self.where = result, home, where
        self.relations = [p for p in places if p.kind is not Kind.OFFICE]
        self.items_of: dict[str, set[str]] = defaultdict(set)  # GeoNames id: items
        self.geonames_of: dict[str, set[str]] = defaultdict(set)  # item: GeoNames ids
        for item, geonames in result.geonames:
            self.items_of[geonames].add(item)
            self.geonames_of[item].add(geonames)
        linked = sorted(self.items_of.get(str(home.geonames_id), set()) - set(home.items))
        self.home_items = (*home.items, *sorted(linked, key=qid_key))
        self.out = Comparison(home_items=self.home_items, relations=len(self.relations))

    def name(self, qid: str) -> str:
        label = self.result.label(qid)
        return f"{shown(label)} ({qid})" if label and label != qid else qid

    def home_name(self) -> str:
        return f"{self.home.name} ({_ids(self.home_items)})"

    def add(self, code: str, place: Place | None, what: str, expected: str, hint: str) -> None:
        where, line, pid = (self.where, place.line, place.id) if place else ("Wikidata", None, None)
        self.out.problems.append(Problem(code, what, where, line, pid, None, expected, hint))

    # --- the settings and the ids ------------------------------------------------------------

    def check_home(self) -> None:
        linked = self.items_of.get(str(self.home.geonames_id), set())
        if not self.result.has_geonames or not linked or linked & set(self.home.items):
            return
        items = ", ".join(f'"{q}"' for q in (*self.home.items, *sorted(linked, key=qid_key)))
        state = f"lists {_ids(self.home.items)}, not" if self.home.items else "is not set; it lacks"
        self.out.problems.append(
            Problem(
                "crosscheck/home-wikidata",
                f"`home.wikidata` {state} {', '.join(self.name(q) for q in sorted(linked))}, "
                f"the item Wikidata links to the home city's GeoNames id "
                f"{self.home.geonames_id}; it was used in this check too",
                self.home.settings_file,
                field="home.wikidata",
                expected="the home city's items, its municipality's too if twinnings are kept "
                "there",
                hint=f"Set wikidata = [{items}] under [home].",
            )
        )

    def item_of(self, place: Place) -> str | None:
        """The place's item (its `wikidata`, else its GeoNames id's only item), after checking
        the id against the GeoNames links."""
        linked = self.items_of.get(str(place.geonames_id), set())
        if place.wikidata is None:
            found = ", ".join(self.name(q) for q in sorted(linked, key=qid_key))
            self.add(
                "crosscheck/no-wikidata",
                place,
                "`wikidata` is empty"
                + (
                    f"; Wikidata links GeoNames {place.geonames_id} to {found}"
                    if linked
                    else f", and no item in the result has GeoNames {place.geonames_id}"
                ),
                "the place's Wikidata item",
                (
                    "Put the item in `wikidata` if it is this place (it was used in this check)."
                    if len(linked) == 1
                    else "Find the place's item on wikidata.org and put its id in `wikidata`."
                ),
            )
            return next(iter(linked)) if len(linked) == 1 else None
        own = self.geonames_of.get(place.wikidata, set())
        if linked and place.wikidata not in linked:
            what = (
                f"`wikidata` is {place.wikidata}, but Wikidata links GeoNames "
                f"{place.geonames_id} to {', '.join(self.name(q) for q in sorted(linked))}"
            )
        elif own and str(place.geonames_id) not in own:
            what = (
                f"`wikidata` {self.name(place.wikidata)} has GeoNames "
                f"{', '.join(sorted(own, key=int))} in Wikidata (P1566), not the row's "
                f"{place.geonames_id}"
            )
        else:
            return place.wikidata
        self.add(
            "crosscheck/wikidata-mismatch",
            place,
            what,
            "the item of the row's GeoNames id",
            "Check which is right: the row's `wikidata` or `geonames_id`, or Wikidata's "
            "GeoNames id (no statements are suggested for this row).",
        )
        return place.wikidata

    # --- the relations -----------------------------------------------------------------------

    def compare(self) -> Comparison:
        self.check_home()
        if not self.result.has_geonames:
            self.out.problems.append(
                Problem(
                    "crosscheck/ids-unchecked",
                    "the result has no GeoNames links (the variable `geonames`), so the "
                    "places' `wikidata` ids were not checked against their GeoNames ids",
                    "Wikidata",
                    hint="Run the query of docs/crosscheck.md as it is.",
                )
            )
        homes = set(self.home_items)
        on_home: dict[str, list[Twinning]] = defaultdict(list)  # twin: statements on home items
        naming_home: dict[str, list[Twinning]] = defaultdict(list)  # item: statements naming one
        for t in self.result.twinnings:
            if t.item in homes and t.twin not in homes:
                on_home[t.twin].append(t)
            elif t.twin in homes and t.item not in homes:
                naming_home[t.item].append(t)
        in_table: dict[str, Place] = {}
        for place in self.relations:
            before = len(self.out.problems)
            item = self.item_of(place)
            # Statements are suggested only for the table's own id, checked against GeoNames.
            checked = len(self.out.problems) == before and place.wikidata is not None
            if item is None or item in homes:
                continue
            in_table.setdefault(item, place)
            self.relation(place, item, on_home.get(item, []), naming_home.get(item, []), checked)
        for other in sorted({*on_home, *naming_home} - set(in_table), key=qid_key):
            self.not_in_table(other, on_home.get(other, []), naming_home.get(other, []))
        return self.out

    def relation(
        self,
        place: Place,
        item: str,
        forward: list[Twinning],
        backward: list[Twinning],
        checked: bool,
    ) -> None:
        place_name = f"{place.name_en} ({item})"
        expected = "P190 on both items"
        suggest = " (--quickstatements writes {})" if checked else ""
        primary = self.home_items[0] if self.home_items else None
        if not forward and not backward:
            self.add(
                "crosscheck/missing",
                place,
                f"Wikidata states no twinning of {place_name} with {self.home_name()}",
                expected,
                f"Add both statements{suggest.format('them')}.{self.other_home_hint(item)}",
            )
            if checked and primary:
                self.out.additions += [
                    Addition(primary, item, place),
                    Addition(item, primary, place),
                ]
        elif not forward or not backward:
            if forward:  # on home items only
                on = " and ".join(
                    self.name(q) for q in sorted({t.item for t in forward}, key=qid_key)
                )
                lacking, lacking_short = place_name, place.name_en
            else:
                on, lacking, lacking_short = place_name, self.home_name(), self.home.name
            self.add(
                "crosscheck/one-way",
                place,
                f"the twinning is stated on {on} only, not on {lacking}",
                expected,
                f"Add the statement on {lacking_short}{suggest.format('it')}."
                + (self.other_home_hint(item) if not forward else ""),
            )
            if checked and primary:
                self.out.additions.append(
                    Addition(primary, item, place)
                    if not forward
                    else Addition(item, primary, place)
                )
        statements = [*forward, *backward]
        self.check_times(place, statements)

    def by_value(self, pairs: Iterable[tuple[str, str]]) -> str:
        """``1990 on Gothenburg (Q25287) and Kraków (Q31487); 1988 on …``: (value, item) pairs
        grouped by value."""
        grouped: dict[str, list[str]] = defaultdict(list)
        for value, item in sorted(set(pairs)):
            grouped[value].append(item)
        return "; ".join(
            f"{value} on {' and '.join(self.name(q) for q in sorted(items, key=qid_key))}"
            for value, items in grouped.items()
        )

    def check_times(self, place: Place, statements: list[Twinning]) -> None:
        starts = [
            (str(t.start.year), t.item)
            for t in statements
            if t.start is not None and t.start.year is not None and t.start.year != place.since
        ]
        if starts:
            self.add(
                "crosscheck/start-differs",
                place,
                f"Wikidata's start time is {self.by_value(starts)}; `since` is "
                + (str(place.since) if place.since is not None else "empty"),
                "the same year",
                "Check the sources"
                + (" (`since_note` says more)" if place.since_note else "")
                + " and correct the table or Wikidata.",
            )
        # A side whose every statement has an end says the relation is over (another statement
        # without one on the same item would be a renewal).
        sides: dict[str, list[Twinning]] = defaultdict(list)
        for t in statements:
            sides[t.item].append(t)
        ends = [
            (str(t.end), t.item)
            for side in sides.values()
            if all(t.end is not None for t in side)
            for t in side
        ]
        if ends:
            self.add(
                "crosscheck/ended",
                place,
                f"Wikidata gives the twinning an end time, {self.by_value(ends)}; the table "
                f"holds it ({place.status})",
                "no end time on a relation the table holds",
                "If the city no longer holds the relation, remove the row; if it does, the end "
                "time on Wikidata may be wrong (a dormant agreement has not ended).",
            )

    def other_home_hint(self, item: str) -> str:
        """A hint when the place's item names an item that looks like the home city's but is
        not among its items (its municipality, a former item)."""
        names = {fold(n) for n in (self.home.name, *self.home.aliases)} - {""}
        found = sorted(
            {
                t.twin
                for t in self.result.twinnings
                if t.item == item
                and t.twin not in self.home_items
                and any(n in fold(self.result.label(t.twin) or "") for n in names)
            },
            key=qid_key,
        )
        if not found:
            return ""
        return (
            f" It names {', '.join(self.name(q) for q in found)}: if that is the home city's "
            "item, add it to `home.wikidata`."
        )

    def not_in_table(self, other: str, forward: list[Twinning], backward: list[Twinning]) -> None:
        statements = [*forward, *backward]
        if all(t.end is not None for t in statements):
            return  # over, in Wikidata's eyes too
        sides = "both items" if forward and backward else "only"
        if not (forward and backward):
            sides = (
                f"{self.home.name} only"
                if forward
                else f"{shown(self.result.label(other) or other)} only"
            )
        rows = [
            p.id for p in self.relations if other in self.items_of.get(str(p.geonames_id), set())
        ]
        hint = (
            "Add a row if the city holds the relation; if not, Wikidata's statement may be wrong."
        )
        if rows:
            hint = (
                f"Its GeoNames id is that of row {', '.join(rows)}: is that row's `wikidata` "
                "wrong? " + hint
            )
        self.out.problems.append(
            Problem(
                "crosscheck/not-in-table",
                f"Wikidata twins {self.home.name} with {self.name(other)}, stated on {sides}; "
                "the table has no row for it",
                "Wikidata",
                place_id=other,
                expected="a row for each relation the city holds",
                hint=hint,
            )
        )


def compare(places: Sequence[Place], result: Result, home: Home, where: str) -> Comparison:
    """Every difference between the table's relations and `result`, and the additions that would
    make Wikidata agree. `where` names the table in messages."""
    return _Check(places, result, home, where).compare()
