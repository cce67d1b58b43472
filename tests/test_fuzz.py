"""No traceback for any input: over 1,000 generated malformed tables, settings files, earlier
publications, basemaps and paths sent through the real command.

Every case must end with exit status 0, 1 or 2, with no traceback and without reaching the
CLI's last-resort handler (its "Internal error" line). Most go through click's CliRunner (the
same `cli` object, in process, for speed); a handful through a real `python -m geo` process.
The inputs are drawn from a seeded generator, so a failure names a case that can be re-made.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import pipeline
from geo.cli import cli
from tests.publishing import BASE_URL
from tests.support import ROOT, make_project, shipped_rows, to_csv

SEED = 20261127
NOISE = [
    b"\x00", b"\xff", b"\xfe\xff", b"\x1b[31m", b"\xc2\x85", b'"', b",", b";", b"\n", b"\r",
    b"\xef\xbb\xbf", b"=cmd|'/c calc'!A1", "é".encode(), b"\xed\xa0\x80", "\ufffe".encode(),
    b"9" * 400, b"-1e999", b"[[[[", b"}}}", b"{{ 7*7 }}", b"\t", "\u202e".encode(), b"\\",
]  # fmt: skip
VALUES: list[object] = [
    [], {}, 0, -1, 10**30, 1.5, -0.0, math.inf, math.nan, True, "", "x" * 5000, "javascript:x",
    "{{ 7*7 }}", "{% if %}", "\x1b[2J", "a\x85b", "\ufdd0", "mailto:x", "http://", "https:// x",
    "../../../etc", "/", "1e400", [1, "a", {}], {"a": {"b": {"c": []}}}, "Göteborg", "SE",
]  # fmt: skip
CELLS = [
    "", " ", "abc", "1e400", "nan", "inf", "-0", "1,5", "99999999999999999999", "2026-02-30",
    "0000-00-00", "\u202e", "=1+1", "x" * 3000, "Q", "-181", "90.0000001", "dormant ",
    "partner_city", "office", "a\nb", '"', "Tab\there", "\ufeff", "🙂", "<script>",
]  # fmt: skip


def results_are_clean(result, case: str) -> None:
    output = result.output
    assert result.exit_code in (0, 1, 2), f"{case}: exit {result.exit_code}\n{output[-2000:]}"
    assert "Traceback" not in output, f"{case}:\n{output[-3000:]}"
    assert "Internal error" not in output, f"{case}:\n{output[-3000:]}"
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"{case}: {exc!r}"


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """A few random edits: cut, insert noise, flip a byte, shuffle lines, re-encode."""
    for _ in range(rng.randint(1, 4)):
        data = data or b"x"
        i = rng.randrange(len(data) + 1)
        op = rng.randrange(6)
        if op == 0:
            data = data[:i]
        elif op == 1:
            data = data[:i] + rng.choice(NOISE) + data[i:]
        elif op == 2:
            j = rng.randrange(len(data))
            data = data[:j] + bytes([rng.randrange(256)]) + data[j + 1 :]
        elif op == 3:
            lines = data.split(b"\n")
            k = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines.pop(k) if rng.random() < 0.5 else b"")
            data = b"\n".join(lines)
        elif op == 4:
            data = data.decode("utf-8", "replace").encode(
                rng.choice(["utf-16", "latin-1", "cp1252"]), "replace"
            )
        else:
            data = data.replace(b",", b";")
    return data


def mutate_cells(text: str, rng: random.Random) -> bytes:
    """A table with cells, columns or rows changed to hostile values."""
    lines = [line.split(",") for line in text.splitlines()]
    for _ in range(rng.randint(1, 3)):
        row = rng.randrange(len(lines))
        op = rng.randrange(4)
        if op == 0 and lines[row]:
            lines[row][rng.randrange(len(lines[row]))] = rng.choice(CELLS)
        elif op == 1:
            lines[row] = lines[row][: rng.randrange(len(lines[row]) + 1)]
        elif op == 2:
            lines.append(list(rng.choice(lines)))  # a duplicate row (or header)
        else:
            lines[row] = [*lines[row], rng.choice(CELLS)]
    return "\n".join(",".join(cells) for cells in lines).encode("utf-8", "surrogatepass")


def small_table() -> str:
    """The header, the office and two places: a quick table to mutate."""
    header, rows = shipped_rows()
    keep = [r for r in rows if r["id"] in ("stadsledningskontoret", "aarhus", "kiel")]
    return to_csv(header, keep).decode("utf-8")


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_dump(doc: dict) -> str:
    top = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    out = [*top]
    for name, table in doc.items():
        if isinstance(table, dict):
            out.append(f"[{json.dumps(name)}]")
            out += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(out) + "\n"


def mutate_settings(doc: dict, rng: random.Random) -> str:
    doc = json.loads(json.dumps(doc))
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(5)
        section = rng.choice(list(doc))
        if op == 0 and isinstance(doc[section], dict) and doc[section]:
            doc[section][rng.choice(list(doc[section]))] = rng.choice(VALUES)
        elif op == 1 and isinstance(doc[section], dict) and doc[section]:
            del doc[section][rng.choice(list(doc[section]))]
        elif op == 2:
            doc[section] = rng.choice(VALUES)
        elif op == 3:
            doc[rng.choice(["extra", "Home", "map", "publisher"])] = {"x": rng.choice(VALUES)}
        elif isinstance(doc[section], dict):
            doc[section][rng.choice(["unknown", "tiles", "basemap", "url"])] = rng.choice(VALUES)
    return toml_dump(doc)


def mutate_json(doc: object, rng: random.Random) -> bytes:
    """Replace a random node of a JSON document by something of the wrong shape."""
    doc = json.loads(json.dumps(doc))
    nodes = [(None, None)]
    stack = [doc]
    while stack:
        node = stack.pop()
        children = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        for key, child in children:
            nodes.append((node, key))
            stack.append(child)
    parent, key = rng.choice(nodes)
    value = rng.choice([*VALUES, "\ud800", "DEEP"])
    if parent is None:
        doc = value
    elif rng.random() < 0.2 and isinstance(parent, dict):
        del parent[key]
    else:
        parent[key] = value
    text = json.dumps(doc, allow_nan=True)
    deep = "[" * 100_000 + "]" * 100_000
    return text.replace('"DEEP"', deep).encode("utf-8", "surrogatepass")


# --- the fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A built project whose table is small, and its publication."""
    base = tmp_path_factory.mktemp("fuzz")
    settings = make_project(base, small_table().encode())
    pipeline.publish(settings, BASE_URL)
    pipeline.build(settings)
    return base


