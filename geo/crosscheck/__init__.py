"""``geo crosscheck``: the city's list against the world's, Wikidata's twinnings (P190).

The stages, each in its module: :mod:`~geo.crosscheck.query` makes the one SPARQL query from the
settings and the table; :mod:`~geo.crosscheck.service` sends it to the Wikidata Query Service (the
only network I/O), or :func:`read_result` reads a saved answer (``--from``);
:mod:`~geo.crosscheck.result` parses the answer strictly; :mod:`~geo.crosscheck.compare` finds
every difference (pure); :mod:`~geo.crosscheck.quickstatements` writes the statements that would
make Wikidata agree, for an editor to run with their own account. geo never writes to Wikidata.
:func:`crosscheck` chains them and hands every file to the one writer; the CLI prints the
:class:`Report`. docs/crosscheck.md explains the check, the query and the codes.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.codes import Problem, Severity
from geo.config import Settings
from geo.crosscheck.compare import Comparison, Home, compare, shown
from geo.crosscheck.query import ENDPOINT, build_query
from geo.crosscheck.quickstatements import quickstatements
from geo.crosscheck.result import Result, dump_result, load_result
from geo.crosscheck.service import MAX_BYTES
from geo.errors import SourceError, UsageError
from geo.schema import Kind, Place
from geo.urls import url_problem

__all__ = ["ENDPOINT", "Report", "crosscheck", "query_for", "read_result", "user_agent"]

Fetch = Callable[..., bytes]
TABLE_CODES = ("start-differs", "ended", "no-wikidata", "wikidata-mismatch")  # the table's rows


@dataclass(frozen=True)
class Report:
    """What a cross-check found and wrote."""

    comparison: Comparison
    result: Result
    table: str  # the table, as messages name it
    source: str  # where the statements came from: a file or the service
    commands: str = ""  # the QuickStatements text (empty: none to add, or not asked for)
    commands_file: str | None = None  # where they were written, as messages name it
    saved_file: str | None = None  # where the fetched answer was saved

    @property
    def problems(self) -> list[Problem]:
        return self.comparison.problems

    @property
    def differs(self) -> bool:
        return self.comparison.differs

    def lines(self) -> list[str]:
        """The report for people: a line of what was compared, one per difference, then what
        to do, for the table and for Wikidata."""
        c, r = self.comparison, self.result
        count = sum(p.severity is not Severity.NOTE for p in c.problems)
        head = (
            f"{self.table}: {c.relations} relations compared with Wikidata ({self.source}: "
            f"{len(r.twinnings)} P190 statements, {len(r.geonames)} GeoNames links): "
        )
        differences = f"{count} difference{'' if count == 1 else 's'}."
        lines = [head + (differences if count else "they agree.")]
        if self.saved_file:
            lines.append(f"Saved Wikidata's answer to {self.saved_file} (for --from).")
        lines += [str(p) for p in c.problems]
        rows = [
            f"{p.place_id} ({p.code.split('/')[1]})"
            for p in c.problems
            if p.code.split("/")[1] in TABLE_CODES and p.line is not None
        ]
        absent = [
            f"{shown(r.label(p.place_id) or p.place_id)} ({p.place_id})"
            for p in c.problems
            if p.code == "crosscheck/not-in-table" and p.place_id
        ]
        if rows or absent:
            todo = f"check {', '.join(rows)}" if rows else ""
            if absent:
                todo += ("; and " if rows else "") + f"whether to add {', '.join(absent)}"
            lines.append(f"For the table: {todo}.")
        if c.additions:
            places = ", ".join(dict.fromkeys(a.place.id for a in c.additions))
            count_lines = len(self.commands.splitlines())
            if self.commands_file:
                lines.append(
                    f"For Wikidata: {count_lines} statements for {places} in "
                    f"{self.commands_file} (QuickStatements V1, for an editor to review and run "
                    "with their own account; geo sent nothing to Wikidata)."
                )
            else:
                lines.append(
                    f"For Wikidata: {len(c.additions)} statements for {places} "
                    "(--quickstatements FILE writes them)."
                )
        elif self.commands_file:
            lines.append(f"For Wikidata: no statements to add; {self.commands_file} is empty.")
        return lines

    def to_json(self) -> list[dict[str, object]]:
        """For ``--json``: every difference, as ``geo validate --json`` gives problems."""
        return [p.to_dict() for p in self.problems]


def home_of(settings: Settings) -> Home:
    return Home(
        name=settings.home.name("en"),
        geonames_id=settings.home.geonames_id,
        items=settings.home_wikidata,
        settings_file=settings.file,
        aliases=tuple(settings.home.names.values()),
    )


def _label_languages(settings: Settings) -> tuple[str, ...]:
    """English first (the messages are English), then the pages' languages, then Wikidata's
    language-neutral labels (``mul``)."""
    return tuple(dict.fromkeys(("en", *settings.languages, "mul")))


def query_for(settings: Settings, source: Path | list[Place] | None = None) -> str:
    """The SPARQL query for this home city and table (`source`: the places, or the table to
    read them from, default the settings')."""
    if not isinstance(source, list):
        from geo import pipeline

        source = list(pipeline.load_places(settings, source).places)
    relations = [p for p in source if p.kind is not Kind.OFFICE]
    return build_query(
        settings.home_wikidata,
        settings.home.geonames_id,
        [p.wikidata for p in relations if p.wikidata],
        [p.geonames_id for p in relations],
        _label_languages(settings),
    )


def user_agent(settings: Settings) -> str:
    """A User-Agent as Wikimedia's policy asks: the tool, its version and a contact (the
    publisher's e-mail and home page from the settings, where given and ASCII)."""
    from geo import __version__

    contact = []
    if settings.publisher is not None:
        contact = [settings.publisher.homepage or "", settings.publisher.email]
    contact = [c for c in contact if c and c.isascii() and c.isprintable() and ";" not in c]
    python = f"Python-urllib/{sys.version_info.major}.{sys.version_info.minor}"
    about = "; ".join(["geo crosscheck, a city's twin towns against its own list", *contact])
    return f"geo-crosscheck/{__version__} ({about}) {python}"


def read_result(path: Path, where: str) -> Result:
    """A saved answer (``--from``): a regular file (never a device or a pipe), at most
    :data:`~geo.crosscheck.service.MAX_BYTES`, parsed strictly."""
    expected = "expected SPARQL JSON results saved from the query (docs/crosscheck.md)"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SourceError(f"{where}: file not found; {expected}.") from None
    except PermissionError:
        raise SourceError(f"{where}: cannot be read (permission denied).") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise SourceError(f"{where}: is {what}; {expected}.")
    with os.fdopen(fd, "rb") as fp:
        data = fp.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SourceError(f"{where}: larger than {MAX_BYTES // 2**20} MB; {expected}.")
    return load_result(data, where)


def _source_url(settings: Settings, given: str | None) -> str:
    url = given or (settings.publisher.base_url if settings.publisher else None)
    if url is None:
        raise UsageError(
            "--quickstatements: no source URL for the references; expected --source-url URL or "
            "`base_url` under [publisher] in the settings (where the table is published)."
        )
    problem = url_problem(url, relative=False)
    if problem:
        from geo.textrules import terminal_safe

        raise UsageError(
            f"--source-url: {terminal_safe(repr(url))} {problem}; expected an absolute http(s) "
            "URL, where the table is published."
        )
    return url


def crosscheck(
    settings: Settings,
    source: Path | None = None,
    saved: Path | None = None,
    save: Path | None = None,
    quickstatements_file: Path | None = None,
    source_url: str | None = None,
    endpoint: str = ENDPOINT,
    timeout: float = 60.0,
    fetch: Fetch | None = None,
) -> Report:
    """Compare the table (`source`, default the settings') with Wikidata: the answer saved in
    `saved`, or else fetched from `endpoint` (and written to `save`). `quickstatements_file`
    gets the statements that would make Wikidata agree."""
    from geo import pipeline
    from geo.io.write import write_files

    if saved is not None and save is not None:
        raise UsageError("--save: writes what a query fetched; expected it without --from.")
    if quickstatements_file is not None and save is not None and quickstatements_file == save:
        raise UsageError("--save and --quickstatements name the same file; expected two files.")
    url = _source_url(settings, source_url) if quickstatements_file is not None else ""
    if saved is None and (problem := url_problem(endpoint, relative=False)):
        raise UsageError(f"--endpoint: {endpoint!r} {problem}; expected an http(s) URL.")
    table = source if source is not None else settings.places
    places = list(pipeline.load_places(settings, source).places)
    if saved is not None:
        where = settings.display(saved)
        result = read_result(saved, where)
    else:
        from geo.crosscheck import service

        where = endpoint
        answer = (fetch or service.fetch)(
            query_for(settings, places), endpoint, user_agent(settings), timeout=timeout
        )
        result = load_result(answer, f"{endpoint} (its answer)")
        if save is not None:  # kept whatever the comparison finds
            write_files({save: dump_result(result)})
    comparison = compare(places, result, home_of(settings), settings.display(table))
    if not comparison.home_items:
        raise UsageError(
            f"{settings.file}: `home.wikidata` is not set, and the result links no item to the "
            f"home city's GeoNames id {settings.home.geonames_id}; expected the home city's "
            'Wikidata items, such as wikidata = ["Q25287"] under [home].'
        )
    commands = ""
    if quickstatements_file is not None:
        commands = quickstatements(comparison.additions, url)
        write_files({quickstatements_file: commands.encode("utf-8")})
    return Report(
        comparison,
        result,
        settings.display(table),
        where,
        commands,
        settings.display(quickstatements_file) if quickstatements_file is not None else None,
        settings.display(save) if save is not None else None,
    )
