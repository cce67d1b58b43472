"""Helpers shared by the tests: the shipped table as rows, and throw-away projects in tmp_path."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from geo.config import DEFAULT_LANGUAGES, Settings, read_settings
from geo.schema import schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = schema(DEFAULT_LANGUAGES)  # the columns of a table in the default languages (sv, en)
PLACES_CSV = ROOT / "data" / "places.csv"
PACIFIC = ROOT / "tests" / "data" / "pacific"


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


def record_forks(monkeypatch) -> list[bool]:
    """From now on in this test, whether each geo.forking.Forked made runs in a second process,
    in the order they are made."""
    from geo import forking

    made: list[bool] = []

    class Recording(forking.Forked):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self.forked)

    monkeypatch.setattr(forking, "Forked", Recording)
    return made