def test_malformed_tables(project, tmp_path):
    rng = random.Random(SEED)
    runner, text = CliRunner(), small_table()
    for n in range(420):
        data = mutate_bytes(text.encode(), rng) if n % 2 else mutate_cells(text, rng)
        path = tmp_path / f"t{n}.csv"
        path.write_bytes(data)
        result = runner.invoke(cli, ["validate", str(path), "--config", str(project / "geo.toml")])
        results_are_clean(result, f"table {n} ({path})")


def test_malformed_settings(project, tmp_path):
    rng = random.Random(SEED + 1)
    runner = CliRunner()
    good = (project / "geo.toml").read_bytes()
    doc = tomllib.loads(good.decode())
    cases = [
        b"x = " + b"[" * 5000 + b"]" * 5000,
        b"[home]\nname_sv = " + b"{a=" * 3000 + b"1" + b"}" * 3000,
        '[home]\nname_sv = "G\u00f6teborg"'.encode("latin-1"),
        b"",
        b"\xef\xbb\xbf" + good,
    ]
    for n in range(360):
        if n < len(cases):
            data = cases[n]
        elif n % 3 == 0:
            data = mutate_bytes(good, rng)
        else:
            data = mutate_settings(doc, rng).encode("utf-8", "surrogatepass")
        path = project / f"s{n}.toml"  # beside geo.toml: the table's path stays right
        path.write_bytes(data)
        result = runner.invoke(cli, ["validate", "--config", str(path)])
        results_are_clean(result, f"settings {n} ({path})")
        path.unlink()


def _publication_files(folder: Path) -> dict[str, bytes]:
    return {
        name: (folder / name).read_bytes()
        for name in ("data/layers/all.geojson", "changes.json", "SHA256SUMS")
    }


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_malformed_earlier_publications(project, tmp_path):
    rng = random.Random(SEED + 2)
    runner = CliRunner()
    pristine = _publication_files(project / "public")
    good = _write(tmp_path / "good", pristine)
    for n in range(330):
        files = dict(pristine)
        name = rng.choice(list(files))
        if n % 4 == 0 or name == "SHA256SUMS":
            files[name] = mutate_bytes(files[name], rng)
        else:
            files[name] = mutate_json(json.loads(files[name]), rng)
        folder = _write(tmp_path / f"p{n}", files)
        result = runner.invoke(
            cli, ["diff", str(folder), str(good), "--config", str(project / "geo.toml")]
        )
        results_are_clean(result, f"publication {n} ({folder}/{name})")


