"""Helpers for the publication tests: settings that write only under tmp_path, a publish call,
a byte-for-byte snapshot of a folder, and tables edited in place of the real one."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from geo import pipeline
from geo.config import Settings, read_settings

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "places.csv"
BASE_URL = "https://data.example.se/relations/"


def settings_in(tmp: Path) -> Settings:
    """The project's settings, with every output folder moved under `tmp`."""
    settings = read_settings(ROOT / "geo.toml")
    return dataclasses.replace(settings, layers_dir=tmp / "layers", maps_dir=tmp / "maps")


def publish(tmp: Path, out: Path, source: Path | None = None, **kw) -> pipeline.PublishReport:
    return pipeline.publish(settings_in(tmp), kw.pop("base_url", BASE_URL), out, source, **kw)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edited_table(tmp: Path, name: str, edits: dict[str, str], drop: tuple[str, ...] = ()) -> Path:
    """A copy of the real table with whole lines replaced by regex (`edits`) and rows dropped."""
    lines = TABLE.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        if any(line.startswith(f"{place_id},") for place_id in drop):
            continue
        for pattern, repl in edits.items():
            line = re.sub(pattern, repl, line)
        out.append(line)
    path = tmp / name
    path.write_text("".join(out), encoding="utf-8")
    return path
