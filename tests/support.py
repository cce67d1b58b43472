"""Helpers shared by the tests: the shipped table as rows, and throw-away projects in tmp_path."""

from __future__ import annotations

import csv
import io
import shutil
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from geo.config import DEFAULT_LANGUAGES, Settings, read_settings
from geo.schema import schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = schema(DEFAULT_LANGUAGES)  # the columns of a table in the default languages (sv, en)
PLACES_CSV = ROOT / "data" / "places.csv"
PACIFIC = ROOT / "tests" / "data" / "pacific"
T = TypeVar("T")


def shipped_rows() -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of the shipped Göteborg table."""
    with PLACES_CSV.open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp)
        return list(reader.fieldnames or []), list(reader)


def to_csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def make_project(tmp_path: Path, table: bytes | None = None) -> Settings:
    """A copy of the Göteborg project in `tmp_path` (settings and table), outputs inside."""
    shutil.copy(ROOT / "geo.toml", tmp_path / "geo.toml")
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "places.csv").write_bytes(
        table if table is not None else PLACES_CSV.read_bytes()
    )
    return read_settings(tmp_path / "geo.toml")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def record_forks(monkeypatch) -> list[str]:
    """From now on in this test, the work each geo.processes.forked call starts (its `what`),
    in the order they are made."""
    from geo import processes

    made: list[str] = []
    real = processes.forked

    def recording(what, call):
        made.append(what)
        return real(what, call)

    monkeypatch.setattr(processes, "forked", recording)
    return made


def within(function: Callable[[], T], seconds: float = 30.0) -> T | BaseException:
    """`function()` called in a thread: its value, or the exception it raised; the test fails
    (instead of hanging the suite) if it has not returned after `seconds`: it blocked, on a
    named pipe say."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(function())
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"blocked for {seconds:g} s (a named pipe opened or read?)"
    return outcome[0]


def rewritten_sheet(workbook: bytes, edit: Callable[[str], str]) -> bytes:
    """The .xlsx `workbook` with its first sheet's XML passed through `edit` (text -> text)."""
    source, out = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = edit(body.decode("utf-8")).encode("utf-8")
            archive.writestr(item, body)
    return out.getvalue()