def test_publishing_over_malformed_earlier_publications(project, tmp_path):
    """The publish path reads the change log and renders it again: a handful for real."""
    rng = random.Random(SEED + 3)
    runner = CliRunner()
    current = project / "public"
    config = str(project / "geo.toml")
    for n in range(8):
        folder = tmp_path / f"o{n}"
        shutil.copytree(current, folder)  # a real folder with the marker: geo's to replace
        name = ["changes.json", "data/layers/all.geojson"][n % 2]
        (folder / name).write_bytes(mutate_json(json.loads((folder / name).read_bytes()), rng))
        args = ["publish", "--base-url", BASE_URL, "--out", str(folder), "--config", config]
        results_are_clean(runner.invoke(cli, args), f"publish over {folder}/{name}")


def test_malformed_basemaps(project, tmp_path):
    rng = random.Random(SEED + 4)
    runner = CliRunner()
    shipped = (ROOT / "geo" / "basemap").glob("*")
    base = next(p for p in shipped if p.suffix in (".geojson", ".json")).read_bytes()
    settings = (project / "geo.toml").read_text(encoding="utf-8")
    for n, data in enumerate(
        [b"[]", b'{"type": "FeatureCollection", "features": 1}', b"\xff", mutate_bytes(base, rng)]
        + [mutate_json(json.loads(base), rng) for _ in range(3)]
    ):
        (tmp_path / "bad.geojson").write_bytes(data)
        config = tmp_path / f"b{n}.toml"
        text = settings.replace("[map]", f'[map]\nbasemap = "{tmp_path / "bad.geojson"}"')
        text = text.replace(
            'places = "data/places.csv"', f'places = "{project / "data" / "places.csv"}"'
        )
        config.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["build", "--config", str(config), "--force"])
        results_are_clean(result, f"basemap {n}")


def test_malformed_paths(project, tmp_path):
    runner = CliRunner()
    (tmp_path / "file").write_text("x")
    (tmp_path / "loop").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop")
    config = str(project / "geo.toml")
    cases = [
        ["validate", str(tmp_path / "file" / "below.csv"), "--config", config],
        ["validate", str(tmp_path / "loop"), "--config", config],
        ["validate", str(tmp_path), "--config", config],
        ["validate", "--config", str(tmp_path / "file" / "geo.toml")],
        ["validate", "--config", str(tmp_path / "loop")],
        ["validate", "--config", str(tmp_path)],
        ["build", "--source", str(tmp_path / "loop"), "--config", config],
        [
            "publish",
            "--base-url",
            BASE_URL,
            "--out",
            str(tmp_path / "file" / "o"),
            "--config",
            config,
        ],
        ["publish", "--base-url", BASE_URL, "--source", str(tmp_path / "loop"), "--config", config],
        ["diff", str(tmp_path / "loop"), str(project / "public"), "--config", config],
        ["diff", str(tmp_path), str(project / "public"), "--config", config],
    ]
    for args in cases:
        result = runner.invoke(cli, args)
        results_are_clean(result, " ".join(args))
        assert result.exit_code in (1, 2), " ".join(args)


def test_a_handful_through_a_real_process(project, tmp_path):
    (tmp_path / "deep.toml").write_bytes(b"x = " + b"[" * 5000 + b"]" * 5000)
    (tmp_path / "latin1.toml").write_bytes('[home]\nname_sv = "G\u00f6teborg"\n'.encode("latin-1"))
    (tmp_path / "loop").symlink_to("loop")
    bad = _write(
        tmp_path / "bad", {**_publication_files(project / "public"), "changes.json": b"[1, 2]"}
    )
    config = str(project / "geo.toml")
    cases = [
        ["validate", "--config", str(tmp_path / "deep.toml")],
        ["validate", "--config", str(tmp_path / "latin1.toml")],
        ["validate", str(tmp_path / "loop"), "--config", config],
        ["diff", str(bad), str(project / "public"), "--config", config],
        ["publish", "--base-url", BASE_URL, "--out", str(bad), "--config", config],
    ]
    for args in cases:
        done = subprocess.run(
            [sys.executable, "-m", "geo", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={k: v for k, v in os.environ.items() if k != "GEO_DEBUG"},
        )
        assert done.returncode in (1, 2), (args, done.stderr)
        assert "Traceback" not in done.stderr and "Internal error" not in done.stderr, done.stderr
        assert done.stderr.startswith("Error: "), done.stderr
