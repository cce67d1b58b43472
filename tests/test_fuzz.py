"""No traceback for any input: over 1,300 generated malformed tables, settings files, earlier
publications, basemaps and paths sent through the real command; and (issue 21) links, named pipes
and folders at geo's own paths, devices and pipes as inputs, workbooks whose dimension and cells
lie, long and pathological names to look up, bidirectional controls and invisible text.

Every case must end with exit status 0, 1 or 2, with no traceback and without reaching the
CLI's last-resort handler (its "Internal error" line). Most go through click's CliRunner (the
same `cli` object, in process, for speed); a handful through a real `python -m geo` process.
The inputs are drawn from a seeded generator, so a failure names a case that can be re-made.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import pipeline
from geo.cli import cli
from tests.publishing import BASE_URL
from tests.support import ROOT, make_project, rewritten_sheet, shipped_rows, to_csv, within

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


# --- issue 21: links at our paths, devices and pipes as inputs, lying workbooks, pathological
# names, bidi and invisible text --------------------------------------------------------------

VICTIM = b"the user's own file\n"
BIDI_AND_INVISIBLE = [
    "\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3164", "\u200f", "\u061c",
]  # fmt: skip


def _returns(function, seconds=60.0):
    """`function()`, failing the test instead of hanging it if it blocks."""
    outcome = within(function, seconds)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _plant(path: Path, kind: str, victim: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link":
        path.symlink_to(victim)
    elif kind == "dangling link":
        path.symlink_to(victim.parent / "made-through-a-link")
    elif kind == "device link":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()


def test_links_pipes_and_folders_at_our_paths(project, tmp_path):
    """Each of geo's own names (locks, journals, manifests, stamps, outputs, the store's) with
    a link, a dangling link, a link to a device, a named pipe or a folder in its place: the
    command ends cleanly (exit 2 when it refuses) and what the link points to is untouched."""
    rng = random.Random(SEED + 5)
    names = [
        "data/layers/.geo-build.lock", "maps/.geo-build.lock", "data/layers/.geo-journal.json",
        "maps/.geo-journal.json", "data/layers/.geo-build.json", "maps/.geo-build.json",
        "maps/.print.stamp.json", "maps/.interactive.stamp.json", "data/layers/all.geojson",
        "maps/sv.html", "maps/assets/leaflet.js", ".public.geo/lock", ".public.geo/.geo-store.json",
    ]  # fmt: skip
    kinds = ["link", "dangling link", "device link", "fifo", "folder"]
    runner = CliRunner()
    for n in range(40):
        case = tmp_path / f"c{n}"
        shutil.copytree(project, case, symlinks=True)
        victim = tmp_path / f"victim{n}"
        victim.write_bytes(VICTIM)
        name, kind = rng.choice(names), rng.choice(kinds)
        _plant(case / name, kind, victim)
        config = str(case / "geo.toml")
        args = (
            ["publish", "--base-url", BASE_URL, "--config", config]
            if name.startswith(".public")
            else ["build", "--config", config]
        )
        result = _returns(lambda a=args: runner.invoke(cli, [*a, "--wait", "0"]))
        results_are_clean(result, f"{kind} at {name}")
        assert result.exit_code in (0, 2), (kind, name, result.output)
        assert victim.read_bytes() == VICTIM, (kind, name)
        assert not (tmp_path / "made-through-a-link").exists(), (kind, name)


def test_devices_pipes_and_folders_as_inputs(project, tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "socket"))
    inputs = ["/dev/zero", "/dev/urandom", "/dev/null"]
    inputs += [str(tmp_path / "pipe"), str(tmp_path / "socket"), str(tmp_path)]
    config = str(project / "geo.toml")
    runner = CliRunner()
    for path in inputs:
        for args in (
            ["validate", path, "--config", config],
            ["build", "--source", path, "--config", config],
            ["validate", "--config", path],
        ):
            result = _returns(lambda a=args: runner.invoke(cli, a))
            results_are_clean(result, " ".join(args))
            assert result.exit_code == 2, (args, result.output)


def _lying_workbook(rng: random.Random) -> bytes:
    """The small table as a workbook whose dimension, sheet state, merges and cells lie."""
    from openpyxl import Workbook

    header, rows = shipped_rows()
    keep = [r for r in rows if r["id"] in ("stadsledningskontoret", "aarhus", "kiel")]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in keep:
        sheet.append([row[name] or None for name in header])
    if rng.random() < 0.3:
        book.create_sheet("other").append(["x"])
        sheet.sheet_state = rng.choice(["hidden", "veryHidden", "visible"])
    if rng.random() < 0.4:
        sheet.merge_cells(rng.choice(["A2:C2", "D3:D4", "A1:U1", "B2:B2"]))
    for _ in range(rng.randint(0, 3)):
        cell = f"{rng.choice('ABHIJN')}{rng.randint(1, 6)}"
        sheet[cell] = rng.choice(["#N/A", "#REF!", "=1/0", "=A1", "#DIV/0!", "x" * 40_000, None])
    out = io.BytesIO()
    book.save(out)
    refs = ["A1:U5", "A1:A1", "Z99:A1", "x", "A1:XFD1048576", "A0:B0", "A1:U999999999"]
    return rewritten_sheet(
        out.getvalue(),
        lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{rng.choice(refs)}"', xml),
    )


def test_workbooks_whose_dimension_and_cells_lie(project, tmp_path):
    rng = random.Random(SEED + 6)
    runner = CliRunner()
    for n in range(40):
        path = tmp_path / f"w{n}.xlsx"
        path.write_bytes(_lying_workbook(rng))
        result = runner.invoke(cli, ["validate", str(path), "--config", str(project / "geo.toml")])
        results_are_clean(result, f"workbook {n}")


def test_long_and_pathological_names_to_look_up(project, tmp_path):
    rng = random.Random(SEED + 7)
    runner = CliRunner()
    pieces = ["ae", "oe", "ss", "th", "ij", "a", "ø", "ß", "к", "上", "\u0301", " ", "-", "'"]
    names = ["a" * 200, "a" * 201, "ae" * 500, "x" * 10_000, "\u0301" * 300, "ﷺ" * 150]
    names += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 120))) for _ in range(20)]
    for n, name in enumerate(names):
        for args in (["lookup", name], ["init", str(tmp_path / f"i{n}"), "--home", name]):
            result = runner.invoke(cli, args)
            results_are_clean(result, f"{args[0]} {name[:40]!r} ({len(name)})")
            if len(name.strip()) > 200:
                assert result.exit_code == 2 and "characters long" in result.output


def test_bidi_and_invisible_text_in_cells(project, tmp_path):
    rng = random.Random(SEED + 8)
    runner = CliRunner()
    header, rows = shipped_rows()
    rows = [r for r in rows if r["id"] in ("stadsledningskontoret", "aarhus", "kiel")]
    for n in range(60):
        edited = [dict(r) for r in rows]
        row, column = rng.choice(edited), rng.choice(header)
        spoof = "".join(rng.choice(BIDI_AND_INVISIBLE) for _ in range(rng.randint(1, 3)))
        cell = row[column]
        row[column] = rng.choice([spoof, cell + spoof, spoof + cell, cell[:1] + spoof])
        path = tmp_path / f"b{n}.csv"
        path.write_bytes(to_csv(header, edited))
        result = runner.invoke(cli, ["validate", str(path), "--config", str(project / "geo.toml")])
        results_are_clean(result, f"bidi {n} ({path})")
        if set(spoof) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"):
            assert result.exit_code == 1 and "[field/bidi-control]" in result.output, result.output
