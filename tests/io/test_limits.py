"""Input limits (issue 21, item 3): only regular files are read as tables or settings, at once
and without blocking on a named pipe; a size limit and a cell limit, each refused by name
before the file is read whole; and the memory validation takes, against the file's size."""

from __future__ import annotations

import os
import socket
import tracemalloc

import pytest
from click.testing import CliRunner

from benchmarks.synthetic import synthetic_table
from geo import gazetteer, pipeline, validate
from geo.cli import cli
from geo.config import read_settings
from geo.errors import NotAFileError, SourceError
from geo.io.spreadsheet import CELL_LIMIT
from geo.io.table import LINE_LIMIT, load_table, read_table
from geo.schema import EVERY
from tests.support import PLACES_CSV, make_project, within

HEADER = ",".join(EVERY.names)


def _special(tmp_path, kind):
    path = tmp_path / "places.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
    else:
        path.symlink_to(kind)  # a device, through a link as a table path would be given
    return path


WORDS = {
    "fifo": "a named pipe (FIFO)",
    "folder": "a folder",
    "socket": "a socket",
    "/dev/zero": "a character device",
    "/dev/urandom": "a character device",
}


@pytest.mark.parametrize("kind", list(WORDS))
def test_only_a_regular_file_is_read_as_the_table(tmp_path, kind):
    path = _special(tmp_path, kind)
    raised = within(lambda: read_table(path, "data/places.csv"))
    assert isinstance(raised, NotAFileError), raised
    assert str(raised).startswith(f"data/places.csv: is {WORDS[kind]}; expected the curated table")
    assert raised.exit_status == 2


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_geo_validate_refuses_a_named_pipe_or_a_device_at_once(tmp_path, monkeypatch, kind):
    make_project(tmp_path)
    (tmp_path / "data" / "places.csv").unlink()
    _special(tmp_path / "data", kind)
    monkeypatch.chdir(tmp_path)
    result = within(lambda: CliRunner().invoke(cli, ["validate"]))
    assert result.exit_code == 2, result.output
    assert f"data/places.csv: is {WORDS[kind]}; expected the curated table" in result.output


@pytest.mark.parametrize("kind", ["fifo", "folder", "/dev/zero"])
def test_only_a_regular_file_is_read_as_settings(tmp_path, kind):
    path = tmp_path / "geo.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(kind)
    result = within(lambda: CliRunner().invoke(cli, ["validate", "--config", str(path)]))
    assert result.exit_code == 2, result.output
    assert f"is {WORDS[kind]}; expected a TOML file such as geo.toml" in result.output
    assert "[settings/unreadable]" in result.output


def test_a_table_over_the_size_limit_is_refused_naming_the_setting(tmp_path, monkeypatch):
    settings_text = (make_project(tmp_path).root / "geo.toml").read_text(encoding="utf-8")
    (tmp_path / "geo.toml").write_text(
        settings_text.replace("[source]\n", "[source]\nmax_megabytes = 0.004\n"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2, result.output
    assert (
        "data/places.csv: is 0.0 MB; expected the curated table (a CSV or .xlsx file) of at "
        in (result.output)
    )
    assert "`max_megabytes` in the [source] settings" in result.output
    assert read_settings(tmp_path / "geo.toml").max_megabytes == 0.004


def test_the_default_size_limit_suits_a_million_places():
    per_place = len(synthetic_table(1000)) / 1001
    assert read_settings(PLACES_CSV.parent.parent / "geo.toml").max_megabytes * 2**20 > (
        1_000_000 * per_place
    )


@pytest.mark.parametrize("value", ["0", "-5", "nan", '"big"'])
def test_a_bad_size_limit_is_a_settings_error(tmp_path, value):
    text = (PLACES_CSV.parent.parent / "geo.toml").read_text(encoding="utf-8")
    path = tmp_path / "geo.toml"
    path.write_text(text.replace("[source]\n", f"[source]\nmax_megabytes = {value}\n"))
    result = CliRunner().invoke(cli, ["validate", "--config", str(path)])
    assert result.exit_code == 2
    assert "source.max_megabytes" in result.output


def test_a_cell_over_the_limit_is_refused_by_name_and_the_rest_not_read():
    row = f'kiel,partner_city,dormant,"{"x" * (CELL_LIMIT + 1)}"'
    data = f"{HEADER}\n{row}\n".encode() + b"more,rows\n" * 1000
    table = load_table(data, "t.csv")
    (problem,) = table.problems
    assert problem.code == "file/cell-too-long" and problem.line == 2
    assert "longer than 32,767 characters, the most a spreadsheet cell holds" in str(problem)
    assert len(table.rows) == 0


def test_a_cell_at_the_limit_is_read():
    row = f'kiel,partner_city,dormant,"{"x" * CELL_LIMIT}"'
    table = load_table(f"{HEADER}\n{row}\n".encode(), "t.csv")
    assert "file/cell-too-long" not in [p.code for p in table.problems]


def test_a_line_without_end_is_not_read_whole():
    """One line of more than LINE_LIMIT characters: refused when that much is read."""
    data = f"{HEADER}\n".encode() + b"x" * (LINE_LIMIT + 10)
    table = load_table(data, "t.csv")
    assert [p.code for p in table.problems] == ["file/cell-too-long"]


def test_a_missing_table_is_still_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="file not found"):
        read_table(tmp_path / "none.csv")


def test_validating_takes_less_than_three_times_the_files_size(tmp_path, monkeypatch):
    """What `geo validate` holds besides the interpreter and the gazetteer: the rows (packed)
    and what the checks need, not a dict per row nor every place. Counted by tracemalloc, in
    this process (no fork): the benchmark measures the whole process (benchmarks/README.md)."""
    settings = make_project(tmp_path, synthetic_table(12_000))
    size = settings.places.stat().st_size
    monkeypatch.setattr(validate, "PARALLEL_ROWS", 10**9)
    gazetteer.lookup(frozenset(range(1, 100)))  # the gazetteer, parsed once, is not the table's
    gazetteer.country_codes()
    tracemalloc.start()
    try:
        result = pipeline.validate(settings, keep_places=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ok and sum(result.kinds.values()) == 12_001
    assert peak < 3 * size, f"{peak / size:.2f}x the file's {size:,} bytes"
